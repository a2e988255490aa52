"""OAuth 2.0 client credentials for projects, on django-oauth-toolkit.

- A client may obtain exactly the scopes its project was granted (DOT's default scopes
  backend would let any client request any configured scope).
- Tokens are refused, and existing tokens stop working, when the project is suspended,
  revoked or outside its access window.
- Client-credentials tokens carry no user: the caller is resolved through the token's
  application to its project.
"""

import functools
import hashlib
import secrets

from django.contrib.auth.hashers import check_password, identify_hasher, make_password
from django.utils import timezone
from oauth2_provider.models import Application
from oauth2_provider.oauth2_validators import OAuth2Validator
from oauth2_provider.scopes import BaseScopes
from oauthlib.oauth2.rfc6749.errors import OAuth2Error

from accounts.hashers import ALGORITHM
from accounts.models import Project, ProjectClient
from codebook.scopes import SCOPE_DESCRIPTIONS


def generate_access_token(request=None) -> str:
    # The "clt." prefix is what TikTok's client tokens look like; clients that check it work.
    return "clt." + secrets.token_urlsafe(40)


def project_of_application(application) -> Project | None:
    try:
        return application.project_client.project
    except ProjectClient.DoesNotExist:
        return None


class ProjectScopes(BaseScopes):
    """Scopes come from the project a client belongs to, and from nowhere else."""

    def get_all_scopes(self):
        return SCOPE_DESCRIPTIONS

    def get_available_scopes(self, application=None, request=None, *args, **kwargs):
        project = project_of_application(application) if application is not None else None
        if project is None or project.refusal(timezone.now()):
            return []
        return list(project.scopes)

    def get_default_scopes(self, application=None, request=None, *args, **kwargs):
        return self.get_available_scopes(application, request, *args, **kwargs)


class ProjectAccessDenied(OAuth2Error):
    error = "access_denied"
    status_code = 403


class ProjectValidator(OAuth2Validator):
    def authenticate_client(self, request, *args, **kwargs):
        if not super().authenticate_client(request, *args, **kwargs):
            if getattr(request, "client", None) is None:
                # An unknown key costs what a known one with a wrong secret does: the answer's
                # timing must not tell which keys exist.
                check_password(getattr(request, "client_secret", None) or "", _unknown_client())
            return False
        project = project_of_application(request.client)
        if project is None:
            return False
        refusal = project.refusal(timezone.now())
        if refusal:
            raise ProjectAccessDenied(description=f"No token: {refusal}.", request=request)
        request.project = project
        return True

    def _check_secret(self, provided_secret, stored_secret):
        """Check against the keyed hash (accounts.hashers). A secret stored under an earlier
        hasher is checked that way once, and stored again under the keyed hash when it
        matches."""
        try:
            identify_hasher(stored_secret)
        except ValueError:
            return super()._check_secret(provided_secret, stored_secret)
        upgraded = []
        matches = check_password(
            provided_secret, stored_secret, setter=upgraded.append, preferred=ALGORITHM
        )
        if upgraded:
            Application.objects.filter(client_secret=stored_secret).update(
                client_secret=make_password(upgraded[0], hasher=ALGORITHM)
            )
        return matches


@functools.cache
def _unknown_client() -> str:
    return make_password(secrets.token_urlsafe(48), hasher=ALGORITHM)


def token_checksum(token: str) -> str:
    """How DOT stores tokens with COMPLIANT_BCP_RFC9700_TOKEN_STORAGE: SHA-256, hex."""
    return hashlib.sha256(token.encode()).hexdigest()
