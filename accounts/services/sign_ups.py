"""Sign-up that does not tell who has an account.

Whatever the address, the caller gets the same answer ("we sent a link to ...") and the
address gets one e-mail:

- a new address: an account without a password is created, and the e-mail links to the
  page where its password is chosen (a password-reset token). Only the mailbox's owner can
  set the password, so nobody can sign up with someone else's address and keep a way in;
- an account whose password was never chosen (a sign-up not finished, or a collaborator
  invited by an approval): the same link again; nothing about the account changes;
- an account in use: an e-mail saying someone tried to sign up with the address, with the
  sign-in and password-reset links. Nothing changes.
"""

from django.db import IntegrityError, transaction

from accounts.models import User
from accounts.services import notifications
from audit import events
from audit.services import record


def sign_up(email: str, first_name: str, last_name: str, base_url: str) -> None:
    """`base_url` (scheme and host) starts the links in the e-mail."""
    email = email.lower()
    with transaction.atomic():
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            try:
                with transaction.atomic():  # two sign-ups at once: the second finds the first
                    user = User.objects.create_user(  # no password: it has none usable
                        email, first_name=first_name, last_name=last_name
                    )
                    record(events.SIGN_UP, actor=user, target=f"user:{user.pk}")
            except IntegrityError:
                user = User.objects.get(email__iexact=email)
        if user.has_usable_password():
            notifications.sign_up_with_existing_account(user, base_url)
        else:
            notifications.choose_password(user, base_url)
