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
