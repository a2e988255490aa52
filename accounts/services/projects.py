"""Projects: creating them on approval, their clients and secrets, suspension and quotas."""

import secrets
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from oauth2_provider.models import AccessToken
from oauth2_provider.models import Application as OAuthApplication

from accounts import keys
from accounts.access import (
    DATASETS,
    DEFAULT_GRAPH_DAILY_RECORDS,
    DEFAULT_GRAPH_DAILY_REQUESTS,
    ApplicantType,
)
from accounts.models import Project, ProjectClient, ProjectMember, ProjectStatus, User
from accounts.services import notifications
from audit import events
from audit.services import record
from codebook.scopes import SCOPE_DESCRIPTIONS
from core.errors import Conflict, InvalidParams, NotAllowed, NotFound
from quotas.services import QUOTA_FIELDS

MAX_ACCESS_DAYS = 3 * 366


@dataclass(frozen=True)
class Terms:
    """What an approval grants."""

    scopes: tuple[str, ...]
    datasets: tuple[str, ...]
    daily_requests: int
    daily_records: int
    access_start: date
    access_end: date
    graph_daily_requests: int = DEFAULT_GRAPH_DAILY_REQUESTS
    graph_daily_records: int = DEFAULT_GRAPH_DAILY_RECORDS

    @property
    def quotas(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in QUOTA_FIELDS}

    def problems(self) -> list[str]:
        found = []
        unknown = set(self.scopes) - set(SCOPE_DESCRIPTIONS)
        if not self.scopes:
            found.append("grant at least one scope")
        if unknown:
            found.append(f"unknown scopes: {', '.join(sorted(unknown))}")
        if set(self.datasets) - set(DATASETS):
            found.append(
                f"unknown datasets: {', '.join(sorted(set(self.datasets) - set(DATASETS)))}"
            )
        if min(self.quotas.values()) < 1:
            found.append("daily quotas must be at least 1")
        if self.access_end < self.access_start:
            found.append("the access window ends before it starts")
        if (self.access_end - self.access_start).days > MAX_ACCESS_DAYS:
            found.append("the access window may span at most three years")
        return found

    def as_json(self) -> dict:
        return {
            "scopes": list(self.scopes),
            "datasets": list(self.datasets),
            **self.quotas,
            "access_start": self.access_start.isoformat(),
            "access_end": self.access_end.isoformat(),
        }

    @classmethod
    def from_json(cls, data: dict) -> "Terms":
        return cls(
            tuple(data["scopes"]),
            tuple(data["datasets"]),
            data["daily_requests"],
            data["daily_records"],
            date.fromisoformat(data["access_start"]),
            date.fromisoformat(data["access_end"]),
            data.get("graph_daily_requests", DEFAULT_GRAPH_DAILY_REQUESTS),
            data.get("graph_daily_records", DEFAULT_GRAPH_DAILY_RECORDS),
        )


def _check_terms(terms: Terms):
    problems = terms.problems()
    if problems:
        raise InvalidParams("; ".join(problems))


def _new_client(project: Project) -> ProjectClient:
    # Created with a random secret nobody sees: the project issues its own secret in the
    # portal, once, so no reviewer or operator ever holds it.
    application = OAuthApplication.objects.create(
        name=f"project {project.id}",
        client_type=OAuthApplication.CLIENT_CONFIDENTIAL,
        authorization_grant_type=OAuthApplication.GRANT_CLIENT_CREDENTIALS,
        client_secret=secrets.token_urlsafe(48),
        hash_client_secret=True,
        skip_authorization=True,
    )
    return ProjectClient.objects.create(project=project, oauth_application=application)


def create_project(
    *,
    title: str,
    kind: str,
    terms: Terms,
    principal: User,
    actor=None,
    application=None,
    collaborators=(),
    actor_label: str = "",
) -> Project:
    """A project with its members and a client. Call inside the approving transaction."""
    _check_terms(terms)
    project = Project.objects.create(
        application=application,
        title=title,
        kind=kind,
        scopes=list(terms.scopes),
        datasets=list(terms.datasets),
        **terms.quotas,
        access_start=terms.access_start,
        access_end=terms.access_end,
    )
    ProjectMember.objects.create(
        project=project, user=principal, role=ProjectMember.Role.PRINCIPAL_INVESTIGATOR
    )
    keys.create_key(project)
    client = _new_client(project)
    record(
        events.PROJECT_CREATED,
        actor=actor,
        actor_label=actor_label,
        project=project,
        client_id=client.client_key,
        target=f"project:{project.id}",
        details={"title": title, **terms.as_json()},
    )
    for collaborator in collaborators:
        _add_collaborator(project, collaborator, actor, actor_label)
    return project


def _add_collaborator(project: Project, collaborator: dict, actor, actor_label: str):
    email = collaborator["email"].lower()
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        name = collaborator.get("name", "").split(" ", 1)
        user = User.objects.create_user(
            email, first_name=name[0][:150], last_name=(name[1] if len(name) > 1 else "")[:150]
        )
        user.set_unusable_password()  # they choose one through the invitation link
        user.save(update_fields=["password"])
    ProjectMember.objects.get_or_create(
        project=project, user=user, defaults={"role": ProjectMember.Role.COLLABORATOR}
    )
    record(
        events.MEMBER_ADDED,
        actor=actor,
        actor_label=actor_label,
        project=project,
        target=f"user:{user.pk}",
        details={"email": email, "role": "collaborator"},
    )
    notifications.invite_member(user, project)


MAX_CLIENTS = 5  # per project: one per machine or pipeline is plenty


def _check_principal(project: Project, actor: User, what: str):
    if not project.members.filter(
        user=actor, role=ProjectMember.Role.PRINCIPAL_INVESTIGATOR
    ).exists():
        raise NotAllowed(f"only the principal investigator can {what}")
    if project.status == ProjectStatus.REVOKED:
        raise Conflict("the project is revoked")


def issue_secret(
    project: Project, actor: User, client_key: str | None = None, secret: str | None = None
) -> tuple[str, str]:
    """A new secret for one of the project's clients (its first unless `client_key` names
    another), shown to the caller once and stored hashed. Any earlier secret stops working
    and the client's tokens are revoked. Returns (client key, secret). `secret` chooses it
    (the demo's, which stays the same across restarts); otherwise it is random."""
    _check_principal(project, actor, "issue a client secret")
    with transaction.atomic():
        clients = ProjectClient.objects.select_for_update().filter(project=project)
        if client_key is not None:
            clients = clients.filter(oauth_application__client_id=client_key)
        client = clients.select_related("oauth_application").order_by("id").first()
        if client is None:
            raise NotFound("the project has no such client")
        return _issue(client, actor, secret)


def add_client(project: Project, actor: User) -> tuple[str, str]:
    """Another client for the project (say, for a second machine), with its own key and
    secret but the project's scopes, datasets and quotas: every client spends the same
    budget. Returns (client key, secret), the secret shown this once."""
    _check_principal(project, actor, "add a client")
    with transaction.atomic():
        Project.objects.select_for_update().filter(pk=project.pk).first()
        if project.clients.count() >= MAX_CLIENTS:
            raise Conflict(f"a project has at most {MAX_CLIENTS} clients")
        client = _new_client(project)
        record(
            events.CLIENT_ADDED,
            actor=actor,
            project=project,
            client_id=client.client_key,
            target=f"client:{client.client_key}",
        )
        return _issue(client, actor)


def _issue(client: ProjectClient, actor: User, secret: str | None = None) -> tuple[str, str]:
    rotated = client.secret_issued_at is not None
    secret = secret or secrets.token_urlsafe(48)
    application = client.oauth_application
    application.client_secret = secret  # hashed on save
    application.save()
    revoked = AccessToken.objects.filter(application=application).delete()[0]
    client.secret_issued_at = timezone.now()
    client.save(update_fields=["secret_issued_at"])
    record(
        events.CLIENT_SECRET_ROTATED if rotated else events.CLIENT_SECRET_ISSUED,
        actor=actor,
        project=client.project,
        client_id=application.client_id,
        target=f"client:{application.client_id}",
        details={"tokens_revoked": revoked},
    )
    return application.client_id, secret


def provision_project(
    *,
    owner_email: str,
    title: str,
    scopes: list[str],
    daily_requests: int,
    daily_records: int,
    access_days: int,
    kind: str = ApplicantType.RESEARCHER,
    graph_daily_requests: int = DEFAULT_GRAPH_DAILY_REQUESTS,
    graph_daily_records: int = DEFAULT_GRAPH_DAILY_RECORDS,
) -> tuple[Project, str, str]:
    """An approved project without the review workflow, for operators (and the demo).
    Returns (project, client key, client secret)."""
    if access_days < 1:
        raise InvalidParams("access must last at least one day")
    today = timezone.now().date()
    terms = Terms(
        tuple(scopes),
        tuple(DATASETS),
        daily_requests,
        daily_records,
        today,
        today + timedelta(days=access_days - 1),
        graph_daily_requests,
        graph_daily_records,
    )
    with transaction.atomic():
        owner = User.objects.filter(email__iexact=owner_email).first()
        if owner is None:
            owner = User.objects.create_user(owner_email)
            owner.set_unusable_password()
            owner.save(update_fields=["password"])
        project = create_project(
            title=title,
            kind=kind,
            terms=terms,
            principal=owner,
            actor_label="operator (provision_project)",
        )
        record(
            events.PROJECT_PROVISIONED,
            actor_label="operator (provision_project)",
            project=project,
            target=f"project:{project.id}",
            details={"owner": owner.email},
        )
        client_key, secret = issue_secret(project, owner)
    return project, client_key, secret


def _check_manager(actor: User):
    if not (actor.is_active and actor.is_staff and actor.has_perm("accounts.manage_project")):
        raise NotAllowed("you do not have permission to manage projects")


_STATUS_EVENTS = {
    ProjectStatus.SUSPENDED: (events.PROJECT_SUSPENDED, (ProjectStatus.ACTIVE,)),
    ProjectStatus.ACTIVE: (events.PROJECT_REINSTATED, (ProjectStatus.SUSPENDED,)),
    ProjectStatus.REVOKED: (
        events.PROJECT_REVOKED,
        (ProjectStatus.ACTIVE, ProjectStatus.SUSPENDED),
    ),
}


def set_status(project: Project, status: str, actor: User, reason: str) -> Project:
    """Suspend, reinstate or revoke. Tokens stop (or resume) working on the next request;
    revocation also deletes them and is final."""
    _check_manager(actor)
    if not reason.strip():
        raise InvalidParams("give a reason")
    event, allowed_from = _STATUS_EVENTS[status]
    with transaction.atomic():
        changed = Project.objects.filter(pk=project.pk, status__in=allowed_from).update(
            status=status, status_reason=reason
        )
        if not changed:
            project.refresh_from_db()
            raise Conflict(f"the project is {project.status}; it cannot become {status}")
        if status == ProjectStatus.REVOKED:
            AccessToken.objects.filter(application__project_client__project=project).delete()
        record(
            event,
            actor=actor,
            project=project,
            target=f"project:{project.id}",
            details={"reason": reason},
        )
    project.refresh_from_db()
    return project


def set_quotas(project: Project, actor: User, **quotas) -> Project:
    """Change any of a project's daily quotas (QUOTA_FIELDS) and its privacy budget
    (`privacy_budget_rho`); effective on its next request."""
    _check_manager(actor)
    budget = quotas.get("privacy_budget_rho")
    unknown = set(quotas) - {*QUOTA_FIELDS, "privacy_budget_rho"}
    if unknown:
        raise InvalidParams(f"unknown quotas: {', '.join(sorted(unknown))}")
    if any(value < 1 for name, value in quotas.items() if name in QUOTA_FIELDS):
        raise InvalidParams("daily quotas must be at least 1")
    if budget is not None and not 0 <= budget <= 100:
        raise InvalidParams("the privacy budget is a rho from 0 to 100")
    with transaction.atomic():
        before = {name: getattr(project, name) for name in quotas}
        Project.objects.filter(pk=project.pk).update(**quotas)
        record(
            events.PROJECT_QUOTAS_CHANGED,
            actor=actor,
            project=project,
            target=f"project:{project.id}",
            details={"before": before, "after": quotas},
        )
    project.refresh_from_db()
    return project


def compliance_synced(project: Project, now) -> None:
    """The project has synced its copies (the deletions feed read to its end, or its ids
    validated): the next sync is due so many days from now, and any pause lifts."""
    Project.objects.filter(pk=project.pk).update(compliance_synced_at=now)
    project.compliance_synced_at = now


def warn_overdue_compliance(now) -> int:
    """E-mail the members of every active project whose compliance sync is overdue and who
    were not warned since; each warning is audited. Returns how many were warned."""
    warned = 0
    for project in Project.objects.filter(status=ProjectStatus.ACTIVE):
        due = project.compliance_due(now)
        if now < due or (project.compliance_warned_at and project.compliance_warned_at >= due):
            continue
        with transaction.atomic():
            Project.objects.filter(pk=project.pk).update(compliance_warned_at=now)
            pause_from = due + timedelta(days=settings.RESEARCH_API_COMPLIANCE_GRACE_DAYS)
            notifications.compliance_overdue(project, due, pause_from)
            record(
                events.COMPLIANCE_OVERDUE,
                actor_label="compliance check",
                project=project,
                target=f"project:{project.id}",
                details={"due": due.isoformat(), "pause_from": pause_from.isoformat()},
            )
        warned += 1
    return warned
