"""Deletions: erase deleted items from the catalogue and leave tombstones.

A deletion cascades the way it does on the platform: an account takes its videos, comments,
follow edges and engagements with it; a video takes its comments. Decisions about deleted
content stay: they record what the platform did, not the content.
"""

from datetime import datetime

from django.db.models import Q

from catalog.models import (
    Comment,
    CommentStatus,
    Creator,
    CreatorStatus,
    Engagement,
    Follow,
    Video,
    VideoEffect,
    VideoHashtag,
    VideoStatus,
)
from compliance.models import Tombstone

Entity = Tombstone.Entity


def erased_creator_fields(platform_id: int) -> dict:
    # The handle is released and replaced by a unique placeholder.
    return {
        "status": CreatorStatus.DELETED,
        "display_name": "",
        "bio": "",
        "username": f"deleted.{platform_id}",
    }


ERASED_VIDEO_FIELDS = {
    "status": VideoStatus.DELETED,
    "description": "",
    "voice_to_text": "",
    "hashtag_names": [],
    "effect_ids": [],
}
ERASED_COMMENT_FIELDS = {"status": CommentStatus.DELETED, "text": ""}


def tombstoned_platform_ids(entity: str, platform_ids) -> set[int]:
    return set(
        Tombstone.objects.filter(entity=entity, platform_id__in=list(platform_ids)).values_list(
            "platform_id", flat=True
        )
    )


def delete_items(entity: str, platform_ids: dict[int, datetime], now: datetime) -> dict:
    """Erase the items of `entity` with these platform ids (id -> deleted_at).

    Returns counts: deleted (erased now), already (tombstoned before), unknown (never
    ingested; nothing to erase), cascaded (items erased along with them).
    """
    model = {Entity.CREATOR: Creator, Entity.VIDEO: Video, Entity.COMMENT: Comment}[entity]
    already = tombstoned_platform_ids(entity, platform_ids)
    rows = dict(
        model.objects.filter(
            platform_id__in=[p for p in platform_ids if p not in already]
        ).values_list("platform_id", "id")
    )
    counts = {
        "deleted": len(rows),
        "already": len(already),
        "unknown": len(platform_ids) - len(rows) - len(already),
        "cascaded": 0,
    }
    if not rows:
        return counts
    internal_ids = list(rows.values())
    deleted_at = {rows[p]: platform_ids[p] for p in rows}
    if entity == Entity.CREATOR:
        for platform_id, creator_id in rows.items():
            Creator.objects.filter(id=creator_id).update(
                **erased_creator_fields(platform_id), updated_at=now
            )
        Follow.objects.filter(
            Q(follower_id__in=internal_ids) | Q(followee_id__in=internal_ids)
        ).delete()
        Engagement.objects.filter(creator_id__in=internal_ids).delete()
        counts["cascaded"] += _cascade(
            Video, Entity.VIDEO, Q(creator_id__in=internal_ids), "creator_id", deleted_at, now
        )
        counts["cascaded"] += _cascade(
            Comment, Entity.COMMENT, Q(author_id__in=internal_ids), "author_id", deleted_at, now
        )
    elif entity == Entity.VIDEO:
        _erase_videos(internal_ids, now)
        counts["cascaded"] += _cascade(
            Comment, Entity.COMMENT, Q(video_id__in=internal_ids), "video_id", deleted_at, now
        )
    else:
        Comment.objects.filter(id__in=internal_ids).update(**ERASED_COMMENT_FIELDS, updated_at=now)
    _tombstone(entity, [(i, p, platform_ids[p]) for p, i in rows.items()], now)
    return counts


def _erase_videos(video_ids: list[int], now: datetime):
    Video.objects.filter(id__in=video_ids).update(**ERASED_VIDEO_FIELDS, updated_at=now)
    VideoHashtag.objects.filter(video_id__in=video_ids).delete()
    VideoEffect.objects.filter(video_id__in=video_ids).delete()


def _cascade(model, entity, condition, parent_field, deleted_at, now) -> int:
    """Erase the live items under deleted parents, with the parent's deletion time."""
    erased = ERASED_VIDEO_FIELDS if model is Video else ERASED_COMMENT_FIELDS
    items = list(
        model.objects.filter(condition)
        .exclude(status=erased["status"])
        .values_list("id", "platform_id", parent_field)
    )
    if not items:
        return 0
    ids = [item_id for item_id, _, _ in items]
    count = len(items)
    if model is Video:
        _erase_videos(ids, now)
        count += _cascade(
            Comment,
            Entity.COMMENT,
            Q(video_id__in=ids),
            "video_id",
            {i: deleted_at[parent] for i, _, parent in items},
            now,
        )
    else:
        model.objects.filter(id__in=ids).update(**erased, updated_at=now)
    _tombstone(entity, [(i, p, deleted_at[parent]) for i, p, parent in items], now)
    return count


def _tombstone(entity: str, items: list[tuple[int, int, datetime]], now: datetime):
    Tombstone.objects.bulk_create(
        [
            Tombstone(entity=entity, object_id=i, platform_id=p, deleted_at=at, recorded_at=now)
            for i, p, at in items
        ],
        ignore_conflicts=True,
        batch_size=2_000,
    )


AVAILABLE = {  # which internal rows a project can still read, by category
    "video": (Video, {"status": VideoStatus.PUBLIC}),
    "comment": (Comment, {"status": CommentStatus.VISIBLE, "video__status": VideoStatus.PUBLIC}),
}


def available(category: str, internal_ids: list[int]) -> set[int]:
    """The internal ids among `internal_ids` whose item is still available: not deleted,
    removed by moderation or made private (a comment also needs its video public)."""
    model, condition = AVAILABLE[category]
    return set(model.objects.filter(id__in=internal_ids, **condition).values_list("id", flat=True))
