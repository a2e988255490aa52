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
from django.db.models import JSONField, Max, OuterRef, Subquery
from django.utils import timezone

from catalog.models import IngestBatch
from core.errors import InvalidParams
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


def _with_bookmark(searches, cursor: int):
    """Searches with `bookmark`: the keyset position where the page at `cursor` starts
    (None if no page of the search ended there), read in the same query."""
    pages = SearchPage.objects.filter(search=OuterRef("pk"), cursor=cursor)
    return searches.annotate(bookmark=Subquery(pages.values("position")[:1], JSONField()))


def _search_by_id(project, endpoint: str, search_id: str, params: dict, cursor: int, now):
    search = None
    with contextlib.suppress(ValueError):  # not even a UUID: unknown
        search = _with_bookmark(
            Search.objects.filter(
                pk=uuid.UUID(search_id), project=project, endpoint=endpoint, expires_at__gt=now
            ),
            cursor,
        ).first()
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
    searches = Search.objects.filter(
        project=project,
        endpoint=endpoint,
        fingerprint=fingerprint(endpoint, params),
        expires_at__gt=now,
        pages__cursor=cursor,
    )
    search = _with_bookmark(searches, cursor).order_by("-created_at").first()
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
