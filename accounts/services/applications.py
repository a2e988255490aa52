"""The application workflow, an explicit state machine.

    draft -> submitted -> changes_requested -> submitted -> ...
    submitted -> approved | rejected              (one reviewer)
    submitted -> pending_confirmation -> approved (two reviewers, RESEARCH_API_TWO_REVIEWERS)
    draft | submitted | changes_requested | pending_confirmation -> withdrawn

Every transition is one conditional UPDATE guarded by the current status, inside a
transaction with its audit entry: of two reviewers deciding at once, exactly one wins.
"""

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.access import MAX_COLLABORATORS
from accounts.models import Application, ApplicationMessage, User
from accounts.models import ApplicationStatus as S
from accounts.services import notifications
from accounts.services.projects import Terms, create_project
from audit import events
from audit.services import record
from core.errors import Conflict, InvalidParams, NotAllowed

EDITABLE = (S.DRAFT, S.CHANGES_REQUESTED)
# The applicant's fields; the form may set these and nothing else.
APPLICANT_FIELDS = (
    "applicant_type",
    "institution",
    "institution_country",
    "role",
    "project_title",
    "abstract",
    "research_questions",
    "data_requests",
    "time_frame_start",
    "time_frame_end",
    "ethics_reference",
    "data_security_plan",
    "funding_statement",
    "collaborators",
    "public_summary",
)
REQUIRED_TO_SUBMIT = (
    "institution",
    "role",
    "project_title",
    "abstract",
    "research_questions",
    "time_frame_start",
    "time_frame_end",
    "data_security_plan",
    "funding_statement",
    "public_summary",
)


def _transition(application: Application, allowed_from, to_status, **changes) -> Application:
    """Move the application if, and only if, it is still in one of `allowed_from`."""
    now = timezone.now()
    changed = Application.objects.filter(pk=application.pk, status__in=allowed_from).update(
        status=to_status, updated_at=now, **changes
    )
    application.refresh_from_db()
    if not changed:
        raise Conflict(
            f"the application is {application.get_status_display()}; that is no longer possible"
        )
    return application


def _audit(event, application, actor, **details):
    record(
        event,
        actor=actor,
        target=f"application:{application.id}",
        details={"status": application.status, **details},
    )


def _check_applicant(application: Application, user: User):
    if application.applicant_id != user.pk:
        raise NotAllowed("only the applicant can do this")


def create_draft(applicant: User, data: dict) -> Application:
    with transaction.atomic():
        application = Application.objects.create(
            applicant=applicant, **{k: v for k, v in data.items() if k in APPLICANT_FIELDS}
        )
        _audit(events.APPLICATION_CREATED, application, applicant)
    return application


def update(application: Application, applicant: User, data: dict) -> Application:
    _check_applicant(application, applicant)
    changes = {k: v for k, v in data.items() if k in APPLICANT_FIELDS}
    with transaction.atomic():
        _transition(application, EDITABLE, application.status, **changes)
        _audit(events.APPLICATION_EDITED, application, applicant, fields=sorted(changes))
    return application


def completeness_problems(application: Application) -> list[str]:
    problems = [
        f"{Application._meta.get_field(name).verbose_name} is required"
        for name in REQUIRED_TO_SUBMIT
        if not getattr(application, name)
    ]
    if not application.data_requests:
        problems.append("request at least one dataset")
    for request in application.data_requests:
        if not request.get("fields"):
            problems.append(f"choose the fields you need from {request['dataset']}")
        if not request.get("necessity", "").strip():
            problems.append(f"explain why you need {request['dataset']}")
    if (
        application.time_frame_start
        and application.time_frame_end
        and application.time_frame_end < application.time_frame_start
    ):
        problems.append("the time frame ends before it starts")
    if len(application.collaborators) > MAX_COLLABORATORS:
        problems.append(f"at most {MAX_COLLABORATORS} collaborators")
    return problems


def submit(application: Application, applicant: User, response: str = "") -> Application:
    """Submit a draft, or resubmit after changes were requested (with an answer)."""
    _check_applicant(application, applicant)
    problems = completeness_problems(application)
    if problems:
        raise InvalidParams("the application is not complete: " + "; ".join(problems))
    resubmission = application.status == S.CHANGES_REQUESTED
    if resubmission and not response.strip():
        raise Conflict("answer the reviewers' request before submitting again")
    now = timezone.now()
    with transaction.atomic():
        _transition(
            application,
            EDITABLE,
            S.SUBMITTED,
            submitted_at=now,
            first_submitted_at=application.first_submitted_at or now,
        )
        if resubmission:
            ApplicationMessage.objects.create(
                application=application,
                author=applicant,
                kind=ApplicationMessage.Kind.RESPONSE,
                body=response,
            )
        _audit(events.APPLICATION_SUBMITTED, application, applicant, resubmission=resubmission)
    return application


def withdraw(application: Application, applicant: User, reason: str = "") -> Application:
    _check_applicant(application, applicant)
    with transaction.atomic():
        _transition(
            application,
            (S.DRAFT, S.SUBMITTED, S.CHANGES_REQUESTED, S.PENDING_CONFIRMATION),
            S.WITHDRAWN,
        )
        ApplicationMessage.objects.create(
            application=application,
            author=applicant,
            kind=ApplicationMessage.Kind.WITHDRAWAL,
            body=reason,
        )
        _audit(events.APPLICATION_WITHDRAWN, application, applicant)
    return application


def _check_reviewer(application: Application, reviewer: User):
    if not reviewer.is_reviewer:
        raise NotAllowed("you do not have permission to review applications")
    if reviewer.pk == application.applicant_id or reviewer.email.lower() in (
        application.collaborator_emails
    ):
        raise NotAllowed("you cannot decide on an application you are part of")


def request_changes(application: Application, reviewer: User, message: str) -> Application:
    _check_reviewer(application, reviewer)
    if not message.strip():
        raise InvalidParams("say what should change")
    with transaction.atomic():
        _transition(application, (S.SUBMITTED,), S.CHANGES_REQUESTED)
        ApplicationMessage.objects.create(
            application=application,
            author=reviewer,
            kind=ApplicationMessage.Kind.CHANGE_REQUEST,
            body=message,
        )
        _audit(events.APPLICATION_CHANGES_REQUESTED, application, reviewer)
        notifications.application_decided(
            application, "Changes requested to your application", message
        )
    return application


def approve(application: Application, reviewer: User, terms: Terms, note: str = ""):
    """Approve (or, under the two-reviewer rule, propose approval). Returns the project
    when the approval takes effect, else None."""
    _check_reviewer(application, reviewer)
    problems = terms.problems()
    if problems:
        raise InvalidParams("; ".join(problems))
    with transaction.atomic():
        if settings.RESEARCH_API_TWO_REVIEWERS:
            _transition(
                application,
                (S.SUBMITTED,),
                S.PENDING_CONFIRMATION,
                proposed_terms=terms.as_json(),
                proposed_by=reviewer,
            )
            _audit(
                events.APPLICATION_APPROVAL_PROPOSED, application, reviewer, terms=terms.as_json()
            )
            return None
        return _grant(application, reviewer, terms, (S.SUBMITTED,), note)


def confirm_approval(application: Application, reviewer: User, note: str = ""):
    """The second reviewer confirms a proposed approval, with the proposed terms."""
    _check_reviewer(application, reviewer)
    if application.proposed_by_id == reviewer.pk:
        raise NotAllowed("a second reviewer must confirm your approval")
    with transaction.atomic():
        return _grant(
            application,
            reviewer,
            Terms.from_json(application.proposed_terms),
            (S.PENDING_CONFIRMATION,),
            note,
        )


def _grant(application, reviewer, terms, allowed_from, note):
    _transition(
        application, allowed_from, S.APPROVED, decided_at=timezone.now(), decided_by=reviewer
    )
    ApplicationMessage.objects.create(
        application=application, author=reviewer, kind=ApplicationMessage.Kind.APPROVAL, body=note
    )
    _audit(events.APPLICATION_APPROVED, application, reviewer, terms=terms.as_json())
    project = create_project(
        title=application.project_title,
        kind=application.applicant_type,
        terms=terms,
        principal=application.applicant,
        actor=reviewer,
        application=application,
        collaborators=application.collaborators,
    )
    notifications.application_decided(application, "Your application was approved", note)
    return project


def reject(application: Application, reviewer: User, reason: str) -> Application:
    _check_reviewer(application, reviewer)
    if not reason.strip():
        raise InvalidParams("give the applicant a reason")
    with transaction.atomic():
        _transition(
            application,
            (S.SUBMITTED, S.PENDING_CONFIRMATION),
            S.REJECTED,
            decided_at=timezone.now(),
            decided_by=reviewer,
        )
        ApplicationMessage.objects.create(
            application=application,
            author=reviewer,
            kind=ApplicationMessage.Kind.REJECTION,
            body=reason,
        )
        _audit(events.APPLICATION_REJECTED, application, reviewer)
        notifications.application_decided(application, "Your application was rejected", reason)
    return application
