"""Keyset pagination over any listing: rows after a position, in a fixed order.

The two keyset expressions come first in every SELECT, so a row's position is row[:2]."""

from datetime import datetime

from django.conf import settings
from django.db import DatabaseError, connection

from core.errors import RateLimited
from core.sql import SLOTS_TAKEN, execute_limited
from research.rendering import as_utc


def db_time(value: datetime):
    return connection.ops.adapt_datetimefield_value(value)


def row_position(row: tuple) -> list:
    first = row[0]
    return [as_utc(first).isoformat() if isinstance(first, datetime) else first, row[1]]


def _position_params(position: list) -> list:
    first = position[0]
    return [
        db_time(datetime.fromisoformat(first)) if isinstance(first, str) else first,
        position[1],
    ]


def build(
    select: str,
    source: str,
    condition: str,
    params: list,
    keys: tuple[str, str],
    *,
    descending: bool,
    position: list | None,
    limit: int | None,
) -> tuple[str, list]:
    """The SQL and parameters of a page: `SELECT keys, select FROM source WHERE condition`
    after `position`, `limit` rows (all of them with None; also run as-is by the
    benchmark's raw baseline)."""
    params = list(params)
    direction, after = ("DESC", "<") if descending else ("ASC", ">")
    keyset = ""
    if position is not None:
        keyset = f" AND ({keys[0]}, {keys[1]}) {after} (%s, %s)"
        params += _position_params(position)
    sql = (
        f"SELECT {keys[0]}, {keys[1]}, {select} FROM {source} WHERE {condition}{keyset} "
        f"ORDER BY {keys[0]} {direction}, {keys[1]} {direction}"
    )
    if limit is not None:
        sql += " LIMIT %s"
        params.append(limit)
    return sql, params


def run(sql: str, params: list, project_id=None) -> list[tuple]:
    """Execute a page query, with the research time limit (a query that runs past it is
    answered with query_timeout and not charged) and, for `project_id`, in one of the
    project's slots for queries at once (RateLimited when they are all taken). On
    PostgreSQL, timestamps are read with psycopg's C loader: Django's own (Python) loader
    took a quarter of a page request's time."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            _use_c_timestamps(cursor.cursor)
        try:
            execute_limited(cursor, sql, params, slot_of=project_id)
        except DatabaseError as error:
            if getattr(error.__cause__, "sqlstate", None) == SLOTS_TAKEN:
                raise _slots_taken() from None
            raise
        return cursor.fetchall()


def _slots_taken() -> RateLimited:
    slots = settings.RESEARCH_API_QUERIES_AT_ONCE
    return RateLimited(
        f"Your project is running {slots} research queries at once, the most it may: one "
        "project's heavy queries must not hold up others. Retry when one has finished "
        "(a second).",
        headers={"Retry-After": "1"},
        limit="queries-at-once",
    )


def _use_c_timestamps(cursor):
    import psycopg
    from psycopg.postgres import types
    from psycopg.pq import Format

    oid = types["timestamptz"].oid
    cursor.adapters.register_loader(oid, psycopg.adapters.get_loader(oid, Format.TEXT))


def stream(sql: str, params: list, batch: int, using=None):
    """All rows of `sql`, `batch` at a time, from a server-side cursor on PostgreSQL (rows
    are never all in memory; the caller holds a transaction open on `using`, the default
    connection if None, while it reads); without the research time limit, for background
    readers."""
    using = using or connection
    with using.chunked_cursor() as cursor:
        if using.vendor == "postgresql":
            _use_c_timestamps(cursor.cursor)
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(batch):
            yield rows
