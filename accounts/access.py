"""What a project can be granted: OAuth scopes and datasets."""

from django.db import models

from codebook import DATASET_RESOURCES
from codebook.fields import NOT_IN_DATA
from codebook.scopes import Scope

# Datasets are the codebook's resources, plus the aggregate statistics auditors use.
DATASETS = {resource.name: resource.description for resource in DATASET_RESOURCES} | {
    "moderation_statistics": "Aggregate moderation statistics by policy, action, detection "
    "source, automation, market, language and period."
}
# What an applicant can ask for: the fields with values (not those always null).
DATASET_FIELDS = {
    r.name: [f.name for f in r.fields if f.source != NOT_IN_DATA] for r in DATASET_RESOURCES
}


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
MAX_COLLABORATORS = 9
