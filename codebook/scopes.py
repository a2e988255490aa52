"""The OAuth scopes a project can be granted; each research endpoint needs one."""

from django.db import models


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
