"""Moderation statistics: what a statistics request can group by and measure, each metric's
exact definition, and the privacy rules every answer follows. research.statistics computes
them; the codebook and the catalogue publish these words, so the documentation is the code's.
"""

from dataclasses import dataclass

from codebook.fields import Field, Resource

ENDPOINT = "/v2/research/moderation/stats/"

REMOVAL = "a decision whose decision_visibility is CONTENT_REMOVED"
PROACTIVE = (
    "actioned before any user report: never reported, or first reported strictly after the "
    "action (a report with the same timestamp as the action counts as reactive)"
)


@dataclass(frozen=True)
class Dimension:
    name: str  # the decision field it groups by
    description: str
    public_domain: bool  # its values are known without looking at the data (see PRIVACY)


DIMENSIONS = (
    Dimension("policy", "the platform policy the decision applied", True),
    Dimension("sub_policy", "the sub-policy, or empty", True),
    Dimension("category", "the DSA category", True),
    Dimension(
        "category_keyword",
        "each DSA keyword of the decision (a decision with two keywords counts in both cells, "
        "one with none in the cell with an empty keyword)",
        True,
    ),
    Dimension("decision_visibility", "the restriction of the content, or empty", True),
    Dimension("decision_account", "the restriction of the account, or empty", True),
    Dimension("decision_ground", "ILLEGAL_CONTENT or INCOMPATIBLE_CONTENT", True),
    Dimension("source_type", "where the notice came from (DSA source type)", True),
    Dimension("detection_method", "how the content was found", True),
    Dimension("automated_detection", "true or false", True),
    Dimension("automated_decision", "FULLY, PARTIALLY or NOT_AUTOMATED", True),
    Dimension("target_type", "video, comment or account", True),
    Dimension("market", "the market (two-letter region code)", False),
    Dimension("content_language", "the content's language code", False),
)
BY_DIMENSION = {d.name: d for d in DIMENSIONS}

PERIODS = {
    "day": "YYYY-MM-DD",
    "week": "the Monday that starts the week, YYYY-MM-DD (ISO weeks, UTC)",
    "month": "YYYY-MM",
    "quarter": "YYYY-Qn",
}

VIEW_BUCKETS = (
    ("0", 0, 0),
    ("1-10", 1, 10),
    ("11-100", 11, 100),
    ("101-1k", 101, 1_000),
    ("1k-10k", 1_001, 10_000),
    ("10k-100k", 10_001, 100_000),
    ("100k-1M", 100_001, 1_000_000),
    (">1M", 1_000_001, None),
)

# Hours from the first report to the action, as counted for the median: [edge, next edge),
# the last one open. The median is read off these counts (research.statistics.median_of).
HOUR_EDGES = (
    0, 1 / 6, 0.5, 1, 2, 3, 4, 6, 8, 10, 12, 16, 20, 24, 30, 36, 48, 72, 96, 120, 168, 336,
    720, 1440,
)  # fmt: skip


@dataclass(frozen=True)
class Metric:
    name: str
    kind: str  # count, rate, median, histogram, shares, top
    definition: str
    numerator: str = ""
    denominator: str = ""  # what the rate rests on: returned as <name>_n
    private: bool = True  # offered with differential privacy


METRICS = (
    Metric("decisions", "count", "The decisions in the cell."),
    Metric(
        "proactive_rate",
        "rate",
        "Share of removals made proactively.",
        f"removals {PROACTIVE}",
        f"removals ({REMOVAL})",
    ),
    Metric(
        "removed_before_views_rate",
        "rate",
        "Share of removals made before the content had any views.",
        "removals with views_at_action = 0",
        "removals",
    ),
    Metric(
        "removed_within_24h_rate",
        "rate",
        "Share of removals made within 24 hours of the content's creation.",
        "removals with actioned_at - content_created_at <= 86,400 s",
        "removals",
    ),
    Metric(
        "views_at_removal",
        "histogram",
        "Removals by the content's views at the time of removal, in eight buckets: "
        + ", ".join(name for name, *_ in VIEW_BUCKETS)
        + " (bounds inclusive). A bucket resting on fewer than k removals is null.",
        denominator="removals",
    ),
    Metric(
        "median_hours_to_action",
        "median",
        "Median hours from the first report to the action, over decisions reported no later "
        "than they were actioned. It is read off a histogram of those hours (bucket edges: "
        + ", ".join(f"{e:g}" for e in HOUR_EDGES)
        + " hours and more, each bucket closed below and open above), interpolated linearly "
        "within the bucket holding the middle: the exact median (the middle value, or the mean "
        "of the two middle values) lies within `median_hours_to_action_bounds`, [lower, upper] "
        "(upper null above the last edge), so the error is at most that bucket's width: 10 "
        "minutes under 10 minutes, 20 minutes under 30, 30 under an hour, an hour under 4 "
        "hours, 2 hours under 12, 4 under 24, 6 under 36, 12 under 48, 24 under 120, 48 under "
        "168, then 1, 2 and 4 weeks up to 1,440 hours (60 days), above which only the lower "
        "bound holds.",
        denominator="decisions reported no later than their action",
        private=False,
    ),
    Metric(
        "automated_share",
        "rate",
        "Share of decisions taken fully automatically.",
        "decisions with automated_decision = FULLY",
        "decisions",
    ),
    Metric(
        "appeal_rate",
        "rate",
        "Share of decisions appealed.",
        "decisions with an appeal filed",
        "decisions",
    ),
    Metric(
        "reversal_rate",
        "rate",
        "Share of decided appeals that reversed the decision.",
        "decisions with appeal_outcome = REVERSED",
        "decisions with an appeal decided",
    ),
    Metric(
        "reinstatements",
        "count",
        "Decisions whose content or account was reinstated (reinstated_at set).",
    ),
    Metric(
        "category_share",
        "shares",
        "The cell's decisions by DSA category: for each category, its share of the cell's "
        "decisions. A category resting on fewer than k decisions is left out.",
        denominator="decisions",
    ),
    Metric(
        "top_markets",
        "top",
        "The cell's five markets with the most decisions, each with its decisions and its "
        "share of the cell's. Markets resting on fewer than k decisions are left out.",
        denominator="decisions",
    ),
)
BY_METRIC = {m.name: m for m in METRICS}

PRIVACY = (
    "Every answer is protected. **Small cells are suppressed**: a figure resting on fewer "
    "than k decisions (k = RESEARCH_API_STATS_MIN_CELL, 10 by default; the answer says k) "
    "is null, with `suppressed` listing what was withheld, and **complementary "
    "suppression** withholds the next smallest figure of the same period wherever a single "
    "withheld figure could be computed back from the period's total (`totals`), and within "
    "a cell for view buckets, categories and markets. A rate rests on its denominator "
    "(returned as `<metric>_n`); its numerator may be below k. Suppression protects one "
    "answer against its own totals: answers to different questions (another grouping, "
    "period or filter) can be set against each other, which only differential privacy "
    "prevents. "
    '**Differential privacy** on request (`privacy`: `{"rho": ...}` for zero-concentrated '
    'DP, or `{"epsilon": ..., "delta": ...}`): each account counts with at most its first C '
    "decisions of each UTC month, in the order they reached the service "
    "(RESEARCH_API_DP_DECISIONS_PER_ACCOUNT_MONTH, 2, at most 5), so one account moves a "
    "count's cells by at most C times the months each period spans (as an L2 norm over the "
    "periods, and never more than C times the window's months; times 10, the keywords a "
    "decision may carry, when grouped by keyword); then every count the answer needs gets "
    "Gaussian noise from OpenDP, calibrated to that bound so that the whole answer costs "
    "the rho asked for; rates divide noisy numerators by noisy denominators; "
    "cells are the full cross-product of the grouped values' public domains (market and "
    "language need their values named by an IN condition in `filter.and`), so which cells "
    "exist reveals nothing. The answer is charged to the project's privacy budget before it "
    "is released; asking the same question again returns the stored release, at no cost. "
    "Private answers withhold noisy figures below k too (post-processing of the noisy "
    "answer: it costs no privacy). "
    "The median has no private version here: ask for it without `privacy`."
)

_AGGREGATE = (
    "aggregate: suppressed below k decisions, and differentially private on request (see above)"
)
_CELL = "one per cell"


def _cell(name: str, type_: str, description: str, source: str = "moderation.Decision.id"):
    return Field(f"cells[].{name}", type_, description, source, _AGGREGATE, _CELL)


def _answer(name: str, type_: str, description: str, source: str, coverage="every answer"):
    return Field(name, type_, description, source, "none", coverage)


def _metric_fields() -> list[Field]:
    fields = []
    for metric in METRICS:
        if metric.name == "decisions":
            continue
        text = metric.definition
        if metric.numerator:
            text += f" Numerator: {metric.numerator}. Denominator: {metric.denominator}."
        type_ = {
            "rate": "float in [0, 1], or null",
            "count": "int64, or null",
            "median": "float (hours), or null",
            "histogram": "object: bucket -> int64 or null",
            "shares": "object: category -> float in [0, 1]",
            "top": "list of {market, decisions, share}",
        }[metric.kind]
        fields.append(_cell(metric.name, type_, text))
        if metric.kind in ("rate", "median", "histogram"):
            fields.append(
                _cell(
                    f"{metric.name}_n",
                    "int64, or null",
                    f"What {metric.name} rests on: {metric.denominator}.",
                )
            )
        if metric.kind == "median":
            fields.append(
                _cell(
                    f"{metric.name}_bounds",
                    "[float, float or null], or null",
                    f"The histogram bucket(s) that hold the exact {metric.name}: it lies "
                    "between these hours (no upper bound above the last edge).",
                )
            )
    return fields


STATISTICS = Resource(
    "moderation_statistics",
    "Aggregate moderation statistics (scope research.stats): decisions grouped by up to three "
    "of "
    + ", ".join(f"`{d.name}` ({d.description})" for d in DIMENSIONS)
    + "; by an optional `period` ("
    + ", ".join(f"`{name}`: {label}" for name, label in PERIODS.items())
    + "); over a date window of at most 365 days by action date, and a `filter` in the "
    "decision query's grammar. " + PRIVACY,
    (ENDPOINT,),
    (
        _cell("<dimension>", "string", "The cell's value of each dimension grouped by."),
        _cell("period", "string", "The cell's period, when a period was asked for."),
        _cell(
            "decisions",
            "int64, or null",
            "The decisions in the cell: what every figure of the cell rests on (always "
            "returned). Null when the cell is withheld whole.",
        ),
        *_metric_fields(),
        _cell(
            "suppressed",
            "list of string",
            "The figures of the cell that were withheld; absent when none were.",
        ),
        Field(
            "totals[]",
            "list of objects like cells, without groups",
            "Exact answers that group by something: the counts, rates and median per period "
            "over every group, suppressed likewise (what complementary suppression protects).",
            "moderation.Decision.id",
            _AGGREGATE,
            "exact answers with group_by",
        ),
        _answer(
            "min_cell",
            "int64",
            "k: a figure resting on fewer decisions than this is withheld.",
            "settings.RESEARCH_API_STATS_MIN_CELL",
        ),
        _answer("suppressed_cells", "int64", "Cells withheld whole.", "moderation.Decision.id"),
        _answer(
            "privacy",
            "object, or null",
            "For private answers: `mechanism`, `rho` (what the answer cost), `epsilon` and "
            "`delta` if asked for so, `noise_scale` (the Gaussian's standard deviation, in "
            "decisions), `decisions_per_account_per_month` and `l2_sensitivity` (how far one "
            "account can move the answer's counts). Null for exact answers.",
            "research.StatsRelease.rho",
        ),
        _answer(
            "release_id",
            "string (UUID)",
            "The stored release a private answer is kept as.",
            "research.StatsRelease.id",
            "private answers",
        ),
        _answer(
            "repeat",
            "true",
            "The answer is a stored release of the same question, and cost nothing.",
            "research.StatsRelease.fingerprint",
            "repeated private questions",
        ),
        _answer(
            "budget.rho_total, budget.rho_spent, budget.rho_left",
            "float",
            "The project's privacy budget after this answer (as in /v2/research/usage/).",
            "accounts.Project.privacy_budget_rho",
            "private answers",
        ),
    ),
    title="Moderation statistics",
)
