"""What a project receives about itself: its usage of quotas and its grant."""

from codebook.fields import Field, Resource

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
        _own(
            "privacy_budget.rho_total",
            "float",
            "What your project's differentially private statistics may spend in all "
            "(zero-concentrated DP rho), set by reviewers.",
            "accounts.Project.privacy_budget_rho",
        ),
        _own(
            "privacy_budget.rho_spent",
            "float",
            "What your private answers spent (repeated questions cost nothing).",
            "quotas.PrivacySpend.spent",
        ),
        _own(
            "privacy_budget.rho_left",
            "float",
            "Total minus spent: a private answer costing more is refused.",
            "quotas.PrivacySpend.spent",
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


def _export(name: str, type_: str, description: str, source: str, coverage="every export"):
    return _own(f"export.{name}", type_, description, source, coverage)


EXPORT = Resource(
    "export",
    "An export of your project: a search written to a file in the background, and the file's "
    "signed download link. POST /v2/research/export/ answers with it (202), GET "
    "/v2/research/export/<id>/ shows it; the list has the newest 100 under `exports`.",
    ("/v2/research/export/",),
    (
        _export("id", "string (UUID)", "The export.", "exports.Export.id"),
        _export(
            "resource",
            "string",
            "videos, comments, accounts, follow_edges or moderation_decisions.",
            "exports.Export.resource",
        ),
        _export("format", "string", "csv, jsonl or parquet.", "exports.Export.format"),
        _export(
            "status",
            "string",
            "queued, running, succeeded, failed, cancelled, or expired (files deleted).",
            "exports.Export.status",
        ),
        _export(
            "fields", "list of string", "The fields written, in order.", "exports.Export.fields"
        ),
        _export(
            "query",
            "object",
            "The query, window, is_random and max_records as sent.",
            "exports.Export.request",
        ),
        _export(
            "reserved_records",
            "int64",
            "Records reserved from the day's quota when the export was created; what it does "
            "not write is given back.",
            "exports.Export.reserved_records",
        ),
        _export(
            "rows_written",
            "int64",
            "Records written so far; when it succeeded, what was charged.",
            "exports.Export.rows_written",
        ),
        _export(
            "estimated_total",
            "int64 or null",
            "About how many records it will write (the planner's estimate on PostgreSQL).",
            "exports.Export.estimated_total",
        ),
        _export(
            "truncated",
            "bool",
            "More records matched than were reserved.",
            "exports.Export.truncated",
        ),
        _export("error", "string", "Why it failed; empty otherwise.", "exports.Export.error"),
        _export(
            "created_at", "string, RFC 3339", "When it was asked for.", "exports.Export.created_at"
        ),
        _export(
            "started_at",
            "string, RFC 3339, or null",
            "When a worker took it up (again, after a worker was lost).",
            "exports.Export.started_at",
        ),
        _export(
            "finished_at",
            "string, RFC 3339, or null",
            "When it succeeded, failed or was cancelled.",
            "exports.Export.finished_at",
        ),
        _export(
            "expires_at",
            "string, RFC 3339, or null",
            "When its files will be deleted (settings.RESEARCH_API_EXPORT_RETENTION_DAYS).",
            "exports.Export.expires_at",
        ),
        _export(
            "files[].name",
            "string",
            "The file's name.",
            "exports.ExportFile.name",
            "succeeded exports",
        ),
        _export("files[].size", "int64", "Bytes.", "exports.ExportFile.size", "succeeded exports"),
        _export(
            "files[].rows",
            "int64",
            "Records in it.",
            "exports.ExportFile.rows",
            "succeeded exports",
        ),
        _export(
            "files[].sha256",
            "string",
            "SHA-256 of the file, hex: check your download against it.",
            "exports.ExportFile.sha256",
            "succeeded exports",
        ),
        _export(
            "files[].url",
            "string",
            "A signed link that downloads it without a token (HEAD and byte ranges too); "
            "anyone holding it can, until it expires.",
            "exports.ExportFile.name",
            "succeeded exports",
        ),
        _export(
            "files[].url_expires_at",
            "string, RFC 3339",
            "When the link stops working; GET the export for a fresh one.",
            "settings.RESEARCH_API_EXPORT_LINK_SECONDS",
            "succeeded exports",
        ),
    ),
)
