"""Reads scoped to the person asking. Someone else's object raises the same Http404 as a
missing one: "not found" and "not yours" look alike."""

from django.db.models import QuerySet
from django.http import Http404

from accounts.models import Application, ApplicationStatus, Project, User
from audit.models import AuditEntry


def applications_of(user: User) -> QuerySet[Application]:
    return Application.objects.filter(applicant=user).order_by("-updated_at")


def application_of(user: User, application_id) -> Application:
    application = applications_of(user).filter(pk=application_id).first()
    if application is None:
        raise Http404("No such application.")
    return application


def projects_of(user: User) -> QuerySet[Project]:
    return Project.objects.filter(members__user=user).distinct().order_by("-created_at")


def project_of(user: User, project_id) -> Project:
    project = projects_of(user).filter(pk=project_id).first()
    if project is None:
        raise Http404("No such project.")
    return project


def review_queue() -> QuerySet[Application]:
    """What reviewers must decide, oldest first (by first submission, so a resubmission
    keeps its place)."""
    return Application.objects.filter(
        status__in=[ApplicationStatus.SUBMITTED, ApplicationStatus.PENDING_CONFIRMATION]
    ).order_by("first_submitted_at")


def project_log(project: Project) -> QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(project_id=project.id).order_by("-id")
