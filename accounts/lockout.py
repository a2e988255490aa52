"""Sign-in lockout (django-axes, configured in settings): whose attempts count together, and
the page a locked-out sign-in gets."""

import math

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off
from django.db.models import Max
from django.shortcuts import render
from django.utils import timezone


def attempted_email(request, credentials=None) -> str | None:
    """AXES_USERNAME_CALLABLE: the e-mail address a sign-in tried, as accounts store it
    (lower case), so "Alice@…" and "alice@…" count against one lockout."""
    value = (credentials or {}).get("username")
    if value is None and request is not None:
        value = request.POST.get("username")
    return value.strip().lower() if isinstance(value, str) else None


def locked_out(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: 429 with a page that says how long sign-in stays paused."""
    attempts = AxesProxyHandler.get_implementation().get_user_attempts(request, credentials)
    times = [a.aggregate(last=Max("attempt_time"))["last"] for a in attempts]
    until = max((t for t in times if t), default=timezone.now()) + get_cool_off(request)
    seconds = max(1, math.ceil((until - timezone.now()).total_seconds()))
    response = render(
        request,
        "registration/locked_out.html",
        {"minutes": math.ceil(seconds / 60), "until": until},
        status=429,
    )
    response["Retry-After"] = str(seconds)
    return response
