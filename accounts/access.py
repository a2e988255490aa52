"""What a project can be granted: OAuth scopes and datasets."""

from django.db import models

from codebook import DATASET_RESOURCES
from codebook.fields import NOT_IN_DATA
from codebook.scopes import SCOPE_DESCRIPTIONS, Scope
from codebook.statistics import STATISTICS

# Datasets are the codebook's resources, plus the aggregate statistics auditors use.
DATASETS = {resource.name: resource.description for resource in DATASET_RESOURCES} | {
    "moderation_statistics": "Aggregate moderation statistics by policy, action, detection "
    "source, automation, market, language and period."
}
# What an applicant can ask for: the fields with values (not those always null), each with
# the codebook's description.
DATASET_FIELD_DESCRIPTIONS = {
    r.name: {f.name: f.description for f in r.fields if f.source != NOT_IN_DATA}
    for r in DATASET_RESOURCES
}
DATASET_FIELDS = {name: list(fields) for name, fields in DATASET_FIELD_DESCRIPTIONS.items()}
# What pages call each dataset.
DATASET_TITLES = {r.name: r.heading for r in (*DATASET_RESOURCES, STATISTICS)}


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


def scope_labels(scopes) -> list[tuple[str, str]]:
    """Each scope with what it unlocks, for pages."""
    return [(scope, SCOPE_DESCRIPTIONS.get(scope, "")) for scope in scopes]


def dataset_labels(datasets) -> list[tuple[str, str]]:
    """Each dataset with its title and the first sentence of its description, for pages."""
    return [
        (
            dataset,
            f"{DATASET_TITLES.get(dataset, dataset)}: {DATASETS.get(dataset, '').split('. ')[0]}",
        )
        for dataset in datasets
    ]


def fields_asked_for(request: dict) -> str:
    """An application's request for one dataset's fields, as pages show it: "every field
    (36)" when it asks for the whole dataset, else the fields by name."""
    every = DATASET_FIELDS.get(request["dataset"])
    if every and set(every) <= set(request["fields"]):
        return f"every field ({len(every)})"
    return ", ".join(request["fields"])


def scopes_asked_for(datasets) -> list[str]:
    """The scopes the datasets an application asks for are read through: where an approval
    starts."""
    return sorted({str(DATASET_SCOPES[d]) for d in datasets if d in DATASET_SCOPES})


DEFAULT_DAILY_REQUESTS = 1_000  # TikTok's defaults: video, comment and account endpoints
DEFAULT_DAILY_RECORDS = 100_000
DEFAULT_GRAPH_DAILY_REQUESTS = 20_000  # follower and following lists
DEFAULT_GRAPH_DAILY_RECORDS = 2_000_000
MAX_COLLABORATORS = 9
