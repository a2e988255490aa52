"""State of the research API: search sessions and their pages."""

import uuid

from django.db import models

from accounts.models import Project


class Search(models.Model):
    """A search a project is paging through. Its pages are fixed by keyset bookmarks, and
    it sees the catalogue as of `snapshot_at`, so the same search_id and cursor return the
    same page for 24 hours (items deleted since drop out)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="searches")
    endpoint = models.CharField(max_length=32)
    fingerprint = models.CharField(max_length=64)
    params = models.JSONField()
    snapshot_at = models.DateTimeField()
    data_as_of = models.DateTimeField(null=True)
    seed = models.BigIntegerField(default=0)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()

    class Meta:
        verbose_name_plural = "searches"
        indexes = [
            models.Index(
                fields=["project", "endpoint", "fingerprint", "-created_at"],
                name="search_fingerprint_idx",
            ),
            models.Index(fields=["expires_at"], name="search_expiry_idx"),
        ]

    def __str__(self):
        return f"{self.endpoint} search {self.id}"


class SearchPage(models.Model):
    """Where the page starting at `cursor` (items returned before it) begins: the keyset
    position just after the previous page's last item."""

    id = models.BigAutoField(primary_key=True)
    search = models.ForeignKey(Search, on_delete=models.CASCADE, related_name="pages")
    cursor = models.BigIntegerField()
    position = models.JSONField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["search", "cursor"], name="search_page_unique")
        ]

    def __str__(self):
        return f"page at {self.cursor} of {self.search_id}"


class StatsRelease(models.Model):
    """A differentially private answer, kept: the same question asked again gets these very
    numbers at no cost (a fresh draw would spend the budget again and, averaged, undo the
    noise)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="releases")
    fingerprint = models.CharField(max_length=64)
    question = models.JSONField()
    answer = models.JSONField()
    rho = models.FloatField()
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project", "fingerprint"], name="stats_release_unique")
        ]

    def __str__(self):
        return f"release {self.id} (rho {self.rho:g})"
