"""Sign-ins, failed sign-ins and sign-outs go to the audit log (Django's auth signals are
the one place all three pass through, the admin's sign-in page included)."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from audit import events
from audit.services import record_now


def _ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "") if request is not None else ""


@receiver(user_logged_in)
def signed_in(sender, request, user, **kwargs):
    record_now(events.SIGN_IN, actor=user, target=f"user:{user.pk}", details={"ip": _ip(request)})


@receiver(user_login_failed)
def sign_in_failed(sender, credentials, request=None, **kwargs):
    attempted = str(credentials.get("username") or credentials.get("email") or "")[:254]
    record_now(
        events.SIGN_IN_FAILED, actor_label=attempted, target="sign-in", details={"ip": _ip(request)}
    )


@receiver(user_logged_out)
def signed_out(sender, request, user, **kwargs):
    if user is not None:
        record_now(events.SIGN_OUT, actor=user, target=f"user:{user.pk}")
