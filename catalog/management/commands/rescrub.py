"""Re-scrub stored texts with the current scrubber version (catalog/scrub.py).

The originals are not kept, so the current rules are applied to the already-scrubbed text:
what an older version missed is caught now, placeholders and mention references stay as they
are. Rows are taken in id order, in batches, each batch in its own transaction that also
records the version: an interrupted run resumes where it stopped, and a second run finds
nothing to do. Full-text search follows by itself (a generated column on PostgreSQL,
triggers on SQLite; see catalog/fulltext.py).
"""

import re
from collections import Counter
from dataclasses import dataclass

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from catalog import mentions, scrub
from catalog.models import Comment, Creator, Video
from catalog.selectors import mention_resolver


@dataclass(frozen=True)
class Table:
    model: type
    fields: tuple[str, ...]
    region: str  # lookup of the region a text's phone numbers default to


TABLES = {
    "creator": Table(Creator, ("display_name", "bio"), "region_code"),
    "video": Table(Video, ("description", "voice_to_text"), "region_code"),
    "comment": Table(Comment, ("text",), "video__region_code"),
}


def placeholder_counts(text: str) -> Counter:
    counts = Counter({kind: text.count(p) for kind, p in scrub.PLACEHOLDERS.items()})
    counts["mention"] += len(mentions.referenced_ids(text))
    return counts


_DANGLING = re.compile(r"(?:\[[A-Z]*|" + mentions.OPEN + "[^" + mentions.CLOSE + "]*)$")


def fit(text: str, max_length: int | None) -> str:
    """`text` cut to `max_length` (a placeholder can be longer than what it replaced: "@a"
    becomes "[MENTION]"), without leaving half a placeholder or reference at the end."""
    if max_length is None or len(text) <= max_length:
        return text
    return _DANGLING.sub("", text[:max_length])


def rescrub_table(table: Table, batch_size: int, dry_run: bool) -> Counter:
    """Bring every row of `table` below the current version up to it; returns counts.

    Each batch is read and written in one transaction, its rows locked (on PostgreSQL), so
    an ingestion updating the same rows meanwhile waits instead of being overwritten.
    """
    counts = Counter()
    model, version = table.model, scrub.VERSION
    max_lengths = {f: model._meta.get_field(f).max_length for f in table.fields}
    last_id = 0
    while True:
        with transaction.atomic():
            batch = model.objects.filter(scrub_version__lt=version, id__gt=last_id).order_by("id")
            if not dry_run:
                batch = batch.select_for_update(of=("self",))
            rows = list(batch.values("id", table.region, *table.fields)[:batch_size])
            if not rows:
                return counts
            last_id = rows[-1]["id"]
            resolve = mention_resolver([row[f] for row in rows for f in table.fields])
            changed, now = [], timezone.now()
            for row in rows:
                values = {
                    f: fit(scrub.rescrub(row[f], resolve, row[table.region]), max_lengths[f])
                    for f in table.fields
                }
                for field, new in values.items():
                    if new != row[field]:
                        counts.update(placeholder_counts(new) - placeholder_counts(row[field]))
                        counts["texts changed"] += 1
                if any(values[f] != row[f] for f in table.fields):
                    changed.append(
                        model(id=row["id"], scrub_version=version, updated_at=now, **values)
                    )
            counts["rows"] += len(rows)
            counts["rows changed"] += len(changed)
            if not dry_run:
                model.objects.bulk_update(
                    changed, [*table.fields, "updated_at", "scrub_version"], batch_size=500
                )
                model.objects.filter(id__in=[row["id"] for row in rows]).update(
                    scrub_version=version
                )


class Command(BaseCommand):
    help = (
        "Re-scrub stored texts (creator names and bios, video descriptions and transcripts, "
        "comments) that an older scrubber version wrote, in batches; resumable and "
        "idempotent. Reports the rows changed and the placeholders added per kind."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--table",
            action="append",
            choices=sorted(TABLES),
            help="only this table (repeatable; default: all)",
        )
        parser.add_argument(
            "--batch-size", type=int, default=1_000, help="rows per transaction (default 1000)"
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="report what would change without writing (a dry run reads every old row)",
        )

    def handle(self, *args, table, batch_size, dry_run, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1")
        names = list(dict.fromkeys(table or TABLES))
        newer = {
            name: TABLES[name].model.objects.filter(scrub_version__gt=scrub.VERSION).count()
            for name in names
        }
        if any(newer.values()):
            raise CommandError(
                f"rows scrubbed by a newer version than this code's {scrub.VERSION}: "
                + ", ".join(f"{n} in {name}" for name, n in newer.items() if n)
                + "; run the newer code instead"
            )
        verb = "would change" if dry_run else "changed"
        self.stdout.write(f"re-scrubbing with scrubber version {scrub.VERSION}")
        for name in names:
            counts = rescrub_table(TABLES[name], batch_size, dry_run)
            kinds = ", ".join(
                f"+{counts[kind]} {kind}" for kind in scrub.PLACEHOLDERS if counts[kind]
            )
            self.stdout.write(
                f"  {name:<8} {counts['rows']} rows below version {scrub.VERSION}, "
                f"{verb} {counts['rows changed']} ({counts['texts changed']} texts)"
                + (f": {kinds}" if kinds else "")
            )
