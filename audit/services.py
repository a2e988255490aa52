"""Writing to the audit log: `record()` inside the transaction of what it records."""

from django.db import connection, transaction
from django.utils import timezone

from audit.models import GENESIS, AuditEntry, ChainHead
from core.sql import insert_select

# Advance the chain head by one entry and return its previous and new hash. The upsert locks
# the head row and computes from the head as last committed, whatever this statement's
# snapshot: concurrent appenders queue here and the chain stays a line.
ADVANCE_HEAD = (
    "INSERT INTO audit_chainhead (id, prev_hash, hash) VALUES (1, %s, audit_entry_hash(%s, %s)) "
    "ON CONFLICT (id) DO UPDATE SET prev_hash = audit_chainhead.hash, "
    "hash = audit_entry_hash(audit_chainhead.hash, %s) RETURNING prev_hash, hash"
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
    return ADVANCE_HEAD, [GENESIS, GENESIS, content, content]


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


def verify() -> tuple[int, str | None]:
    """Walk the chain; return (entries checked, first problem or None)."""
    previous = GENESIS
    checked = 0
    for item in AuditEntry.objects.order_by("id").iterator(chunk_size=5_000):
        if item.prev_hash != previous:
            return checked, (
                f"entry {item.id}: does not follow the entry before it (an entry "
                f"was removed or inserted before it)"
            )
        if item.compute_hash() != item.hash:
            return checked, f"entry {item.id}: its content was changed after it was written"
        previous = item.hash
        checked += 1
    head = ChainHead.objects.filter(id=1).values_list("hash", flat=True).first()
    if head is not None and head != previous:
        return checked, (
            "the chain's head does not match its last entry (entries were removed from its end)"
        )
    return checked, None
