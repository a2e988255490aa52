"""The synthetic platform as database tables: columnar chunks, in load order.

Internal ids are positions + 1, so every table's foreign keys are known without lookups.
Texts are generated per chunk and passed through `context["scrub"]`, the ingestion scrubber,
with the region of the video (or account) they belong to.
"""

import numpy as np

from ingestion.synthetic import vocabulary as vocab
from ingestion.synthetic.generator import CHUNK, DAY, END, SNAPSHOT, SyntheticPlatform, Table
from moderation.taxonomy import AUTOMATED_DETECTION_METHODS, DEFAULT_POLICIES

_POLICY = {
    code: (category, keyword, [sub for sub, _ in subs])
    for code, _, category, keyword, subs in DEFAULT_POLICIES
}
_CLUSTER_SUB_POLICIES = {
    "violent_hateful_orgs": ["violent_extremism", "hateful_organizations"],
    "hate_speech": ["hateful_ideologies", "attacks_protected_groups"],
}


def _spans(total: int):
    for start in range(0, total, CHUNK):
        yield start, min(start + CHUNK, total)


def _ids(start, end):
    return np.arange(start + 1, end + 1)


def _maybe(values: np.ndarray, present: np.ndarray):
    """Object array with None where not `present` (NULL)."""
    out = values.astype(object)
    out[~present] = None
    return out


def tables(p: SyntheticPlatform) -> list[Table]:
    return [
        Table("catalog_creator", _CREATOR_COLUMNS, lambda ctx: _creators(p, ctx), p.n_creators),
        Table(
            "catalog_hashtag",
            (("id", "int"), ("name", "str")),
            lambda ctx: _hashtags(p),
            len(p.hashtags),
        ),
        Table("catalog_video", _VIDEO_COLUMNS, lambda ctx: _videos(p, ctx), p.n_videos),
        Table(
            "catalog_videohashtag",
            _LINK_COLUMNS("hashtag_id"),
            lambda ctx: _video_hashtags(p),
            sum(map(len, p.v_tags)),
        ),
        Table(
            "catalog_videoeffect",
            _LINK_COLUMNS("effect_id"),
            lambda ctx: _video_effects(p),
            len(p.v_effects),
        ),
        Table("catalog_comment", _COMMENT_COLUMNS, lambda ctx: _comments(p, ctx), len(p.m_video)),
        Table("catalog_follow", _FOLLOW_COLUMNS, lambda ctx: _follows(p), len(p.f_follower)),
        Table(
            "catalog_engagement", _ENGAGEMENT_COLUMNS, lambda ctx: _engagements(p), len(p.e_video)
        ),
        Table(
            "moderation_decision",
            _DECISION_COLUMNS,
            lambda ctx: _decisions(p, ctx),
            _decision_count(p),
        ),
        Table(
            "compliance_tombstone",
            _TOMBSTONE_COLUMNS,
            lambda ctx: _tombstones(p),
            int(p.c_deleted.sum() + p.v_deleted.sum() + p.m_deleted.sum()),
        ),
    ]


_CREATOR_COLUMNS = (
    ("id", "int"),
    ("platform_id", "int"),
    ("username", "str"),
    ("display_name", "str"),
    ("bio", "str"),
    ("region_code", "str"),
    ("language", "str"),
    ("is_verified", "bool"),
    ("follower_count", "int"),
    ("following_count", "int"),
    ("likes_count", "int"),
    ("video_count", "int"),
    ("created_month", "month"),
    ("status", "str"),
    ("ingested_at", "ts"),
    ("updated_at", "ts"),
)


def _creators(p: SyntheticPlatform, ctx):
    texts = p.text_maker("creator-texts")
    rng = texts.rng
    for start, end in _spans(p.n_creators):
        n = end - start
        deleted = p.c_deleted[start:end]
        has_bio = rng.random(n) < 0.6
        pii = rng.random(n)
        mention = rng.integers(0, p.n_creators, n)
        bios, names = [], []
        for i in range(n):
            first = p.usernames[start + i].split(".", 1)[0]
            names.append("" if deleted[i] else f"{first.title()} {first[0].upper()}.")
            if deleted[i] or not has_bio[i]:
                bios.append("")
                continue
            phrases = rng.choice(vocab.BIO_PHRASES, int(rng.integers(1, 4)), replace=False)
            bio = " | ".join(phrases)
            if pii[i] < 0.05:
                bio = texts.with_pii(bio, "email")
            elif pii[i] < 0.08:
                bio = texts.with_pii(bio, "url")
            elif pii[i] < 0.09:
                bio = texts.with_pii(bio, "phone")
            elif pii[i] < 0.14:
                bio = texts.with_pii(bio, "mention", int(mention[i]))
            bios.append(ctx["scrub"](bio, p.c_region[start + i]))
        pid = p.c_pid[start:end]
        status = np.where(deleted, "deleted", np.where(p.c_private[start:end], "private", "active"))
        username = [f"deleted.{pid[i]}" if deleted[i] else p.usernames[start + i] for i in range(n)]
        yield {
            "id": _ids(start, end),
            "platform_id": pid,
            "username": username,
            "display_name": names,
            "bio": bios,
            "region_code": p.c_region[start:end],
            "language": p.c_language[start:end],
            "is_verified": p.c_verified[start:end],
            "follower_count": p.c_followers[start:end],
            "following_count": p.c_following[start:end],
            "likes_count": p.c_likes[start:end],
            "video_count": p.c_videos[start:end],
            "created_month": p.c_created[start:end],
            "status": status,
            "ingested_at": np.full(n, SNAPSHOT),
            "updated_at": np.full(n, SNAPSHOT),
        }


def _hashtags(p: SyntheticPlatform):
    yield {"id": np.arange(1, len(p.hashtags) + 1), "name": p.hashtags}


_VIDEO_COLUMNS = (
    ("id", "int"),
    ("platform_id", "int"),
    ("creator_id", "int"),
    ("create_time", "ts"),
    ("region_code", "str"),
    ("language", "str"),
    ("description", "str"),
    ("voice_to_text", "str"),
    ("duration", "int"),
    ("music_id", "int"),
    ("playlist_id", "int"),
    ("hashtag_names", "json"),
    ("effect_ids", "json"),
    ("view_count", "int"),
    ("like_count", "int"),
    ("comment_count", "int"),
    ("share_count", "int"),
    ("favorites_count", "int"),
    ("is_stem_verified", "bool"),
    ("status", "str"),
    ("ingested_at", "ts"),
    ("updated_at", "ts"),
)


def _effects_of(p: SyntheticPlatform):
    ends = np.cumsum(p.v_effect_count)
    return np.split(p.v_effects, ends[:-1]) if len(ends) else []


def _videos(p: SyntheticPlatform, ctx):
    texts = p.text_maker("video-texts")
    rng = texts.rng
    coded = p.rng("coded-texts")
    effects = _effects_of(p)
    for start, end in _spans(p.n_videos):
        n = end - start
        deleted = p.v_deleted[start:end]
        languages = p.v_language[start:end].tolist()
        words = texts.words(languages, rng.integers(5, 19, n))
        has_transcript = rng.random(n) < 0.35
        transcripts = texts.words(languages, np.where(has_transcript, rng.integers(15, 46, n), 0))
        keyword_count = np.where(p.v_keywords[start:end], rng.integers(1, 4, n), 0)
        keywords = rng.integers(0, len(vocab.EXTREMISM_KEYWORDS), (n, 3))
        code_count = np.where(p.v_code_words[start:end], coded.integers(1, 4, n), 0)
        codes = coded.integers(0, len(vocab.CODED_TERMS), (n, 3))
        pii = rng.random(n)
        mention = rng.integers(0, p.n_creators, n)
        descriptions, voice = [], []
        for i in range(n):
            if deleted[i]:
                descriptions.append("")
                voice.append("")
                continue
            text = words[i]
            for j in range(keyword_count[i]):
                text += " " + vocab.EXTREMISM_KEYWORDS[keywords[i, j]]
            for j in range(code_count[i]):
                text += " " + vocab.CODED_TERMS[codes[i, j]]
            if pii[i] < 0.08:
                text = texts.with_pii(text, "mention", int(mention[i]))
            elif pii[i] < 0.09:
                text = texts.with_pii(text, "email")
            elif pii[i] < 0.10:
                text = texts.with_pii(text, "url")
            elif pii[i] < 0.105:
                text = texts.with_pii(text, "phone")
            tags = p.v_tags[start + i]
            if tags:
                text += " " + " ".join("#" + p.hashtags[t] for t in tags)
            region = p.v_region[start + i]
            descriptions.append(ctx["scrub"](text, region))
            transcript = transcripts[i]
            if transcript and keyword_count[i] and rng.random() < 0.3:
                transcript += " " + vocab.EXTREMISM_KEYWORDS[keywords[i, 0]]
            voice.append(ctx["scrub"](transcript, region) if transcript else "")
        index = np.arange(start, end)
        status = np.where(
            deleted,
            "deleted",
            np.where(
                p.v_removed[start:end],
                "removed",
                np.where(p.v_private[start:end], "private", "public"),
            ),
        )
        tags = [
            [] if deleted[i] else [p.hashtags[t] for t in p.v_tags[start + i]] for i in range(n)
        ]
        effect_lists = [
            [] if deleted[i] else list(dict.fromkeys(effects[start + i].tolist())) for i in range(n)
        ]
        yield {
            "id": index + 1,
            "platform_id": p.v_pid[start:end],
            "creator_id": p.v_creator[start:end] + 1,
            "create_time": p.v_time[start:end],
            "region_code": p.v_region[start:end],
            "language": languages,
            "description": descriptions,
            "voice_to_text": voice,
            "duration": p.v_duration[start:end],
            "music_id": _maybe(p.v_music[start:end], p.v_music[start:end] >= 0),
            "playlist_id": _maybe(p.v_playlist[start:end], p.v_playlist[start:end] >= 0),
            "hashtag_names": tags,
            "effect_ids": effect_lists,
            "view_count": p.v_views[start:end],
            "like_count": p.v_likes[start:end],
            "comment_count": p.v_comments[start:end],
            "share_count": p.v_shares[start:end],
            "favorites_count": p.v_favorites[start:end],
            "is_stem_verified": p.v_stem[start:end],
            "status": status,
            "ingested_at": np.full(n, SNAPSHOT),
            "updated_at": np.full(n, SNAPSHOT),
        }


def _LINK_COLUMNS(target):
    return (("id", "int"), ("video_id", "int"), (target, "int"), ("create_time", "ts"))


def _video_hashtags(p: SyntheticPlatform):
    videos = [i for i in range(p.n_videos) if not p.v_deleted[i] for _ in p.v_tags[i]]
    tags = [t + 1 for i in range(p.n_videos) if not p.v_deleted[i] for t in p.v_tags[i]]
    videos, tags = np.array(videos, dtype=np.int64), np.array(tags, dtype=np.int64)
    for start, end in _spans(len(videos)):
        yield {
            "id": _ids(start, end),
            "video_id": videos[start:end] + 1,
            "hashtag_id": tags[start:end],
            "create_time": p.v_time[videos[start:end]],
        }


def _video_effects(p: SyntheticPlatform):
    pairs = [
        (i, e)
        for i, effects in enumerate(_effects_of(p))
        if not p.v_deleted[i]
        for e in dict.fromkeys(effects.tolist())
    ]
    videos = np.array([v for v, _ in pairs], dtype=np.int64)
    effects = np.array([e for _, e in pairs], dtype=np.int64)
    for start, end in _spans(len(pairs)):
        yield {
            "id": _ids(start, end),
            "video_id": videos[start:end] + 1,
            "effect_id": effects[start:end],
            "create_time": p.v_time[videos[start:end]],
        }


_COMMENT_COLUMNS = (
    ("id", "int"),
    ("platform_id", "int"),
    ("video_id", "int"),
    ("parent_id", "int"),
    ("author_id", "int"),
    ("text", "str"),
    ("like_count", "int"),
    ("reply_count", "int"),
    ("create_time", "ts"),
    ("status", "str"),
    ("ingested_at", "ts"),
    ("updated_at", "ts"),
)


def _comments(p: SyntheticPlatform, ctx):
    texts = p.text_maker("comment-texts")
    rng = texts.rng
    for start, end in _spans(len(p.m_video)):
        n = end - start
        video = p.m_video[start:end]
        deleted = p.m_deleted[start:end]
        words = texts.words(p.v_language[video].tolist(), rng.integers(2, 16, n))
        pii = rng.random(n)
        creator_of_video = p.v_creator[video]
        other = rng.integers(0, p.n_creators, n)
        body = []
        for i in range(n):
            if deleted[i]:
                body.append("")
                continue
            text = words[i]
            if pii[i] < 0.05:
                text = texts.with_pii(text, "mention", int(creator_of_video[i]))
            elif pii[i] < 0.08:
                text = texts.with_pii(text, "mention", int(other[i]))
            elif pii[i] < 0.083:
                text = texts.with_pii(text, "url")
            elif pii[i] < 0.085:
                text = texts.with_pii(text, "phone")
            elif pii[i] < 0.086:
                text = texts.with_pii(text, "email")
            body.append(ctx["scrub"](text, p.v_region[video[i]]))
        parent = p.m_parent[start:end]
        status = np.where(
            deleted, "deleted", np.where(p.m_removed[start:end], "removed", "visible")
        )
        yield {
            "id": _ids(start, end),
            "platform_id": p.m_pid[start:end],
            "video_id": video + 1,
            "parent_id": _maybe(parent + 1, parent >= 0),
            "author_id": p.m_author[start:end] + 1,
            "text": body,
            "like_count": p.m_likes[start:end],
            "reply_count": p.m_replies[start:end],
            "create_time": p.m_time[start:end],
            "status": status,
            "ingested_at": np.full(n, SNAPSHOT),
            "updated_at": np.full(n, SNAPSHOT),
        }


_FOLLOW_COLUMNS = (
    ("id", "int"),
    ("follower_id", "int"),
    ("followee_id", "int"),
    ("created_at", "ts"),
    ("ingested_at", "ts"),
)


def _follows(p: SyntheticPlatform):
    for start, end in _spans(len(p.f_follower)):
        yield {
            "id": _ids(start, end),
            "follower_id": p.f_follower[start:end] + 1,
            "followee_id": p.f_followee[start:end] + 1,
            "created_at": p.f_time[start:end],
            "ingested_at": np.full(end - start, SNAPSHOT),
        }


_ENGAGEMENT_COLUMNS = (
    ("id", "int"),
    ("creator_id", "int"),
    ("video_id", "int"),
    ("kind", "str"),
    ("created_at", "ts"),
    ("ingested_at", "ts"),
)


def _engagements(p: SyntheticPlatform):
    for start, end in _spans(len(p.e_video)):
        yield {
            "id": _ids(start, end),
            "creator_id": p.e_creator[start:end] + 1,
            "video_id": p.e_video[start:end] + 1,
            "kind": p.e_kind[start:end],
            "created_at": p.e_time[start:end],
            "ingested_at": np.full(end - start, SNAPSHOT),
        }


_DECISION_COLUMNS = (
    ("id", "int"),
    ("platform_id", "int"),
    ("target_type", "str"),
    ("video_id", "int"),
    ("comment_id", "int"),
    ("creator_id", "int"),
    ("decision_visibility", "str"),
    ("decision_account", "str"),
    ("decision_ground", "str"),
    ("category", "str"),
    ("category_keywords", "json"),
    ("policy_id", "int"),
    ("sub_policy_id", "int"),
    ("source_type", "str"),
    ("detection_method", "str"),
    ("automated_detection", "bool"),
    ("automated_decision", "str"),
    ("content_language", "str"),
    ("market", "str"),
    ("territorial_scope", "json"),
    ("content_created_at", "ts"),
    ("first_detected_at", "ts"),
    ("first_reported_at", "ts"),
    ("actioned_at", "ts"),
    ("views_at_action", "int"),
    ("appeal_filed_at", "ts"),
    ("appeal_outcome", "str"),
    ("appeal_decided_at", "ts"),
    ("reinstated_at", "ts"),
    ("ingested_at", "ts"),
    ("updated_at", "ts"),
)


def _decision_count(p: SyntheticPlatform) -> int:
    return (
        len(p.video_decisions["video"])
        + len(p.comment_decisions["comment"])
        + len(p.account_decisions["creator"])
    )


def _all_decisions(p: SyntheticPlatform) -> dict:
    """The three kinds of decision as one set of columns, in the order they were taken."""
    v, c, a = p.video_decisions, p.comment_decisions, p.account_decisions
    nv, nc, na = len(v["video"]), len(c["comment"]), len(a["creator"])
    comment_video = p.m_video[c["comment"]]
    none = np.full(na, -1)
    columns = {
        "target_type": np.concatenate(
            [
                np.full(nv, "video", object),
                np.full(nc, "comment", object),
                np.full(na, "account", object),
            ]
        ),
        "video": np.concatenate([v["video"], np.full(nc, -1), none]),
        "comment": np.concatenate([np.full(nv, -1), c["comment"], none]),
        "creator": np.concatenate(
            [p.v_creator[v["video"]], p.m_author[c["comment"]], a["creator"]]
        ),
        "visibility": np.concatenate([v["visibility"], c["visibility"], np.full(na, "", object)]),
        "account": np.concatenate([np.full(nv + nc, "", object), a["account"]]),
        "policy": np.concatenate([v["policy"], c["policy"], a["policy"]]),
        "cluster": np.concatenate(
            [p.v_cluster[v["video"]], p.v_cluster[comment_video], p.c_cluster[a["creator"]]]
        ),
        "language": np.concatenate(
            [p.v_language[v["video"]], p.v_language[comment_video], p.c_language[a["creator"]]]
        ),
        "market": np.concatenate(
            [p.v_region[v["video"]], p.v_region[comment_video], p.c_region[a["creator"]]]
        ),
    }
    account_timing = {
        "method": np.full(na, "CLASSIFIER", object),
        "source": np.full(na, "SOURCE_VOLUNTARY", object),
        "automation": np.full(na, "PARTIALLY", object),
        "created": p.c_created[a["creator"]],
        "detected": a["detected"],
        "actioned": a["actioned"],
        "reported": none,
        "views": np.zeros(na, np.int64),
        "filed": none,
        "outcome": np.full(na, "", object),
        "decided": none,
        "reinstated_at": none,
    }
    for key in account_timing:
        columns[key] = np.concatenate([v[key], c[key], account_timing[key]])
    order = np.argsort(columns["actioned"], kind="stable")
    return {key: value[order] for key, value in columns.items()}


def _decisions(p: SyntheticPlatform, ctx):
    d = _all_decisions(p)
    rng = p.rng("decision-details")
    policy_ids = ctx["policy_ids"]
    total = len(d["actioned"])
    illegal_share = {"violent_hateful_orgs": 0.3, "hate_speech": 0.15}
    for start, end in _spans(total):
        n = end - start
        policy = d["policy"][start:end]
        cluster = d["cluster"][start:end]
        sub = [
            (_CLUSTER_SUB_POLICIES.get(code) if cluster[i] else None) or _POLICY[code][2]
            for i, code in enumerate(policy)
        ]
        sub_pick = rng.random(n)
        illegal = rng.random(n) < np.array([illegal_share.get(code, 0.04) for code in policy])
        market = d["market"][start:end]
        method = d["method"][start:end]
        yield {
            "id": _ids(start, end),
            "platform_id": (d["actioned"][start:end].astype(np.int64) << 32) | _ids(start, end),
            "target_type": d["target_type"][start:end],
            "video_id": _maybe(d["video"][start:end] + 1, d["video"][start:end] >= 0),
            "comment_id": _maybe(d["comment"][start:end] + 1, d["comment"][start:end] >= 0),
            "creator_id": d["creator"][start:end] + 1,
            "decision_visibility": d["visibility"][start:end],
            "decision_account": d["account"][start:end],
            "decision_ground": np.where(illegal, "ILLEGAL_CONTENT", "INCOMPATIBLE_CONTENT"),
            "category": [_POLICY[code][0] for code in policy],
            "category_keywords": [[_POLICY[code][1]] for code in policy],
            "policy_id": [policy_ids[code] for code in policy],
            "sub_policy_id": [policy_ids[s[int(sub_pick[i] * len(s))]] for i, s in enumerate(sub)],
            "source_type": d["source"][start:end],
            "detection_method": method,
            "automated_detection": np.isin(method, [str(m) for m in AUTOMATED_DETECTION_METHODS]),
            "automated_decision": d["automation"][start:end],
            "content_language": d["language"][start:end],
            "market": market,
            "territorial_scope": [
                sorted(vocab.EU_MEMBERS) if m in vocab.EU_MEMBERS else [m] for m in market
            ],
            "content_created_at": d["created"][start:end],
            "first_detected_at": d["detected"][start:end],
            "first_reported_at": _maybe(d["reported"][start:end], d["reported"][start:end] >= 0),
            "actioned_at": d["actioned"][start:end],
            "views_at_action": d["views"][start:end],
            "appeal_filed_at": _maybe(d["filed"][start:end], d["filed"][start:end] >= 0),
            "appeal_outcome": d["outcome"][start:end],
            "appeal_decided_at": _maybe(d["decided"][start:end], d["decided"][start:end] >= 0),
            "reinstated_at": _maybe(
                d["reinstated_at"][start:end], d["reinstated_at"][start:end] >= 0
            ),
            "ingested_at": np.full(n, SNAPSHOT),
            "updated_at": np.full(n, SNAPSHOT),
        }


_TOMBSTONE_COLUMNS = (
    ("id", "int"),
    ("entity", "str"),
    ("object_id", "int"),
    ("platform_id", "int"),
    ("deleted_at", "ts"),
    ("recorded_at", "ts"),
)


def _tombstones(p: SyntheticPlatform):
    rng = p.rng("deletions")
    creators = np.flatnonzero(p.c_deleted)
    creator_deleted_at = np.full(p.n_creators, END, dtype=np.int64)
    creator_deleted_at[creators] = END - rng.integers(DAY, 60 * DAY, len(creators))
    videos = np.flatnonzero(p.v_deleted)
    video_deleted_at = np.minimum(
        np.maximum(
            p.v_time[videos] + rng.integers(3_600, 90 * DAY, len(videos)), p.v_time[videos] + 1
        ),
        np.where(p.c_deleted[p.v_creator[videos]], creator_deleted_at[p.v_creator[videos]], END),
    )
    comments = np.flatnonzero(p.m_deleted)
    entity = np.concatenate(
        [
            np.full(len(creators), "creator", object),
            np.full(len(videos), "video", object),
            np.full(len(comments), "comment", object),
        ]
    )
    object_ids = np.concatenate([creators, videos, comments]) + 1
    platform_ids = np.concatenate([p.c_pid[creators], p.v_pid[videos], p.m_pid[comments]])
    deleted_at = np.concatenate(
        [creator_deleted_at[creators], video_deleted_at, creator_deleted_at[p.m_author[comments]]]
    )
    created = np.concatenate([p.c_created[creators], p.v_time[videos], p.m_time[comments]])
    deleted_at = np.clip(deleted_at, created + 1, END)
    for start, end in _spans(len(entity)):
        yield {
            "id": _ids(start, end),
            "entity": entity[start:end],
            "object_id": object_ids[start:end],
            "platform_id": platform_ids[start:end],
            "deleted_at": deleted_at[start:end],
            "recorded_at": np.full(end - start, SNAPSHOT),
        }
