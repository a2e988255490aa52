"""Roll-ups of moderation decisions by day, week and month, kept up to date by the database.

Statistics over millions of decisions cannot scan them per answer (DESIGN.md: any slice in
250 ms at 10 million decisions). Each roll-up holds, per day (or week, or month) of action
and combination of a few dimensions, the counts every exact metric rests on (`counts`: how
many decisions meet each condition). A year's answer sums month rows, and week and day rows
only for the partial months at its edges; an answer per week sums week rows, and one per day
day rows (`parts`): from a thousand rows to a few hundred thousand (placement's month rows at
10M decisions), not millions.

Private answers count each account's first C decisions of each UTC month only (research.
statistics bounds their noise by that). Each decision's place among its account's month,
`account_month_seq`, is given by the database as it is written, from a counter per account
and month (moderation_account_month), so it never depends on other accounts' data; private
roll-ups keep counts by that seq up to MAX_SEQ, and an answer sums the rows of seq <= C.

The database maintains all of it on every write to moderation_decision, whichever code
writes (ingestion, the synthetic loader's COPY, the admin): on PostgreSQL a row trigger
gives the seq before the write, and one statement-level trigger per insert, update and
delete reads the statement's transition tables and adds each changed key's net counts in
one upsert per table (a COPY of a million decisions costs one aggregate, not a million
upserts); a TRUNCATE empties them. On SQLite, row-level triggers do the same per row. An
update subtracts the decision's old counts and adds its new ones, so the roll-ups equal a
full recount at every commit (`differences`, `manage.py rollups`). Nothing rebuilds them on
ingest: after every migrate, `ensure` installs the triggers and rebuilds the roll-ups only if
the triggers are missing (Django remakes a table on SQLite for some migrations, dropping its
triggers) or differ from this module's.

Dimensions are chosen so that every roll-up stays small: the policies alone (policy,
sub-policy, category, target type), those with market, with language, with both
(placement), how it was handled (the policies with source, detection, automation,
restrictions, ground), the two crossed without the finer ones (policy, category, market,
source, detection), and how it was handled in each market and in each language, without
policies. Every pair of dimensions but keywords is in one of them. A question whose
dimensions and filter fit within one is answered from the first that holds them; any other
is answered from the decisions themselves (research.statistics), with the same figures.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction

from codebook.statistics import HOUR_EDGES, VIEW_BUCKETS

DECISIONS = "moderation_decision"
ACCOUNT_MONTHS = "moderation_account_month"
REMOVAL = "d.decision_visibility = 'CONTENT_REMOVED'"


GRAINS = ("day", "week", "month")  # a week's row: its Monday; a month's: its first day


MAX_SEQ = 5  # private roll-ups keep each account's first 5 decisions of a month


@dataclass(frozen=True)
class Rollup:
    name: str
    dimensions: tuple[str, ...]  # moderation_decision's columns, in the roll-up's key order
    private: bool = False  # keyed by account_month_seq too, and only up to MAX_SEQ

    def table(self, grain: str) -> str:
        return f"moderation_rollup_{'private_' if self.private else ''}{self.name}_{grain}"

    @property
    def key(self) -> list[str]:
        return ["day", *self.dimensions, *(["seq"] if self.private else [])]

    @property
    def columns(self) -> list[str]:
        return [*self.key, *(f"n_{name}" for name in COUNT_NAMES)]


# The policies' columns of moderation_decision, which the policy, placement and handling
# roll-ups keep. sub_policy_id is 0 where a decision has none (a unique key treats NULLs as
# distinct), so joins to moderation_policy find none.
_COMMON = ("policy_id", "sub_policy_id", "category", "target_type")
PLACEMENT = (*_COMMON, "market", "content_language")
HANDLING = (
    *_COMMON,
    "decision_visibility",
    "decision_account",
    "decision_ground",
    "source_type",
    "detection_method",
    "automated_detection",
    "automated_decision",
)
# Where decisions sit crossed with how they were found ("proactive detection per member
# state"): market by source, detection method and automated detection, without sub-policies,
# target types, languages, restrictions and automated decisions, which would multiply its
# rows (40 markets, 13 policies, 6 ways of finding: some 3,000 rows a month).
REACH = (
    "policy_id",
    "category",
    "market",
    "source_type",
    "detection_method",
    "automated_detection",
)
# How decisions were taken in each market, and in each language ("automated decisions per
# member state", "grounds by language"): the handling dimensions without policies, crossed
# with one of the two places (at most 40 markets, or some 25 languages, by some 130 ways of
# handling seen on the synthetic platform: a few thousand rows a month; both together would
# cross 777 market-language pairs with them).
_WAYS = HANDLING[len(_COMMON) :]
MARKET_HANDLING = ("market", *_WAYS)
LANGUAGE_HANDLING = ("content_language", *_WAYS)
# The policies in each market, and in each language: a sub-policy or target type by market
# or by language would otherwise be summed from placement, whose month rows grow with 31
# sub-policies by 777 market-language pairs (2.3x from 1M to 10M decisions).
POLICY_MARKET = (*_COMMON, "market")
POLICY_LANGUAGE = (*_COMMON, "content_language")
# A question is answered from the first that holds all its dimensions: the smallest first
# (policies alone: some 30 sub-policies by 3 target types; placement last: those by 777
# market-language pairs), as measured on the benchmark's platform (month rows a year at 10M
# decisions; docs/benchmarks.md).
EXACT = (
    Rollup("policy", _COMMON),
    Rollup("policy_language", POLICY_LANGUAGE),
    Rollup("language_handling", LANGUAGE_HANDLING),
    Rollup("reach", REACH),
    Rollup("policy_market", POLICY_MARKET),
    Rollup("market_handling", MARKET_HANDLING),
    Rollup("handling", HANDLING),
    Rollup("placement", PLACEMENT),
)
PRIVATE = tuple(Rollup(r.name, r.dimensions, True) for r in EXACT)
ROLLUPS = EXACT + PRIVATE

# The columns the counts read, besides the dimensions.
_READ = (
    "actioned_at",
    "content_created_at",
    "first_reported_at",
    "decision_visibility",
    "views_at_action",
    "automated_decision",
    "appeal_filed_at",
    "appeal_outcome",
    "reinstated_at",
    "account_month_seq",
)


def seconds_between(later: str, earlier: str, vendor: str) -> str:
    if vendor == "postgresql":
        return f"EXTRACT(EPOCH FROM ({later} - {earlier}))"
    return f"(strftime('%s', {later}) - strftime('%s', {earlier}))"


def counts(vendor: str) -> dict[str, str]:
    """Each count the exact metrics rest on: its name, and the condition on one decision
    (alias d) it counts. codebook.statistics defines the metrics over them."""
    conditions = {
        "decisions": "1 = 1",
        "removals": REMOVAL,
        "proactive": f"{REMOVAL} AND (d.first_reported_at IS NULL "
        "OR d.first_reported_at > d.actioned_at)",
        "before_views": f"{REMOVAL} AND d.views_at_action = 0",
        "within_24h": f"{REMOVAL} AND "
        f"{seconds_between('d.actioned_at', 'd.content_created_at', vendor)} <= 86400",
        "automated": "d.automated_decision = 'FULLY'",
        "appealed": "d.appeal_filed_at IS NOT NULL",
        "appeals_decided": "d.appeal_outcome <> ''",
        "reversed": "d.appeal_outcome = 'REVERSED'",
        "reinstated": "d.reinstated_at IS NOT NULL",
        "reported": "d.first_reported_at IS NOT NULL AND d.first_reported_at <= d.actioned_at",
    }
    for i, (_, low, high) in enumerate(VIEW_BUCKETS):
        upper = f" AND d.views_at_action <= {high}" if high is not None else ""
        conditions[f"views_{i}"] = f"{REMOVAL} AND d.views_at_action >= {low}{upper}"
    seconds = seconds_between("d.actioned_at", "d.first_reported_at", vendor)
    for i, low in enumerate(HOUR_EDGES):
        bounds = [f"{seconds} >= {round(low * 3600)}"]
        if i + 1 < len(HOUR_EDGES):
            bounds.append(f"{seconds} < {round(HOUR_EDGES[i + 1] * 3600)}")
        conditions[f"hours_{i}"] = f"{conditions['reported']} AND {' AND '.join(bounds)}"
    return conditions


COUNT_NAMES = tuple(counts("postgresql"))
TABLES = tuple(rollup.table(grain) for rollup in ROLLUPS for grain in GRAINS)


def day_of(column: str, grain: str, vendor: str) -> str:
    """The UTC day of a timestamp column, or the first day of its UTC week (a Monday) or
    month."""
    if vendor == "postgresql":
        if grain == "day":
            return f"CAST(({column} AT TIME ZONE 'UTC') AS date)"
        return f"CAST(date_trunc('{grain}', {column}, 'UTC') AS date)"
    return {
        "day": f"date({column})",
        # 'start of day' first: after '-6 days' SQLite counts in milliseconds, and the last
        # half-millisecond of a Sunday would round into the next week.
        "week": f"date({column}, 'start of day', '-6 days', 'weekday 1')",
        "month": f"date({column}, 'start of month')",
    }[grain]


def _key_expressions(rollup: Rollup, grain: str, vendor: str) -> list[str]:
    return [
        day_of("d.actioned_at", grain, vendor),
        *(
            "COALESCE(d.sub_policy_id, 0)" if column == "sub_policy_id" else f"d.{column}"
            for column in rollup.dimensions
        ),
        *(["d.account_month_seq"] if rollup.private else []),
    ]


def _select(rollup: Rollup, grain: str, vendor: str, source: str, signed: bool = False) -> str:
    """The roll-up's rows for the decisions in `source` (a table or a subquery, read as d);
    with `signed`, each row's column `sign` (1 or -1) says whether it is added or taken
    away."""
    keys = _key_expressions(rollup, grain, vendor)
    weight = "d.sign" if signed else "1"
    keys = [f"{expression} AS {name}" for expression, name in zip(keys, rollup.key, strict=True)]
    sums = [
        f"SUM(CASE WHEN {condition} THEN {weight} ELSE 0 END) AS n_{name}"
        for name, condition in counts(vendor).items()
    ]
    positions = ", ".join(str(i + 1) for i in range(len(keys)))
    # WHERE true: SQLite reads ON CONFLICT after a bare FROM as a join's constraint.
    where = f"d.account_month_seq BETWEEN 1 AND {MAX_SEQ}" if rollup.private else "true"
    return (
        f"SELECT {', '.join(keys + sums)} FROM {source} d WHERE {where} "
        f"GROUP BY {positions} ORDER BY {positions}"
    )


def add_sql(rollup: Rollup, grain: str, vendor: str, source: str, signed: bool = False) -> str:
    """One statement adding the rows of `_select` to the roll-up's table of `grain`. Keys
    are written in order, so concurrent writers lock roll-up rows in the same order."""
    table = rollup.table(grain)
    updates = ", ".join(f"n_{name} = {table}.n_{name} + excluded.n_{name}" for name in COUNT_NAMES)
    return (
        f"INSERT INTO {table} ({', '.join(rollup.columns)}) "
        f"{_select(rollup, grain, vendor, source, signed)} "
        f"ON CONFLICT ({', '.join(rollup.key)}) DO UPDATE SET {updates}"
    )


def add_all_sql(rollup: Rollup, vendor: str, source: str, signed: bool = False) -> list[str]:
    """The statements adding the decisions in `source` to every grain of the roll-up. On
    PostgreSQL one statement: the decisions are summed by day once, and the week and month
    rows are summed from those day rows (a million decisions are aggregated once per
    roll-up, not once per grain). Its three inserts run in an order PostgreSQL keeps for
    one statement's plan (its manual calls the order of data-modifying WITH parts
    unpredictable, not random): every writer runs the same statement on keys in the same
    order, so concurrent writers take their locks in one order (tested with concurrent
    ingests)."""
    if vendor != "postgresql":
        return [add_sql(rollup, grain, vendor, source, signed) for grain in GRAINS]
    key = ", ".join(rollup.key)
    columns = ", ".join(rollup.columns)
    positions = ", ".join(str(i + 1) for i in range(len(rollup.key)))
    days = _select(rollup, "day", vendor, source, signed).split(" ORDER BY ")[0]
    parts = [f"WITH days AS ({days})"]
    for grain in GRAINS:
        table = rollup.table(grain)
        if grain == "day":
            keys = key
        else:
            first = f"CAST(date_trunc('{grain}', CAST(day AS timestamp)) AS date)"
            keys = ", ".join([first, *rollup.key[1:]])
        sums = ", ".join(
            f"n_{name}" if grain == "day" else f"SUM(n_{name})" for name in COUNT_NAMES
        )
        grouped = "" if grain == "day" else f" GROUP BY {positions}"
        updates = ", ".join(f"n_{n} = {table}.n_{n} + excluded.n_{n}" for n in COUNT_NAMES)
        insert = (
            f"INSERT INTO {table} ({columns}) SELECT {keys}, {sums} FROM days{grouped} "
            f"ORDER BY {positions} ON CONFLICT ({key}) DO UPDATE SET {updates}"
        )
        parts.append(f", add_{grain} AS ({insert})" if grain != GRAINS[-1] else f" {insert}")
    return ["".join(parts)]


def _columns_read(rollup: Rollup) -> list[str]:
    return list(dict.fromkeys((*rollup.dimensions, *_READ)))


def _signed(sources: dict[str, str], rollup: Rollup) -> str:
    """A subquery of signed rows: {'1': new rows, '-1': old rows}."""
    columns = ", ".join(_columns_read(rollup))
    return (
        "("
        + " UNION ALL ".join(
            f"SELECT {sign} AS sign, {columns} FROM {table}" for sign, table in sources.items()
        )
        + ")"
    )


def _sqlite_row(prefix: str, sign: str, rollup: Rollup) -> str:
    columns = ", ".join(f"{prefix}.{c} AS {c}" for c in _columns_read(rollup))
    return f"SELECT {sign} AS sign, {columns}"


_EVENTS = {  # trigger event: the rows it adds (1) and takes away (-1)
    "INSERT": {"1": "new_rows"},
    "UPDATE": {"1": "new_rows", "-1": "old_rows"},
    "DELETE": {"-1": "old_rows"},
}


@dataclass(frozen=True)
class Trigger:
    name: str
    create: str  # the CREATE TRIGGER statement
    function: str | None = None  # PostgreSQL: the body of the plpgsql function it runs


def _postgres_triggers() -> list[Trigger]:
    triggers = []
    for event, sources in _EVENTS.items():
        name = f"moderation_rollup_{event.lower()}"
        body = ";\n".join(
            statement
            for r in ROLLUPS
            for statement in add_all_sql(r, "postgresql", _signed(sources, r), True)
        )
        referencing = " ".join(
            f"{'NEW' if table == 'new_rows' else 'OLD'} TABLE AS {table}"
            for table in sources.values()
        )
        triggers.append(
            Trigger(
                name,
                f"CREATE TRIGGER {name} AFTER {event} ON {DECISIONS} REFERENCING {referencing} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION {name}()",
                f"\nBEGIN\n{body};\nRETURN NULL;\nEND ",
            )
        )
    # DELETE, not TRUNCATE: a TRUNCATE naming the roll-ups too (Django's flush) is still
    # using them when this runs.
    deletes = "\n".join(f"DELETE FROM {table};" for table in (*TABLES, ACCOUNT_MONTHS))
    triggers.append(
        Trigger(
            "moderation_rollup_truncate",
            f"CREATE TRIGGER moderation_rollup_truncate AFTER TRUNCATE ON {DECISIONS} "
            "FOR EACH STATEMENT EXECUTE FUNCTION moderation_rollup_truncate()",
            f"\nBEGIN\n{deletes}\nRETURN NULL;\nEND ",
        )
    )
    # Each decision's account_month_seq, before it is written: the next of its account's
    # month, kept while an update leaves the account and the month alone.
    triggers.append(
        Trigger(
            "moderation_decision_seq",
            f"CREATE TRIGGER moderation_decision_seq BEFORE INSERT OR UPDATE ON {DECISIONS} "
            "FOR EACH ROW EXECUTE FUNCTION moderation_decision_seq()",
            "\nDECLARE v_month date := "
            "CAST(date_trunc('month', NEW.actioned_at, 'UTC') AS date);\n"
            "BEGIN\n"
            "IF TG_OP = 'UPDATE' AND NEW.creator_id = OLD.creator_id AND v_month = "
            "CAST(date_trunc('month', OLD.actioned_at, 'UTC') AS date) THEN\n"
            "NEW.account_month_seq := OLD.account_month_seq;\nRETURN NEW;\nEND IF;\n"
            f"INSERT INTO {ACCOUNT_MONTHS} AS a (creator_id, month, decisions) "
            "VALUES (NEW.creator_id, v_month, 1) ON CONFLICT (creator_id, month) "
            "DO UPDATE SET decisions = a.decisions + 1 "
            "RETURNING a.decisions INTO NEW.account_month_seq;\n"
            "RETURN NEW;\nEND ",
        )
    )
    return triggers


def _sqlite_seq(row: str) -> str:
    """Give the decision `row` (NEW) the next seq of its account's month. Its UPDATE fires
    the roll-up update trigger, which moves the decision's counts to its new seq: the sum
    of that and the insert's (or the update's) own counts is right in either order."""
    month = day_of(f"{row}.actioned_at", "month", "sqlite")
    return (
        f"INSERT INTO {ACCOUNT_MONTHS} (creator_id, month, decisions) "
        f"VALUES ({row}.creator_id, {month}, 1) "
        "ON CONFLICT (creator_id, month) DO UPDATE SET decisions = decisions + 1;\n"
        f"UPDATE {DECISIONS} SET account_month_seq = (SELECT decisions FROM {ACCOUNT_MONTHS} "
        f"WHERE creator_id = {row}.creator_id AND month = {month}) WHERE id = {row}.id;"
    )


def _sqlite_triggers() -> list[Trigger]:
    triggers = []
    rows = {"1": "NEW", "-1": "OLD"}
    for event, sources in _EVENTS.items():
        name = f"moderation_rollup_{event.lower()}"
        body = ";\n".join(
            statement
            for r in ROLLUPS
            for statement in add_all_sql(
                r,
                "sqlite",
                "(" + " UNION ALL ".join(_sqlite_row(rows[s], s, r) for s in sources) + ")",
                True,
            )
        )
        triggers.append(
            Trigger(
                name,
                f"CREATE TRIGGER {name} AFTER {event} ON {DECISIONS} FOR EACH ROW "
                f"BEGIN\n{body};\nEND",
            )
        )
    moved = (
        "NEW.creator_id <> OLD.creator_id OR "
        f"{day_of('NEW.actioned_at', 'month', 'sqlite')} <> "
        f"{day_of('OLD.actioned_at', 'month', 'sqlite')}"
    )
    return [
        *triggers,
        Trigger(
            "moderation_decision_seq_insert",
            f"CREATE TRIGGER moderation_decision_seq_insert AFTER INSERT ON {DECISIONS} "
            f"FOR EACH ROW BEGIN\n{_sqlite_seq('NEW')}\nEND",
        ),
        Trigger(
            "moderation_decision_seq_update",
            "CREATE TRIGGER moderation_decision_seq_update AFTER UPDATE OF actioned_at, "
            f"creator_id ON {DECISIONS} FOR EACH ROW WHEN {moved} "
            f"BEGIN\n{_sqlite_seq('NEW')}\nEND",
        ),
    ]


def _triggers(vendor: str) -> list[Trigger]:
    return _postgres_triggers() if vendor == "postgresql" else _sqlite_triggers()


_ALL_TRIGGERS = (
    *(f"moderation_rollup_{event.lower()}" for event in (*_EVENTS, "TRUNCATE")),
    "moderation_decision_seq",
    "moderation_decision_seq_insert",
    "moderation_decision_seq_update",
)


def installed(connection) -> bool:
    """Whether the database runs exactly these triggers (a migration on SQLite that remakes
    moderation_decision drops them; a new version of this module changes them)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname FROM pg_trigger "
                f"WHERE tgrelid = '{DECISIONS}'::regclass AND NOT tgisinternal"
            )
            present = {row[0] for row in cursor.fetchall()}
            cursor.execute("SELECT proname, prosrc FROM pg_proc WHERE proname LIKE 'moderation%%'")
            functions = dict(cursor.fetchall())
            return all(
                t.name in present and functions.get(t.name) == t.function
                for t in _postgres_triggers()
            )
        cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
        found = dict(cursor.fetchall())
        return all(found.get(t.name) == t.create for t in _sqlite_triggers())


def ensure(connection, out=None) -> bool:
    """Install the triggers and rebuild the roll-ups unless they are installed as they are
    now (after every migrate: see moderation.apps). Returns whether it installed them."""
    if TABLES[0] not in connection.introspection.table_names() or installed(connection):
        return False
    with transaction.atomic(using=connection.alias):
        install(connection)
    if out:
        out.write("moderation: statistics roll-ups installed and rebuilt\n")
    return True


def install(connection) -> None:
    """(Re)create the triggers and rebuild every roll-up from the decisions, in the caller's
    transaction. Decisions without a seq (stored before there was one) get theirs first, in
    the order of their ids after those of their account's month that have one."""
    vendor = connection.vendor
    uninstall(connection)
    month = day_of("d.actioned_at", "month", vendor)
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH top AS (SELECT creator_id, {month} AS month, MAX(account_month_seq) AS seq "
            f"FROM {DECISIONS} d GROUP BY 1, 2), "
            f"numbered AS (SELECT d.id, COALESCE(top.seq, 0) + ROW_NUMBER() OVER "
            f"(PARTITION BY d.creator_id, {month} ORDER BY d.id) AS seq FROM {DECISIONS} d "
            f"LEFT JOIN top ON top.creator_id = d.creator_id AND top.month = {month} "
            "WHERE d.account_month_seq = 0) "
            f"UPDATE {DECISIONS} SET account_month_seq = numbered.seq FROM numbered "
            f"WHERE {DECISIONS}.id = numbered.id"
        )
        cursor.execute(f"DELETE FROM {ACCOUNT_MONTHS}")
        cursor.execute(
            f"INSERT INTO {ACCOUNT_MONTHS} (creator_id, month, decisions) "
            f"SELECT creator_id, {month}, MAX(account_month_seq) FROM {DECISIONS} d GROUP BY 1, 2"
        )
        for trigger in _triggers(vendor):
            if trigger.function is not None:
                cursor.execute(
                    f"CREATE OR REPLACE FUNCTION {trigger.name}() RETURNS trigger "
                    f"LANGUAGE plpgsql AS $${trigger.function}$$"
                )
            cursor.execute(trigger.create)
        for rollup in ROLLUPS:
            for grain in GRAINS:
                cursor.execute(f"DELETE FROM {rollup.table(grain)}")
            for statement in add_all_sql(rollup, vendor, DECISIONS):
                cursor.execute(statement)


def uninstall(connection) -> None:
    """Drop the triggers (their tables go with the migration that made them)."""
    with connection.cursor() as cursor:
        for name in _ALL_TRIGGERS:
            if connection.vendor == "postgresql":
                cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON {DECISIONS}")
                cursor.execute(f"DROP FUNCTION IF EXISTS {name}()")
            else:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")


def differences(connection) -> dict[str, int]:
    """Per roll-up table, how many of its rows (keys) differ from a full recount of the
    decisions: missing, extra or with other counts (rows whose counts are all zero, left by
    decisions that moved or went, count as absent)."""
    vendor = connection.vendor
    out = {}
    with connection.cursor() as cursor:
        for rollup in ROLLUPS:
            for grain in GRAINS:
                keys = ", ".join(rollup.key)
                recount = _select(rollup, grain, vendor, DECISIONS).split(" ORDER BY ")[0]
                nonzero = " OR ".join(f"n_{name} <> 0" for name in COUNT_NAMES)
                stored = (
                    f"SELECT {', '.join(rollup.columns)} FROM {rollup.table(grain)} WHERE {nonzero}"
                )
                cursor.execute(  # the keys of rows that are missing, extra or wrong
                    f"SELECT COUNT(*) FROM (SELECT {keys} FROM ({recount} EXCEPT {stored}) a "
                    f"UNION SELECT {keys} FROM ({stored} EXCEPT {recount}) b) c"
                )
                name = f"{'private ' if rollup.private else ''}{rollup.name} by {grain}"
                out[name] = cursor.fetchone()[0]
    return out


def parts(start: date, end: date, period: str | None) -> list[tuple[str, date, date]]:
    """The rows that hold the days from `start` to `end`, for an answer per `period`:
    (grain, first day, last day). Whole months come from the month rows (unless the answer
    is per day or week), whole weeks from the week rows (unless it is per day), and only
    the days left over from the day rows: a year's answer reads 12 month rows per
    combination, not 365 day rows, and half a year per week 26, not 181."""
    if period == "day":
        return [("day", start, end)]
    if period == "week":
        return _weeks(start, end)
    first = start if start.day == 1 else _next_month(start)
    after = _next_month(end) if _next_month(end) - timedelta(days=1) == end else end.replace(day=1)
    if first >= after:  # no whole month: each month's days apart (a week may span two)
        out, day = [], start
        while day <= end:
            last = min(end, _next_month(day) - timedelta(days=1))
            out += _weeks(day, last)
            day = last + timedelta(days=1)
        return out
    out = _weeks(start, first - timedelta(days=1)) if start < first else []
    out.append(("month", first, after - timedelta(days=1)))
    if after <= end:
        out += _weeks(after, end)
    return out


def _weeks(start: date, end: date) -> list[tuple[str, date, date]]:
    """Whole weeks (Monday to Sunday) from the week rows, the days around them from the day
    rows."""
    monday = start + timedelta(days=-start.weekday() % 7)
    sunday = end - timedelta(days=(end.weekday() + 1) % 7)
    if monday > sunday:
        return [("day", start, end)]
    out = [("day", start, monday - timedelta(days=1))] if start < monday else []
    out.append(("week", monday, sunday))
    if sunday < end:
        out.append(("day", sunday + timedelta(days=1), end))
    return out


def _next_month(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)
