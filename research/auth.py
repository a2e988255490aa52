"""Who is calling a research endpoint: a project, through one of its OAuth clients.

One statement reads the token, its client, its project, the project's pseudonym key and its
standing against its quotas, by name (the ORM's select_related over these five tables cost
more than the whole page query). The project's status and access window are applied on
every request, so a suspension takes effect on the very next one; nothing is cached.
"""

import uuid
from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from accounts.keys import KeyUnavailable, project_key
from accounts.models import Project, PseudonymKey
from accounts.oauth import token_checksum
from core.errors import AccessTokenInvalid
from core.sql import fetch_prepared, first_statement
from quotas.services import QUOTA_FIELDS, Standing, daily_limits, standing_columns
from research.pseudonyms import Pseudonyms
from research.rendering import as_utc, json_list


@dataclass(frozen=True)
class ProjectCaller:
    """The authenticated caller: a project, through one of its clients. Stands in for
    request.user; it is not a person."""

    project: Project
    client_id: str
    scopes: frozenset[str]
    pseudonyms: Pseudonyms
    now: datetime  # when the token was checked and the standing read
    standing: Standing
    is_authenticated = True
    is_anonymous = False
    pk = None

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes

    def limits(self, family: str) -> dict[str, int]:
        return daily_limits(self.project, family)


_PROJECT = (
    "id",
    "title",
    "kind",
    "status",
    "scopes",
    "datasets",
    "access_start",
    "access_end",
    "compliance_synced_at",
    "privacy_budget_rho",
    *QUOTA_FIELDS,
)
_KEY = ("id", "ciphertext", "nonce", "version", "destroyed_at")


def _caller_query(now: datetime) -> tuple[str, list[str], list]:
    standing, standing_params = standing_columns("p.id", "a.client_id", now)
    columns = [
        ("token_expires", "t.expires"),
        ("token_scope", "t.scope"),
        ("client_id", "a.client_id"),
        *((f"project_{name}", f"p.{name}") for name in _PROJECT),
        *((f"key_{name}", f"k.{name}") for name in _KEY),
        *standing,
    ]
    sql = f"""
        SELECT {", ".join(expression for _, expression in columns)}
        FROM oauth2_provider_accesstoken t
        JOIN oauth2_provider_application a ON a.id = t.application_id
        JOIN accounts_projectclient pc ON pc.oauth_application_id = a.id
        JOIN accounts_project p ON p.id = pc.project_id
        LEFT JOIN accounts_pseudonymkey k ON k.project_id = p.id
        WHERE t.token_checksum = %s
    """  # noqa: S608 - column and table names are this module's constants
    return sql, [name for name, _ in columns], standing_params


def _project(row: dict) -> Project:
    values = {name: row[f"project_{name}"] for name in _PROJECT}
    values["id"] = values["id"] if isinstance(values["id"], uuid.UUID) else uuid.UUID(values["id"])
    for name in ("scopes", "datasets"):
        values[name] = json_list(values[name])
    values["compliance_synced_at"] = as_utc(values["compliance_synced_at"])  # naive on SQLite
    project = Project(**values)
    project._state.adding, project._state.db = False, "default"
    return project


def _key(row: dict, project: Project) -> PseudonymKey | None:
    if row["key_id"] is None:
        return None
    ciphertext, nonce = row["key_ciphertext"], row["key_nonce"]
    return PseudonymKey(
        id=row["key_id"],
        project_id=project.id,
        version=row["key_version"],
        destroyed_at=row["key_destroyed_at"],
        ciphertext=bytes(ciphertext) if ciphertext is not None else None,
        nonce=bytes(nonce) if nonce is not None else None,
    )


def bearer_token(header: str) -> str:
    """The token of an `Authorization: Bearer <token>` header."""
    parts = header.split()
    if not parts:
        raise AccessTokenInvalid("Send the access token as 'Authorization: Bearer <token>'.")
    if parts[0].lower() != "bearer":
        raise AccessTokenInvalid("Send the access token as 'Authorization: Bearer <token>'.")
    if len(parts) != 2 or not parts[1].isascii():
        raise AccessTokenInvalid("Malformed Authorization header.")
    return parts[1]


def authenticate(token: str) -> ProjectCaller:
    """The caller behind `token`, or AccessTokenInvalid saying why not."""
    now = timezone.now()
    sql, names, params = _caller_query(now)
    values = first_statement(lambda: fetch_prepared(sql, [*params, token_checksum(token)]))
    if values is None:
        raise AccessTokenInvalid("The access token is not valid or has expired; request a new one.")
    row = dict(zip(names, values, strict=True))
    if as_utc(row["token_expires"]) < now:
        raise AccessTokenInvalid("The access token is not valid or has expired; request a new one.")
    project = _project(row)
    refusal = project.refusal(now)
    if refusal:
        raise AccessTokenInvalid(f"The access token no longer works: {refusal}.")
    try:
        key = project_key(_key(row, project))
    except KeyUnavailable as error:
        raise AccessTokenInvalid(
            f"The access token no longer works: {error}; ask the operators for a new key."
        ) from None
    return ProjectCaller(
        project=project,
        client_id=row["client_id"],
        scopes=frozenset(row["token_scope"].split()) & frozenset(project.scopes),
        pseudonyms=Pseudonyms(key),
        now=now,
        standing=Standing.of(row),
    )
