"""E-mails to applicants and members, sent after the transaction that caused them commits."""

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode


def _send_later(subject: str, body: str, recipients: list[str]):
    transaction.on_commit(
        lambda: send_mail(
            subject, body, settings.DEFAULT_FROM_EMAIL, recipients, fail_silently=False
        )
    )


def application_decided(application, headline: str, message: str = ""):
    body = (
        f"{headline}\n\nApplication: {application.project_title}\n"
        f"Status: {application.get_status_display()}\n"
        + (f"\nMessage from the reviewers:\n{message}\n" if message else "")
        + "\nSee it in the portal: /portal/applications/"
        + str(application.id)
        + "/\n"
    )
    _send_later(f"[Research API] {headline}", body, [application.applicant.email])


def invite_member(user, project, base_url: str = ""):
    """Tell a collaborator about their account and how to set its password."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    link = base_url + reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token})
    body = (
        f"You were added as a collaborator to the research project "
        f'"{project.title}".\n\nAn account was created for {user.email}. Choose its '
        f"password here:\n{link}\n"
    )
    _send_later("[Research API] You were added to a research project", body, [user.email])


def choose_password(user, base_url: str):
    """Finish a sign-up: the link to the page where the account's password is chosen."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    link = base_url + reverse("sign_up_confirm", kwargs={"uidb64": uid, "token": token})
    days = settings.PASSWORD_RESET_TIMEOUT // 86_400
    body = (
        f"To finish signing up for the Research API as {user.email}, choose your password "
        f"here (the link works once, for {days} days):\n{link}\n\n"
        "If you did not sign up, ignore this e-mail: without a password nobody can use the "
        "account.\n"
    )
    _send_later("[Research API] Finish signing up", body, [user.email])


def sign_up_with_existing_account(user, base_url: str):
    """Someone signed up with an address that has an account: tell its owner, nobody else."""
    body = (
        f"Someone, perhaps you, tried to sign up for the Research API as {user.email}. This "
        "address already has an account, so nothing was changed.\n\n"
        f"Sign in: {base_url}{reverse('login')}\n"
        f"Forgot your password? Reset it: {base_url}{reverse('password_reset')}\n\n"
        "If it was not you, you can ignore this e-mail.\n"
    )
    _send_later("[Research API] You already have an account", body, [user.email])


def compliance_overdue(project, due, pause_from):
    """Warn a project's members that its compliance sync is overdue."""
    body = (
        f'The research project "{project.title}" has not synced its copies of the data with '
        f"the deletions on the platform since it was due ({due:%Y-%m-%d}).\n\n"
        "Read GET /v2/research/compliance/deletions/?since=<your last sync> to its end and "
        "purge what it lists, or check your ids with POST /v2/research/validation_task/create/."
        f"\n\nUntil then, from {pause_from:%Y-%m-%d} the project's data requests pause.\n"
    )
    recipients = [m.user.email for m in project.members.select_related("user")]
    _send_later("[Research API] Your compliance sync is overdue", body, recipients)
