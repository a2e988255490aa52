"""The figures of the public transparency page, each a statistics question
(research.statistics) asked with differential privacy, and how its answer becomes a table and
a chart. `publish` computes them all into one Release."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from codebook import statistics as book
from research import statistics
from transparency.models import Release

REMOVALS = {
    "operation": "EQ",
    "field_name": "decision_visibility",
    "field_values": ["CONTENT_REMOVED"],
}
LABELS = {
    "decisions": "removals",
    "proactive_rate": "removed before any user report",
    "removed_before_views_rate": "removed before any views",
    "automated_share": "decided fully automatically",
    "appeal_rate": "appealed",
    "reversal_rate": "appeals that reversed the decision",
    "reinstatements": "reinstated",
}


@dataclass(frozen=True)
class Figure:
    name: str
    title: str
    explanation: str  # what the figure means, in plain words
    chart: str  # bar, stacked, line
    question: dict  # a statistics request, without its window and privacy
    x: str  # the answer's key along the horizontal axis
    series: str | None = None  # the key that splits the figure into series, if any
    percent: bool = False


def _markets() -> list[str]:
    return settings.RESEARCH_API_TRANSPARENCY_MARKETS


def _languages() -> list[str]:
    return settings.RESEARCH_API_TRANSPARENCY_LANGUAGES


def figures() -> list[Figure]:
    return [
        Figure(
            "removals_by_policy",
            "Removals by policy, per month",
            "How many pieces of content were removed each month, by the platform rule they broke.",
            "stacked",
            {
                "group_by": ["policy"],
                "period": "month",
                "metrics": ["decisions"],
                "filter": {"and": [REMOVALS]},
            },
            x="period",
            series="policy",
        ),
        Figure(
            "proactive_and_before_views",
            "Removed before anyone reported it, and before anyone saw it",
            "Of each month's removals, the share the platform found itself before any user "
            "reported it, and the share removed before anyone had viewed it.",
            "line",
            {"period": "month", "metrics": ["proactive_rate", "removed_before_views_rate"]},
            x="period",
            percent=True,
        ),
        Figure(
            "views_at_removal",
            "How many views content had when it was removed",
            "Removals by the number of views the content had reached when it was taken down.",
            "bar",
            {"metrics": ["views_at_removal"]},
            x="bucket",
        ),
        Figure(
            "removals_by_market",
            "Removals by market",
            "Removals by the market the content was published in (the markets listed here "
            "are fixed in advance, not chosen from the data).",
            "bar",
            {
                "group_by": ["market"],
                "metrics": ["decisions"],
                "filter": {
                    "and": [
                        REMOVALS,
                        {"operation": "IN", "field_name": "market", "field_values": _markets()},
                    ]
                },
            },
            x="market",
        ),
        Figure(
            "removals_by_language",
            "Removals by language",
            "Removals by the language of the content: where enforcement differs between "
            "languages, this is where it shows.",
            "bar",
            {
                "group_by": ["content_language"],
                "metrics": ["decisions"],
                "filter": {
                    "and": [
                        REMOVALS,
                        {
                            "operation": "IN",
                            "field_name": "content_language",
                            "field_values": _languages(),
                        },
                    ]
                },
            },
            x="content_language",
        ),
        Figure(
            "automation",
            "Decisions taken fully automatically",
            "Of each month's moderation decisions (removals and every other restriction), the "
            "share no person took part in.",
            "line",
            {"period": "month", "metrics": ["automated_share"]},
            x="period",
            percent=True,
        ),
        Figure(
            "appeals",
            "Appeals and their outcomes",
            "Each quarter: the share of decisions appealed, and the share of decided appeals "
            "that reversed the decision.",
            "line",
            {"period": "quarter", "metrics": ["appeal_rate", "reversal_rate"]},
            x="period",
            percent=True,
        ),
    ]


def tabulate(figure: Figure, answer: dict) -> dict:
    """The answer as a table (columns, rows) and as chart series over the x axis."""
    cells = answer["cells"]
    if figure.x == "bucket":
        (cell,) = cells
        rows = [[name, cell["views_at_removal"][name]] for name, *_ in book.VIEW_BUCKETS]
        return {
            "columns": ["views at removal", "removals"],
            "rows": rows,
            "labels": [r[0] for r in rows],
            "series": [{"name": "removals", "values": [r[1] for r in rows]}],
        }
    metrics = [m for m in figure.question["metrics"]]
    if figure.series:
        labels = sorted({c[figure.x] for c in cells})
        names = sorted({c[figure.series] for c in cells})
        value = {(c[figure.series], c[figure.x]): c[metrics[0]] for c in cells}
        series = [{"name": n, "values": [value.get((n, x)) for x in labels]} for n in names]
        series = [s for s in series if any(v for v in s["values"])]
        rows = [[x, *[s["values"][i] for s in series]] for i, x in enumerate(labels)]
        return {
            "columns": [figure.x, *[s["name"] for s in series]],
            "rows": rows,
            "labels": labels,
            "series": series,
        }
    labels = [c[figure.x] for c in cells]
    series = [{"name": LABELS[m], "values": [c[m] for c in cells]} for m in metrics]
    rows = [[x, *[s["values"][i] for s in series]] for i, x in enumerate(labels)]
    return {
        "columns": [figure.x, *[s["name"] for s in series]],
        "rows": rows,
        "labels": labels,
        "series": series,
    }


def publish(end: date, rho: float) -> Release:
    """Compute every figure over the 365 days up to `end` with differential privacy, `rho`
    shared equally among them, and store them as one release."""
    start = end - timedelta(days=364)
    each = rho / len(figures())
    now = timezone.now()
    out, spent = {}, 0.0
    for figure in figures():
        request = statistics.StatsRequest.model_validate(
            {
                **figure.question,
                "start_date": start.strftime("%Y%m%d"),
                "end_date": end.strftime("%Y%m%d"),
                "privacy": {"rho": each},
            }
        )
        question = statistics.Question(request, None, now)
        cells, privacy = statistics.private_cells(question, None)
        answer = statistics.render(question, cells, [], private=True)
        spent += privacy["rho"]
        out[figure.name] = {
            "title": figure.title,
            "explanation": figure.explanation,
            "chart": figure.chart,
            "percent": figure.percent,
            "noise_scale": privacy["noise_scale"],
            **tabulate(figure, answer),
        }
    with transaction.atomic():
        return Release.objects.create(
            published_at=now,
            start_date=start,
            end_date=end,
            rho=round(spent, 9),
            parameters={
                "min_cell": settings.RESEARCH_API_STATS_MIN_CELL,
                "decisions_per_account_per_month": statistics.per_account_month(),
                "rho_per_figure": each,
                "markets": _markets(),
                "languages": _languages(),
            },
            figures=out,
        )
