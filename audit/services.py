"""Writing to the audit log: `record()` inside the transaction of what it records."""

from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from audit.models import (
    CHAIN,
    CHAIN_KEYED,
    GENESIS,
    AuditEntry,
    ChainHead,
    entry_hash,
    unkeyed_entry_hash,
)
from core.integrity import hmac_pads
from core.sql import insert_select

# Advance the chain head by one entry and return its previous and new hash. The upsert locks
# the head row and computes from the head as last committed, whatever this statement's
# snapshot: concurrent appenders queue here and the chain stays a line.
# The hash is the HMAC of core.integrity, computed from the key's pads, sent with the
# statement (never stored).
ADVANCE_HEAD = (
    "INSERT INTO audit_chainhead (id, prev_hash, hash) "
    "VALUES (1, %s, audit_entry_hmac(%s, %s, %s, %s)) "
    "ON CONFLICT (id) DO UPDATE SET prev_hash = audit_chainhead.hash, "
    "hash = audit_entry_hmac(%s, %s, audit_chainhead.hash, %s) RETURNING prev_hash, hash"
)


def entry(
    event: str,
    *,
    actor=None,
    project=None,
    client_id: str = "",
    target: str = "",
    details: dict | None = None,
    actor_label: str = "",
) -> AuditEntry:
    """An entry not yet appended (no hashes yet)."""
    actor_is_user = actor is not None and getattr(actor, "pk", None) is not None
    return AuditEntry(
        created_at=timezone.now(),
        event=event,
        actor_id=actor.pk if actor_is_user else None,
        actor=actor.email if actor_is_user else actor_label,
        project_id=getattr(project, "id", project),
        client_id=client_id,
        target=target,
        details=details or {},
    )


def advance_head(new: AuditEntry) -> tuple[str, list]:
    content = new.content()
    inner, outer = hmac_pads(CHAIN)
    return ADVANCE_HEAD, [GENESIS, inner, outer, GENESIS, content, inner, outer, content]


def insert_after(new: AuditEntry, head: str) -> tuple[str, list]:
    """The entry's INSERT, its hashes taken from `head` (a relation with prev_hash, hash)."""
    return insert_select(
        new, computed={"prev_hash": "h.prev_hash", "hash": "h.hash"}, source=f"{head} h"
    )


def append(new: AuditEntry) -> AuditEntry:
    """Append inside the caller's transaction: the head's row lock is held to its commit."""
    if not connection.in_atomic_block:
        raise RuntimeError("audit entries must be appended inside transaction.atomic()")
    with connection.cursor() as cursor:
        cursor.execute(*advance_head(new))
        new.prev_hash, new.hash = cursor.fetchone()
    new.save(force_insert=True)
    return new


def record(event: str, **kwargs) -> AuditEntry:
    """Append an entry. Must run inside the caller's transaction (atomic), so the entry
    commits or rolls back with what it describes."""
    return append(entry(event, **kwargs))


def record_now(event: str, **kwargs) -> AuditEntry:
    """`record()` in a transaction of its own, for events that change nothing else."""
    with transaction.atomic():
        return record(event, **kwargs)


def count_refusal(event: str, reason: str) -> None:
    """Count a refusal of an unauthenticated caller (audit.models.RefusalCount), in a
    transaction of its own: one upsert, whoever sends how many."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO audit_refusalcount (day, event, reason, refusals) VALUES (%s, %s, %s, 1) "
            "ON CONFLICT (day, event, reason) DO UPDATE "
            "SET refusals = audit_refusalcount.refusals + 1",
            [timezone.now().date(), event, reason[:64]],
        )


@dataclass(frozen=True)
class Checkpoint:
    """Where the chain ended at some moment: kept outside the database (exported with
    `verify_audit --write-checkpoint`), it exposes a chain later cut back before it."""

    entry: int
    hash: str

    def as_json(self) -> dict:
        return {"entry": self.entry, "hash": self.hash}

    @classmethod
    def from_json(cls, data) -> "Checkpoint":
        if not (
            isinstance(data, dict)
            and isinstance(data.get("entry"), int)
            and isinstance(data.get("hash"), str)
            and len(data["hash"]) == 64
        ):
            raise ValueError('a checkpoint is {"entry": <id>, "hash": <64 hex digits>}')
        return cls(data["entry"], data["hash"])


def checkpoint() -> Checkpoint | None:
    """The chain's end as it is now (None while it is empty)."""
    last = AuditEntry.objects.order_by("-id").values_list("id", "hash").first()
    return Checkpoint(*last) if last else None


def verify(since: Checkpoint | None = None) -> tuple[int, str | None]:
    """Walk the chain; return (entries checked, first problem or None). With a checkpoint,
    the chain must still hold the entry it names, with its hash."""
    previous = GENESIS
    checked = 0
    unkeyed = 0  # entries from before the chain was keyed, sealed by a CHAIN_KEYED entry
    keyed = False
    reached = since is None
    for item in AuditEntry.objects.order_by("id").iterator(chunk_size=5_000):
        if item.prev_hash != previous:
            return checked, (
                f"entry {item.id}: does not follow the entry before it (an entry "
                f"was removed or inserted before it)"
            )
        content = item.content()
        if entry_hash(item.prev_hash, content) == item.hash:
            if unkeyed and not keyed and item.event != CHAIN_KEYED:
                return checked, (
                    f"entry {item.id}: the unkeyed entries before it are not sealed by an "
                    f"{CHAIN_KEYED} entry"
                )
            keyed = True
        elif not keyed and unkeyed_entry_hash(item.prev_hash, content) == item.hash:
            unkeyed += 1
        else:
            return checked, (
                f"entry {item.id}: its content was changed after it was written (or "
                "RESEARCH_API_INTEGRITY_KEY is not the key it was written with)"
            )
        if since is not None and item.id == since.entry:
            if item.hash != since.hash:
                return checked, f"entry {item.id}: its hash is not the checkpoint's"
            reached = True
        previous = item.hash
        checked += 1
    if unkeyed and not keyed:
        return checked, (
            f"the chain's {unkeyed} entries are unkeyed and no {CHAIN_KEYED} entry seals them "
            "(anyone who can write to the database could have written them)"
        )
    head = ChainHead.objects.filter(id=1).values_list("hash", flat=True).first()
    if head is not None and head != previous:
        return checked, (
            "the chain's head does not match its last entry (entries were removed from its end)"
        )
    if not reached:
        return checked, (
            f"the checkpoint's entry {since.entry} is not in the chain (entries were removed "
            "from its end, and the head moved back)"
        )
    return checked, None
