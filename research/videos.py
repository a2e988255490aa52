"""Video search: the query language compiled to one SQL statement per page.

Raw SQL here, on purpose: a page of videos is the hottest path of the service, and reading
tuples instead of model instances is what keeps it near the speed of the database (see
docs/benchmarks.md). Every value is a bound parameter; only this module's own fragments are
ever put into the SQL text.

Order: newest first, by (create_time, id); a random search orders by a permutation of ids
drawn from the search's seed instead, so a sample is uniform and reproducible by search_id.
"""

from datetime import UTC, date, datetime, timedelta

from django.db import connection

from catalog.fulltext import SQLITE_TABLE
from catalog.models import VideoStatus
from research import keyset
from research.keyset import db_time
from research.pseudonyms import Pseudonyms
from research.query_language import VIDEO_LENGTHS, Condition, Query

# A permutation of ids for random order: ((id mod P) * A + B) mod P with P = 2**31 - 1.
_PRIME = 2_147_483_647


class Sql:
    """Collects bound parameters while fragments are built."""

    def __init__(self):
        self.params: list = []

    def param(self, value) -> str:
        self.params.append(value)
        return "%s"

    def params_in(self, values) -> str:
        return ", ".join(self.param(v) for v in values)


def _day(value: str) -> datetime:
    return datetime(int(value[:4]), int(value[4:6]), int(value[6:]), tzinfo=UTC)


def _day_condition(operation: str, day: datetime, sql: Sql) -> str:
    next_day = day + timedelta(days=1)
    if operation == "EQ":
        return (
            f"(v.create_time >= {sql.param(db_time(day))} AND "
            f"v.create_time < {sql.param(db_time(next_day))})"
        )
    bound, comparison = {
        "GT": (next_day, ">="),
        "GTE": (day, ">="),
        "LT": (day, "<"),
        "LTE": (next_day, "<"),
    }[operation]
    return f"v.create_time {comparison} {sql.param(db_time(bound))}"


def _condition(condition: Condition, sql: Sql, pseudonyms: Pseudonyms, vendor: str) -> str:
    field, values = condition.field_name, condition.field_values
    op = condition.operation
    if field == "create_date":
        return (
            "("
            + " OR ".join(_day_condition("EQ" if op == "IN" else op, _day(v), sql) for v in values)
            + ")"
        )
    if field == "username":
        ids = [i for i in pseudonyms.username_ids(values) if i]
        return f"v.creator_id IN ({sql.params_in(ids)})" if ids else "1 = 0"
    if field == "video_id":
        ids = [i for i in pseudonyms.decode("video", [int(v) for v in values]) if i]
        return f"v.id IN ({sql.params_in(ids)})" if ids else "1 = 0"
    if field == "region_code":
        return f"v.region_code IN ({sql.params_in(v.upper() for v in values)})"
    if field == "hashtag_name":
        names = [v.strip().removeprefix("#").lower() for v in values]
        return (
            f"v.id IN (SELECT vh.video_id FROM catalog_videohashtag vh JOIN catalog_hashtag h "
            f"ON h.id = vh.hashtag_id WHERE h.name IN ({sql.params_in(names)}))"
        )
    if field == "music_id":
        return f"(v.music_id IS NOT NULL AND v.music_id IN ({sql.params_in(map(int, values))}))"
    if field == "effect_id":
        return (
            f"v.id IN (SELECT ve.video_id FROM catalog_videoeffect ve WHERE ve.effect_id IN "
            f"({sql.params_in(map(int, values))}))"
        )
    if field == "video_length":
        ranges = []
        for value in values:
            low, high = VIDEO_LENGTHS[value]
            lower = f"v.duration >= {sql.param(low)}"  # parameters bind in this order
            upper = f" AND v.duration < {sql.param(high)}" if high is not None else ""
            ranges.append(f"({lower}{upper})")
        return "(" + " OR ".join(ranges) + ")"
    # keyword: a phrase match on description and transcript
    keywords = [v.strip() for v in values]
    if vendor == "postgresql":
        queries = " || ".join(
            f"phraseto_tsquery('simple'::regconfig, {sql.param(k)})" for k in keywords
        )
        return f"v.search_vector @@ ({queries})"
    match = " OR ".join('"' + k.replace('"', '""') + '"' for k in keywords)
    return (
        f"v.id IN (SELECT rowid FROM {SQLITE_TABLE} WHERE {SQLITE_TABLE} MATCH {sql.param(match)})"
    )


def where(
    query: Query, window: tuple[date, date], snapshot: datetime, sql: Sql, pseudonyms: Pseudonyms
) -> str:
    vendor = connection.vendor
    start, end = (datetime(d.year, d.month, d.day, tzinfo=UTC) for d in window)
    parts = [
        f"v.status = {sql.param(VideoStatus.PUBLIC)}",
        f"v.ingested_at <= {sql.param(db_time(snapshot))}",
        f"v.create_time >= {sql.param(db_time(start))}",
        f"v.create_time < {sql.param(db_time(end))}",
    ]
    parts += [_condition(c, sql, pseudonyms, vendor) for c in query.and_]
    if query.or_:
        parts.append(
            "(" + " OR ".join(_condition(c, sql, pseudonyms, vendor) for c in query.or_) + ")"
        )
    parts += [f"NOT {_condition(c, sql, pseudonyms, vendor)}" for c in query.not_]
    return " AND ".join(parts)


def random_rank(seed: int) -> str:
    a, b = seed % (_PRIME - 1) + 1, (seed * 7919) % _PRIME
    # '%%' is the modulo operator: both database drivers read a lone '%' as a placeholder.
    return f"(((v.id %% {_PRIME}) * {a} + {b}) %% {_PRIME})"


def order(seed: int) -> tuple[tuple[str, str], bool]:
    """Keyset expressions and direction of a search: newest first, or a random permutation."""
    if seed:
        return (random_rank(seed), "v.id"), False
    return ("v.create_time", "v.id"), True


def page_sql(
    query: Query,
    window: tuple[date, date],
    select: str,
    pseudonyms: Pseudonyms,
    *,
    snapshot: datetime,
    seed: int,
    position: list | None,
    limit: int,
):
    """SQL and parameters of one page of a video search (the view's, and the benchmark's
    raw baseline's)."""
    sql = Sql()
    condition = where(query, window, snapshot, sql, pseudonyms)
    keys, descending = order(seed)
    return keyset.build(
        select,
        "catalog_video v",
        condition,
        sql.params,
        keys,
        descending=descending,
        position=position,
        limit=limit,
    )
