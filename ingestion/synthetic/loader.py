"""Load a synthetic platform into the database, fast: COPY on PostgreSQL, batched inserts on
SQLite, in one transaction (a failed load leaves nothing behind).

On PostgreSQL, secondary indexes and foreign-key and unique constraints are dropped before
the COPY and rebuilt after it: building an index once over sorted data is many times
cheaper than maintaining it row by row. Constraints are rebuilt validated.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import orjson
from django.db import connection, transaction
from django.utils import timezone

from catalog.models import Creator, IngestBatch
from catalog.scrub import scrub
from ingestion.synthetic.generator import SyntheticPlatform, Table
from ingestion.synthetic.tables import tables as platform_tables
from moderation import rollups
from moderation.models import Policy

# Everything the platform fills, children first (the order for wiping).
CATALOGUE_TABLES = (
    "moderation_decision",
    "moderation_account_month",  # filled by the database as decisions are written
    "compliance_tombstone",
    "catalog_engagement",
    "catalog_follow",
    "catalog_comment",
    "catalog_videoeffect",
    "catalog_videohashtag",
    "catalog_video",
    "catalog_hashtag",
    "catalog_creator",
    "catalog_ingestbatch",
)


class CatalogueNotEmpty(Exception):
    pass


@dataclass
class LoadReport:
    rows: dict[str, int] = field(default_factory=dict)  # table -> rows
    seconds: dict[str, float] = field(default_factory=dict)  # table or phase -> seconds


def load(
    platform: SyntheticPlatform,
    *,
    reset: bool = False,
    progress: Callable[[int], None] | None = None,
) -> LoadReport:
    """Load `platform`; `progress(n)` is told of every n rows loaded."""
    started_at = timezone.now()
    tables = platform_tables(platform)
    vendor = connection.vendor
    with transaction.atomic():
        if Creator.objects.exists() or IngestBatch.objects.exists():
            if not reset:
                raise CatalogueNotEmpty(
                    "the catalogue already holds data; use --reset to replace it"
                )
            wipe_catalogue()
        live = ~platform.c_deleted
        resolve = {name: i + 1 for i, name in enumerate(platform.usernames) if live[i]}.get
        context = {
            "scrub": lambda text, region=None: scrub(text, resolve, region and str(region)),
            "policy_ids": dict(Policy.objects.values_list("code", "id")),
        }
        report = LoadReport()
        with connection.cursor() as cursor:
            if vendor == "postgresql":
                _load_postgres(cursor, tables, context, progress or _nothing, report)
            else:
                _load_sqlite(cursor, tables, context, progress or _nothing, report)
        IngestBatch.objects.create(
            source=IngestBatch.Source.SEED,
            files=[f"seed_platform --videos {platform.n_videos} --seed {platform.seed}"],
            started_at=started_at,
            finished_at=timezone.now(),
            counts={table: {"created": rows} for table, rows in report.rows.items()},
        )
    return report


def _nothing(_rows: int):
    pass


def wipe_catalogue():
    """Empty every table the platform fills (policies and everything else stay)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"TRUNCATE {', '.join(CATALOGUE_TABLES)} RESTART IDENTITY")
        else:
            for table in CATALOGUE_TABLES:
                cursor.execute(f"DELETE FROM {table}")
            # The roll-ups' rows, at zero now, go as after TRUNCATE (moderation.rollups), and
            # rows the database numbers itself start again from 1.
            for table in rollups.TABLES:
                cursor.execute(f"DELETE FROM {table}")
            cursor.execute("DELETE FROM sqlite_sequence WHERE name = 'moderation_account_month'")


def _column(kind: str, values, vendor: str) -> list:
    if kind in ("int", "str"):
        return values.tolist() if isinstance(values, np.ndarray) else list(values)
    if kind == "bool":
        flags = np.asarray(values, dtype=bool)
        return flags.tolist() if vendor == "postgresql" else flags.astype(np.int8).tolist()
    if kind == "json":
        return [orjson.dumps(v).decode() for v in values]
    array = np.asarray(values)
    present = np.array([v is not None for v in array]) if array.dtype == object else None
    seconds = np.where(present, array, 0).astype(np.int64) if present is not None else array
    if kind == "month":
        text = np.datetime_as_string(
            seconds.astype("datetime64[s]").astype("datetime64[M]"), unit="D"
        )
    else:
        text = np.datetime_as_string(seconds.astype("datetime64[s]"), unit="s")
        # Django keeps SQLite datetimes as naive UTC text with a space; PostgreSQL gets ISO.
        text = np.char.replace(text, "T", " ") if vendor == "sqlite" else np.char.add(text, "Z")
    out = text.astype(object)
    if present is not None:
        out[~present] = None
    return out.tolist()


def _rows(table: Table, chunk: dict, vendor: str):
    columns = [_column(kind, chunk[name], vendor) for name, kind in table.columns]
    return list(zip(*columns, strict=True))


def _load_sqlite(cursor, tables: list[Table], context, progress, report: LoadReport):
    for table in tables:
        started = time.perf_counter()
        names = ", ".join(name for name, _ in table.columns)
        marks = ", ".join(["%s"] * len(table.columns))
        sql = f"INSERT INTO {table.name} ({names}) VALUES ({marks})"
        report.rows[table.name] = 0
        for chunk in table.chunks(context):
            rows = _rows(table, chunk, "sqlite")
            cursor.executemany(sql, rows)
            report.rows[table.name] += len(rows)
            progress(len(rows))
        report.seconds[table.name] = time.perf_counter() - started


def _load_postgres(cursor, tables: list[Table], context, progress, report: LoadReport):
    names = [table.name for table in tables]
    cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")
    cursor.execute("SET LOCAL max_parallel_maintenance_workers = 2")
    rebuild = _drop_secondary_structures(cursor, names)
    raw = cursor.cursor  # psycopg's own cursor, inside Django's transaction
    for table in tables:
        started = time.perf_counter()
        columns = ", ".join(name for name, _ in table.columns)
        report.rows[table.name] = 0
        with raw.copy(f"COPY {table.name} ({columns}) FROM STDIN") as copy:
            for chunk in table.chunks(context):
                rows = _rows(table, chunk, "postgresql")
                for row in rows:
                    copy.write_row(row)
                report.rows[table.name] += len(rows)
                progress(len(rows))
        report.seconds[table.name] = time.perf_counter() - started
    started = time.perf_counter()
    for statement in rebuild:
        cursor.execute(statement)
    report.seconds["rebuild indexes and constraints"] = time.perf_counter() - started
    started = time.perf_counter()
    for table in names:
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
            f"COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
        )
        cursor.execute(f"ANALYZE {table}")
    report.seconds["analyze"] = time.perf_counter() - started


def _drop_secondary_structures(cursor, tables: list[str]) -> list[str]:
    """Drop indexes and FK/unique constraints of `tables`; return the statements that
    rebuild them (indexes, then unique constraints, then foreign keys)."""
    cursor.execute(
        """SELECT conrelid::regclass::text, conname, contype, pg_get_constraintdef(oid)
           FROM pg_constraint WHERE conrelid = ANY(%s::regclass[]) AND contype IN ('f', 'u')
           ORDER BY contype, conname""",
        [tables],
    )
    constraints = cursor.fetchall()
    cursor.execute(
        """SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
           FROM pg_index i
           WHERE i.indrelid = ANY(%s::regclass[])
             AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
           ORDER BY 1""",
        [tables],
    )
    indexes = cursor.fetchall()
    for table, name, _, _ in constraints:  # foreign keys ('f') before unique constraints ('u')
        cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    for name, _ in indexes:
        cursor.execute(f"DROP INDEX {name}")
    rebuild = [definition for _, definition in indexes]
    rebuild += [
        f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}'
        for table, name, _, definition in reversed(constraints)
    ]
    return rebuild
