"""Ingest platform exports: validate everything, then apply everything or nothing."""

from dataclasses import dataclass
from pathlib import Path

from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from catalog.models import IngestBatch
from ingestion import reader, writers
from ingestion.reader import IngestRejected, Problem
from ingestion.records import APPLY_ORDER

# Serialises concurrent ingests on PostgreSQL (SQLite's IMMEDIATE transactions already do).
_ADVISORY_LOCK = 7_402_611


@dataclass(frozen=True)
class IngestReport:
    batch_id: int
    counts: dict[str, dict[str, int]]  # record type -> outcome -> number


def ingest(paths: list[Path], *, max_problems: int = 50) -> IngestReport:
    """Apply the records of `paths` as one batch; raise IngestRejected if any is bad."""
    started_at = timezone.now()
    batch = reader.read(paths, max_problems=max_problems)
    try:
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_ADVISORY_LOCK])
            now = timezone.now()
            counts = {
                record_type: dict(writers.WRITERS[record_type](batch, now))
                for record_type in APPLY_ORDER
                if batch.counts.get(record_type)
            }
            record = IngestBatch.objects.create(
                source=IngestBatch.Source.INGEST,
                files=batch.files,
                started_at=started_at,
                finished_at=timezone.now(),
                counts=counts,
            )
    except DatabaseError as exc:
        # Pass 1 checked references and uniqueness; what is left is a conflict with a
        # concurrent change. The transaction rolled back, so nothing was applied.
        raise IngestRejected([Problem("batch", "", f"could not apply: {exc}")], 1) from exc
    finally:
        batch.close()
    return IngestReport(batch_id=record.id, counts=counts)
