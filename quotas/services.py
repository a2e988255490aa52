"""Quota accounting: exact under any concurrency, free for failed requests, visible.

Each research request: (1) the Meter reads today's use and the client's burst window and
refuses at once what is already used up (no work is done for it); (2) the view caps its page
to the records left; (3) at its end the request is debited one request and its records with
one conditional upsert per counter (`... DO UPDATE SET used = used + n WHERE used + n <=
limit`), in the same atomic write as its audit entry (research.settlement): the row lock
lasts from the debit to the commit, and of 200 simultaneous requests for the last unit
exactly one wins. A request that fails writes nothing, so it is charged nothing.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import connection

from accounts.models import Project
from quotas.models import BurstWindow, Family
from research_api.errors import ApiError, ErrorCode

DAY = 86_400
FAMILY_LIMITS = {  # family -> (Project field for requests, for records)
    Family.VIDEOS: ("daily_requests", "daily_records"),
    Family.GRAPH: ("graph_daily_requests", "graph_daily_records"),
}


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


class RateLimited(ApiError):
    code = ErrorCode.RATE_LIMIT_EXCEEDED
    status = 429


def purge_burst_windows(now: datetime) -> int:
    """Delete burst windows that ended (kept an hour, for inspection)."""
    keep = max(3600, settings.RESEARCH_API_BURST_SECONDS)
    return BurstWindow.objects.filter(window_start__lt=int(now.timestamp()) - keep).delete()[0]


def next_midnight(now: datetime) -> datetime:
    return datetime(now.year, now.month, now.day, tzinfo=UTC) + timedelta(days=1)


def _project_pk(project: Project):
    return Project._meta.pk.get_db_prep_value(project.id, connection)


def window_start(now: datetime) -> int:
    """The start (Unix time) of the burst window `now` falls in."""
    seconds = settings.RESEARCH_API_BURST_SECONDS
    return int(now.timestamp()) // seconds * seconds


@dataclass(frozen=True)
class Standing:
    """A project's use of each family today and one client's use of its burst window, as
    read with the caller's token (accounts.oauth), so a request's limits cost no query of
    their own. `standing_sql` reads it, `standing_params(now)` are its parameters; on its
    own, `read_standing`."""

    daily: dict  # family -> (requests, records)
    burst: int

    @classmethod
    def from_row(cls, values) -> "Standing":
        families = list(Family.values)
        daily = {f: (values[2 * i], values[2 * i + 1]) for i, f in enumerate(families)}
        return cls(daily=daily, burst=values[2 * len(families)])


def standing_sql(project: str, client: str) -> str:
    """SELECT expressions of a Standing, for the project id and client id columns named
    (table, column and family names are constants; the values are parameters)."""
    daily = "COALESCE((SELECT u.{} FROM quotas_dailyusage u WHERE u.project_id = {} AND u.family = '{}' AND u.day = %s), 0)"  # noqa: E501
    burst = "COALESCE((SELECT b.requests FROM quotas_burstwindow b WHERE b.client_id = {} AND b.window_start = %s), 0)"  # noqa: E501
    expressions = [
        daily.format(column, project, family)
        for family in Family.values
        for column in ("requests", "records")
    ]
    return ", ".join([*expressions, burst.format(client)])


def standing_params(now: datetime) -> list:
    day = connection.ops.adapt_datefield_value(now.date())
    return [day] * (2 * len(Family.values)) + [window_start(now)]


def read_standing(project: Project, client_id: str, now: datetime) -> Standing:
    """The Standing in a statement of its own (after a refused debit, say)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {standing_sql('x.project_id', 'x.client_id')} "  # noqa: S608 - constants
            "FROM (SELECT %s AS project_id, %s AS client_id) x",
            [*standing_params(now), _project_pk(project), client_id],
        )
        return Standing.from_row(cursor.fetchone())


class Meter:
    """The limits one request is subject to, as they stood at its start (`standing`, read
    at `now`), and charged at its end."""

    def __init__(
        self, project: Project, family: str, client_id: str, now: datetime, standing: Standing
    ):
        self.project, self.family, self.client_id, self.now = project, family, client_id, now
        self.day = now.date()
        window_seconds = settings.RESEARCH_API_BURST_SECONDS
        self.window_start = window_start(now)
        requests_field, records_field = FAMILY_LIMITS[family]
        (used_requests, used_records), burst_used = standing.daily[family], standing.burst
        midnight = next_midnight(now)
        label = Family(family).label
        self.requests = Limit(
            f"{family}-requests",
            f"daily requests of the {label} endpoints",
            getattr(project, requests_field),
            used_requests,
            DAY,
            midnight,
        )
        self.records = Limit(
            f"{family}-records",
            f"daily records of the {label} endpoints",
            getattr(project, records_field),
            used_records,
            DAY,
            midnight,
        )
        self.burst = Limit(
            "burst",
            f"requests per {window_seconds} seconds of this client",
            settings.RESEARCH_API_BURST_REQUESTS,
            burst_used,
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

    def debits(self, records: int) -> list[tuple[str, str, list]]:
        """The debits of one request and `records`, as (limit, SQL, parameters): conditional
        upserts that return a row only where there was room."""
        return [
            (
                "burst",
                "INSERT INTO quotas_burstwindow (client_id, window_start, requests) "
                "VALUES (%s, %s, 1) ON CONFLICT (client_id, window_start) DO UPDATE "
                "SET requests = quotas_burstwindow.requests + 1 "
                "WHERE quotas_burstwindow.requests + 1 <= %s RETURNING 1",
                [self.client_id, self.window_start, self.burst.quota],
            ),
            (
                "daily",
                "INSERT INTO quotas_dailyusage (project_id, family, day, requests, records) "
                "VALUES (%s, %s, %s, 1, %s) ON CONFLICT (project_id, family, day) DO UPDATE "
                "SET requests = quotas_dailyusage.requests + 1, "
                "records = quotas_dailyusage.records + excluded.records "
                "WHERE quotas_dailyusage.requests + 1 <= %s "
                "AND quotas_dailyusage.records + excluded.records <= %s RETURNING 1",
                [
                    _project_pk(self.project),
                    self.family,
                    connection.ops.adapt_datefield_value(self.day),
                    records,
                    self.requests.quota,
                    self.records.quota,
                ],
            ),
        ]

    def charge(self, records: int):
        """Debit one request and `records` in the caller's transaction; refuse (429) if
        another request took the room (the caller's transaction must then roll back)."""
        with connection.cursor() as cursor:
            for limit, sql, params in self.debits(records):
                cursor.execute(sql, params)
                if cursor.fetchone() is None:
                    raise self.refused(limit)
        self.charged(records)

    def charged(self, records: int):
        self.burst.used += 1
        self.requests.used += 1
        self.records.used += records

    def refused(self, limit: str, undone: bool = False) -> "RateLimited":
        """The refusal of a debit that found no room: `limit` is "burst" or "daily"."""
        return self.refusal(self.burst if limit == "burst" else self._exhausted(undone))

    def _exhausted(self, undone: bool) -> Limit:
        """After a refused debit: which daily limit other requests used up meanwhile (read
        again; this statement sees what they committed). Unless the refused statement was
        `undone` already, the read sees this request's own burst debit, which rolls back."""
        standing = read_standing(self.project, self.client_id, self.now)
        (self.requests.used, self.records.used) = standing.daily[self.family]
        self.burst.used = standing.burst
        if not undone:
            self.burst.used -= 1
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
