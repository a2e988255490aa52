"""What a project can be granted: OAuth scopes and datasets."""

from django.db import models

from research.codebook import DATASET_RESOURCES


class Scope(models.TextChoices):
    DATA_BASIC = (
        "research.data.basic",
        (
            "Videos, comments, account profiles, follower/following graphs and liked, pinned and "
            "reposted videos."
        ),
    )
    DATA_MODERATION = "research.data.moderation", "Row-level moderation decisions."
    STATS = "research.stats", "Aggregate moderation statistics, privacy-protected."
    EXPORT = "research.export", "Asynchronous bulk exports."
    COMPLIANCE = "research.compliance", "Deletions feed and batch validation of ids."


SCOPE_DESCRIPTIONS = {scope.value: scope.label for scope in Scope}

# Datasets are the codebook's resources, plus the aggregate statistics auditors use.
DATASETS = {resource.name: resource.description for resource in DATASET_RESOURCES} | {
    "moderation_statistics": "Aggregate moderation statistics by policy, action, detection "
    "source, automation, market, language and period."
}
DATASET_FIELDS = {r.name: [f.name for f in r.fields] for r in DATASET_RESOURCES}


class ApplicantType(models.TextChoices):
    RESEARCHER = "researcher", "academic researcher"
    AUDITOR = "auditor", "civil-society auditor"


# What a reviewer starts from when approving; they can grant more or less.
DEFAULT_SCOPES = {
    ApplicantType.RESEARCHER: [Scope.DATA_BASIC, Scope.EXPORT, Scope.COMPLIANCE],
    ApplicantType.AUDITOR: [Scope.STATS, Scope.DATA_MODERATION],
}
DEFAULT_DAILY_REQUESTS = 1_000  # TikTok's defaults: video, comment and account endpoints
DEFAULT_DAILY_RECORDS = 100_000
DEFAULT_GRAPH_DAILY_REQUESTS = 20_000  # follower and following lists
DEFAULT_GRAPH_DAILY_RECORDS = 2_000_000
QUOTA_FIELDS = ("daily_requests", "daily_records", "graph_daily_requests", "graph_daily_records")
MAX_COLLABORATORS = 9
