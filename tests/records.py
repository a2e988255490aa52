"""Builders for records of the platform export format, with sensible defaults."""

T0 = "2024-05-01T12:00:00Z"


def creator(id, username=None, **fields):
    return {
        "type": "creator",
        "id": id,
        "username": username or f"user{id}",
        "region_code": "DE",
        "language": "de",
        "created_at": "2021-03-04T10:00:00Z",
        **fields,
    }


def video(id, creator_id, **fields):
    return {
        "type": "video",
        "id": id,
        "creator_id": creator_id,
        "create_time": T0,
        "region_code": "DE",
        "language": "de",
        "duration": 30,
        **fields,
    }


def comment(id, video_id, author_id, **fields):
    return {
        "type": "comment",
        "id": id,
        "video_id": video_id,
        "author_id": author_id,
        "text": "nice",
        "create_time": "2024-05-01T13:00:00Z",
        **fields,
    }


def follow(follower_id, followee_id, **fields):
    return {
        "type": "follow",
        "follower_id": follower_id,
        "followee_id": followee_id,
        "created_at": "2023-01-01T00:00:00Z",
        **fields,
    }


def engagement(kind, creator_id, video_id, **fields):
    return {
        "type": "engagement",
        "kind": kind,
        "creator_id": creator_id,
        "video_id": video_id,
        "created_at": "2024-05-02T00:00:00Z",
        **fields,
    }


def decision(id, video_id, **fields):
    return {
        "type": "decision",
        "id": id,
        "target_type": "video",
        "video_id": video_id,
        "decision_visibility": "CONTENT_REMOVED",
        "decision_ground": "INCOMPATIBLE_CONTENT",
        "category": "RISK_FOR_PUBLIC_SECURITY",
        "category_keywords": ["TERRORIST_CONTENT"],
        "policy": "violent_hateful_orgs",
        "sub_policy": "violent_extremism",
        "source_type": "SOURCE_VOLUNTARY",
        "detection_method": "HASH_MATCH",
        "automated_detection": True,
        "automated_decision": "FULLY",
        "content_language": "de",
        "market": "DE",
        "territorial_scope": ["DE", "AT"],
        "content_created_at": T0,
        "first_detected_at": "2024-05-01T12:00:05Z",
        "actioned_at": "2024-05-01T12:00:06Z",
        "views_at_action": 0,
        **fields,
    }


def deletion(entity, id, deleted_at="2024-06-01T00:00:00Z"):
    return {"type": "deletion", "entity": entity, "id": id, "deleted_at": deleted_at}


def small_platform():
    """Two creators, a video with a comment thread, a follow, a like and a decision."""
    return [
        creator(101, "jake.films", bio="mail jake@example.com, friend of @anna_b"),
        creator(102, "anna_b"),
        video(
            5001,
            101,
            description="hi @anna_b call +49 170 1234567 #fyp",
            hashtag_names=["fyp", "Travel"],
            effect_ids=[77],
            view_count=10,
        ),
        comment(9001, 5001, 102),
        comment(9002, 5001, 101, parent_comment_id=9001, text="thanks @anna_b"),
        follow(101, 102),
        engagement("like", 102, 5001),
        decision(1, 5001),
    ]
