"""The deletions feed: what was deleted on the platform, in the order this service learned
of it, so a project can purge its copies of everything deleted since its last sync."""

from datetime import UTC, datetime

import codebook
from research.keyset import db_time
from research.rendering import fields_of
from research.sources import Source

FIELDS = fields_of(
    codebook.DELETION,
    {
        "entity": ("t.entity", "plain"),
        "id": (("t.entity", "t.object_id"), "entity_id"),
        "deleted_at": ("t.deleted_at", "unix"),
        "recorded_at": ("t.recorded_at", "unix"),
    },
)


class DeletionFeed(Source):
    table = "compliance_tombstone t"
    fields = FIELDS
    keys = ("t.recorded_at", "t.id")
    descending = False

    def search_params(self, request, pseudonyms):
        return {"since": request.since_unix}

    def where(self, params, pseudonyms, snapshot, sql):
        since = datetime.fromtimestamp(params["since"], UTC)
        return (
            f"t.recorded_at >= {sql.param(db_time(since))} "
            f"AND t.recorded_at <= {sql.param(db_time(snapshot))}"
        )
