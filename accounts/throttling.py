"""Throttles for what anyone may send without credentials: failed token requests, sign-ups.

Each attempt adds one to the window of each subject it belongs to (an address, a client, an
e-mail address); while any of its subjects' windows holds its limit, the next attempt is
refused until that window ends. The counts live in the database, so every server process
sees the same ones.

- Token requests: a wrong key or secret counts for its address and, if the key exists, for
  the client (RESEARCH_API_TOKEN_FAILURES_PER_ADDRESS / _PER_CLIENT per
  RESEARCH_API_TOKEN_FAILURE_WINDOW_SECONDS). Unknown keys are not counted under their own
  name: a caller could invent keys without end, but not addresses (beyond its own).
- Sign-ups: every sign-up counts for its address and for the e-mail address it names
  (RESEARCH_API_SIGN_UPS_PER_ADDRESS / _PER_EMAIL an hour), so nobody can use the sign-up
  form to flood a mailbox. The limit is the same whether or not the e-mail address has an
  account, so a refusal says nothing about who is registered.
"""

import time
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

from accounts.models import AttemptWindow
from quotas.counters import Counter, Debit, apply

ATTEMPTS = Counter(
    "accounts_attemptwindow",
    ("subject", "window_start"),
    ("attempts",),
    {"subject": "text", "window_start": "bigint", "attempts": "integer"},
)
KEEP_SECONDS = 86_400  # windows older than a day are deleted on the way


@dataclass(frozen=True)
class Throttle:
    seconds: int  # the window's length
    limits: dict[str, int]  # subject -> the attempts its window may hold

    def window(self, now: float) -> int:
        return int(now) // self.seconds * self.seconds

    def wait_seconds(self, now: float | None = None) -> int | None:
        """Seconds until every subject may try again, or None if they may now."""
        now = time.time() if now is None else now
        window = self.window(now)
        counts = AttemptWindow.objects.filter(
            window_start=window, subject__in=list(self.limits)
        ).values_list("subject", "attempts")
        if any(count >= self.limits[subject] for subject, count in counts):
            return max(1, window + self.seconds - int(now))
        return None

    def count(self, now: float | None = None) -> None:
        """Count one attempt for each subject."""
        now = time.time() if now is None else now
        window = self.window(now)
        with transaction.atomic():
            apply(
                [
                    Debit(
                        "attempt", ATTEMPTS, {"subject": s, "window_start": window}, {"attempts": 1}
                    )
                    for s in self.limits
                ]
            )
            AttemptWindow.objects.filter(window_start__lt=now - KEEP_SECONDS).delete()


def token_failures(address: str, client_key: str | None) -> Throttle:
    limits = {f"address:{address}"[:120]: settings.RESEARCH_API_TOKEN_FAILURES_PER_ADDRESS}
    if client_key:
        limits[f"client:{client_key}"[:120]] = settings.RESEARCH_API_TOKEN_FAILURES_PER_CLIENT
    return Throttle(settings.RESEARCH_API_TOKEN_FAILURE_WINDOW_SECONDS, limits)


def sign_ups(address: str, email: str) -> Throttle:
    limits = {
        f"sign-up from:{address}"[:120]: settings.RESEARCH_API_SIGN_UPS_PER_ADDRESS,
        f"sign-up to:{email.lower()}"[:120]: settings.RESEARCH_API_SIGN_UPS_PER_EMAIL,
    }
    return Throttle(3600, limits)
