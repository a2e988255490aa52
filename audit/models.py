"""The append-only, tamper-evident audit log.

Each entry carries the hash of the previous one, so removing, reordering or editing an entry
breaks the chain (`manage.py verify_audit` finds the first broken link). The hashes are
HMACs under a key kept outside the database (core.integrity), so whoever can write to the
database still cannot write a chain that verifies. The database also refuses UPDATE and
DELETE on the table and lets the chain's head only move forward (triggers, see migrations);
an exported checkpoint of the head exposes a chain cut back to an earlier end. Actors, projects and
clients are recorded by value, not by foreign key: the log must outlive what it describes.
"""

import hashlib

import orjson
from django.db import models

from core.integrity import keyed_digest

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


CHAIN = "audit chain"  # the integrity key's purpose for the chain (core.integrity)
CHAIN_KEYED = "audit.chain_keyed"  # the entry that seals the unkeyed entries before it


def entry_hash(prev_hash: str, content: str) -> str:
    """HMAC-SHA256 of the previous hash and the entry's content, hex. The database computes
    the same as `audit_entry_hmac(inner, outer, prev, content)` from the key's pads (see
    migration 0005 and AuditConfig)."""
    return keyed_digest(CHAIN, prev_hash + content)


def unkeyed_entry_hash(prev_hash: str, content: str) -> str:
    """How entries were chained before the chain was keyed (plain SHA-256): only entries
    sealed by a CHAIN_KEYED entry may carry it."""
    return hashlib.sha256((prev_hash + content).encode()).hexdigest()


class RefusalCount(models.Model):
    """Refusals of callers nobody authenticated (wrong or unknown client keys and secrets,
    failed sign-ins, throttled attempts), counted per day, event and reason rather than
    appended to the chain one entry each: anyone can send them, so anyone could otherwise
    grow the log without end."""

    id = models.BigAutoField(primary_key=True)
    day = models.DateField()
    event = models.CharField(max_length=64)
    reason = models.CharField(max_length=64)
    refusals = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["day", "event", "reason"], name="refusal_count_unique")
        ]

    def __str__(self):
        return f"{self.day} {self.event} {self.reason}: {self.refusals}"
