"""Writing to the audit log: `record()` inside the transaction of what it records."""

from django.db import connection, transaction
from django.utils import timezone

from audit.models import GENESIS, AuditEntry

# One writer at a time extends the chain; held only from the append to the commit.
_CHAIN_LOCK = 7_402_612


def record(
    event: str,
    *,
    actor=None,
    project=None,
    client_id: str = "",
    target: str = "",
    details: dict | None = None,
    actor_label: str = "",
) -> AuditEntry:
    """Append an entry. Must run inside the caller's transaction (atomic), so the entry
    commits or rolls back with what it describes."""
    if not connection.in_atomic_block:
        raise RuntimeError("audit.record() must be called inside transaction.atomic()")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK])
    last = AuditEntry.objects.order_by("-id").values_list("hash", flat=True).first()
    actor_is_user = actor is not None and getattr(actor, "pk", None) is not None
    entry = AuditEntry(
        created_at=timezone.now(),
        event=event,
        actor_id=actor.pk if actor_is_user else None,
        actor=actor.email if actor_is_user else actor_label,
        project_id=getattr(project, "id", project),
        client_id=client_id,
        target=target,
        details=details or {},
        prev_hash=last or GENESIS,
    )
    entry.hash = entry.compute_hash()
    entry.save(force_insert=True)
    return entry


def record_now(event: str, **kwargs) -> AuditEntry:
    """`record()` in a transaction of its own, for events that change nothing else."""
    with transaction.atomic():
        return record(event, **kwargs)


def verify() -> tuple[int, str | None]:
    """Walk the chain; return (entries checked, first problem or None)."""
    previous = GENESIS
    checked = 0
    for entry in AuditEntry.objects.order_by("id").iterator(chunk_size=5_000):
        if entry.prev_hash != previous:
            return checked, (
                f"entry {entry.id}: does not follow the entry before it (an entry "
                f"was removed or inserted before it)"
            )
        if entry.compute_hash() != entry.hash:
            return checked, f"entry {entry.id}: its content was changed after it was written"
        previous = entry.hash
        checked += 1
    return checked, None
