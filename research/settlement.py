"""How a research request concludes: everything it writes, at once, after its rows were read.

A page request writes its quota debits, its search and the next page's bookmark (if new), and
its audit entry. They succeed or fail together, and nothing is written before the response is
ready, so a request that fails on the way costs nothing and leaves no trace but its error.

On PostgreSQL they are one statement: data-modifying WITH clauses, which commit together in
that statement's own transaction (no BEGIN or COMMIT round trips). A debit that finds no room
makes the statement raise (`quota_refused()`, migration quotas 0002), which undoes every other
part of it. The reads before it need no transaction, so a new search costs three round
trips: the token (which doubles as the connection's health check, core.sql.first_statement),
the page and this; a listing of one account's or video's items adds the look-up of that
anchor, and a continuation page the read of its search and bookmark. The token look-up and
this statement are prepared (core.sql); the page and this statement each carry the research
time limit (core.sql.execute_limited, fetch_limited): this one may queue on the rows it
updates, and a request that waits too long is answered, not left hanging.
On SQLite, where statements cost no round trip, the same writes run one by one in a
transaction (quotas.counters.apply, Page.save, audit.append).
"""

import contextlib

from django.db import DatabaseError, connection, transaction

from audit import services as audit
from audit.models import AuditEntry
from core.sql import fetch_limited, insert_select
from quotas.counters import apply
from research.paging import DATA_AS_OF_SQL, Page, data_as_of

REFUSED = "RQ429"  # the SQLSTATE quota_refused() raises


def conclude(
    entry: AuditEntry, *, meter=None, records: int = 0, page: Page | None = None, also=None
):
    """Charge `records` to `meter` (if metered), save `page`'s new search and bookmark, insert
    `also` (a model instance, such as a statistics release) and append `entry`, all or
    nothing. Return the data snapshot the answer reflects. Raises the meter's refusal if a
    debit found no room (then nothing was written), IntegrityError if `also` clashes."""
    if connection.vendor != "postgresql":
        with transaction.atomic():
            if meter is not None:
                refused = apply(meter.debits(records))
                if refused:
                    raise meter.refused(refused)
                meter.charged(records)
            as_of = page.save() if page is not None else data_as_of(entry.created_at)
            if also is not None:
                also.save(force_insert=True)
            audit.append(entry)
        return as_of
    sql, params = _statement(entry, meter, records, page, also)
    try:
        with _atomically():
            as_of = fetch_limited(sql, params)[1]  # it may queue on the rows it updates
    except DatabaseError as error:
        cause = error.__cause__
        if meter is not None and getattr(cause, "sqlstate", None) == REFUSED:
            raise meter.refused(cause.diag.message_primary, undone=True) from None
        raise
    if meter is not None:
        meter.charged(records)
    return page.search.data_as_of if page is not None and not page.new else as_of


def _statement(entry, meter, records, page, also=None) -> tuple[str, list]:
    parts, params = [], []

    def add(name: str, sql: str, values: list):
        parts.append(f"{name} AS ({sql})")
        params.extend(values)

    refusals = []
    if meter is not None:
        for debit in meter.debits(records):
            add(debit.name, *debit.sql())
            refusals.append(
                f"WHEN NOT EXISTS (SELECT FROM {debit.name}) THEN quota_refused('{debit.name}')"
            )
    if also is not None:
        add("also", *insert_select(also))
    add("head", *audit.advance_head(entry))
    add("entry", *audit.insert_after(entry, "head"))
    # The snapshot the answer reflects: a new search's, as it is saved; without a search, as
    # of now; a continuation page's is the one its search recorded (conclude returns it).
    as_of, as_of_params = DATA_AS_OF_SQL, [entry.created_at]
    if page is not None and not page.new:
        as_of, as_of_params = "NULL", []
    elif page is not None:
        add(
            "search",
            *insert_select(
                page.search,
                computed={"data_as_of": (DATA_AS_OF_SQL, [page.search.snapshot_at])},
                suffix="RETURNING data_as_of",
            ),
        )
        as_of, as_of_params = "(SELECT data_as_of FROM search)", []
    if page is not None and page.bookmark is not None:
        add("bookmark", *insert_select(page.bookmark, suffix="ON CONFLICT DO NOTHING"))
    refused = f"CASE {' '.join(refusals)} END" if refusals else "NULL"
    return f"WITH {', '.join(parts)} SELECT {refused}, {as_of}", params + as_of_params


def _atomically():
    """The statement is atomic by itself. Inside a caller's transaction (a test's), a
    savepoint keeps a refused statement from aborting that transaction."""
    if connection.in_atomic_block:
        return transaction.atomic()
    return contextlib.nullcontext()
