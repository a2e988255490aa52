"""Export jobs and their files. A job row is the whole state of an export: a worker claims it,
writes its files, and settles it in one transaction, so a crash at any point leaves either
the old state or the new one."""

import uuid

from django.db import models


class Format(models.TextChoices):
    CSV = "csv", "CSV"
    JSONL = "jsonl", "JSON Lines"
    PARQUET = "parquet", "Parquet"


class Status(models.TextChoices):
    QUEUED = "queued", "queued"
    RUNNING = "running", "running"
    SUCCEEDED = "succeeded", "succeeded"
    FAILED = "failed", "failed"
    CANCELLED = "cancelled", "cancelled"
    EXPIRED = "expired", "expired (files deleted)"


ACTIVE = (Status.QUEUED, Status.RUNNING)


class Export(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    project = models.ForeignKey(
        "accounts.Project", on_delete=models.CASCADE, related_name="exports"
    )
    client_id = models.CharField(max_length=100)
    resource = models.CharField(max_length=32)  # a key of research.listings.EXPORTABLE
    request = models.JSONField()  # the query as the project sent it (validated)
    params = models.JSONField()  # the search it defines (research.sources), server-side
    fields = models.JSONField()  # field names, in order
    format = models.CharField(max_length=8, choices=Format)
    status = models.CharField(max_length=12, choices=Status, default=Status.QUEUED)
    snapshot_at = models.DateTimeField()  # the catalogue as of this moment
    seed = models.BigIntegerField(default=0)
    family = models.CharField(max_length=8)  # the quota family charged
    day = models.DateField()  # the quota day the reservation was made on
    reserved_records = models.BigIntegerField()  # the most it may write, reserved at creation
    rows_written = models.BigIntegerField(default=0)
    estimated_total = models.BigIntegerField(null=True)
    truncated = models.BooleanField(default=False)  # more records matched than reserved
    attempts = models.PositiveIntegerField(default=0)  # claims by workers; the last one wins
    error = models.TextField(blank=True)
    created_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True)
    finished_at = models.DateTimeField(null=True)
    expires_at = models.DateTimeField(null=True)  # when its files are deleted

    class Meta:
        indexes = [
            models.Index(fields=["project", "-created_at"], name="export_project_idx"),
            models.Index(fields=["status", "expires_at"], name="export_status_idx"),
        ]

    def __str__(self):
        return f"{self.resource} export {self.id} ({self.status})"


class ExportFile(models.Model):
    id = models.BigAutoField(primary_key=True)
    export = models.ForeignKey(Export, on_delete=models.CASCADE, related_name="files")
    name = models.CharField(max_length=100)  # as downloaded
    storage_name = models.CharField(max_length=300)  # in the exports storage
    size = models.BigIntegerField()
    rows = models.BigIntegerField()
    sha256 = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["export", "name"], name="export_file_unique")
        ]

    def __str__(self):
        return self.name
