"""Sign-ins and sign-outs go to the audit log, and failed sign-ins are counted there
(Django's auth signals are the one place all three pass through, the admin's sign-in page
included). A failed sign-in is anyone's to send, so it is counted per day (audit.models.
RefusalCount), not appended to the chain; django-axes keeps the attempts it throttles on."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from audit import events
from audit.services import count_refusal, record_now
from core.addresses import client_address


def _ip(request) -> str:
    return client_address(request) if request is not None else ""


@receiver(user_logged_in)
def signed_in(sender, request, user, **kwargs):
    record_now(events.SIGN_IN, actor=user, target=f"user:{user.pk}", details={"ip": _ip(request)})


@receiver(user_login_failed)
def sign_in_failed(sender, credentials, request=None, **kwargs):
    locked_out = getattr(request, "axes_locked_out", False)
    count_refusal(events.SIGN_IN_FAILED, "locked_out" if locked_out else "wrong_credentials")


@receiver(user_logged_out)
def signed_out(sender, request, user, **kwargs):
    if user is not None:
        record_now(events.SIGN_OUT, actor=user, target=f"user:{user.pk}")
