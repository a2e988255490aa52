"""The reviewers' admin index opens with the queue: how many applications wait for a
decision, and how long the oldest has waited."""

from django import template
from django.utils import timezone
from django.utils.timesince import timesince

from accounts import selectors

register = template.Library()


@register.inclusion_tag("admin/accounts/queue_summary.html")
def review_queue_summary() -> dict:
    queue = selectors.review_queue()
    oldest = queue.values_list("first_submitted_at", flat=True).first()
    return {
        "waiting": queue.count(),
        "oldest": timesince(oldest, timezone.now()) if oldest else None,
    }
