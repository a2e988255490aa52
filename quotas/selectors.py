"""A project's use of its quotas: today against its limits, and the last 30 days."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from quotas.models import DailyUsage, Family, PrivacySpend
from quotas.services import daily_limits, next_midnight

HISTORY_DAYS = 30


def usage_of(project) -> dict:
    """`project`: a project (its id and its quota fields, see quotas.services)."""
    now = timezone.now()
    today = now.date()
    rows = DailyUsage.objects.filter(
        project=project, day__gt=today - timedelta(days=HISTORY_DAYS)
    ).values_list("family", "day", "requests", "records")
    used = {(family, day): (requests, records) for family, day, requests, records in rows}
    families = {}
    for family in Family:
        limits = daily_limits(project, family)
        requests, records = used.get((family.value, today), (0, 0))
        families[family.value] = {
            "endpoints": family.label,
            "requests": _meter(requests, limits["requests"]),
            "records": _meter(records, limits["records"]),
        }
    days = [today - timedelta(days=n) for n in range(HISTORY_DAYS - 1, -1, -1)]
    history = [
        {
            "date": day.isoformat(),
            "family": family.value,
            "requests": used.get((family.value, day), (0, 0))[0],
            "records": used.get((family.value, day), (0, 0))[1],
        }
        for day in days
        for family in Family
    ]
    return {
        "date": today.isoformat(),
        "resets_at": next_midnight(now).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "families": families,
        "burst": {
            "requests": settings.RESEARCH_API_BURST_REQUESTS,
            "seconds": settings.RESEARCH_API_BURST_SECONDS,
            "per": "client",
        },
        "history": history,
        "privacy_budget": privacy_budget(project),
    }


MICRO = 1_000_000  # privacy budgets are kept in millionths of rho (quotas.models.PrivacySpend)


def privacy_spent(project_id) -> int:
    """What a project's differentially private answers spent, in millionths of rho."""
    spent = PrivacySpend.objects.filter(project_id=project_id).values_list("spent", flat=True)
    return spent.first() or 0


def privacy_budget(project) -> dict:
    """`project`'s privacy budget for differentially private statistics (zCDP rho): its
    total, what its answers spent, and what is left."""
    total = project.privacy_budget_rho
    used = privacy_spent(project.id) / MICRO
    return {"rho_total": total, "rho_spent": used, "rho_left": max(0.0, round(total - used, 6))}


def _meter(used: int, limit: int) -> dict:
    return {"used": used, "limit": limit, "remaining": max(limit - used, 0)}


def for_page(project) -> dict:
    """Template context of the usage table, chart and day-by-day tables
    (portal/usage_table.html): one chart and one table per quota family."""
    usage = usage_of(project)
    days = {}
    for point in usage["history"]:
        days.setdefault(point["family"], []).append(point)
    history = [
        {
            "family": family.value,
            "endpoints": family.label,
            "limit": usage["families"][family.value]["requests"]["limit"],
            "days": days[family.value],
        }
        for family in Family
    ]
    return {"usage": usage, "usage_history": history}
