"""The client: one object per project credentials, a method per endpoint."""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC
from functools import cache
from pathlib import Path
from typing import Any

import httpx

from research_api_client import config as _config
from research_api_client.errors import ApiError, ChecksumMismatch
from research_api_client.pulls import Pull
from research_api_client.transport import Transport, WaitHook

Query = (
    dict  # {"and": [...], "or": [...], "not": [...]} of {"operation", "field_name", "field_values"}
)
VALIDATION_BATCH = 10_000  # ids the batch compliance check takes at once


def condition(field_name: str, values: Iterable[Any], operation: str = "IN") -> dict:
    """One condition of a query: ``condition("hashtag_name", ["fyp"])``."""
    return {
        "operation": operation,
        "field_name": field_name,
        "field_values": [str(v) for v in values],
    }


def query(*conditions: dict, any_of: Iterable[dict] = (), none_of: Iterable[dict] = ()) -> Query:
    """A query: all of `conditions`, at least one of `any_of`, none of `none_of`."""
    built: Query = {"and": list(conditions)}
    if any_of:
        built["or"] = list(any_of)
    if none_of:
        built["not"] = list(none_of)
    return built


def _dates(start_date: str, end_date: str) -> dict:
    return {
        "start_date": str(start_date).replace("-", ""),
        "end_date": str(end_date).replace("-", ""),
    }


def _fields(fields: Iterable[str] | str | None) -> dict:
    if fields is None:
        return {}
    return {"fields": fields if isinstance(fields, str) else ",".join(fields)}


class Client:
    """Talks to one Research API server as one project client.

    Credentials come from the arguments, else ``RESEARCH_API_URL``,
    ``RESEARCH_API_CLIENT_KEY`` and ``RESEARCH_API_CLIENT_SECRET``, else the config file (see
    :mod:`research_api_client.config`). ``max_wait`` bounds the seconds one request may wait
    for rate limits; ``max_retries`` bounds the retries of timeouts; ``on_wait(reason,
    seconds)`` is told of every wait.
    """

    def __init__(
        self,
        url: str | None = None,
        client_key: str | None = None,
        client_secret: str | None = None,
        *,
        config: str | os.PathLike | None = None,
        profile: str = "default",
        timeout: float = 120.0,
        max_wait: float = 900.0,
        max_retries: int = 5,
        on_wait: WaitHook | None = None,
        http_transport: httpx.BaseTransport | None = None,
    ):
        credentials = _config.resolve(
            url, client_key, client_secret, config=config, profile=profile
        )
        self.url = credentials.url
        self.transport = Transport(
            credentials,
            timeout=timeout,
            max_wait=max_wait,
            max_retries=max_retries,
            on_wait=on_wait,
            http_transport=http_transport,
        )
        self.exports = Exports(self)
        self.compliance = Compliance(self)

    def __repr__(self) -> str:
        return f"Client(url={self.url!r}, client_key={self.transport.credentials.client_key!r})"

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.transport.close()

    # --- Plumbing -----------------------------------------------------------------------------

    def post(self, path: str, body: dict, fields: Iterable[str] | str | None = None) -> dict:
        return self.transport.request(
            "POST", f"/v2/research/{path}/", json=body, params=_fields(fields) or None
        )

    def get(self, path: str, params: dict | None = None) -> dict:
        return self.transport.request("GET", f"/v2/research/{path}/", params=params)

    @cache  # noqa: B019 - one catalogue per client
    def catalogue(self) -> dict:
        """The codebook as JSON: every resource, field, type and metric."""
        return self.transport.get_public("/v2/research/catalogue/")

    def field_types(self, resource: str) -> dict[str, str]:
        for entry in self.catalogue().get("resources", []):
            if entry["name"] == resource:
                return {f["name"]: f["type"] for f in entry["fields"]}
        return {}

    def _pull(
        self, path, body, records, resource, *, fields=None, searched=False, **options
    ) -> Pull:
        extra = _fields(fields)
        return Pull(
            lambda page: self.post(path, page, extra.get("fields")),
            body,
            records,
            resource=resource,
            searched=searched,
            identity={"path": path, "fields": extra.get("fields")},
            types=self.field_types,
            **options,
        )

    def _search(
        self,
        path,
        records,
        resource,
        query,
        start_date,
        end_date,
        max_count,
        is_random,
        **options,
    ) -> Pull:
        """A query endpoint's pull: paged by search_id and cursor."""
        body = {"query": query, **_dates(start_date, end_date), "max_count": max_count}
        if is_random:
            body["is_random"] = True
        return self._pull(path, body, records, resource, searched=True, **options)

    # --- Listings -----------------------------------------------------------------------------

    def videos(
        self,
        query: Query,
        start_date: str,
        end_date: str,
        *,
        fields: Iterable[str] | str | None = None,
        max_count: int = 100,
        is_random: bool = False,
        limit: int | None = None,
        state: str | os.PathLike | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> Pull:
        """Videos matching `query` posted between the dates (YYYYMMDD, at most 365 days)."""
        return self._search(
            "video/query",
            "videos",
            "video",
            query,
            start_date,
            end_date,
            max_count,
            is_random,
            fields=fields,
            limit=limit,
            state=state,
            progress=progress,
        )

    def decisions(
        self,
        query: Query,
        start_date: str,
        end_date: str,
        *,
        fields: Iterable[str] | str | None = None,
        max_count: int = 100,
        is_random: bool = False,
        limit: int | None = None,
        state: str | os.PathLike | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> Pull:
        """Moderation decisions matching `query`, actioned between the dates."""
        return self._search(
            "moderation/decision/query",
            "decisions",
            "moderation_decision",
            query,
            start_date,
            end_date,
            max_count,
            is_random,
            fields=fields,
            limit=limit,
            state=state,
            progress=progress,
        )

    def comments(
        self,
        video_id: int,
        *,
        fields=None,
        max_count: int = 100,
        limit=None,
        state=None,
        progress=None,
    ) -> Pull:
        body = {"video_id": int(video_id), "max_count": max_count}
        return self._pull(
            "video/comment/list",
            body,
            "comments",
            "comment",
            fields=fields,
            limit=limit,
            state=state,
            progress=progress,
        )

    def followers(
        self, username: str, *, max_count: int = 100, limit=None, state=None, progress=None
    ) -> Pull:
        body = {"username": username, "max_count": max_count}
        return self._pull(
            "user/followers",
            body,
            "user_followers",
            "follow",
            limit=limit,
            state=state,
            progress=progress,
        )

    def following(
        self, username: str, *, max_count: int = 100, limit=None, state=None, progress=None
    ) -> Pull:
        body = {"username": username, "max_count": max_count}
        return self._pull(
            "user/following",
            body,
            "user_following",
            "follow",
            limit=limit,
            state=state,
            progress=progress,
        )

    def liked_videos(self, username: str, *, fields=None, max_count: int = 100, limit=None) -> Pull:
        body = {"username": username, "max_count": max_count}
        return self._pull(
            "user/liked_videos", body, "user_liked_videos", "video", fields=fields, limit=limit
        )

    def reposted_videos(
        self, username: str, *, fields=None, max_count: int = 100, limit=None
    ) -> Pull:
        body = {"username": username, "max_count": max_count}
        return self._pull(
            "user/reposted_videos", body, "reposted_videos", "video", fields=fields, limit=limit
        )

    def pinned_videos(self, username: str, *, fields=None) -> list[dict]:
        return (
            self.post("user/pinned_videos", {"username": username}, fields).get(
                "pinned_videos_list"
            )
            or []
        )

    def user_info(self, username: str, *, fields=None) -> dict:
        profile = self.post("user/info", {"username": username}, fields)
        profile.pop("data_as_of", None)  # the answer's, not the account's
        return profile

    def users(self, usernames: Iterable[str], *, fields=None) -> Iterator[dict]:
        """Profiles of several accounts; accounts not found (deleted, private, not a
        username of yours) are skipped."""
        for username in usernames:
            try:
                yield self.user_info(username, fields=fields)
            except ApiError as error:
                if error.code != "not_found":
                    raise

    def snowball(
        self,
        seeds: Iterable[str],
        depth: int = 1,
        *,
        direction: str = "followers",
        progress: Callable[[int, int], None] | None = None,
    ) -> Iterator[dict]:
        """Follow edges out from `seeds`, `depth` hops: each edge as {source, target, hop}
        where `target` follows `source` (followers) or `source` follows `target`."""
        lister = self.followers if direction == "followers" else self.following
        seen, frontier = set(seeds), list(dict.fromkeys(seeds))
        for hop in range(1, depth + 1):
            found: list[str] = []
            for i, account in enumerate(frontier, 1):
                try:
                    for edge in lister(account):
                        yield {"source": account, "target": edge["username"], "hop": hop}
                        if edge["username"] not in seen:
                            seen.add(edge["username"])
                            found.append(edge["username"])
                except ApiError as error:
                    if error.code != "not_found":  # an account gone since it was found
                        raise
                if progress:
                    progress(i, len(frontier))
            frontier = found

    # --- Statistics, usage --------------------------------------------------------------------

    def stats(
        self,
        start_date: str,
        end_date: str,
        *,
        metrics: Iterable[str] = ("decisions",),
        group_by: Iterable[str] = (),
        period: str | None = None,
        filter: Query | None = None,
        privacy: dict | None = None,
    ) -> Stats:
        """Moderation statistics (scope research.stats). ``privacy={"rho": 0.1}`` (or an
        epsilon and delta) asks for a differentially private answer, charged to the budget."""
        body: dict[str, Any] = {
            **_dates(start_date, end_date),
            "metrics": list(metrics),
            "group_by": list(group_by),
        }
        if period:
            body["period"] = period
        if filter:
            body["filter"] = filter
        if privacy:
            body["privacy"] = privacy
        return Stats(self.post("moderation/stats", body), list(group_by), period)

    def usage(self) -> dict:
        return self.get("usage")

    def privacy_budget(self) -> dict:
        return self.usage()["privacy_budget"]

    def project(self) -> dict:
        return self.post("project/info", {})["project"]


@dataclass
class Stats:
    """A statistics answer: ``cells`` and ``totals`` as the API gave them, and the rest
    (privacy, budget, suppression) in ``meta``."""

    answer: dict
    group_by: list[str]
    period: str | None
    cells: list[dict] = field(init=False)
    totals: list[dict] = field(init=False)

    def __post_init__(self) -> None:
        self.cells = self.answer.get("cells", [])
        self.totals = self.answer.get("totals", [])

    @property
    def meta(self) -> dict:
        return {k: v for k, v in self.answer.items() if k not in ("cells", "totals")}

    def to_pandas(self, which: str = "cells"):
        """One row per cell; the views histogram as one column per bucket
        (``views_at_removal.0``...), suppressed figures as missing values."""
        import pandas as pd

        rows = self.cells if which == "cells" else self.totals
        frame = pd.json_normalize(rows, max_level=1) if rows else pd.DataFrame()
        return frame.convert_dtypes()

    def to_polars(self, which: str = "cells"):
        import polars

        return polars.from_pandas(self.to_pandas(which))


# --- Exports ------------------------------------------------------------------------------------


class Export:
    """An export of the project: follow it with :meth:`wait`, fetch its files with
    :meth:`download` (each checked against its SHA-256), read it with :meth:`to_pandas`."""

    FINISHED = {"succeeded", "failed", "cancelled", "expired"}

    def __init__(self, client: Client, data: dict):
        self._client, self.data = client, data

    def __repr__(self) -> str:
        written = self.data.get("rows_written")
        return f"Export(id={self.id!r}, status={self.status!r}, rows_written={written})"

    id = property(lambda self: self.data["id"])
    status = property(lambda self: self.data["status"])
    files = property(lambda self: self.data.get("files") or [])

    def refresh(self) -> Export:
        self.data = self._client.get(f"export/{self.id}")["export"]
        return self

    def wait(
        self,
        *,
        poll: float = 2.0,
        timeout: float | None = None,
        progress: Callable[[dict], None] | None = None,
    ) -> Export:
        """Until it finishes; ``progress(export)`` after every look. Raises ApiError if it
        failed or was cancelled."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.status not in self.FINISHED:
            if deadline is not None and time.monotonic() > deadline:
                raise TimeoutError(f"export {self.id} still {self.status} after {timeout} s")
            time.sleep(poll)
            self.refresh()
            if progress:
                progress(self.data)
        if self.status != "succeeded":
            raise ApiError(
                f"export_{self.status}",
                self.data.get("error") or f"the export {self.status}",
                status=200,
            )
        return self

    def cancel(self) -> Export:
        self.data = self._client.post(f"export/{self.id}/cancel", {})["export"]
        return self

    def download(
        self,
        directory: str | os.PathLike = ".",
        *,
        progress: Callable[[int, int], None] | None = None,
    ) -> list[Path]:
        """Each file into `directory`, checked against its SHA-256 (a mismatch deletes the
        file and raises ChecksumMismatch). ``progress(bytes, total)`` while downloading."""
        if self.status != "succeeded":
            raise ApiError("export_not_ready", f"the export is {self.status}", status=200)
        target = Path(directory)
        target.mkdir(parents=True, exist_ok=True)
        if any(_expired(f) for f in self.files):
            self.refresh()  # fresh signed links
        total, done, paths = sum(f.get("size", 0) for f in self.files), 0, []
        for file in self.files:
            path = target / Path(file["name"]).name
            digest = hashlib.sha256()

            def advance(n, _total=total):
                nonlocal done
                done += n
                if progress:
                    progress(done, _total)

            partial = path.with_name(path.name + ".part")  # the final name once checked
            try:
                with open(partial, "wb") as handle:
                    self._client.transport.download(file["url"], _Hashing(handle, digest), advance)
            except BaseException:
                partial.unlink(missing_ok=True)
                raise
            if digest.hexdigest() != file["sha256"]:
                partial.unlink()
                raise ChecksumMismatch(
                    f"{file['name']}: SHA-256 {digest.hexdigest()} is not {file['sha256']}"
                )
            os.replace(partial, path)
            paths.append(path)
        return paths

    def to_arrow(self, directory: str | os.PathLike = "."):
        """Every file downloaded (and checked) and read as one Arrow table."""
        import pyarrow as pa

        tables = []
        for path in self.download(directory):
            if path.suffix == ".parquet":
                import pyarrow.parquet as pq

                tables.append(pq.read_table(path))
            elif path.suffix == ".csv":
                import pyarrow.csv as pcsv

                tables.append(pcsv.read_csv(path))
            else:
                import pyarrow.json as pjson

                tables.append(pjson.read_json(path))
        return pa.concat_tables(tables) if tables else pa.table({})

    def to_pandas(self, directory: str | os.PathLike = "."):
        from research_api_client.pulls import _pandas_types

        return self.to_arrow(directory).to_pandas(types_mapper=_pandas_types())

    def to_polars(self, directory: str | os.PathLike = "."):
        import polars

        return polars.from_arrow(self.to_arrow(directory))


class _Hashing:
    """A file handle that hashes what is written to it."""

    def __init__(self, handle, digest):
        self.handle, self.digest = handle, digest

    def write(self, chunk: bytes) -> None:
        self.digest.update(chunk)
        self.handle.write(chunk)


def _expired(file: dict) -> bool:
    from datetime import datetime

    expires = file.get("url_expires_at")
    if not expires:
        return False
    return datetime.fromisoformat(expires.replace("Z", "+00:00")) <= datetime.now(UTC)


class Exports:
    def __init__(self, client: Client):
        self._client = client

    def create(
        self,
        resource: str,
        *,
        query: Query,
        start_date: str,
        end_date: str,
        format: str = "parquet",
        fields: Iterable[str] | None = None,
        max_records: int | None = None,
        is_random: bool = False,
    ) -> Export:
        """Ask for an export: `resource` is videos, comments, accounts, follow_edges or
        moderation_decisions."""
        body: dict[str, Any] = {
            "resource": resource,
            "format": format,
            "query": query,
            **_dates(start_date, end_date),
        }
        if fields:
            body["fields"] = list(fields)
        if max_records is not None:
            body["max_records"] = max_records
        if is_random:
            body["is_random"] = True
        created = self._client.transport.request(
            "POST", "/v2/research/export/", json=body, idempotent=False
        )
        return Export(self._client, created["export"])

    def get(self, export_id: str) -> Export:
        return Export(self._client, self._client.get(f"export/{export_id}")["export"])

    def list(self) -> list[Export]:
        return [Export(self._client, e) for e in self._client.get("export").get("exports", [])]


# --- Compliance ---------------------------------------------------------------------------------


class Compliance:
    def __init__(self, client: Client):
        self._client = client

    def deletions(self, since: str, *, max_count: int = 1000, state=None) -> Pull:
        """What was deleted since a day (YYYYMMDD), oldest first, in your pseudonyms."""
        body = {"since": str(since).replace("-", ""), "max_count": max_count}
        return Pull(
            lambda page: self._client.get("compliance/deletions", page),
            body,
            "deletions",
            resource="deletion",
            searched=False,
            identity={"path": "compliance/deletions"},
            types=self._client.field_types,
            state=state,
        )

    def check(
        self,
        ids: Iterable[int],
        category: str = "video",
        progress: Callable[[int, int], None] | None = None,
    ) -> dict[str, list[int]]:
        """Which of `ids` are still available (batches of 10,000): {"valid": [...],
        "invalid": [...]} — purge the invalid ones from your copies."""
        unique = list(dict.fromkeys(int(i) for i in ids))
        valid: list[int] = []
        invalid: list[int] = []
        for start in range(0, len(unique), VALIDATION_BATCH):
            batch = unique[start : start + VALIDATION_BATCH]
            content = "\n".join(str(i) for i in batch).encode()
            task = self._client.transport.request(
                "POST",
                "/v2/research/validation_task/create/",
                idempotent=False,
                files={"file_data": ("ids.txt", content, "text/plain")},
                data={"category": category},
            )
            status = self._client.post("validation_task_status/get", {"task_id": task["task_id"]})
            valid += status.get("valid_ids", [])
            invalid += status.get("invalid_ids", [])
            if progress:
                progress(min(start + VALIDATION_BATCH, len(unique)), len(unique))
        return {"valid": valid, "invalid": invalid}
