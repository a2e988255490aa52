"""Moderation statistics: POST /v2/research/moderation/stats/.

A request names up to three dimensions to group by, an optional period, the metrics
(codebook.statistics, where each one's exact definition lives), a filter in the decision
query's grammar and a date window over the action date. The database counts, per cell, the
handful of conditions the metrics need (one scan, one GROUP BY); the metrics are computed
from those counts here, so a rate's numerator and denominator are always two counts of the
same rows. Then every answer is protected (codebook.statistics.PRIVACY):

- exact answers suppress figures resting on fewer than k decisions, and complementary
  figures where one withheld figure could be computed back from the period's total;
- differentially private answers cap each account's contribution in SQL, add OpenDP's
  Gaussian noise (zero-concentrated DP) to every count of the answer at once, over cells
  that are the cross-product of public domains, and are charged to the project's budget.
"""

import hashlib
import math
from dataclasses import dataclass
from dataclasses import field as dc_field
from datetime import UTC, date, datetime, timedelta
from functools import cached_property
from typing import Annotated, Literal

import orjson
from django.conf import settings
from django.db import IntegrityError, connection
from pydantic import BaseModel, ConfigDict, Field, StrictFloat, field_validator, model_validator

from audit import events
from audit.services import entry as audit_entry
from codebook import statistics as book
from core.errors import InvalidParams, PrivacyBudgetExhausted
from core.sql import db_uuid
from moderation import rollups
from moderation.models import Policy
from moderation.taxonomy import (
    KEYWORDS,
    MAX_CATEGORY_KEYWORDS,
    AutomatedDecision,
    Category,
    DecisionAccount,
    DecisionGround,
    DecisionVisibility,
    DetectionMethod,
    SourceType,
    TargetType,
)
from quotas.counters import PRIVACY, Debit
from quotas.selectors import MICRO, privacy_budget, privacy_spent
from research import keyset, settlement
from research.models import StatsRelease
from research.pseudonyms import Pseudonyms
from research.query_language import DATE_PATTERN, MAX_WINDOW_DAYS, parse_date
from research.requests import DecisionQuery
from research.sources import Sql, query_conditions
from research.sources.decisions import QUERY_FIELDS, DecisionSearch

PATH = "moderation/stats"  # under /v2/research/; the audit entries' target
MAX_GROUPS = 3
MAX_CELLS = 5_000  # in one answer
MAX_ROWS = 100_000  # read for one answer (cells split by category or market)
TOP_MARKETS = 5

Dimension = Literal[tuple(d.name for d in book.DIMENSIONS)]  # type: ignore[valid-type]
MetricName = Literal[tuple(m.name for m in book.METRICS)]  # type: ignore[valid-type]
Period = Literal[tuple(book.PERIODS)]  # type: ignore[valid-type]


class PrivacyRequest(BaseModel):
    """Differential privacy: `rho` (zero-concentrated DP), or `epsilon` and `delta`."""

    model_config = ConfigDict(extra="forbid")

    rho: Annotated[StrictFloat, Field(gt=0, le=10)] | None = None
    epsilon: Annotated[StrictFloat, Field(gt=0, le=20)] | None = None
    delta: Annotated[StrictFloat, Field(gt=0, le=1e-3)] | None = None

    @field_validator("rho", "epsilon", "delta", mode="before")
    @classmethod
    def _number(cls, value):
        return float(value) if isinstance(value, int) and not isinstance(value, bool) else value

    @model_validator(mode="after")
    def _one_kind(self):
        if (self.rho is None) == (self.epsilon is None):
            raise ValueError('give either "rho", or "epsilon" with "delta"')
        if (self.epsilon is None) != (self.delta is None):
            raise ValueError('"epsilon" and "delta" go together')
        return self


class StatsRequest(BaseModel):
    """Aggregate moderation statistics over the date window (UTC, by action date)."""

    model_config = ConfigDict(extra="forbid")

    start_date: Annotated[str, Field(pattern=DATE_PATTERN, description="YYYYMMDD, UTC")]
    end_date: Annotated[
        str,
        Field(pattern=DATE_PATTERN, description="YYYYMMDD, UTC; at most 365 days after start_date"),
    ]
    group_by: Annotated[list[Dimension], Field(max_length=MAX_GROUPS)] = []
    period: Period | None = None
    metrics: Annotated[list[MetricName], Field(min_length=1, max_length=len(book.METRICS))] = [
        "decisions"
    ]
    filter: DecisionQuery | None = None
    privacy: PrivacyRequest | None = None

    @field_validator("start_date", "end_date", mode="before")
    @classmethod
    def _date(cls, value, info):
        parse_date(value, info.field_name)
        return value

    @model_validator(mode="after")
    def _consistent(self):
        start, end = self.window()
        if end < start:
            raise ValueError(f"end_date {self.end_date} is before start_date {self.start_date}")
        if (end - start).days + 1 > MAX_WINDOW_DAYS:
            raise ValueError(f"the date window may span at most {MAX_WINDOW_DAYS} days")
        for name, values in (("group_by", self.group_by), ("metrics", self.metrics)):
            repeated = sorted({v for v in values if values.count(v) > 1})
            if repeated:
                raise ValueError(f"{name} names {', '.join(repeated)} more than once")
        if self.privacy is not None:
            public = [m for m in self.metrics if not book.BY_METRIC[m].private]
            if public:
                raise ValueError(
                    f"{', '.join(public)} has no differentially private version: ask for it "
                    "without privacy"
                )
        return self

    def window(self) -> tuple[date, date]:
        return parse_date(self.start_date, "start_date"), parse_date(self.end_date, "end_date")

    def canonical(self) -> dict:
        """What defines the question (its fingerprint): order of lists is kept, it is the
        answer's order."""
        return {
            "start_date": self.start_date,
            "end_date": self.end_date,
            "group_by": list(self.group_by),
            "period": self.period,
            "metrics": list(self.metrics),
            "filter": self.filter.canonical() if self.filter else None,
            "privacy": self.privacy.model_dump() if self.privacy else None,
        }

    def fingerprint(self) -> str:
        return hashlib.sha256(
            orjson.dumps(self.canonical(), option=orjson.OPT_SORT_KEYS)
        ).hexdigest()


# --- SQL ------------------------------------------------------------------------------------


def _conditions() -> dict[str, str]:
    """Each count the metrics rest on: a condition on one decision (moderation.rollups),
    written for a statement with parameters."""
    return {
        name: condition.replace("%", "%%")
        for name, condition in rollups.counts(connection.vendor).items()
    }


BUCKETS = tuple(f"views_{i}" for i in range(len(book.VIEW_BUCKETS)))
HOURS = tuple(f"hours_{i}" for i in range(len(book.HOUR_EDGES)))
# The counts each metric rests on (its numerator first, its denominator last).
NEEDS = {
    "decisions": ("decisions",),
    "proactive_rate": ("proactive", "removals"),
    "removed_before_views_rate": ("before_views", "removals"),
    "removed_within_24h_rate": ("within_24h", "removals"),
    "views_at_removal": (*BUCKETS, "removals"),
    "median_hours_to_action": (*HOURS, "reported"),
    "automated_share": ("automated", "decisions"),
    "appeal_rate": ("appealed", "decisions"),
    "reversal_rate": ("reversed", "appeals_decided"),
    "reinstatements": ("reinstated",),
    "category_share": ("decisions",),
    "top_markets": ("decisions",),
}
SPLIT_FIELDS = {"category_share": "category", "top_markets": "market"}
SPLITS = {metric: f"d.{field}" for metric, field in SPLIT_FIELDS.items()}


def _dimension_sql() -> dict[str, str]:
    keyword = "k.keyword" if connection.vendor == "postgresql" else "k.value"
    return {
        "policy": "p.code",
        "sub_policy": "COALESCE(sp.code, '')",
        "category": "d.category",
        "category_keyword": keyword,
        "decision_visibility": "d.decision_visibility",
        "decision_account": "d.decision_account",
        "decision_ground": "d.decision_ground",
        "source_type": "d.source_type",
        "detection_method": "d.detection_method",
        "automated_detection": "CASE WHEN d.automated_detection THEN 'true' ELSE 'false' END",
        "automated_decision": "d.automated_decision",
        "target_type": "d.target_type",
        "market": "d.market",
        "content_language": "d.content_language",
    }


def _keyword_join() -> str:
    """One row per DSA keyword of a decision (an empty keyword for a decision without any)."""
    if connection.vendor == "postgresql":
        return (
            " CROSS JOIN LATERAL jsonb_array_elements_text(CASE WHEN "
            "jsonb_array_length(d.category_keywords) > 0 THEN d.category_keywords "
            "ELSE '[\"\"]'::jsonb END) AS k(keyword)"
        )
    return (
        " JOIN json_each(CASE WHEN json_array_length(d.category_keywords) > 0 "
        "THEN d.category_keywords ELSE '[\"\"]' END) k"
    )


def _period_sql(period: str | None, rolled: bool = False) -> str:
    """The period of a decision's action (or of a roll-up row's day), as the database groups
    it: on PostgreSQL the period's first instant or day (date_trunc in UTC: grouping by a
    timestamp is several times cheaper than by formatted text), labelled afterwards
    (`label`); on SQLite the label."""
    if period is None:
        return "''"
    if connection.vendor == "postgresql":
        if rolled:
            return f"CAST(date_trunc('{period}', CAST(d.day AS timestamp)) AS date)"
        return f"date_trunc('{period}', d.actioned_at, 'UTC')"
    at = "d.day" if rolled else "d.actioned_at"
    return {
        "day": f"strftime('%%Y-%%m-%%d', {at})",
        "week": rollups.day_of(at, "week", "sqlite"),  # a week's Monday, as its rows are keyed
        "month": f"strftime('%%Y-%%m', {at})",
        "quarter": f"(strftime('%%Y', {at}) || '-Q' || "
        f"((CAST(strftime('%%m', {at}) AS integer) + 2) / 3))",
    }[period]


def label(period: str | None, value) -> str:
    """A period as answers name it (codebook.statistics.PERIODS), from what the SQL gave."""
    if period is None or isinstance(value, str):
        return value
    day = value.astimezone(UTC).date() if isinstance(value, datetime) else value
    return {
        "day": day.isoformat(),
        "week": day.isoformat(),
        "month": day.strftime("%Y-%m"),
        "quarter": f"{day.year}-Q{(day.month + 2) // 3}",
    }[period]


def median_of(counts: dict[str, float]) -> tuple[float, list] | None:
    """The median hours from report to action, read off the hours histogram: interpolated
    linearly within the bucket holding the middle, and the bounds of the bucket(s) holding
    the middle value(s), where the exact median lies (codebook.statistics.HOUR_EDGES)."""
    sizes = [max(0, round(counts[h])) for h in HOURS]
    total = sum(sizes)
    if total == 0:
        return None
    edges = [*book.HOUR_EDGES, None]

    def bucket(rank: int) -> int:  # the bucket of the rank-th smallest value (from 0)
        seen = 0
        for i, size in enumerate(sizes):
            seen += size
            if rank < seen:
                return i
        return len(sizes) - 1

    low, high = bucket((total - 1) // 2), bucket(total // 2)
    middle = total / 2
    i, before = 0, 0
    while before + sizes[i] < middle:
        before += sizes[i]
        i += 1
    start, end = edges[i], edges[i + 1]
    value = start if end is None else start + (end - start) * (middle - before) / sizes[i]
    return value, [edges[low], edges[high + 1]]


# The statistics dimensions and decision-query fields roll-up columns answer: policies by
# their ids, the rest by their own names.
ROLLED = {
    "policy": "policy_id",
    "sub_policy": "sub_policy_id",
    **{c: c for r in rollups.EXACT for c in r.dimensions if not c.endswith("_id")},
}


@dataclass
class Question:
    """A validated request, resolved for one project."""

    request: StatsRequest
    pseudonyms: Pseudonyms
    snapshot: object  # datetime
    use_rollups: bool = True  # False: count the decisions themselves (the benchmark's baseline)

    @cached_property
    def rollup(self) -> rollups.Rollup | None:
        """The smallest roll-up that answers the question exactly: one holding every
        dimension it groups, filters or splits by; for a private question, one keyed by
        account_month_seq too."""
        request = self.request
        if not self.use_rollups:
            return None
        fields = {*request.group_by, *(SPLIT_FIELDS[m] for m in self.splits)}
        if request.filter is not None:
            query = request.filter
            fields |= {c.field_name for c in (*query.and_, *query.or_, *query.not_)}
        if not fields <= ROLLED.keys():
            return None
        columns = {ROLLED[f] for f in fields}
        candidates = rollups.PRIVATE if self.private else rollups.EXACT
        return next((r for r in candidates if columns <= set(r.dimensions)), None)

    @property
    def private(self) -> bool:
        return self.request.privacy is not None

    @property
    def counts(self) -> tuple[str, ...]:
        """The counts the metrics rest on; always the decisions (every cell says how many
        decisions it rests on)."""
        needed = ("decisions", *(c for m in self.request.metrics for c in NEEDS[m]))
        return tuple(dict.fromkeys(needed))

    @property
    def splits(self) -> list[str]:
        return [m for m in SPLITS if m in self.request.metrics]

    def source(self, sql: Sql, *, keywords: bool) -> str:
        """FROM ... WHERE ... of the request's decisions (with one row per DSA keyword when
        grouped by keyword), or of its roll-up's rows."""
        request = self.request
        query = request.filter.canonical() if request.filter else _no_filter()
        if self.rollup is not None:
            return self._rollup_source(sql, query)
        params = {
            "query": query,
            "start_date": request.start_date,
            "end_date": request.end_date,
        }
        search = DecisionSearch()
        table = search.table + (_keyword_join() if keywords else "")
        where = search.where(params, self.pseudonyms, self.snapshot, sql)
        if self.private:
            where += f" AND d.account_month_seq BETWEEN 1 AND {per_account_month()}"
        return f"{table} WHERE {where}"

    def _rollup_source(self, sql: Sql, query: dict) -> str:
        """The roll-up's rows of the window: month rows for its whole months and week rows
        for its whole weeks, as far as the answer's period allows, and day rows for the rest
        (rollups.parts)."""
        rollup, request = self.rollup, self.request
        selects = []
        for grain, first, last in rollups.parts(*request.window(), request.period):
            first, last = (connection.ops.adapt_datefield_value(d) for d in (first, last))
            selects.append(
                f"SELECT {', '.join(rollup.columns)} FROM {rollup.table(grain)} "
                f"WHERE day >= {sql.param(first)} AND day <= {sql.param(last)}"
            )
        conditions = query_conditions(query, QUERY_FIELDS, sql, self.pseudonyms)
        if self.private:
            conditions.append(f"d.seq <= {per_account_month()}")
        # Policies are joined only where the filter names them (by code); groups by policy
        # are named after summing (counts_sql).
        fields = {c["field_name"] for c in (*query["and"], *query["or"], *query["not"])}
        joins = "".join(
            f" {'' if name == 'policy' else 'LEFT '}JOIN moderation_policy {alias} "
            f"ON {alias}.id = d.{_POLICY_IDS[name]}"
            for name, alias in (("policy", "p"), ("sub_policy", "sp"))
            if name in fields
        )
        return f"({' UNION ALL '.join(selects)}) d{joins}" + (
            f" WHERE {' AND '.join(conditions)}" if conditions else ""
        )


def per_account_month() -> int:
    """C: private answers count each account's first C decisions of each UTC month."""
    return min(int(settings.RESEARCH_API_DP_DECISIONS_PER_ACCOUNT_MONTH), rollups.MAX_SEQ)


def account_bound(request: StatsRequest) -> float:
    """How far one account can move one count's vector of cells (its L2 norm): C
    decisions in each month of the window, so at most C times the months a period spans
    in each period (periods are disjoint cells), and C times the window's months in all;
    times the keywords a decision may carry when each of them is a cell."""
    start, end = request.window()
    months: dict[str, set[str]] = {}
    day = start
    while day <= end:
        key = label(request.period, day) if request.period else ""
        months.setdefault(key, set()).add(day.strftime("%Y-%m"))
        day += timedelta(days=1)
    spread = math.sqrt(sum(len(m) ** 2 for m in months.values()))
    total = len(set().union(*months.values()))
    keywords = MAX_CATEGORY_KEYWORDS if "category_keyword" in request.group_by else 1
    return per_account_month() * min(spread, total) * keywords


def _no_filter() -> dict:
    return {"and": [], "or": [], "not": []}


# Policies by id in roll-up rows, named after summing (moderation_policy is joined to a few
# hundred sums instead of every row read: 4x faster at 80,000 day rows).
_POLICY_IDS = {"policy": "policy_id", "sub_policy": "sub_policy_id"}


def _groups(question: Question, split: str | None = None) -> list[tuple[str, str]]:
    """(dimension, its SQL) of each group: the request's, then the period, then `split`."""
    dims = _dimension_sql()
    groups = [(g, dims[g]) for g in question.request.group_by]
    groups.append(("period", _period_sql(question.request.period, question.rollup is not None)))
    if split:
        groups.append(("split", split))
    return groups


def counts_sql(question: Question, split: str | None = None, totals=False) -> tuple[str, list]:
    """The counts per cell, or per period with `totals`; with `split`, the
    decisions per cell and value of that column (a category, a market). A private
    question's counts take each account's first decisions of each month only
    (Question.source)."""
    sql = Sql()
    request = question.request
    keywords = not totals and "category_keyword" in request.group_by
    source = question.source(sql, keywords=keywords)
    rolled = question.rollup is not None
    if totals:
        groups = [("period", _period_sql(request.period, rolled))]
    else:
        groups = _groups(question, split)
    conditions = _conditions()
    counts = ("decisions",) if split else question.counts
    select = [
        f"SUM(d.n_{c})" if rolled else f"SUM(CASE WHEN {conditions[c]} THEN 1 ELSE 0 END)"
        for c in counts
    ]
    # No ORDER BY or LIMIT: either makes the planner prefer a fast-start plan (an index walk
    # and a sort) to one scan and a hash aggregate, 10x slower at 1M decisions. The groups
    # are bounded by the data, sorted and checked against MAX_ROWS after reading.
    positions = ", ".join(str(i + 1) for i in range(len(groups)))
    if not rolled:
        columns = [expression for _, expression in groups] + select
        return f"SELECT {', '.join(columns)} FROM {source} GROUP BY {positions}", sql.params
    keys = [f"d.{_POLICY_IDS[name]}" if name in _POLICY_IDS else e for name, e in groups]
    sums = [f"g.s{i}" for i in range(len(select))]
    named, joins = [], []
    for i, (name, expression) in enumerate(groups):
        if name in _POLICY_IDS:
            alias = "p" if name == "policy" else "sp"
            joins.append(f" LEFT JOIN moderation_policy {alias} ON {alias}.id = g.k{i}")
            named.append(expression)
        else:
            named.append(f"g.k{i}")
    inner = ", ".join(
        [f"{key} AS k{i}" for i, key in enumerate(keys)]
        + [f"{sum_} AS s{i}" for i, sum_ in enumerate(select)]
    )
    text = (
        f"SELECT {', '.join(named + sums)} FROM "
        f"(SELECT {inner} FROM {source} GROUP BY {positions}) g{''.join(joins)}"
    )
    return text, sql.params


def read(text: str, params: list, project_id) -> list[tuple]:
    """Run a statistics statement with the research time limit, in one of the project's
    query slots (research.keyset.run)."""
    return keyset.run(text, params, project_id=project_id)


# --- Domains of the private answer's cells --------------------------------------------------


def _choices(enum, empty: bool = False) -> list[str]:
    return ([""] if empty else []) + [str(v) for v in enum.values]


def domain(question: Question, name: str) -> list[str]:
    """The values a dimension can take, known without looking at the data."""
    fixed = {
        "category": lambda: _choices(Category),
        "category_keyword": lambda: ["", *sorted(KEYWORDS)],
        "decision_visibility": lambda: _choices(DecisionVisibility, empty=True),
        "decision_account": lambda: _choices(DecisionAccount, empty=True),
        "decision_ground": lambda: _choices(DecisionGround),
        "source_type": lambda: _choices(SourceType),
        "detection_method": lambda: _choices(DetectionMethod),
        "automated_detection": lambda: ["false", "true"],
        "automated_decision": lambda: _choices(AutomatedDecision),
        "target_type": lambda: _choices(TargetType),
        "policy": lambda: sorted(Policy.objects.filter(parent=None).values_list("code", flat=True)),
        "sub_policy": lambda: [
            "",
            *sorted(Policy.objects.exclude(parent=None).values_list("code", flat=True)),
        ],
    }
    if name in fixed:
        return fixed[name]()
    named = _named_values(question.request, name)
    if named is None:
        field = "market" if name in ("market", "top_markets") else name
        raise InvalidParams(
            f"With privacy, {name} needs its values named: add an IN condition on {field} "
            "to filter.and (which values exist must not depend on the data)."
        )
    return named


def _named_values(request: StatsRequest, field: str) -> list[str] | None:
    field = "market" if field == "top_markets" else field
    if request.filter is None:
        return None
    for condition in request.filter.and_:
        if condition.field_name == field and condition.operation in ("EQ", "IN"):
            values = condition.field_values
            return sorted({v.upper() if field == "market" else v.lower() for v in values})
    return None


def periods(request: StatsRequest) -> list[str]:
    """The period labels of the window, as the SQL writes them."""
    start, end = request.window()
    if request.period is None:
        return [""]
    labels, day = [], start
    while day <= end:
        label = {
            "day": day.isoformat(),
            "week": (day - timedelta(days=day.weekday())).isoformat(),
            "month": day.strftime("%Y-%m"),
            "quarter": f"{day.year}-Q{(day.month + 2) // 3}",
        }[request.period]
        if not labels or labels[-1] != label:
            labels.append(label)
        day += timedelta(days=1)
    return labels


def cells_of(question: Question) -> list[tuple]:
    """Every cell of a private answer: the cross-product of the groups' domains and the
    window's periods, refused when it is too large to answer."""
    axes = [domain(question, g) for g in question.request.group_by]
    axes.append(periods(question.request))
    size = math.prod(len(axis) for axis in axes)
    if size > MAX_CELLS:
        raise InvalidParams(
            f"The answer would have {size:,} cells; at most {MAX_CELLS:,}: group by fewer "
            "dimensions, name fewer values, or use a longer period."
        )
    cells = [()]
    for axis in axes:
        cells = [(*cell, value) for cell in cells for value in axis]
    return cells


# --- Answers --------------------------------------------------------------------------------


@dataclass
class Cell:
    key: tuple  # the groups' values, then the period
    counts: dict[str, float]
    splits: dict[str, dict[str, float]] = dc_field(default_factory=dict)


def _labelled(rows: list, period: str | None, at: int) -> list[tuple]:
    """The rows with their period (column `at`) labelled."""
    return [(*row[:at], label(period, row[at]), *row[at + 1 :]) for row in rows]


def _checked(rows: list, limit: int) -> list:
    """The rows, unless there are more than `limit`."""
    if len(rows) > limit:
        raise InvalidParams(
            f"The answer would rest on more than {limit:,} cells: group by fewer dimensions "
            "or use a longer period."
        )
    return rows


def exact_cells(question: Question, project_id) -> tuple[list[Cell], list[Cell]]:
    """The cells, and the totals per period (none when nothing is grouped: then the cells
    are the totals), as the database counts them."""
    request, counts = question.request, question.counts
    width = len(request.group_by) + 1

    def cells(rows, key_width: int) -> list[Cell]:
        return [
            Cell(
                tuple(row[:key_width]),
                {c: int(row[key_width + i] or 0) for i, c in enumerate(counts)},
            )
            for row in rows
        ]

    def rows_of(text_params, limit: int, at: int = width - 1) -> list[tuple]:
        """The rows, their periods labelled, in the order of their keys."""
        rows = _labelled(_checked(read(*text_params, project_id), limit), request.period, at)
        return sorted(rows, key=lambda row: tuple(map(str, row)))

    main = cells(rows_of(counts_sql(question), MAX_CELLS), width)
    by_key = {cell.key: cell for cell in main}
    for metric in question.splits:
        for row in rows_of(counts_sql(question, split=SPLITS[metric]), MAX_ROWS):
            cell = by_key.get(tuple(row[:width]))
            if cell is not None:
                cell.splits.setdefault(metric, {})[row[width]] = int(row[width + 1] or 0)
    if not request.group_by:
        return main, []
    if "category_keyword" in request.group_by:
        # A decision with two keywords is in two cells: the totals are counted again.
        return main, cells(rows_of(counts_sql(question, totals=True), MAX_ROWS, at=0), 1)
    totals: dict[str, Cell] = {}
    for cell in main:  # the cells partition each period: their sums are its totals
        total = totals.setdefault(cell.key[-1], Cell((cell.key[-1],), dict.fromkeys(counts, 0)))
        for count in counts:
            total.counts[count] += cell.counts[count]
    return main, [totals[period] for period in sorted(totals)]


def private_cells(question: Question, project_id) -> tuple[list[Cell], dict]:
    """Every cell of the cross-product, each count with Gaussian noise (OpenDP), and what the
    noise was calibrated to."""
    request, counts = question.request, question.counts
    keys = cells_of(question)
    width = len(keys[0])
    found = {
        tuple(row[:width]): row[width:]
        for row in _labelled(
            _checked(read(*counts_sql(question), project_id), MAX_ROWS), request.period, width - 1
        )
    }
    vector = [int(v or 0) for key in keys for v in found.get(key, (0,) * len(counts))]
    split_domains = {}
    for metric in question.splits:
        values = domain(question, "category" if metric == "category_share" else "top_markets")
        if len(keys) * len(values) > MAX_ROWS:  # known before reading: refuse nothing later
            raise InvalidParams(
                f"{metric} over {len(keys):,} cells and {len(values)} values is more than "
                f"{MAX_ROWS:,} figures: group by fewer dimensions or name fewer values."
            )
        split_domains[metric] = values
        rows = _labelled(
            _checked(read(*counts_sql(question, split=SPLITS[metric]), project_id), MAX_ROWS),
            request.period,
            width - 1,
        )
        split = {(tuple(r[:width]), r[width]): int(r[width + 1] or 0) for r in rows}
        vector += [split.get((key, value), 0) for key in keys for value in values]
    # One account moves each released count vector by at most account_bound; the eight
    # view buckets share their account's decisions, so count as one vector.
    units = len([c for c in counts if c not in BUCKETS]) + (BUCKETS[0] in counts)
    units += len(question.splits)
    sensitivity = account_bound(request) * math.sqrt(units)
    mechanism = gaussian(request.privacy, sensitivity)
    noisy = [max(0, value) for value in mechanism.release(vector)]
    cells, at = [], 0
    for key in keys:
        cells.append(Cell(key, dict(zip(counts, noisy[at : at + len(counts)], strict=True))))
        at += len(counts)
    for metric in question.splits:
        values = split_domains[metric]
        for cell in cells:
            cell.splits[metric] = dict(zip(values, noisy[at : at + len(values)], strict=True))
            at += len(values)
    return cells, {
        "mechanism": "Gaussian noise, zero-concentrated DP (OpenDP)",
        "rho": round(mechanism.rho, 9),
        **(
            {"epsilon": request.privacy.epsilon, "delta": request.privacy.delta}
            if request.privacy.epsilon is not None
            else {}
        ),
        "noise_scale": round(mechanism.scale, 4),
        "decisions_per_account_per_month": per_account_month(),
        "l2_sensitivity": round(sensitivity, 4),
    }


@dataclass
class Gaussian:
    scale: float
    rho: float
    measurement: object

    def release(self, vector: list[int]) -> list[int]:
        return list(self.measurement(vector)) if vector else []


def gaussian(privacy: PrivacyRequest, sensitivity: float) -> Gaussian:
    """OpenDP's Gaussian mechanism over a vector of counts, its scale found for the rho (or
    the epsilon at delta) asked for, and the rho it costs."""
    import opendp.prelude as dp

    dp.enable_features("contrib")
    space = dp.vector_domain(dp.atom_domain(T=int)), dp.l2_distance(T=float)

    def make(scale):
        return dp.m.make_gaussian(*space, scale=scale)

    if privacy.rho is not None:
        scale = dp.binary_search_param(make, d_in=sensitivity, d_out=privacy.rho)
    else:
        scale = dp.binary_search_param(
            lambda s: dp.c.make_fix_delta(dp.c.make_zCDP_to_approxDP(make(s)), privacy.delta),
            d_in=sensitivity,
            d_out=(privacy.epsilon, privacy.delta),
        )
    measurement = make(scale)
    return Gaussian(scale, measurement.map(sensitivity), measurement)


# --- Suppression and rendering --------------------------------------------------------------

# The count each figure rests on (a figure is withheld with its base).
BASES = {
    "decisions": "decisions",
    "proactive_rate": "removals",
    "removed_before_views_rate": "removals",
    "removed_within_24h_rate": "removals",
    "views_at_removal": "removals",
    "median_hours_to_action": "reported",
    "automated_share": "decisions",
    "appeal_rate": "decisions",
    "reversal_rate": "appeals_decided",
    "reinstatements": "reinstated",
    "category_share": "decisions",
    "top_markets": "decisions",
}


class Suppression:
    """Which counts are withheld in which cells: primary (fewer than k) and complementary
    (so no single withheld count can be computed back from its period's total)."""

    def __init__(self, k: int, private: bool):
        self.k, self.private = k, private
        self.withheld: set[tuple[int, str]] = set()  # (cell index, count name)

    def small(self, value: float) -> bool:
        return value < self.k if self.private else 0 < value < self.k

    def primary(self, cells: list[Cell], counts) -> None:
        for i, cell in enumerate(cells):
            if self.small(cell.counts["decisions"]):
                self.withheld |= {(i, c) for c in counts}
            self.withheld |= {(i, c) for c in counts if self.small(cell.counts[c])}

    def complementary(self, cells: list[Cell], counts) -> None:
        """Per period and count: while the withheld cells' sum is below k (and above 0),
        withhold the next smallest count too."""
        by_period: dict[str, list[int]] = {}
        for i, cell in enumerate(cells):
            by_period.setdefault(cell.key[-1], []).append(i)
        for count in ("decisions", *[c for c in counts if c != "decisions"]):
            for members in by_period.values():
                for i in members:  # withholding a cell's decisions withholds all of it
                    if (i, "decisions") in self.withheld:
                        self.withheld.add((i, count))
                while True:
                    hidden = [i for i in members if (i, count) in self.withheld]
                    total = sum(cells[i].counts[count] for i in hidden)
                    if not hidden or not 0 < total < self.k:
                        break
                    shown = [
                        i
                        for i in members
                        if (i, count) not in self.withheld and cells[i].counts[count] > 0
                    ]
                    if not shown:
                        break
                    self.withheld.add((min(shown, key=lambda i: cells[i].counts[count]), count))

    def hides(self, i: int, count: str) -> bool:
        return (i, count) in self.withheld


def _rate(numerator: float, denominator: float) -> float | None:
    if denominator <= 0:
        return None
    return round(min(1.0, numerator / denominator), 6)


def _within(parts: dict[str, float], suppression: Suppression) -> dict[str, float | None]:
    """Parts of one whole (view buckets, categories): fewer than k withheld, and the next
    smallest too while the withheld sum could be computed back from the whole."""
    hidden = {name for name, value in parts.items() if suppression.small(value)}
    while 0 < sum(parts[n] for n in hidden) < suppression.k and not suppression.private:
        shown = [n for n in parts if n not in hidden and parts[n] > 0]
        if not shown:
            break
        hidden.add(min(shown, key=lambda n: parts[n]))
    return {name: (None if name in hidden else value) for name, value in parts.items()}


def render_cell(question: Question, cell: Cell, i: int, suppression: Suppression) -> dict:
    request = question.request
    out: dict = dict(zip(request.group_by, cell.key[:-1], strict=True))
    if request.period:
        out["period"] = cell.key[-1]
    counts = cell.counts
    withheld = []

    def count(name):
        return None if suppression.hides(i, name) else round(counts[name])

    out["decisions"] = count("decisions")
    if out["decisions"] is None:
        withheld.append("decisions")
    for metric in request.metrics:
        base = BASES[metric]
        hidden = suppression.hides(i, base)
        if hidden and metric != "decisions":
            withheld.append(metric)
        meta = book.BY_METRIC[metric]
        if metric == "decisions":
            continue
        if meta.kind == "rate":
            numerator = NEEDS[metric][0]
            out[metric] = None if hidden else _rate(counts[numerator], counts[base])
            out[f"{metric}_n"] = None if hidden else round(counts[base])
        elif meta.kind == "count":
            out[metric] = None if hidden else round(counts[base])
        elif meta.kind == "median":
            median = None if hidden else median_of(counts)
            out[metric] = None if median is None else round(median[0], 2)
            out[f"{metric}_bounds"] = (
                None
                if median is None
                else [round(b, 4) if b is not None else None for b in median[1]]
            )
            out[f"{metric}_n"] = None if hidden else round(counts[base])
        elif meta.kind == "histogram":
            parts = {name: counts[f"views_{j}"] for j, (name, *_) in enumerate(book.VIEW_BUCKETS)}
            shown = _within(parts, suppression)
            out[metric] = {n: (None if hidden or v is None else round(v)) for n, v in shown.items()}
            out[f"{metric}_n"] = None if hidden else round(counts[base])
            if not hidden and None in shown.values():
                withheld.append(metric + " (some buckets)")
        elif meta.kind == "shares":
            parts = cell.splits.get(metric, {})
            whole = counts["decisions"]
            shown = _within(parts, suppression) if not hidden else {}
            out[metric] = {
                n: _rate(v, whole) for n, v in sorted(shown.items()) if v is not None and v > 0
            }
        elif meta.kind == "top":
            parts = cell.splits.get(metric, {})
            whole = counts["decisions"]
            # Small markets withheld, and the next smallest too while the withheld ones
            # could be computed back from the cell's decisions.
            shown = _within(parts, suppression)
            ranked = sorted(
                ((n, v) for n, v in shown.items() if v is not None and v > 0),
                key=lambda item: (-item[1], item[0]),
            )
            out[metric] = (
                []
                if hidden
                else [
                    {"market": n, "decisions": round(v), "share": _rate(v, whole)}
                    for n, v in ranked[:TOP_MARKETS]
                ]
            )
    if withheld:
        out["suppressed"] = withheld
    return out


def render(question: Question, cells: list[Cell], totals: list[Cell], private: bool) -> dict:
    k = settings.RESEARCH_API_STATS_MIN_CELL
    counts = question.counts
    suppression = Suppression(k, private)
    suppression.primary(cells, counts)
    total_suppression = Suppression(k, private)
    total_suppression.primary(totals, counts)
    if totals and not private:
        suppression.complementary(cells, counts)
    data = {
        "cells": [render_cell(question, cell, i, suppression) for i, cell in enumerate(cells)],
        "min_cell": k,
    }
    if totals:
        scalar = Question(
            question.request.model_copy(
                update={
                    "group_by": [],
                    "metrics": [
                        m
                        for m in question.request.metrics
                        if book.BY_METRIC[m].kind in ("count", "rate", "median")
                    ]
                    or ["decisions"],
                }
            ),
            question.pseudonyms,
            question.snapshot,
        )
        data["totals"] = [
            render_cell(scalar, cell, i, total_suppression) for i, cell in enumerate(totals)
        ]
    data["suppressed_cells"] = sum(1 for cell in data["cells"] if cell["decisions"] is None)
    return data


# --- The request ----------------------------------------------------------------------------


class BudgetMeter:
    """The request's quota meter, plus the debit of the answer's rho from the project's
    privacy budget, all in the request's one write (research.settlement)."""

    def __init__(self, meter, project_id, budget_rho: float, rho: float):
        self.meter, self.project_id = meter, project_id
        self.budget, self.cost = round(budget_rho * MICRO), math.ceil(rho * MICRO)

    def debits(self, records: int) -> list:
        debit = Debit(
            "privacy",
            PRIVACY,
            key={"project_id": db_uuid(self.project_id)},
            amounts={"spent": self.cost},
            limits={"spent": self.budget},
        )
        return [*(self.meter.debits(records) if self.meter else []), debit]

    def charged(self, records: int):
        if self.meter:
            self.meter.charged(records)

    def refused(self, debit: str, undone: bool = False):
        if debit != "privacy":
            return self.meter.refused(debit, undone)
        left = max(0, self.budget - privacy_spent(self.project_id)) / MICRO
        return PrivacyBudgetExhausted(
            f"This answer costs rho {self.cost / MICRO:g}; your project's privacy budget has "
            f"rho {left:g} left of {self.budget / MICRO:g}. Ask with a smaller rho (noisier "
            "figures), or ask a reviewer for more budget."
        )


def answer(caller, body, meter) -> tuple[dict, object]:
    """Answer a statistics request for `caller` (research.auth.ProjectCaller): exact and
    suppressed, or differentially private and charged to the budget, or, for a private
    question asked before, its stored release at no cost. Returns (data, data_as_of)."""
    from research.engine import validated

    request = validated(StatsRequest, body)
    question = Question(request, caller.pseudonyms, caller.now)
    project = caller.project
    fingerprint = request.fingerprint()
    details = {"fingerprint": fingerprint, "question": request.canonical()}
    if request.privacy is not None:
        stored = StatsRelease.objects.filter(project=project, fingerprint=fingerprint).first()
        if stored is not None:
            return _repeat(caller, stored, details)
        cells, privacy = private_cells(question, project.id)
        data = render(question, cells, [], private=True)
        release = StatsRelease(
            project_id=project.id,
            fingerprint=fingerprint,
            question=request.canonical(),
            answer={**data, "privacy": privacy},
            rho=privacy["rho"],
            created_at=caller.now,
        )
        entry = _entry(caller, details | {"release": str(release.id), "rho": privacy["rho"]})
        try:
            as_of = settlement.conclude(
                entry,
                meter=BudgetMeter(meter, project.id, project.privacy_budget_rho, privacy["rho"]),
                also=release,
            )
        except IntegrityError:  # the same question, answered meanwhile: that answer stands
            stored = StatsRelease.objects.filter(project=project, fingerprint=fingerprint).first()
            if stored is None:
                raise
            return _repeat(caller, stored, details)
        data = {**release.answer, "release_id": str(release.id), "budget": privacy_budget(project)}
        return data, as_of
    cells, totals = exact_cells(question, project.id)
    data = render(question, cells, totals, private=False)
    data["privacy"] = None
    as_of = settlement.conclude(_entry(caller, details | {"cells": len(cells)}), meter=meter)
    return data, as_of


def _repeat(caller, stored: StatsRelease, details: dict) -> tuple[dict, object]:
    entry = _entry(caller, details | {"release": str(stored.id), "repeat": True})
    as_of = settlement.conclude(entry)
    data = {
        **stored.answer,
        "release_id": str(stored.id),
        "repeat": True,
        "budget": privacy_budget(caller.project),
    }
    return data, as_of


def _entry(caller, details: dict):
    return audit_entry(
        events.DATA_READ,
        actor_label="client",
        project=caller.project,
        client_id=caller.client_id,
        target=PATH,
        details=details,
    )
