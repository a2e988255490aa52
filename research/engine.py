"""The one path every research listing takes: validate → fields → page → render → settle.

research.apis wraps it in HTTP (authentication, scope, dataset and quota checks, the
envelope); `stream` reads any listing the same way without HTTP, for background readers
such as exports.
"""

from collections.abc import Iterator
from datetime import datetime

import orjson
from django.db import connection, transaction
from pydantic import BaseModel, ValidationError

from audit import events
from audit.services import entry as audit_entry
from core import validation
from core.errors import InvalidParams, NotFound
from research import keyset, paging, settlement
from research.auth import ProjectCaller
from research.listings import Listing, Paging
from research.pseudonyms import Pseudonyms
from research.rendering import Field, Renderer, select_list
from research.sources import page_sql


def validated(model: type[BaseModel], data) -> BaseModel:
    """The request body as `model`, or InvalidParams naming every problem and where it is."""
    if not isinstance(data, dict):
        raise InvalidParams("The request body must be a JSON object.")
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise InvalidParams(
            "; ".join(
                f"{path}: {reason}" if path else reason
                for path, reason in validation.describe(error)
            )
        ) from None


def chosen_fields(listing: Listing, raw: str | None) -> list[Field]:
    """The `?fields=a,b,c` of a request (all fields when absent), checked."""
    available = listing.fields
    if raw is None or raw.strip() == "":
        return list(available.values())
    wanted = [name.strip() for name in raw.split(",") if name.strip()]
    unknown = [name for name in wanted if name not in available]
    if unknown:
        raise InvalidParams(
            f"fields: {', '.join(repr(u) for u in unknown)} "
            f"{'is not a field' if len(unknown) == 1 else 'are not fields'} "
            f"of {listing.resource.records}; available: {', '.join(available)}"
        )
    return [available[name] for name in dict.fromkeys(wanted)]


def answer(
    listing: Listing, caller: ProjectCaller, body, fields: list[Field], meter=None
) -> tuple[dict, datetime | None]:
    """Run `listing` for `caller` on the request `body` (already parsed JSON): read the page,
    render it, and settle (quota, search, bookmark and audit entry written together, see
    research.settlement). Returns the answer's `data` and the snapshot it reflects."""
    request = validated(listing.request, body)
    source, pseudonyms = listing.source, caller.pseudonyms
    params = source.search_params(request, pseudonyms)
    select, positions = select_list(fields)

    def allowance(wanted: int) -> int:
        return meter.records_allowed(wanted) if meter is not None else wanted

    page = None
    if listing.paging is Paging.NONE:
        limit = allowance(listing.max_records)
        rows = keyset.run(
            *page_sql(source, params, pseudonyms, select, snapshot=caller.now, limit=limit),
            project_id=caller.project.id,
        )
    else:

        def fetch(search, position, limit):
            return keyset.run(
                *page_sql(
                    source,
                    search.params,
                    pseudonyms,
                    select,
                    snapshot=search.snapshot_at,
                    seed=search.seed,
                    position=position,
                    limit=limit,
                ),
                project_id=caller.project.id,
            )

        by_search = listing.paging is Paging.SEARCH
        page = paging.page(
            caller.project,
            listing.path,
            params,
            cursor=source.cursor(request),
            max_count=allowance(request.max_count),
            fetch=fetch,
            key=keyset.row_position,
            search_id=request.search_id if by_search else None,
            by_search_id=by_search,
            random=by_search and request.is_random,
        )
        rows = page.rows
    items = Renderer(pseudonyms, fields, positions).render(rows)
    if listing.key is None and not items:
        raise NotFound(f"No {listing.resource.name} found.")

    details = {"records": len(items)}
    if page is not None:
        details["cursor"] = request.cursor
        if listing.paging is Paging.SEARCH:
            details |= {"search_id": str(page.search.id), "fingerprint": page.search.fingerprint}
    entry = audit_entry(
        events.DATA_READ,
        actor_label="client",
        project=caller.project,
        client_id=caller.client_id,
        target=listing.path,
        details=details,
    )
    data_as_of = settlement.conclude(entry, meter=meter, records=len(items), page=page)

    if listing.key is None:
        return items[0], data_as_of
    data = {listing.key: items}
    if page is not None:
        data |= {"cursor": page.cursor, "has_more": page.has_more}
        if listing.paging is Paging.SEARCH:
            data["search_id"] = str(page.search.id)
    return data, data_as_of


def estimate(
    listing: Listing, pseudonyms: Pseudonyms, params: dict, *, snapshot: datetime, seed: int = 0
) -> int | None:
    """About how many records the search `params` matches, for a progress bar: the
    planner's estimate on PostgreSQL (it costs no scan), a count on SQLite."""
    select, _ = select_list(list(listing.fields.values())[:1])
    sql, values = page_sql(
        listing.source, params, pseudonyms, select, snapshot=snapshot, seed=seed, limit=None
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", values)
            (plan,) = cursor.fetchone()
            plan = orjson.loads(plan) if isinstance(plan, str | bytes) else plan
            return int(plan[0]["Plan"]["Plan Rows"])
        cursor.execute(f"SELECT count(*) FROM ({sql})", values)  # noqa: S608
        return cursor.fetchone()[0]


def stream(
    listing: Listing,
    pseudonyms: Pseudonyms,
    params: dict,
    fields: list[Field],
    *,
    snapshot: datetime,
    seed: int = 0,
    batch: int = 10_000,
    limit: int | None = None,
    as_columns: bool = False,
    reader=None,
) -> Iterator:
    """Every record of the search `params` of `listing` (as `source.search_params` makes
    them) as of `snapshot` (at most `limit`), rendered for the project of `pseudonyms`,
    `batch` at a time: the same SQL and rendering as the endpoint's pages, with lists as
    lists and times as datetimes (UTC). Each batch is a list of records, or with
    `as_columns` (field names, columns).

    On PostgreSQL the rows come from a server-side cursor inside a transaction, so neither
    side holds the whole result. `reader`, a database connection of the caller's own
    (connections.create_connection), keeps that transaction apart from the caller's other
    work, such as progress updates others must see while it reads. The caller checks the
    project's grant and meters and audits what it reads; close the iterator when done.
    """
    select, positions = select_list(fields)
    sql, values = page_sql(
        listing.source, params, pseudonyms, select, snapshot=snapshot, seed=seed, limit=limit
    )
    renderer = Renderer(pseudonyms, fields, positions, native=True)
    if reader is None:
        with transaction.atomic():
            for rows in keyset.stream(sql, values, batch):
                yield renderer.columns(rows) if as_columns else renderer.render(rows)
        return
    reader.set_autocommit(False)
    try:
        for rows in keyset.stream(sql, values, batch, using=reader):
            yield renderer.columns(rows) if as_columns else renderer.render(rows)
    finally:
        reader.rollback()  # it only read
        reader.set_autocommit(True)
