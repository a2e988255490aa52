"""Where each listing's rows come from: one module per source, raw SQL on purpose.

A page of records is the hottest path of the service, and reading tuples instead of model
instances is what keeps it near the speed of the database (see docs/benchmarks.md). Every
value is a bound parameter; only a source's own fragments are ever put into the SQL text.

A `Source` knows its FROM clause, the fields it can render (checked against the codebook),
its keyset order, what defines one search of it (`search_params`, resolved from a request:
anchors such as the video whose comments are listed are looked up here, and an unknown one
is NotFound) and the condition of such a search (`where`, from those parameters alone, so a
stored search, a later page or a background export runs the very same SQL).
"""

from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta

from core.sql import fetch_prepared
from research import keyset
from research.pseudonyms import Pseudonyms
from research.query_language import parse_date
from research.rendering import Field


class Sql:
    """Collects bound parameters while fragments are built."""

    def __init__(self):
        self.params: list = []

    def param(self, value) -> str:
        self.params.append(value)
        return "%s"

    def params_in(self, values) -> str:
        return ", ".join(self.param(v) for v in values)


# How a query field becomes SQL: (values, operation, sql, pseudonyms) -> a condition.
Compile = Callable[[list[str], str, "Sql", Pseudonyms], str]


def query_conditions(query: dict, fields: Mapping, sql, pseudonyms) -> list[str]:
    """The and/or/not lists of a canonical query (as a search stores it) as conditions to
    AND together, each compiled by its query field's `sql` (query_language.QueryField)."""

    def one(condition: dict) -> str:
        compile_field = fields[condition["field_name"]].sql
        return compile_field(condition["field_values"], condition["operation"], sql, pseudonyms)

    parts = [one(c) for c in query["and"]]
    if query["or"]:
        parts.append("(" + " OR ".join(one(c) for c in query["or"]) + ")")
    parts += [f"NOT {one(c)}" for c in query["not"]]
    return parts


def equal_to(column: str, transform=None) -> Compile:
    """`column IN (values)`, each value transformed first (e.g. upper-cased)."""

    def compile_field(values, operation, sql, pseudonyms) -> str:
        values = [transform(v) for v in values] if transform else values
        return f"{column} IN ({sql.params_in(values)})"

    return compile_field


def compared(column: str, convert=int) -> Compile:
    """`column` compared with one value (EQ, GT, GTE, LT, LTE) or in several (IN)."""
    symbols = {"EQ": "=", "GT": ">", "GTE": ">=", "LT": "<", "LTE": "<="}

    def compile_field(values, operation, sql, pseudonyms) -> str:
        if operation == "IN":
            return f"{column} IN ({sql.params_in(map(convert, values))})"
        return f"{column} {symbols[operation]} {sql.param(convert(values[0]))}"

    return compile_field


def pseudonymous(column: str, entity: str) -> Compile:
    """`column IN` the internal ids of the project's pseudonyms of `entity` (usernames for
    "creator"); pseudonyms that are not the project's find nothing."""

    def compile_field(values, operation, sql, pseudonyms) -> str:
        if entity == "creator":
            ids = pseudonyms.username_ids(values)
        else:
            ids = pseudonyms.decode(entity, [int(v) for v in values])
        ids = [i for i in ids if i]
        return f"{column} IN ({sql.params_in(ids)})" if ids else "1 = 0"

    return compile_field


# A permutation of ids for random order: ((id mod P) * A + B) mod P with P = 2**31 - 1.
_PRIME = 2_147_483_647


def window_bounds(params: dict) -> tuple[datetime, datetime]:
    """[start, end) of a search's date window, in UTC."""
    start = parse_date(params["start_date"], "start_date")
    end = parse_date(params["end_date"], "end_date") + timedelta(days=1)
    return tuple(datetime(d.year, d.month, d.day, tzinfo=UTC) for d in (start, end))


def random_rank(seed: int, column: str = "v.id") -> str:
    """A permutation of the ids in `column`, drawn from `seed`: the order of a random search."""
    a, b = seed % (_PRIME - 1) + 1, (seed * 7919) % _PRIME
    # '%%' is the modulo operator: both database drivers read a lone '%' as a placeholder.
    return f"((({column} %% {_PRIME}) * {a} + {b}) %% {_PRIME})"


class Source:
    table: str  # the FROM clause, with the aliases the fields' columns use
    fields: Mapping[str, Field]
    keys: tuple[str, str]  # keyset order: two expressions, the second unique
    descending: bool = True

    def search_params(self, request, pseudonyms: Pseudonyms) -> dict:
        """What defines one search of this source (stored, and fingerprinted for paging)."""
        raise NotImplementedError

    def where(self, params: dict, pseudonyms: Pseudonyms, snapshot: datetime, sql: Sql) -> str:
        """The condition of the search `params` over the catalogue as of `snapshot`."""
        raise NotImplementedError

    def cursor(self, request) -> int:
        """Where in the search the request's page starts (items before it)."""
        return getattr(request, "cursor", 0)

    def order(self, seed: int) -> tuple[tuple[str, str], bool]:
        """Keyset expressions and direction (a random search orders by its seed)."""
        return self.keys, self.descending


def page_sql(
    source: Source,
    params: dict,
    pseudonyms: Pseudonyms,
    select: str,
    *,
    snapshot: datetime,
    seed: int = 0,
    position: list | None = None,
    limit: int | None,
) -> tuple[str, list]:
    """SQL and parameters of one page of a search (and, with no limit, of all of it): what
    the endpoint runs, what an export streams, and what the benchmark's baseline runs."""
    sql = Sql()
    condition = source.where(params, pseudonyms, snapshot, sql)
    keys, descending = source.order(seed)
    return keyset.build(
        select,
        source.table,
        condition,
        sql.params,
        keys,
        descending=descending,
        position=position,
        limit=limit,
    )


def exists(table: str, pk: int, condition: str, params: list) -> bool:
    """Whether the row `pk` of `table` meets `condition` (an anchor's check; a prepared
    statement on PostgreSQL)."""
    sql = f"SELECT 1 FROM {table} WHERE id = %s AND {condition}"
    return fetch_prepared(sql, [pk, *params]) is not None
