"""Usage counters and the debits that spend them, described once as data.

A `Counter` is a table of running totals, one row per key (a project's day in a family, a
client's burst window). A `Debit` adds amounts to one row, and only if every total stays
within its limit: one conditional upsert that returns a row when it succeeded. The same
statement text is run on its own in a transaction (SQLite) and as one of the data-modifying
WITH clauses of a request's single write (PostgreSQL, research.settlement), so a new quota,
a privacy budget or an export reservation is a new declaration, not new SQL in two places.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.db import connection

from core.sql import typed


@dataclass(frozen=True)
class Counter:
    table: str
    key: tuple[str, ...]  # the columns that name a row
    amounts: tuple[str, ...]  # the running totals
    types: Mapping[str, str]  # each column's SQL type

    def read(self, key_sql: Mapping[str, str], alias: str) -> list[tuple[str, str]]:
        """(name, SQL expression) of each total of the row `key_sql` names (0 if it does not
        exist yet), for a SELECT list; the names are `alias` + '_' + the column. Key values
        are SQL expressions (columns or %s)."""
        where = " AND ".join(f"c.{column} = {key_sql[column]}" for column in self.key)
        return [
            (
                f"{alias}_{amount}",
                f"COALESCE((SELECT c.{amount} FROM {self.table} c WHERE {where}), 0)",
            )
            for amount in self.amounts
        ]


@dataclass(frozen=True)
class Debit:
    """Add `amounts` to the `counter` row named by `key`, unless a total would pass its limit
    (`limits`: column -> the most it may reach; a column without one is not limited, as for
    a credit that gives back what a reservation took)."""

    name: str  # which limit a refusal names
    counter: Counter
    key: Mapping[str, object]
    amounts: Mapping[str, int]
    limits: Mapping[str, int] = field(default_factory=dict)

    def __post_init__(self):
        # The name becomes an SQL name in the request's one write (research.settlement).
        if not re.fullmatch(r"[a-z_]+", self.name):
            raise ValueError(f"a debit's name is lower-case letters and _: {self.name!r}")

    def sql(self) -> tuple[str, list]:
        """`INSERT ... SELECT ... WHERE fits ON CONFLICT DO UPDATE ... WHERE fits RETURNING 1`:
        a row comes back if, and only if, the debit was applied."""
        table, columns = self.counter.table, [*self.key, *self.amounts]
        params: list = [*self.key.values(), *self.amounts.values()]
        vendor = connection.vendor
        values = ", ".join(typed(self.counter.types[column], vendor) for column in columns)
        first_fits = ["1 = 1"]  # SQLite needs a WHERE between INSERT ... SELECT and ON CONFLICT
        for column, limit in self.limits.items():
            first_fits.append("%s <= %s")
            params += [self.amounts[column], limit]
        updates, fits = [], []
        for column in self.amounts:
            updates.append(f"{column} = {table}.{column} + excluded.{column}")
        for column, limit in self.limits.items():
            fits.append(f"{table}.{column} + excluded.{column} <= %s")
            params.append(limit)
        sql = (
            f"INSERT INTO {table} ({', '.join(columns)}) "
            f"SELECT {values} WHERE {' AND '.join(first_fits)} "
            f"ON CONFLICT ({', '.join(self.counter.key)}) DO UPDATE SET {', '.join(updates)}"
            + (f" WHERE {' AND '.join(fits)}" if fits else "")
            + " RETURNING 1"
        )
        return sql, params


def apply(debits: list[Debit]) -> str | None:
    """Apply `debits` one by one in the caller's transaction; the name of the first that
    found no room (the caller must then roll back), or None when all were applied."""
    with connection.cursor() as cursor:
        for debit in debits:
            cursor.execute(*debit.sql())
            if cursor.fetchone() is None:
                return debit.name
    return None


DAILY = Counter(
    "quotas_dailyusage",
    ("project_id", "family", "day"),
    ("requests", "records"),
    {
        "project_id": "uuid",
        "family": "text",
        "day": "date",
        "requests": "bigint",
        "records": "bigint",
    },
)
BURST = Counter(
    "quotas_burstwindow",
    ("client_id", "window_start"),
    ("requests",),
    {"client_id": "text", "window_start": "bigint", "requests": "integer"},
)
PRIVACY = Counter(
    "quotas_privacyspend",
    ("project_id",),
    ("spent",),
    {"project_id": "uuid", "spent": "bigint"},
)
