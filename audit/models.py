"""The append-only, tamper-evident audit log.

Each entry carries the hash of the previous one, so removing, reordering or editing an entry
breaks the chain (`manage.py verify_audit` finds the first broken link). The database also
refuses UPDATE and DELETE on the table (triggers, see migrations). Actors, projects and
clients are recorded by value, not by foreign key: the log must outlive what it describes.
"""

import hashlib

import orjson
from django.db import models

GENESIS = "0" * 64


class AuditEntry(models.Model):
    id = models.BigAutoField(primary_key=True)
    created_at = models.DateTimeField()
    event = models.CharField(max_length=64)
    actor_id = models.BigIntegerField(null=True, blank=True)
    actor = models.CharField(max_length=254, blank=True, help_text="e-mail, or the system part")
    project_id = models.UUIDField(null=True, blank=True)
    client_id = models.CharField(max_length=100, blank=True)
    target = models.CharField(max_length=200, blank=True)
    details = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name_plural = "audit entries"
        indexes = [
            models.Index(fields=["project_id", "id"], name="audit_project_idx"),
            models.Index(fields=["event", "id"], name="audit_event_idx"),
            models.Index(fields=["actor_id", "id"], name="audit_actor_idx"),
        ]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M:%S} {self.event} {self.target}"

    def content(self) -> str:
        """What the hash covers besides the previous hash: the entry as canonical JSON."""
        return canonical(
            {
                "created_at": self.created_at.isoformat(),
                "event": self.event,
                "actor_id": self.actor_id,
                "actor": self.actor,
                "project_id": str(self.project_id) if self.project_id else None,
                "client_id": self.client_id,
                "target": self.target,
                "details": self.details,
            }
        )

    def compute_hash(self) -> str:
        return entry_hash(self.prev_hash, self.content())


class ChainHead(models.Model):
    """The end of the chain: one row, advanced by every append with a single upsert that
    also computes the new entry's hash in the database (`audit_entry_hash`). Appenders queue
    on this row's lock, and each reads the head as the previous appender committed it, so the
    chain never forks, and appending takes no separate lock or read."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    def __str__(self):
        return f"audit chain head {self.hash[:12]}"


def canonical(content: dict) -> str:
    return orjson.dumps(content, option=orjson.OPT_SORT_KEYS).decode()


def entry_hash(prev_hash: str, content: str) -> str:
    """SHA-256 of the previous hash and the entry's content, hex. The database computes the
    same as `audit_entry_hash(prev, content)` (see migration 0003 and AuditConfig)."""
    return hashlib.sha256((prev_hash + content).encode()).hexdigest()
