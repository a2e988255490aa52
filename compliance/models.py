from django.db import models


class Tombstone(models.Model):
    """What is left of an item deleted on the platform: enough to tell researchers it is gone.

    The content itself is erased from the catalogue; the tombstone feeds the deletions feed
    researchers use to purge their copies.
    """

    class Entity(models.TextChoices):
        CREATOR = "creator", "account"
        VIDEO = "video", "video"
        COMMENT = "comment", "comment"

    id = models.BigAutoField(primary_key=True)
    entity = models.CharField(max_length=8, choices=Entity)
    object_id = models.BigIntegerField(help_text="internal id of the deleted item")
    platform_id = models.BigIntegerField()
    deleted_at = models.DateTimeField(help_text="when it was deleted on the platform")
    recorded_at = models.DateTimeField(help_text="when this service learned of it")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["entity", "object_id"], name="tombstone_unique"),
            models.UniqueConstraint(
                fields=["entity", "platform_id"], name="tombstone_platform_unique"
            ),
        ]
        indexes = [models.Index(fields=["recorded_at", "id"], name="tombstone_recorded_idx")]

    def __str__(self):
        return f"deleted {self.entity} {self.object_id}"


class ValidationTask(models.Model):
    """A project's batch check of ids (TikTok's batch compliance): which are still available.
    The ids are kept as the project sent them (its pseudonyms), with the verdicts."""

    COMPLETED = "COMPLETED"

    id = models.BigIntegerField(primary_key=True)  # random, as TikTok's int64 task ids
    project = models.ForeignKey(
        "accounts.Project", on_delete=models.CASCADE, related_name="validation_tasks"
    )
    category = models.CharField(max_length=8)  # video or comment
    status = models.CharField(max_length=12, default=COMPLETED)
    total = models.IntegerField()
    valid_ids = models.JSONField()
    invalid_ids = models.JSONField()
    created_at = models.DateTimeField()

    def __str__(self):
        return f"validation task {self.id}"
