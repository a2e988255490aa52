"""Pass 2 of ingestion: apply a validated batch, type by type, in dependency order.

Upserts compare with what is stored and write only what changed, so re-ingesting a file
changes nothing (not even `updated_at`). Items with a tombstone stay erased whatever a later
file says about them.
"""

from collections import Counter
from datetime import datetime

from catalog.models import (
    Comment,
    Creator,
    Engagement,
    Follow,
    Hashtag,
    Video,
    VideoEffect,
    VideoHashtag,
)
from catalog.scrub import scrub
from catalog.selectors import mention_resolver
from compliance import services as compliance
from compliance.models import Tombstone
from ingestion.reader import Batch
from moderation.models import Decision, Policy


def _id_map(model, platform_ids, *extra: str) -> dict:
    """platform id -> internal id (or a tuple with `extra` columns)."""
    rows = model.objects.filter(platform_id__in=list(set(platform_ids))).values_list(
        "platform_id", "id", *extra
    )
    return {row[0]: (row[1:] if extra else row[1]) for row in rows}


def _upsert(model, rows: dict[int, dict], now: datetime, counts: Counter):
    """Create or update by platform id; returns ({platform id: id}, platform ids touched)."""
    if not rows:
        return {}, set()
    fields = list(next(iter(rows.values())))
    existing = {
        row["platform_id"]: row
        for row in model.objects.filter(platform_id__in=list(rows)).values(
            "id", "platform_id", *fields
        )
    }
    to_create, to_update, touched = [], [], set()
    for platform_id, values in rows.items():
        old = existing.get(platform_id)
        if old is None:
            to_create.append(
                model(platform_id=platform_id, ingested_at=now, updated_at=now, **values)
            )
            touched.add(platform_id)
        elif any(old[name] != value for name, value in values.items()):
            to_update.append(model(id=old["id"], updated_at=now, **values))
            touched.add(platform_id)
    model.objects.bulk_create(to_create, batch_size=1_000)
    model.objects.bulk_update(to_update, [*fields, "updated_at"], batch_size=500)
    counts["created"] += len(to_create)
    counts["updated"] += len(to_update)
    counts["unchanged"] += len(rows) - len(to_create) - len(to_update)
    ids = {platform_id: row["id"] for platform_id, row in existing.items()}
    ids.update({obj.platform_id: obj.id for obj in to_create})
    return ids, touched


def apply_policies(batch: Batch, now: datetime) -> Counter:
    counts = Counter()
    records = [record for _, record in batch.records("policy")]
    pending = sorted(records, key=lambda r: r.parent is not None)
    while pending:  # parents before children, however deep
        known = set(Policy.objects.values_list("code", flat=True))
        ready = [r for r in pending if r.parent is None or r.parent in known]
        ready = ready or pending  # a cycle: fail loudly on the foreign key below
        codes = dict(Policy.objects.values_list("code", "id"))
        for record in ready:
            values = {
                "name": record.name,
                "dsa_category": record.dsa_category,
                "dsa_keyword": record.dsa_keyword,
                "parent_id": codes.get(record.parent),
            }
            _, created = Policy.objects.update_or_create(code=record.code, defaults=values)
            counts["created" if created else "updated"] += 1
        pending = [r for r in pending if r not in ready]
    return counts


def apply_creators(batch: Batch, now: datetime) -> Counter:
    counts, touched = Counter(), set()
    # First every creator's identity, so the texts below can mention any of them.
    for chunk in batch.chunks("creator"):
        tombstoned = compliance.tombstoned_platform_ids("creator", (r.id for _, r in chunk))
        rows = {}
        for _, r in chunk:
            rows[r.id] = {
                "username": r.username,
                "region_code": r.region_code,
                "language": r.language,
                "is_verified": r.is_verified,
                "follower_count": r.follower_count,
                "following_count": r.following_count,
                "likes_count": r.likes_count,
                "video_count": r.video_count,
                "created_month": r.created_at.date().replace(day=1),
                "status": r.status,
            }
            if r.id in tombstoned:
                erased = compliance.erased_creator_fields(r.id)
                rows[r.id].update(username=erased["username"], status=erased["status"])
        _, chunk_touched = _upsert(Creator, rows, now, counts)
        touched |= chunk_touched
    text_counts = Counter()
    for chunk in batch.chunks("creator"):
        tombstoned = compliance.tombstoned_platform_ids("creator", (r.id for _, r in chunk))
        resolve = mention_resolver([t for _, r in chunk for t in (r.display_name, r.bio)])
        rows = {
            r.id: {"display_name": "", "bio": ""}
            if r.id in tombstoned
            else {
                "display_name": scrub(r.display_name, resolve, r.region_code),
                "bio": scrub(r.bio, resolve, r.region_code),
            }
            for _, r in chunk
        }
        _, chunk_touched = _upsert(Creator, rows, now, text_counts)
        touched |= chunk_touched
    counts["updated"] = len(touched) - counts["created"]
    counts["unchanged"] = batch.counts["creator"] - len(touched)
    return counts


def _ensure_hashtags(names: set[str]) -> dict[str, int]:
    ids = dict(Hashtag.objects.filter(name__in=names).values_list("name", "id"))
    missing = names - ids.keys()
    if missing:
        Hashtag.objects.bulk_create([Hashtag(name=n) for n in missing], ignore_conflicts=True)
        ids.update(Hashtag.objects.filter(name__in=missing).values_list("name", "id"))
    return ids


def _replace_video_links(videos: dict[int, tuple[datetime, list[str], list[int]]]):
    """Rewrite the hashtag and effect link rows of these videos (id -> time, tags, effects)."""
    if not videos:
        return
    VideoHashtag.objects.filter(video_id__in=list(videos)).delete()
    VideoEffect.objects.filter(video_id__in=list(videos)).delete()
    tag_ids = _ensure_hashtags({name for _, names, _ in videos.values() for name in names})
    VideoHashtag.objects.bulk_create(
        [
            VideoHashtag(video_id=video_id, hashtag_id=tag_ids[name], create_time=time)
            for video_id, (time, names, _) in videos.items()
            for name in names
        ],
        batch_size=2_000,
    )
    VideoEffect.objects.bulk_create(
        [
            VideoEffect(video_id=video_id, effect_id=effect, create_time=time)
            for video_id, (time, _, effects) in videos.items()
            for effect in effects
        ],
        batch_size=2_000,
    )


def apply_videos(batch: Batch, now: datetime) -> Counter:
    counts = Counter()
    for chunk in batch.chunks("video"):
        creators = _id_map(Creator, (r.creator_id for _, r in chunk))
        tombstoned = compliance.tombstoned_platform_ids("video", (r.id for _, r in chunk))
        resolve = mention_resolver([t for _, r in chunk for t in (r.description, r.voice_to_text)])
        rows = {}
        for _, r in chunk:
            rows[r.id] = {
                "creator_id": creators[r.creator_id],
                "create_time": r.create_time,
                "region_code": r.region_code,
                "language": r.language,
                "description": scrub(r.description, resolve, r.region_code),
                "voice_to_text": scrub(r.voice_to_text, resolve, r.region_code),
                "duration": r.duration,
                "music_id": r.music_id,
                "playlist_id": r.playlist_id,
                "hashtag_names": list(dict.fromkeys(r.hashtag_names)),
                "effect_ids": list(dict.fromkeys(r.effect_ids)),
                "view_count": r.view_count,
                "like_count": r.like_count,
                "comment_count": r.comment_count,
                "share_count": r.share_count,
                "favorites_count": r.favorites_count,
                "is_stem_verified": r.is_stem_verified,
                "status": r.status,
            }
            if r.id in tombstoned:
                rows[r.id].update(compliance.ERASED_VIDEO_FIELDS)
        ids, touched = _upsert(Video, rows, now, counts)
        _replace_video_links(
            {
                ids[p]: (rows[p]["create_time"], rows[p]["hashtag_names"], rows[p]["effect_ids"])
                for p in touched
            }
        )
    return counts


def apply_comments(batch: Batch, now: datetime) -> Counter:
    counts = Counter()
    for chunk in batch.chunks("comment"):
        # The video's region: the default country of phone numbers in its comments.
        videos = _id_map(Video, (r.video_id for _, r in chunk), "region_code")
        authors = _id_map(Creator, (r.author_id for _, r in chunk))
        tombstoned = compliance.tombstoned_platform_ids("comment", (r.id for _, r in chunk))
        resolve = mention_resolver([r.text for _, r in chunk])
        rows = {}
        for _, r in chunk:
            rows[r.id] = {
                "video_id": videos[r.video_id][0],
                "author_id": authors[r.author_id],
                "text": scrub(r.text, resolve, videos[r.video_id][1]),
                "like_count": r.like_count,
                "reply_count": r.reply_count,
                "create_time": r.create_time,
                "status": r.status,
            }
            if r.id in tombstoned:
                rows[r.id].update(compliance.ERASED_COMMENT_FIELDS)
        _upsert(Comment, rows, now, counts)
    # Replies point at comments that may have been created in this batch: link them last.
    for chunk in batch.chunks("comment"):
        rows = {r.id: r.parent_comment_id for _, r in chunk}
        parents = _id_map(Comment, (p for p in rows.values() if p is not None))
        current = _id_map(Comment, rows, "parent_id")
        changed = [
            Comment(id=current[c][0], parent_id=parents.get(p), updated_at=now)
            for c, p in rows.items()
            if current[c][1] != parents.get(p)
        ]
        Comment.objects.bulk_update(changed, ["parent_id", "updated_at"], batch_size=500)
    return counts


def _apply_edges(batch, record_type, model, key_of, values_of, now) -> Counter:
    """Follow and engagement edges: keyed by their endpoints, removed when the record says so."""
    counts = Counter()
    for chunk in batch.chunks(record_type):
        creators = _id_map(Creator, (i for _, r in chunk for i in _creator_refs(r)))
        videos = _id_map(Video, (r.video_id for _, r in chunk if record_type == "engagement"))
        keyed = {key_of(r, creators, videos): r for _, r in chunk}
        existing = {}
        for row in model.objects.filter(**_edge_filter(record_type, keyed)).values():
            key = key_of(row, None, None)
            if key in keyed:
                existing[key] = row
        to_create, to_update, to_delete = [], [], []
        for key, r in keyed.items():
            old = existing.get(key)
            if r.removed:
                if old is not None:
                    to_delete.append(old["id"])
            elif old is None:
                to_create.append(model(**values_of(key), created_at=r.created_at, ingested_at=now))
            elif old["created_at"] != r.created_at:
                to_update.append(model(id=old["id"], created_at=r.created_at))
        model.objects.filter(id__in=to_delete).delete()
        model.objects.bulk_create(to_create, batch_size=2_000)
        model.objects.bulk_update(to_update, ["created_at"], batch_size=500)
        counts["created"] += len(to_create)
        counts["updated"] += len(to_update)
        counts["removed"] += len(to_delete)
        counts["unchanged"] += len(keyed) - len(to_create) - len(to_update) - len(to_delete)
    return counts


def _creator_refs(record):
    if record.type == "follow":
        return (record.follower_id, record.followee_id)
    return (record.creator_id,)


def _edge_filter(record_type, keyed) -> dict:
    if record_type == "follow":
        return {"follower_id__in": {k[0] for k in keyed}, "followee_id__in": {k[1] for k in keyed}}
    return {"creator_id__in": {k[1] for k in keyed}, "video_id__in": {k[2] for k in keyed}}


def _follow_key(r, creators, _videos):
    if creators is None:  # a stored row
        return (r["follower_id"], r["followee_id"])
    return (creators[r.follower_id], creators[r.followee_id])


def _engagement_key(r, creators, videos):
    if creators is None:
        return (r["kind"], r["creator_id"], r["video_id"])
    return (r.kind, creators[r.creator_id], videos[r.video_id])


def apply_follows(batch: Batch, now: datetime) -> Counter:
    return _apply_edges(
        batch,
        "follow",
        Follow,
        _follow_key,
        lambda k: {"follower_id": k[0], "followee_id": k[1]},
        now,
    )


def apply_engagements(batch: Batch, now: datetime) -> Counter:
    return _apply_edges(
        batch,
        "engagement",
        Engagement,
        _engagement_key,
        lambda k: {"kind": k[0], "creator_id": k[1], "video_id": k[2]},
        now,
    )


def apply_decisions(batch: Batch, now: datetime) -> Counter:
    counts = Counter()
    policies = dict(Policy.objects.values_list("code", "id"))
    for chunk in batch.chunks("decision"):
        videos = _id_map(Video, (r.video_id for _, r in chunk if r.video_id), "creator_id")
        comments = _id_map(Comment, (r.comment_id for _, r in chunk if r.comment_id), "author_id")
        accounts = _id_map(Creator, (r.account_id for _, r in chunk if r.account_id))
        rows = {}
        for _, r in chunk:
            video = videos.get(r.video_id)
            comment = comments.get(r.comment_id)
            if video:
                creator_id = video[1]
            elif comment:
                creator_id = comment[1]
            else:
                creator_id = accounts[r.account_id]
            appeal = r.appeal
            rows[r.id] = {
                "target_type": r.target_type,
                "video_id": video[0] if video else None,
                "comment_id": comment[0] if comment else None,
                "creator_id": creator_id,
                "decision_visibility": r.decision_visibility or "",
                "decision_account": r.decision_account or "",
                "decision_ground": r.decision_ground,
                "category": r.category,
                "category_keywords": list(r.category_keywords),
                "policy_id": policies[r.policy],
                "sub_policy_id": policies[r.sub_policy] if r.sub_policy else None,
                "source_type": r.source_type,
                "detection_method": r.detection_method,
                "automated_detection": r.automated_detection,
                "automated_decision": r.automated_decision,
                "content_language": r.content_language,
                "market": r.market,
                "territorial_scope": list(r.territorial_scope),
                "content_created_at": r.content_created_at,
                "first_detected_at": r.first_detected_at,
                "first_reported_at": r.first_reported_at,
                "actioned_at": r.actioned_at,
                "views_at_action": r.views_at_action,
                "appeal_filed_at": appeal.filed_at if appeal else None,
                "appeal_outcome": (appeal.outcome or "") if appeal else "",
                "appeal_decided_at": appeal.decided_at if appeal else None,
                "reinstated_at": r.reinstated_at,
            }
        _upsert(Decision, rows, now, counts)
    return counts


def apply_deletions(batch: Batch, now: datetime) -> Counter:
    counts = Counter()
    by_entity: dict[str, dict[int, datetime]] = {}
    for _, r in batch.records("deletion"):
        by_entity.setdefault(r.entity, {})[r.id] = r.deleted_at
    for entity in (Tombstone.Entity.CREATOR, Tombstone.Entity.VIDEO, Tombstone.Entity.COMMENT):
        if entity in by_entity:
            counts.update(compliance.delete_items(entity, by_entity[entity], now))
    return counts


WRITERS = {
    "policy": apply_policies,
    "creator": apply_creators,
    "video": apply_videos,
    "comment": apply_comments,
    "follow": apply_follows,
    "engagement": apply_engagements,
    "decision": apply_decisions,
    "deletion": apply_deletions,
}
