"""Deletions on the platform, for keeping researchers' copies compliant."""

from codebook.fields import PSEUDONYM, UNIX, Field, Resource

DELETION = Resource(
    "deletion",
    "An item deleted on the platform, for purging it from your copies. The content itself is "
    "erased from this service when the deletion arrives.",
    (),  # no endpoint serves it yet
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
    ),
)
