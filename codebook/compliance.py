"""Deletions on the platform, for keeping researchers' copies compliant."""

from codebook.fields import PSEUDONYM, UNIX, Field, Resource

DELETION = Resource(
    "deletion",
    "An item deleted on the platform, for purging it from your copies. The content itself is "
    "erased from this service when the deletion arrives. The feed lists deletions in the "
    "order this service learned of them; batch validation tells which of a list of ids are "
    "still available.",
    ("/v2/research/compliance/deletions/",),
    (
        Field(
            "entity",
            "string: creator, video, comment",
            "What was deleted.",
            "compliance.Tombstone.entity",
        ),
        Field(
            "id",
            "int64 or string",
            "The deleted item: your pseudonymous id, or your pseudonymous username for an account.",
            "compliance.Tombstone.object_id",
            PSEUDONYM,
        ),
        Field(
            "deleted_at",
            UNIX,
            "When it was deleted on the platform.",
            "compliance.Tombstone.deleted_at",
        ),
        Field(
            "recorded_at",
            UNIX,
            "When this service learned of it: the time `since` is compared with.",
            "compliance.Tombstone.recorded_at",
        ),
    ),
    title="Deletions",
)

VALIDATION = Resource(
    "validation_task",
    "A batch check of up to 10,000 video or comment ids (TikTok's batch compliance): which "
    "are still available to your project. An id is unavailable when the item was deleted, "
    "removed by moderation or made private, or when it is not one of your pseudonyms.",
    ("/v2/research/validation_task/create/", "/v2/research/validation_task_status/get/"),
    (
        Field("task_id", "int64", "The task.", "compliance.ValidationTask.id"),
        Field(
            "status",
            "string",
            "COMPLETED: checks run at once, so a task is complete when it is created.",
            "compliance.ValidationTask.status",
        ),
        Field(
            "category",
            "string: video, comment",
            "What the ids are.",
            "compliance.ValidationTask.category",
        ),
        Field(
            "total_ids",
            "int64",
            "How many distinct ids were checked.",
            "compliance.ValidationTask.total",
        ),
        Field(
            "valid_ids",
            "list of int64",
            "The ids still available, as you sent them.",
            "compliance.ValidationTask.valid_ids",
            PSEUDONYM,
        ),
        Field(
            "invalid_ids",
            "list of int64",
            "The ids no longer (or never) available: purge them from your copies.",
            "compliance.ValidationTask.invalid_ids",
            PSEUDONYM,
        ),
    ),
)
