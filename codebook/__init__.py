"""The codebook: every resource and field a researcher can receive, in one place.

docs/codebook.md is rendered from this (`manage.py codebook > docs/codebook.md`; a test
keeps them equal), so the documentation cannot drift from what is described here, and each
field names the model column it comes from (a test checks the columns exist). It sits below
every app: accounts grants its datasets, the research endpoints return its fields.
"""

from codebook.compliance import DELETION, VALIDATION
from codebook.fields import Field, Resource
from codebook.moderation import DECISION
from codebook.platform import COMMENT, FOLLOW, FOLLOW_EDGE, USER, VIDEO
from codebook.project import EXPORT, PROJECT, USAGE
from codebook.scopes import SCOPE_DESCRIPTIONS, Scope
from codebook.statistics import STATISTICS
from core.errors import ErrorCode

__all__ = [
    "COMMENT",
    "DECISION",
    "DELETION",
    "EXPORT",
    "FOLLOW",
    "FOLLOW_EDGE",
    "PROJECT",
    "STATISTICS",
    "USAGE",
    "USER",
    "VALIDATION",
    "VIDEO",
    "Field",
    "Resource",
    "Scope",
]

# What a project can be granted, each a dataset; then what every project receives about itself.
DATASET_RESOURCES = (VIDEO, COMMENT, USER, FOLLOW, DECISION, DELETION)
RESOURCES = (*DATASET_RESOURCES, STATISTICS, FOLLOW_EDGE, VALIDATION, EXPORT, USAGE, PROJECT)

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
    (
        "2026-11-30",
        "Every field TikTok documents is accepted: favourites_count, hashtag_info_list and "
        "video_mention_list have values; sticker_info_list, effect_info_list, video_label, "
        "video_tag, avatar_url and bio_url are always null. Reposted videos come under "
        "`reposted_videos`, the key TikTok's clients read. A JSON body is read whatever its "
        "Content-Type; a null cursor is the first page. A dataset the project was not "
        "granted is refused with `dataset_not_granted`.",
    ),
    (
        "2026-11-30",
        "Moderation decisions are served by POST /v2/research/moderation/decision/query/ "
        "(scope research.data.moderation), with the decided video's metadata (video_*).",
    ),
    (
        "2026-11-30",
        "Exports (POST /v2/research/export/): videos, comments, accounts, follow edges and "
        "decisions to CSV, JSON Lines or Parquet; the export resource; the follow_edge "
        "resource. Deletion compliance: GET /v2/research/compliance/deletions/ (deletion "
        "gains recorded_at) and TikTok's batch validation (the validation_task resource).",
    ),
    (
        "2026-11-30",
        "Moderation statistics (POST /v2/research/moderation/stats/, scope research.stats): "
        "the moderation_statistics resource, each metric's definition, small-cell and "
        "complementary suppression, differential privacy with a per-project budget "
        "(privacy_budget in usage; error privacy_budget_exhausted). The decision query "
        "gains the target_type query field.",
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
        "scopes": [{"name": name, "unlocks": text} for name, text in SCOPE_DESCRIPTIONS.items()],
        "changelog": [{"date": day, "change": change} for day, change in CHANGELOG],
    }


def render_markdown() -> str:
    lines = [
        "# Codebook",
        "",
        "Every field a researcher can receive from Research API: its type, meaning, how it is "
        "anonymised and which records carry it. Rendered from the `codebook` package by "
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
        *[f"| `{scope}` | {description} |" for scope, description in SCOPE_DESCRIPTIONS.items()],
        "",
    ]
    for resource in RESOURCES:
        lines += [
            f"## {resource.name}",
            "",
            resource.description,
            "",
            "Returned by: " + ", ".join(f"`{e}`" for e in resource.endpoints)
            if resource.endpoints
            else "Returned by no endpoint yet: a project can be granted this dataset, and the "
            "fields below are what it will receive.",
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
