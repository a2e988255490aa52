"""Pagination researchers can trust.

A search is remembered (its parameters and the moment it began) and each page's start is a
keyset bookmark: `cursor` is how many items came before the page, as in TikTok's API, and it
maps to the exact position after the previous page's last item. So the same search_id and
cursor return the same page for 24 hours; items ingested after the search began never appear
in it; items deleted since drop out; and page 1,000 costs what page 1 costs (no OFFSET).
"""

import contextlib
import hashlib
import secrets
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import orjson
from django.db import connection
from django.db.models import Max
from django.utils import timezone

from catalog.models import IngestBatch
from core.errors import InvalidParams
from core.sql import db_uuid, fetch_prepared, instance_of, model_columns
from research.models import Search, SearchPage

LIFETIME = timedelta(hours=24)


def fingerprint(endpoint: str, params: dict) -> str:
    canonical = orjson.dumps(
        {"endpoint": endpoint, "params": params},
        option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS,
    )
    return hashlib.sha256(canonical).hexdigest()


def data_as_of(now: datetime) -> datetime | None:
    """When the newest data in the catalogue as of `now` was received (the last ingest or
    seed); DATA_AS_OF_SQL is the same in SQL."""
    return IngestBatch.objects.filter(finished_at__lte=now).aggregate(latest=Max("finished_at"))[
        "latest"
    ]


DATA_AS_OF_SQL = "(SELECT MAX(finished_at) FROM catalog_ingestbatch WHERE finished_at <= %s)"


def _start(project, endpoint: str, params: dict, now: datetime, random: bool) -> Search:
    """A new search, saved when the request concludes (research.settlement), with its page."""
    return Search(
        id=uuid.uuid4(),
        project=project,
        endpoint=endpoint,
        fingerprint=fingerprint(endpoint, params),
        params=params,
        snapshot_at=now,
        seed=secrets.randbelow(2**31 - 2) + 1 if random else 0,
        created_at=now,
        expires_at=now + LIFETIME,
    )


# A search of the caller's project by id or by its list's fingerprint, with `bookmark`: the
# keyset position where the page at the cursor starts (NULL if no page ended there), in one
# prepared statement (the ORM's version of it cost more than the page query).
_SEARCH = f"""
    SELECT {model_columns(Search, "s")},
           (SELECT p.position FROM research_searchpage p WHERE p.search_id = s.id
            AND p.cursor = %s) AS bookmark
    FROM research_search s
    WHERE s.project_id = %s AND s.endpoint = %s AND s.expires_at > %s
"""  # SQL from the model's own column names (S608 is off for this file)
_BY_ID = _SEARCH + " AND s.id = %s"
_BY_FINGERPRINT = (
    _SEARCH + " AND s.fingerprint = %s AND EXISTS (SELECT 1 FROM research_searchpage p"
    " WHERE p.search_id = s.id AND p.cursor = %s) ORDER BY s.created_at DESC LIMIT 1"
)


def _stored(sql: str, params: list) -> Search | None:
    row = fetch_prepared(sql, params)
    if row is None:
        return None
    search, (bookmark,) = instance_of(Search, row)
    search.bookmark = orjson.loads(bookmark) if isinstance(bookmark, str | bytes) else bookmark
    return search


def _key(project, endpoint: str, cursor: int, now) -> list:
    return [cursor, db_uuid(project.id), endpoint, connection.ops.adapt_datetimefield_value(now)]


def _search_by_id(project, endpoint: str, search_id: str, params: dict, cursor: int, now):
    search = None
    with contextlib.suppress(ValueError):  # not even a UUID: unknown
        search = _stored(
            _BY_ID, [*_key(project, endpoint, cursor, now), db_uuid(uuid.UUID(search_id))]
        )
    if search is None:
        raise InvalidParams(
            f"search_id {search_id!r} is unknown or has expired (a search stays "
            f"valid for 24 hours); start again without search_id"
        )
    if search.fingerprint != fingerprint(endpoint, params):
        raise InvalidParams(
            "search_id belongs to a different query: send the same query, "
            "start_date, end_date and is_random as on its first page"
        )
    return search


def _listing(project, endpoint: str, params: dict, cursor: int, now) -> Search:
    search = _stored(
        _BY_FINGERPRINT,
        [*_key(project, endpoint, cursor, now), fingerprint(endpoint, params), cursor],
    )
    if search is None:
        raise InvalidParams(
            f"cursor {cursor} is not where a page of this list ended in the last "
            f"24 hours: start at cursor 0 and pass back the cursor each page "
            f"returns"
        )
    return search


@dataclass
class Page:
    search: Search  # not saved yet if `new`
    rows: list[tuple]
    cursor: int  # items before the next page
    has_more: bool
    new: bool = False
    bookmark: SearchPage | None = None  # where the next page starts; not saved yet

    def save(self) -> datetime | None:
        """Save a new search and the next page's bookmark (in the caller's transaction);
        return the data snapshot the search reflects."""
        if self.new:
            self.search.data_as_of = data_as_of(self.search.snapshot_at)
            self.search.save(force_insert=True)
        if self.bookmark is not None:
            SearchPage.objects.bulk_create([self.bookmark], ignore_conflicts=True)
        return self.search.data_as_of


def page(
    project,
    endpoint: str,
    params: dict,
    *,
    cursor: int,
    max_count: int,
    fetch: Callable[[Search, list | None, int], list[tuple]],
    key: Callable[[tuple], list],
    search_id: str | None = None,
    by_search_id: bool = False,
    random: bool = False,
) -> Page:
    """One page of a search. `fetch(search, position, limit)` returns rows after `position`
    (None: from the start) in the search's order; `key(row)` is a row's keyset position."""
    now = timezone.now()
    if by_search_id and search_id:
        search = _search_by_id(project, endpoint, search_id, params, cursor, now)
    elif cursor == 0:
        search = _start(project, endpoint, params, now, random)
    elif by_search_id:
        raise InvalidParams(f"cursor {cursor} needs the search_id of the search it belongs to")
    else:
        search = _listing(project, endpoint, params, cursor, now)
    position = search.bookmark if cursor else None
    if cursor and position is None:
        raise InvalidParams(
            f"cursor {cursor} is not where a page of this search ended; pass "
            f"back the cursor the previous page returned"
        )
    rows = fetch(search, position, max_count + 1)
    has_more = len(rows) > max_count
    rows = rows[:max_count]
    next_cursor = cursor + len(rows)
    bookmark = None
    if has_more:
        bookmark = SearchPage(search=search, cursor=next_cursor, position=key(rows[-1]))
    return Page(
        search=search,
        rows=rows,
        cursor=next_cursor,
        has_more=has_more,
        new=search._state.adding,
        bookmark=bookmark,
    )


def purge_expired(now: datetime | None = None) -> int:
    return Search.objects.filter(expires_at__lte=now or timezone.now()).delete()[0]
