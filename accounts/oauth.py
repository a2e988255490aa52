"""OAuth 2.0 client credentials for projects, on django-oauth-toolkit.

- A client may obtain exactly the scopes its project was granted (DOT's default scopes
  backend would let any client request any configured scope).
- Tokens are refused, and existing tokens stop working, when the project is suspended,
  revoked or outside its access window.
- Client-credentials tokens carry no user: the caller is resolved through the token's
  application to its project.
"""

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime

from django.db import connection
from django.utils import timezone
from oauth2_provider.oauth2_validators import OAuth2Validator
from oauth2_provider.scopes import BaseScopes
from oauthlib.oauth2.rfc6749.errors import OAuth2Error
from rest_framework import authentication, exceptions

from accounts.access import QUOTA_FIELDS, SCOPE_DESCRIPTIONS
from accounts.models import Project, ProjectClient
from quotas.services import Standing, standing_params, standing_sql
from research.keys import KeyUnavailable, project_key
from research.models import PseudonymKey
from research.pseudonyms import Pseudonyms
from research.rendering import as_utc, json_list


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
            return False
        project = project_of_application(request.client)
        if project is None:
            return False
        refusal = project.refusal(timezone.now())
        if refusal:
            raise ProjectAccessDenied(description=f"No token: {refusal}.", request=request)
        request.project = project
        return True


def token_checksum(token: str) -> str:
    """How DOT stores tokens with COMPLIANT_BCP_RFC9700_TOKEN_STORAGE: SHA-256, hex."""
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class ProjectCaller:
    """The authenticated caller of a research endpoint: a project, through one of its clients.

    Stands in for request.user; it is not a person.
    """

    project: Project
    client_id: str
    scopes: frozenset[str]
    pseudonyms: object  # research.pseudonyms.Pseudonyms for this project
    now: datetime  # when the token was checked and the standing read
    standing: Standing
    is_authenticated = True
    is_anonymous = False
    pk = None

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes


# The token, its client, its project, the project's key and its standing against its quotas
# (quotas.services.Standing) in one statement, read as plain values: the ORM's select_related
# over these five tables cost more than the whole page query.
_CALLER_SQL = f"""
    SELECT t.expires, t.scope, a.client_id,
           p.id, p.title, p.kind, p.status, p.scopes, p.datasets, p.access_start,
           p.access_end, {", ".join(f"p.{name}" for name in QUOTA_FIELDS)},
           k.id, k.ciphertext, k.nonce, k.version, k.destroyed_at,
           {standing_sql("p.id", "a.client_id")}
    FROM oauth2_provider_accesstoken t
    JOIN oauth2_provider_application a ON a.id = t.application_id
    JOIN accounts_projectclient pc ON pc.oauth_application_id = a.id
    JOIN accounts_project p ON p.id = pc.project_id
    LEFT JOIN research_pseudonymkey k ON k.project_id = p.id
    WHERE t.token_checksum = %s
"""  # noqa: S608 - the quota columns' names and the standing's SQL are constants


def _uuid(value) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


def _project_and_key(row) -> tuple[Project, PseudonymKey | None]:
    project = Project(
        id=_uuid(row[3]),
        title=row[4],
        kind=row[5],
        status=row[6],
        scopes=json_list(row[7]),
        datasets=json_list(row[8]),
        access_start=row[9],
        access_end=row[10],
        **dict(zip(QUOTA_FIELDS, row[11:15], strict=True)),
    )
    project._state.adding, project._state.db = False, "default"
    key = None
    key_id, ciphertext, nonce, version, destroyed_at = row[15:20]
    if key_id is not None:
        key = PseudonymKey(
            id=key_id,
            project_id=project.id,
            version=version,
            destroyed_at=destroyed_at,
            ciphertext=bytes(ciphertext) if ciphertext is not None else None,
            nonce=bytes(nonce) if nonce is not None else None,
        )
    return project, key


class ProjectTokenAuthentication(authentication.BaseAuthentication):
    """Bearer tokens of project clients, checked in one query on every request.

    DOT's resource-server path would also work, but resolves the project in further queries;
    this reads the token, its client, its project and its key at once and applies the
    project's status and access window, so a suspension takes effect on the very next
    request. Nothing is cached.
    """

    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header:
            return None
        if header[0].lower() != b"bearer":
            raise exceptions.AuthenticationFailed(
                "Send the access token as 'Authorization: Bearer <token>'."
            )
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("Malformed Authorization header.")
        try:
            token = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed("The access token is not valid.") from None
        now = timezone.now()
        with connection.cursor() as cursor:
            cursor.execute(_CALLER_SQL, [*standing_params(now), token_checksum(token)])
            row = cursor.fetchone()
        if row is None or as_utc(row[0]) < now:
            raise exceptions.AuthenticationFailed(
                "The access token is not valid or has expired; request a new one."
            )
        project, key_row = _project_and_key(row)
        refusal = project.refusal(now)
        if refusal:
            raise exceptions.AuthenticationFailed(f"The access token no longer works: {refusal}.")
        try:
            key = project_key(key_row)
        except KeyUnavailable as error:
            raise exceptions.AuthenticationFailed(
                f"The access token no longer works: {error}; ask the operators for a new key."
            ) from None
        caller = ProjectCaller(
            project=project,
            client_id=row[2],
            scopes=frozenset(row[1].split()) & frozenset(project.scopes),
            pseudonyms=Pseudonyms(key),
            now=now,
            standing=Standing.from_row(row[20:]),
        )
        return caller, None

    def authenticate_header(self, request):
        return 'Bearer realm="research-api"'
