"""The codebook: every resource and field a researcher can receive, in one place.

docs/codebook.md is rendered from this (`manage.py codebook > docs/codebook.md`; a test
keeps them equal), so the documentation cannot drift from what is described here, and each
field names the model column it comes from (a test checks the columns exist).
"""

from dataclasses import dataclass

from research_api.errors import ErrorCode

PSEUDONYM = (
    "per-project pseudonym: a keyed, invertible permutation of the internal id, stable "
    "within your project and unlinkable to other projects' ids"
)
USERNAME_PSEUDONYM = (
    "per-project pseudonym of the account (derived from its internal id, not its handle)"
)
SCRUBBED = (
    "scrubbed at ingestion: e-mail addresses, phone numbers and URLs replaced by [EMAIL], "
    "[PHONE], [URL]; @mentions rendered as @ + your pseudonym of the mentioned account, or "
    "[MENTION] if the account is unknown; control characters removed"
)
UNIX = "int64, Unix seconds (UTC)"


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    description: str
    source: str  # "app.Model.field" it is read from, or "settings.NAME"
    anonymisation: str = "none"
    coverage: str = "every record"


@dataclass(frozen=True)
class Resource:
    name: str
    description: str
    endpoints: tuple[str, ...]
    fields: tuple[Field, ...]


_COUNT = "int64 (64-bit: never wraps at 2^31)"

VIDEO = Resource(
    "video",
    "A public video, as returned by video queries and by the liked, pinned and reposted "
    "video lists. Removed, private and deleted videos are not returned by queries.",
    (
        "/v2/research/video/query/",
        "/v2/research/user/liked_videos/",
        "/v2/research/user/pinned_videos/",
        "/v2/research/user/reposted_videos/",
    ),
    (
        Field("id", "int64", "The video.", "catalog.Video.id", PSEUDONYM),
        Field("create_time", UNIX, "When the video was posted.", "catalog.Video.create_time"),
        Field(
            "username",
            "string",
            "The account that posted it.",
            "catalog.Video.creator",
            USERNAME_PSEUDONYM,
        ),
        Field(
            "region_code",
            "string, ISO 3166-1 alpha-2",
            "Region the video was posted from, as the platform records it.",
            "catalog.Video.region_code",
        ),
        Field(
            "video_description",
            "string",
            "The caption, hashtags included.",
            "catalog.Video.description",
            SCRUBBED,
        ),
        Field(
            "voice_to_text",
            "string",
            "Automatic transcript of the speech in the video.",
            "catalog.Video.voice_to_text",
            SCRUBBED,
            "only videos with speech the platform transcribed (about a third); empty "
            "string otherwise",
        ),
        Field("video_duration", "int, seconds", "Length of the video.", "catalog.Video.duration"),
        Field(
            "music_id",
            "int64 or null",
            "The sound used (platform catalogue id).",
            "catalog.Video.music_id",
            coverage="videos with a sound (about 85%)",
        ),
        Field(
            "effect_ids",
            "list of int64",
            "Effects used (platform catalogue ids).",
            "catalog.Video.effect_ids",
            coverage="empty list when none (about 75%)",
        ),
        Field(
            "playlist_id",
            "int64 or null",
            "The creator's playlist the video is in.",
            "catalog.Video.playlist_id",
            coverage="videos in a playlist (about 5%)",
        ),
        Field(
            "hashtag_names",
            "list of string",
            "Hashtags, lower case, without '#'.",
            "catalog.Video.hashtag_names",
        ),
        Field(
            "view_count",
            _COUNT,
            "Views. For a video later removed, frozen at removal.",
            "catalog.Video.view_count",
        ),
        Field("like_count", _COUNT, "Likes.", "catalog.Video.like_count"),
        Field(
            "comment_count",
            _COUNT,
            "Comments, replies included; equals what the comment "
            "list returns, deleted comments aside.",
            "catalog.Video.comment_count",
        ),
        Field("share_count", _COUNT, "Shares.", "catalog.Video.share_count"),
        Field(
            "favorites_count", _COUNT, "Times saved to favourites.", "catalog.Video.favorites_count"
        ),
        Field(
            "is_stem_verified",
            "bool",
            "Verified as science, technology, engineering or mathematics content.",
            "catalog.Video.is_stem_verified",
        ),
        Field(
            "language",
            "string, ISO 639-1/639-3",
            "Main language of the video (extension to TikTok's fields).",
            "catalog.Video.language",
        ),
    ),
)

COMMENT = Resource(
    "comment",
    "A visible comment or reply. The author is never returned.",
    ("/v2/research/video/comment/list/",),
    (
        Field("id", "int64", "The comment.", "catalog.Comment.id", PSEUDONYM),
        Field(
            "video_id", "int64", "The video it was posted on.", "catalog.Comment.video", PSEUDONYM
        ),
        Field("text", "string", "The comment.", "catalog.Comment.text", SCRUBBED),
        Field("like_count", _COUNT, "Likes.", "catalog.Comment.like_count"),
        Field("reply_count", _COUNT, "Direct replies.", "catalog.Comment.reply_count"),
        Field(
            "parent_comment_id",
            "int64 or null",
            "The comment this one replies to; null for a top-level comment.",
            "catalog.Comment.parent",
            PSEUDONYM,
        ),
        Field("create_time", UNIX, "When it was posted.", "catalog.Comment.create_time"),
    ),
)

USER = Resource(
    "user",
    "An account's public profile. Accounts are looked up by their pseudonymous username.",
    ("/v2/research/user/info/",),
    (
        Field("username", "string", "The account.", "catalog.Creator.id", USERNAME_PSEUDONYM),
        Field(
            "display_name",
            "string",
            "Name shown on the profile.",
            "catalog.Creator.display_name",
            SCRUBBED,
        ),
        Field(
            "bio_description",
            "string",
            "Profile text.",
            "catalog.Creator.bio",
            SCRUBBED,
            "empty string when the account has none (about 40%)",
        ),
        Field("is_verified", "bool", "Verified account.", "catalog.Creator.is_verified"),
        Field(
            "follower_count",
            _COUNT,
            "Followers; equals what the follower list returns.",
            "catalog.Creator.follower_count",
        ),
        Field(
            "following_count",
            _COUNT,
            "Accounts followed; equals the following list.",
            "catalog.Creator.following_count",
        ),
        Field(
            "likes_count",
            _COUNT,
            "Likes received on the account's videos.",
            "catalog.Creator.likes_count",
        ),
        Field(
            "video_count", _COUNT, "Videos posted and not deleted.", "catalog.Creator.video_count"
        ),
        Field(
            "region_code",
            "string, ISO 3166-1 alpha-2",
            "Region of the account (extension).",
            "catalog.Creator.region_code",
        ),
        Field(
            "created_month",
            "string, YYYY-MM",
            "Month the account was created; coarsened to the month (extension).",
            "catalog.Creator.created_month",
            "coarsened from the exact time",
        ),
    ),
)

FOLLOW = Resource(
    "follow",
    "One edge of the follow graph: who follows an account, or whom it follows. Lists are "
    "complete, however long.",
    ("/v2/research/user/followers/", "/v2/research/user/following/"),
    (
        Field(
            "username",
            "string",
            "The follower (or followed) account.",
            "catalog.Follow.follower",
            USERNAME_PSEUDONYM,
        ),
        Field(
            "display_name", "string", "Its display name.", "catalog.Creator.display_name", SCRUBBED
        ),
        Field(
            "create_time", UNIX, "When the follow began (extension).", "catalog.Follow.created_at"
        ),
    ),
)

DECISION = Resource(
    "moderation_decision",
    "A moderation decision, one per action taken, shaped like a statement of reasons of the "
    "EU DSA Transparency Database (enumeration keys without their prefixes). Who reported "
    "the content and who decided are never stored.",
    ("/v2/research/moderation/decisions/",),
    (
        Field("id", "int64", "The decision.", "moderation.Decision.id", PSEUDONYM),
        Field(
            "target_type",
            "string: video, comment, account",
            "What was actioned.",
            "moderation.Decision.target_type",
        ),
        Field(
            "video_id",
            "int64 or null",
            "The video, for decisions on videos.",
            "moderation.Decision.video",
            PSEUDONYM,
        ),
        Field(
            "comment_id",
            "int64 or null",
            "The comment, for decisions on comments.",
            "moderation.Decision.comment",
            PSEUDONYM,
        ),
        Field(
            "username",
            "string",
            "The account whose content, or which account, was actioned.",
            "moderation.Decision.creator",
            USERNAME_PSEUDONYM,
        ),
        Field(
            "decision_visibility",
            "string or empty",
            "CONTENT_REMOVED, CONTENT_DISABLED, "
            "CONTENT_DEMOTED, CONTENT_AGE_RESTRICTED, CONTENT_INTERACTION_RESTRICTED, "
            "CONTENT_LABELLED or OTHER.",
            "moderation.Decision.decision_visibility",
            coverage="decisions on content; empty for account-only decisions",
        ),
        Field(
            "decision_account",
            "string or empty",
            "SUSPENDED or TERMINATED.",
            "moderation.Decision.decision_account",
            coverage="decisions on accounts; empty otherwise",
        ),
        Field(
            "decision_ground",
            "string",
            "ILLEGAL_CONTENT or INCOMPATIBLE_CONTENT (with the terms of service).",
            "moderation.Decision.decision_ground",
        ),
        Field(
            "category",
            "string",
            "One of the 16 DSA categories, e.g. "
            "RISK_FOR_PUBLIC_SECURITY, ILLEGAL_OR_HARMFUL_SPEECH.",
            "moderation.Decision.category",
        ),
        Field(
            "category_keywords",
            "list of string",
            "DSA keywords specifying the category, e.g. TERRORIST_CONTENT, HATE_SPEECH.",
            "moderation.Decision.category_keywords",
        ),
        Field(
            "policy",
            "string",
            "The platform's policy (code), e.g. violent_hateful_orgs.",
            "moderation.Decision.policy",
        ),
        Field(
            "sub_policy",
            "string or null",
            "The sub-policy (code), e.g. violent_extremism.",
            "moderation.Decision.sub_policy",
        ),
        Field(
            "source_type",
            "string",
            "SOURCE_ARTICLE_16 (notice), SOURCE_TRUSTED_FLAGGER, "
            "SOURCE_TYPE_OTHER_NOTIFICATION or SOURCE_VOLUNTARY (own initiative).",
            "moderation.Decision.source_type",
        ),
        Field(
            "detection_method",
            "string",
            "CLASSIFIER, HASH_MATCH (shared database of known "
            "content), USER_REPORT, TRUSTED_FLAGGER or AUTHORITY_ORDER.",
            "moderation.Decision.detection_method",
        ),
        Field(
            "automated_detection",
            "bool",
            "Detected by automated means (true exactly for CLASSIFIER and HASH_MATCH).",
            "moderation.Decision.automated_detection",
        ),
        Field(
            "automated_decision",
            "string",
            "FULLY, PARTIALLY or NOT_AUTOMATED.",
            "moderation.Decision.automated_decision",
        ),
        Field(
            "content_language",
            "string, ISO 639-1/639-3",
            "Language of the content.",
            "moderation.Decision.content_language",
        ),
        Field(
            "market",
            "string, ISO 3166-1 alpha-2",
            "Market where the decision was taken.",
            "moderation.Decision.market",
        ),
        Field(
            "territorial_scope",
            "list of string",
            "Countries where the restriction applies.",
            "moderation.Decision.territorial_scope",
        ),
        Field(
            "content_created_at",
            UNIX,
            "When the content (or account) was created.",
            "moderation.Decision.content_created_at",
        ),
        Field(
            "first_detected_at",
            UNIX,
            "When the platform first detected it.",
            "moderation.Decision.first_detected_at",
        ),
        Field(
            "first_reported_at",
            f"{UNIX}, or null",
            "First user report; null when never "
            "reported. A decision is proactive when this is null or after actioned_at.",
            "moderation.Decision.first_reported_at",
            coverage="reported content only",
        ),
        Field(
            "actioned_at", UNIX, "When the decision was applied.", "moderation.Decision.actioned_at"
        ),
        Field(
            "views_at_action",
            _COUNT,
            "Views when actioned (0: removed before any view).",
            "moderation.Decision.views_at_action",
            coverage="decisions on videos; 0 otherwise",
        ),
        Field(
            "appeal_filed_at",
            f"{UNIX}, or null",
            "When the account holder appealed.",
            "moderation.Decision.appeal_filed_at",
            coverage="appealed decisions",
        ),
        Field(
            "appeal_outcome",
            "string or empty",
            "UPHELD or REVERSED.",
            "moderation.Decision.appeal_outcome",
            coverage="decided appeals",
        ),
        Field(
            "appeal_decided_at",
            f"{UNIX}, or null",
            "When the appeal was decided.",
            "moderation.Decision.appeal_decided_at",
            coverage="decided appeals",
        ),
        Field(
            "reinstated_at",
            f"{UNIX}, or null",
            "When the content was restored.",
            "moderation.Decision.reinstated_at",
            coverage="reinstated content",
        ),
    ),
)

DELETION = Resource(
    "deletion",
    "An item deleted on the platform, for purging it from your copies. The content itself is "
    "erased from this service when the deletion arrives.",
    ("/v2/research/compliance/deletions/",),
    (
        Field(
            "entity",
            "string: creator, video, comment",
            "What was deleted.",
            "compliance.Tombstone.entity",
        ),
        Field(
            "id",
            "int64 or string",
            "The deleted item: your pseudonymous id, or your pseudonymous username for an account.",
            "compliance.Tombstone.object_id",
            PSEUDONYM,
        ),
        Field(
            "deleted_at",
            UNIX,
            "When it was deleted on the platform.",
            "compliance.Tombstone.deleted_at",
        ),
    ),
)

_PER_FAMILY = "one per endpoint family: `videos`, `graph`"
_OWN = "none (your project's own terms and use)"
_HISTORY = "60 entries (30 days x 2 families)"


def _own(name: str, type_: str, description: str, source: str, coverage="every record"):
    return Field(name, type_, description, source, _OWN, coverage)


def _family(name: str, type_: str, description: str, source: str):
    return _own(f"families.<family>.{name}", type_, description, source, _PER_FAMILY)


USAGE = Resource(
    "usage",
    "Your project's use of its daily quotas, which reset at 00:00 UTC and are shared by all "
    "its members and clients. Families: `videos` (video query, comments, user info, liked, "
    "pinned and reposted videos) and `graph` (followers, following). Failed requests are "
    "never charged. Reading it is not charged either.",
    ("/v2/research/usage/",),
    (
        _own("date", "string, YYYY-MM-DD (UTC)", "Today.", "quotas.DailyUsage.day"),
        _own(
            "resets_at",
            "string, RFC 3339 (UTC)",
            "The next 00:00 UTC, when the daily quotas reset.",
            "quotas.DailyUsage.day",
        ),
        _family(
            "endpoints",
            "string",
            "Which endpoints spend this family's quotas.",
            "quotas.DailyUsage.family",
        ),
        _family(
            "requests.used",
            "int64",
            "Requests charged today (successful ones only).",
            "quotas.DailyUsage.requests",
        ),
        _family(
            "requests.limit",
            "int64",
            "The daily request quota a reviewer set (default 1,000 for videos, 20,000 for graph).",
            "accounts.Project.daily_requests",
        ),
        _family(
            "requests.remaining",
            "int64",
            "Requests left today: limit minus used, never below 0.",
            "quotas.DailyUsage.requests",
        ),
        _family("records.used", "int64", "Records returned today.", "quotas.DailyUsage.records"),
        _family(
            "records.limit",
            "int64",
            "The daily record quota (default 100,000 for videos, 2,000,000 for graph).",
            "accounts.Project.daily_records",
        ),
        _family(
            "records.remaining",
            "int64",
            "Records left today; a page is cut to them.",
            "quotas.DailyUsage.records",
        ),
        _own(
            "burst.requests",
            "int64",
            "At most this many requests per client in each burst window.",
            "settings.RESEARCH_API_BURST_REQUESTS",
        ),
        _own(
            "burst.seconds",
            "int64",
            "The burst window's length.",
            "settings.RESEARCH_API_BURST_SECONDS",
        ),
        _own(
            "burst.per",
            "string",
            "Whose requests the burst limit counts: always `client`.",
            "quotas.BurstWindow.client_id",
        ),
        _own(
            "history[].date",
            "string, YYYY-MM-DD (UTC)",
            "A day of the last 30, oldest first; days without use are included.",
            "quotas.DailyUsage.day",
            _HISTORY,
        ),
        _own(
            "history[].family",
            "string",
            "`videos` or `graph`.",
            "quotas.DailyUsage.family",
            _HISTORY,
        ),
        _own(
            "history[].requests",
            "int64",
            "Requests charged that day in that family.",
            "quotas.DailyUsage.requests",
            _HISTORY,
        ),
        _own(
            "history[].records",
            "int64",
            "Records returned that day in that family.",
            "quotas.DailyUsage.records",
            _HISTORY,
        ),
    ),
)

PROJECT = Resource(
    "project",
    "What your project was granted, as the calling token sees it.",
    ("/v2/research/project/info/",),
    (
        _own("project.id", "string (UUID)", "Your project.", "accounts.Project.id"),
        _own("project.title", "string", "Its title.", "accounts.Project.title"),
        _own("project.kind", "string", "`researcher` or `auditor`.", "accounts.Project.kind"),
        _own(
            "project.status",
            "string",
            "`active`, `suspended` or `revoked`; tokens work only while it is active.",
            "accounts.Project.status",
        ),
        _own(
            "project.scopes",
            "list of strings",
            "The scopes the calling token carries (see Scopes).",
            "accounts.Project.scopes",
        ),
        _own(
            "project.datasets",
            "list of strings",
            "The datasets granted.",
            "accounts.Project.datasets",
        ),
        _own(
            "project.daily_requests",
            "int64",
            "Daily request quota of the videos family.",
            "accounts.Project.daily_requests",
        ),
        _own(
            "project.daily_records",
            "int64",
            "Daily record quota of the videos family.",
            "accounts.Project.daily_records",
        ),
        _own(
            "project.graph_daily_requests",
            "int64",
            "Daily request quota of the graph family (followers, following).",
            "accounts.Project.graph_daily_requests",
        ),
        _own(
            "project.graph_daily_records",
            "int64",
            "Daily record quota of the graph family.",
            "accounts.Project.graph_daily_records",
        ),
        _own(
            "project.access_start",
            "string, YYYY-MM-DD (UTC)",
            "First day of access.",
            "accounts.Project.access_start",
        ),
        _own(
            "project.access_end",
            "string, YYYY-MM-DD (UTC)",
            "Last day of access (inclusive).",
            "accounts.Project.access_end",
        ),
    ),
)

# What a project can be granted, each a dataset; then what every project receives about itself.
DATASET_RESOURCES = (VIDEO, COMMENT, USER, FOLLOW, DECISION, DELETION)
RESOURCES = (*DATASET_RESOURCES, USAGE, PROJECT)

CHANGELOG = (
    (
        "2026-11-22",
        "First edition: videos, comments, users, follows, moderation decisions and deletions;"
        " the OAuth scopes.",
    ),
    (
        "2026-11-22",
        "Usage and quotas: the usage and project resources, RateLimit headers, "
        "query_timeout errors.",
    ),
)


def as_json() -> dict:
    """The codebook for /v2/research/catalogue/."""
    return {
        "resources": [
            {
                "name": r.name,
                "description": r.description,
                "endpoints": list(r.endpoints),
                "fields": [
                    {
                        "name": f.name,
                        "type": f.type,
                        "description": f.description,
                        "anonymisation": f.anonymisation,
                        "coverage": f.coverage,
                    }
                    for f in r.fields
                ],
            }
            for r in RESOURCES
        ],
        "scopes": [{"name": name, "unlocks": text} for name, text in _scopes().items()],
        "changelog": [{"date": day, "change": change} for day, change in CHANGELOG],
    }


def _scopes() -> dict[str, str]:
    from accounts.access import SCOPE_DESCRIPTIONS  # accounts.access reads this module

    return SCOPE_DESCRIPTIONS


def render_markdown() -> str:
    lines = [
        "# Codebook",
        "",
        "Every field a researcher can receive from Research API: its type, meaning, how it is "
        "anonymised and which records carry it. Rendered from `research/codebook.py` by "
        "`python manage.py codebook`; do not edit by hand.",
        "",
        "General rules:",
        "",
        "- Every id and username is a **per-project pseudonym**. The same video has the same "
        "id for every member of your project and a different id in every other project; ids "
        "from another project find nothing.",
        "- Texts are **scrubbed at ingestion** (see `video_description`).",
        "- Counts are 64-bit integers. Times are Unix seconds in UTC.",
        "- Coverage percentages describe the synthetic platform the service ships with; a "
        "deployment's own data may differ.",
        "",
        "## Every response",
        "",
        "- `data_as_of` (body) and `X-Data-As-Of` (header): when the data the answer reflects "
        "was received (RFC 3339). A search keeps the snapshot it started with.",
        "- `error.code`: " + ", ".join(f"`{code}`" for code in ErrorCode) + "; "
        "`error.log_id` identifies the request when you report a problem.",
        "- `RateLimit-Policy` and `RateLimit` (IETF draft): every limit the request is subject "
        "to, by name (`videos-requests`, `videos-records`, `graph-requests`, "
        "`graph-records`, `burst`), with its quota `q`, window `w` (seconds), remaining `r` "
        "and seconds to reset `t`. `X-RateLimit-Limit`, `X-RateLimit-Remaining`, "
        "`X-RateLimit-Reset` (Unix time) and `X-RateLimit-Resource` describe the limit "
        "nearest to running out. Over a limit: HTTP 429, `rate_limit_exceeded`, a message "
        "naming the limit and when it resets, and `Retry-After` (seconds).",
        "",
        "## Scopes",
        "",
        "A project's token carries the OAuth scopes its approval granted; each endpoint needs "
        "one. Ask `POST /v2/research/project/info/` what your token carries.",
        "",
        "| scope | unlocks |",
        "|---|---|",
        *[f"| `{scope}` | {description} |" for scope, description in _scopes().items()],
        "",
    ]
    for resource in RESOURCES:
        lines += [
            f"## {resource.name}",
            "",
            resource.description,
            "",
            "Returned by: " + ", ".join(f"`{e}`" for e in resource.endpoints),
            "",
            "| field | type | meaning | anonymisation | coverage |",
            "|---|---|---|---|---|",
        ]
        lines += [
            f"| `{f.name}` | {f.type} | {f.description} | {f.anonymisation} | {f.coverage} |"
            for f in resource.fields
        ]
        lines.append("")
    lines += ["## Changelog", ""]
    lines += [f"- {day}: {change}" for day, change in CHANGELOG]
    return "\n".join(lines) + "\n"
