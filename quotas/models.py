"""Usage counters, in the database (never in process memory or a cache that can disagree).

A project's daily use per endpoint family, reset at 00:00 UTC by starting a new day's row;
a client's requests per burst window. Both are debited with one conditional upsert."""

from django.db import models


class Family(models.TextChoices):
    VIDEOS = "videos", "videos and comments"
    GRAPH = "graph", "follower and following lists"


class DailyUsage(models.Model):
    id = models.BigAutoField(primary_key=True)
    project = models.ForeignKey("accounts.Project", on_delete=models.CASCADE, related_name="usage")
    family = models.CharField(max_length=8, choices=Family)
    day = models.DateField()
    requests = models.BigIntegerField(default=0)
    records = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project", "family", "day"], name="usage_unique")
        ]
        verbose_name_plural = "daily usage"

    def __str__(self):
        return f"{self.project_id} {self.family} {self.day}"


class BurstWindow(models.Model):
    id = models.BigAutoField(primary_key=True)
    client_id = models.CharField(max_length=100)
    window_start = models.BigIntegerField(help_text="Unix seconds")
    requests = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["client_id", "window_start"], name="burst_unique")
        ]

    def __str__(self):
        return f"{self.client_id} @ {self.window_start}"


class PrivacySpend(models.Model):
    """What a project's differentially private answers have spent of its budget, in
    millionths of rho (integers: exact, and debited with one conditional upsert like the
    quotas, quotas.counters.PRIVACY)."""

    id = models.BigAutoField(primary_key=True)
    project_id = models.UUIDField(unique=True)
    spent = models.BigIntegerField(default=0, help_text="millionths of rho")

    def __str__(self):
        return f"{self.project_id}: {self.spent / 1e6:.6f} rho"
