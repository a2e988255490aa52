"""Quota accounting: exact under any concurrency, free for failed requests, visible.

Each research request: (1) the Meter reads today's use and the client's burst window and
refuses at once what is already used up (no work is done for it); (2) the view caps its page
to the records left; (3) at its end the request is debited one request and its records with
one conditional upsert per counter (quotas.counters), in the same atomic write as its audit
entry (research.settlement): the row lock lasts from the debit to the commit, and of 200
simultaneous requests for the last unit exactly one wins. A request that fails writes
nothing, so it is charged nothing.

The limits come from the project's grant, by the field names in DAILY_LIMITS (accounts'
Project has them). This app imports no app above it; its usage rows refer to the project by
a foreign key named as a string ("accounts.Project"), a dependency of the schema only.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import connection

from core.errors import RateLimited
from core.sql import db_uuid
from quotas.counters import BURST, DAILY, Debit
from quotas.models import BurstWindow, Family

DAY = 86_400
# The grant's fields that limit each family per day, by what they count.
DAILY_LIMITS: dict[str, dict[str, str]] = {
    Family.VIDEOS: {"requests": "daily_requests", "records": "daily_records"},
    Family.GRAPH: {"requests": "graph_daily_requests", "records": "graph_daily_records"},
}
QUOTA_FIELDS = tuple(name for limits in DAILY_LIMITS.values() for name in limits.values())


def daily_limits(grant, family: str) -> dict[str, int]:
    """A family's daily limits in `grant` (a project, or anything with its quota fields)."""
    return {kind: getattr(grant, name) for kind, name in DAILY_LIMITS[family].items()}


@dataclass
class Limit:
    name: str  # as it appears in the RateLimit headers
    description: str
    quota: int
    used: int
    window: int  # seconds
    resets_at: datetime

    @property
    def remaining(self) -> int:
        return max(self.quota - self.used, 0)

    def seconds_to_reset(self, now: datetime) -> int:
        return max(int((self.resets_at - now).total_seconds() + 0.999), 0)


def purge_burst_windows(now: datetime) -> int:
    """Delete burst windows that ended (kept an hour, for inspection)."""
    keep = max(3600, settings.RESEARCH_API_BURST_SECONDS)
    return BurstWindow.objects.filter(window_start__lt=int(now.timestamp()) - keep).delete()[0]


def next_midnight(now: datetime) -> datetime:
    return datetime(now.year, now.month, now.day, tzinfo=UTC) + timedelta(days=1)


def window_start(now: datetime) -> int:
    """The start (Unix time) of the burst window `now` falls in."""
    seconds = settings.RESEARCH_API_BURST_SECONDS
    return int(now.timestamp()) // seconds * seconds


@dataclass(frozen=True)
class Standing:
    """A project's use of each family today and one client's use of its burst window, read
    by name, e.g. with the caller's token (research.auth), so a request's limits cost no
    query of their own. `standing_columns` reads it; on its own, `read_standing`."""

    daily: dict  # family -> {"requests": n, "records": n}
    burst: int

    @classmethod
    def of(cls, row: Mapping) -> "Standing":
        daily = {
            family: {amount: row[f"used_{family}_{amount}"] for amount in DAILY.amounts}
            for family in Family.values
        }
        return cls(daily=daily, burst=row["used_burst_requests"])


def standing_columns(project_sql: str, client_sql: str, now: datetime) -> tuple[list, list]:
    """(name, expression) pairs of a Standing and their parameters, for the project id and
    client id expressions given (columns of the caller's query)."""
    day = connection.ops.adapt_datefield_value(now.date())
    columns, params = [], []
    for family in Family.values:
        key = {"project_id": project_sql, "family": f"'{family}'", "day": "%s"}
        reads = DAILY.read(key, f"used_{family}")
        columns += reads
        params += [day] * len(reads)
    columns += BURST.read({"client_id": client_sql, "window_start": "%s"}, "used_burst")
    params.append(window_start(now))
    return columns, params


def read_standing(project_id, client_id: str, now: datetime) -> Standing:
    """The Standing in a statement of its own (after a refused debit, say)."""
    columns, params = standing_columns("x.project_id", "x.client_id", now)
    select = ", ".join(f"{expression} AS {name}" for name, expression in columns)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {select} FROM (SELECT %s AS project_id, %s AS client_id) x",  # noqa: S608
            [*params, db_uuid(project_id), client_id],
        )
        names = [name for name, _ in columns]
        return Standing.of(dict(zip(names, cursor.fetchone(), strict=True)))


class Meter:
    """The limits one request is subject to, as they stood at its start (`standing`, read
    at `now`), and charged at its end."""

    def __init__(
        self,
        project_id,
        limits: Mapping[str, int],
        family: str,
        client_id: str,
        now: datetime,
        standing: Standing,
    ):
        self.project_id, self.family, self.client_id, self.now = project_id, family, client_id, now
        self.day = now.date()
        window_seconds = settings.RESEARCH_API_BURST_SECONDS
        self.window_start = window_start(now)
        used = standing.daily[family]
        midnight = next_midnight(now)
        label = Family(family).label
        self.requests, self.records = (
            Limit(
                f"{family}-{amount}",
                f"daily {amount} of the {label} endpoints",
                limits[amount],
                used[amount],
                DAY,
                midnight,
            )
            for amount in ("requests", "records")
        )
        self.burst = Limit(
            "burst",
            f"requests per {window_seconds} seconds of this client",
            settings.RESEARCH_API_BURST_REQUESTS,
            standing.burst,
            window_seconds,
            datetime.fromtimestamp(self.window_start + window_seconds, UTC),
        )
        self.limits = (self.requests, self.records, self.burst)

    def refuse_if_used_up(self):
        for limit in (self.burst, self.requests, self.records):
            if limit.remaining == 0:
                raise self.refusal(limit)

    def records_allowed(self, wanted: int) -> int:
        """How many records this request may return (a page is cut to what is left)."""
        return max(min(wanted, self.records.remaining), 0)

    def debits(self, records: int) -> list[Debit]:
        """One request and `records`, against the client's burst window and the project's
        day in this family."""
        return [
            Debit(
                "burst",
                BURST,
                key={"client_id": self.client_id, "window_start": self.window_start},
                amounts={"requests": 1},
                limits={"requests": self.burst.quota},
            ),
            Debit(
                "daily",
                DAILY,
                key={
                    "project_id": db_uuid(self.project_id),
                    "family": self.family,
                    "day": connection.ops.adapt_datefield_value(self.day),
                },
                amounts={"requests": 1, "records": records},
                limits={"requests": self.requests.quota, "records": self.records.quota},
            ),
        ]

    def charged(self, records: int):
        self.burst.used += 1
        self.requests.used += 1
        self.records.used += records

    def refused(self, debit: str, undone: bool = False) -> RateLimited:
        """The refusal of a debit that found no room: `debit` is "burst" or "daily"."""
        return self.refusal(self.burst if debit == "burst" else self._exhausted(undone))

    def _exhausted(self, undone: bool) -> Limit:
        """After a refused debit: which daily limit other requests used up meanwhile (read
        again; this statement sees what they committed). Unless the refused statement was
        `undone` already, the read sees this request's own burst debit, which rolls back."""
        standing = read_standing(self.project_id, self.client_id, self.now)
        used = standing.daily[self.family]
        self.requests.used, self.records.used = used["requests"], used["records"]
        self.burst.used = standing.burst - (0 if undone else 1)
        if self.requests.used + 1 > self.requests.quota:
            return self.requests
        return self.records

    def refusal(self, limit: Limit) -> RateLimited:
        wait = limit.seconds_to_reset(self.now)
        reset = limit.resets_at.strftime("%Y-%m-%dT%H:%M:%SZ")
        if limit is self.burst:
            message = (
                f"Burst limit reached: at most {limit.quota} requests per "
                f"{limit.window} seconds per client. Retry in {wait} s (at {reset})."
            )
        else:
            message = (
                f"Daily quota used up: {limit.description} ({limit.quota:,} a day for "
                f"your project). It resets at 00:00 UTC ({reset}), in {wait} s. "
                f"Failed requests are never charged."
            )
        return RateLimited(
            message, headers={**self.headers(), "Retry-After": str(wait)}, limit=limit
        )

    def headers(self) -> dict[str, str]:
        """IETF RateLimit headers for every limit, and X-RateLimit-* for the one nearest to
        running out."""
        policy = ", ".join(f'"{x.name}";q={x.quota};w={x.window}' for x in self.limits)
        state = ", ".join(
            f'"{x.name}";r={x.remaining};t={x.seconds_to_reset(self.now)}' for x in self.limits
        )
        nearest = min(self.limits, key=lambda x: x.remaining / x.quota)
        return {
            "RateLimit-Policy": policy,
            "RateLimit": state,
            "X-RateLimit-Limit": str(nearest.quota),
            "X-RateLimit-Remaining": str(nearest.remaining),
            "X-RateLimit-Reset": str(int(nearest.resets_at.timestamp())),
            "X-RateLimit-Resource": nearest.name,
        }
