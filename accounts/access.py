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


# The scope each dataset is read through.
DATASET_SCOPES = {
    "video": Scope.DATA_BASIC,
    "comment": Scope.DATA_BASIC,
    "user": Scope.DATA_BASIC,
    "follow": Scope.DATA_BASIC,
    "moderation_decision": Scope.DATA_MODERATION,
    "deletion": Scope.COMPLIANCE,
    "moderation_statistics": Scope.STATS,
}
# What a reviewer may want to add for each kind of applicant, though nobody asked: shown as
# suggestions on the approval form, never ticked for them.
SUGGESTED_SCOPES = {
    ApplicantType.RESEARCHER: [Scope.EXPORT, Scope.COMPLIANCE],
    ApplicantType.AUDITOR: [Scope.STATS],
}


def scopes_asked_for(datasets) -> list[str]:
    """The scopes the datasets an application asks for are read through: where an approval
    starts."""
    return sorted({str(DATASET_SCOPES[d]) for d in datasets if d in DATASET_SCOPES})


DEFAULT_DAILY_REQUESTS = 1_000  # TikTok's defaults: video, comment and account endpoints
DEFAULT_DAILY_RECORDS = 100_000
DEFAULT_GRAPH_DAILY_REQUESTS = 20_000  # follower and following lists
DEFAULT_GRAPH_DAILY_RECORDS = 2_000_000
MAX_COLLABORATORS = 9
