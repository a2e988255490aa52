"""Listings as iterators that page for you, and pulls that resume where they stopped.

A pull asks for one page at a time (``search_id`` and ``cursor``, or ``cursor`` alone for the
lists that have no search). With a *state file*, each page is written to the file as soon as
it arrives and before it is handed on, with where the next page starts; run the same pull
again with the same state file and it carries on from there. A page that arrived is never
asked for again: if the pull stopped half-way through handing a page on, that page is handed
on again from the state file. (Only a request cut off in flight, its answer never received,
can be charged without its page.) The state file is deleted when the pull is complete.

The server keeps a search's pages for 24 hours: a pull resumed later than that is refused
with :class:`SearchExpired`, and must start again.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from research_api_client.errors import ApiError, ResearchApiError

STATE_VERSION = 1


class StateMismatch(ResearchApiError):
    """The state file belongs to another pull."""


class SearchExpired(ResearchApiError):
    """A resumed pull's search is older than the server keeps searches (24 hours)."""


class Pull:
    """Records of one listing, fetched page by page.

    Iterate over it for records, or over :meth:`pages` for whole pages; :meth:`to_list`,
    :meth:`to_arrow`, :meth:`to_pandas` and :meth:`to_polars` read everything (the last
    three with the codebook's types). ``progress`` gets (records so far, pages so far) after
    each page. A pull resumed from a state file yields what was not yet handed on: keep what
    the first run received (the command line's spool does) and add the rest to it.
    """

    def __init__(
        self,
        fetch: Callable[[dict], dict],
        body: dict,
        records: str,
        *,
        resource: str,
        searched: bool,
        identity: dict | None = None,
        types: Callable[[str], Any] | None = None,
        state: str | os.PathLike | None = None,
        limit: int | None = None,
        progress: Callable[[int, int], None] | None = None,
    ):
        self._fetch, self.body, self.records_key = fetch, dict(body), records
        self.resource, self.searched, self._types = resource, searched, types
        self.identity = identity or {}  # what else makes the pull (its path, its fields)
        self.state_path = Path(state) if state else None
        self.limit, self.progress = limit, progress
        self.pages_fetched = 0  # pages asked for (and charged) by this object
        self.records_seen = 0

    # --- State --------------------------------------------------------------------------------

    @property
    def fingerprint(self) -> str:
        """What identifies the pull: its resource and request, without the paging."""
        # Not the paging, nor the page size: a pull may resume with another --page-size.
        body = {k: v for k, v in self.body.items() if k not in ("cursor", "search_id", "max_count")}
        text = json.dumps(
            {"resource": self.resource, "body": body, **self.identity}, sort_keys=True
        )
        return hashlib.sha256(text.encode()).hexdigest()

    def _load(self) -> dict | None:
        if not self.state_path or not self.state_path.exists():
            return None
        try:
            state = json.loads(self.state_path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise StateMismatch(f"state file {self.state_path} is unreadable: {error}") from None
        if state.get("version") != STATE_VERSION or state.get("fingerprint") != self.fingerprint:
            raise StateMismatch(
                f"state file {self.state_path} belongs to another pull; delete it or name "
                "another state file"
            )
        return state

    def _save(self, state: dict) -> None:
        if not self.state_path:
            return
        temporary = self.state_path.with_name(self.state_path.name + ".tmp")
        with open(temporary, "w", encoding="utf-8") as handle:
            handle.write(json.dumps(state))
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, self.state_path)

    def done(self) -> None:
        """Forget the pull's place (its state file): it is complete."""
        if self.state_path and self.state_path.exists():
            self.state_path.unlink()

    # --- Paging -------------------------------------------------------------------------------

    def resumed_records(self) -> int:
        """Records the state file says were handed on already (0 for a new pull)."""
        state = self._load()
        return state["records"] if state else 0

    def pages(self, *, finish: bool = True) -> Iterator[list[dict]]:
        """Page after page. With `finish` false the state file outlives the last page,
        until :meth:`done` is called: for a consumer that still has work to do with them
        (writing an output file) before the pull may count as complete."""
        loaded = self._load()
        state = loaded or {
            "version": STATE_VERSION,
            "fingerprint": self.fingerprint,
            "paging": {},
            "has_more": True,
            "pending": None,
            "records": 0,
            "pages": 0,
        }
        while True:
            if state["pending"] is not None:  # fetched, not yet handed on whole
                page = state["pending"]
                yield page
                state["pending"] = None
                state["records"] += len(page)
                self._save(state)
                self.records_seen = state["records"]
                if self.progress:
                    self.progress(state["records"], state["pages"])
            if not state["has_more"] or (self.limit is not None and state["records"] >= self.limit):
                break
            body = {**self.body, **state["paging"]}
            if self.limit is not None:
                body["max_count"] = min(body.get("max_count", 100), self.limit - state["records"])
            try:
                data = self._fetch(body)
            except ApiError as error:
                if loaded and error.code == "invalid_params" and "expired" in error.message:
                    raise SearchExpired(
                        f"this pull's search expired (the server keeps a search 24 hours): "
                        f"delete {self.state_path} and start again"
                    ) from error
                raise
            self.pages_fetched += 1
            page = data.get(self.records_key) or []
            paging = {"cursor": data.get("cursor")}
            if self.searched and data.get("search_id"):
                paging["search_id"] = data["search_id"]
            state.update(
                paging=paging,
                has_more=bool(data.get("has_more")) and bool(page),
                pending=page,
                pages=state["pages"] + 1,
            )
            self._save(state)
        if finish:
            self.done()

    def __iter__(self) -> Iterator[dict]:
        for page in self.pages():
            yield from page

    # --- Whole results ------------------------------------------------------------------------

    def to_list(self) -> list[dict]:
        return list(self)

    def to_arrow(self):
        from research_api_client.tables import to_arrow

        return to_arrow(self.to_list(), self._types(self.resource) if self._types else {})

    def to_pandas(self):
        return self.to_arrow().to_pandas(types_mapper=_pandas_types())

    def to_polars(self):
        import polars

        return polars.from_arrow(self.to_arrow())


def _pandas_types():
    """Nullable pandas types for Arrow's (an int64 column with nulls stays int64)."""
    import pandas as pd
    import pyarrow as pa

    mapping = {
        pa.int64(): pd.Int64Dtype(),
        pa.bool_(): pd.BooleanDtype(),
        pa.string(): pd.StringDtype(),
        pa.float64(): pd.Float64Dtype(),
    }
    return mapping.get
