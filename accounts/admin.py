"""The reviewers' tools, in the Django admin.

Applications and projects are read-only here; every decision goes through a form that calls
the same service as everything else (accounts/services), so the admin cannot bypass the state
machine, the two-reviewer rule or the audit log.
"""

from datetime import timedelta

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.timesince import timesince
from django.views.decorators.http import require_POST
from oauth2_provider import models as oauth_models

from accounts import selectors
from accounts.access import (
    SUGGESTED_SCOPES,
    dataset_labels,
    fields_asked_for,
    scope_labels,
    scopes_asked_for,
)
from accounts.admin_forms import (
    ApproveForm,
    ConfirmApprovalForm,
    ProjectLimitsForm,
    ProjectStatusForm,
    RejectForm,
    RequestChangesForm,
)
from accounts.models import Application, ApplicationStatus, Project, ProjectStatus, User
from accounts.services import applications, projects
from audit.models import AuditEntry, RefusalCount
from core.errors import ApiError, InvalidParams
from quotas import selectors as usage_selectors
from quotas.services import QUOTA_FIELDS


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ("email",)
    list_display = ("email", "first_name", "last_name", "is_staff", "is_active")
    search_fields = ("email", "first_name", "last_name")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Personal info", {"fields": ("first_name", "last_name")}),
        (
            "Permissions",
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        ("Important dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)


class QueueFilter(admin.SimpleListFilter):
    """Applications waiting for a decision, unless the reviewer asks for all."""

    title = "queue"
    parameter_name = "queue"

    def lookups(self, request, model_admin):
        return (("all", "all applications"),)

    def queryset(self, request, queryset):
        if self.value() == "all":
            return queryset
        return queryset.filter(
            status__in=[ApplicationStatus.SUBMITTED, ApplicationStatus.PENDING_CONFIRMATION]
        )

    def choices(self, changelist):
        yield {
            "selected": self.value() is None,
            "display": "waiting for a decision",
            "query_string": changelist.get_query_string(remove=[self.parameter_name]),
        }
        yield {
            "selected": self.value() == "all",
            "display": "all applications",
            "query_string": changelist.get_query_string({self.parameter_name: "all"}),
        }


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin):
    list_display = (
        "project_title",
        "applicant",
        "applicant_type",
        "status",
        "waiting",
        "datasets_requested",
    )
    list_filter = (QueueFilter, "status", "applicant_type")
    ordering = ("first_submitted_at",)
    search_fields = ("project_title", "applicant__email", "institution")
    change_form_template = "admin/accounts/application/change_form.html"
    fieldsets = (
        (
            "Applicant",
            {
                "fields": (
                    "applicant",
                    "applicant_type",
                    "institution",
                    "institution_country",
                    "role",
                    "collaborator_list",
                )
            },
        ),
        (
            "Project",
            {
                "fields": (
                    "project_title",
                    "abstract",
                    "research_questions",
                    "time_frame_start",
                    "time_frame_end",
                    "ethics_reference",
                    "data_security_plan",
                    "funding_statement",
                    "public_summary",
                )
            },
        ),
        ("Data requested", {"fields": ("data_request_table",)}),
        (
            "Workflow",
            {
                "fields": (
                    "status",
                    "first_submitted_at",
                    "submitted_at",
                    "decided_at",
                    "decided_by",
                    "proposed_by",
                    "proposed_terms",
                )
            },
        ),
    )
    readonly_fields = [f for fs in fieldsets for f in fs[1]["fields"]]

    @admin.display(description="waiting", ordering="first_submitted_at")
    def waiting(self, application):
        if application.first_submitted_at is None:
            return "not submitted"
        return timesince(application.first_submitted_at)

    @admin.display(description="datasets")
    def datasets_requested(self, application):
        return ", ".join(r["dataset"] for r in application.data_requests)

    @admin.display(description="data requests")
    def data_request_table(self, application):
        rows = format_html_join(
            "",
            "<tr><td><strong>{}</strong></td><td>{}</td><td>{}</td></tr>",
            (
                (r["dataset"], fields_asked_for(r), r["necessity"])
                for r in application.data_requests
            ),
        )
        return format_html(
            "<table><tr><th>dataset</th><th>fields</th><th>why needed</th></tr>{}</table>", rows
        )

    @admin.display(description="collaborators")
    def collaborator_list(self, application):
        return (
            format_html_join(
                mark_safe("<br>"),
                "{} &lt;{}&gt; {}",
                ((c["name"], c["email"], c["institution"]) for c in application.collaborators),
            )
            or "none"
        )

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("accounts.review_application") or super().has_view_permission(
            request, obj
        )

    def get_urls(self):
        return [
            path(
                "<uuid:object_id>/decide/<str:action>/",
                self.admin_site.admin_view(require_POST(self.decide)),
                name="accounts_application_decide",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        application = get_object_or_404(Application, pk=object_id)
        today = timezone.now().date()
        requested = [r["dataset"] for r in application.data_requests]
        context = {
            "can_decide": request.user.is_reviewer
            and request.user.pk != application.applicant_id
            and request.user.email.lower() not in application.collaborator_emails,
            "timeline": application.messages.select_related("author"),
            "changes_form": RequestChangesForm(),
            "reject_form": RejectForm(),
            "approve_form": ApproveForm(
                suggested=[
                    s
                    for s in SUGGESTED_SCOPES[application.applicant_type]
                    if s not in scopes_asked_for(requested)
                ],
                initial={
                    "scopes": scopes_asked_for(requested),
                    "datasets": requested,
                    "access_start": max(today, application.time_frame_start or today),
                    "access_end": application.time_frame_end or today + timedelta(days=365),
                },
            ),
            "confirm_form": ConfirmApprovalForm(),
        }
        return super().change_view(
            request, object_id, form_url, {**context, **(extra_context or {})}
        )

    def decide(self, request, object_id, action):
        application = get_object_or_404(Application, pk=object_id)
        if not request.user.is_reviewer:
            raise PermissionDenied
        forms = {
            "changes": RequestChangesForm,
            "approve": ApproveForm,
            "confirm": ConfirmApprovalForm,
            "reject": RejectForm,
        }
        if action not in forms:
            raise Http404
        form = forms[action](request.POST)
        back = reverse("admin:accounts_application_change", args=[application.pk])
        if not form.is_valid():
            errors = "; ".join(
                f"{k}: {' '.join(v)}" if k != "__all__" else " ".join(v)
                for k, v in form.errors.items()
            )
            messages.error(request, f"Nothing decided: {errors}")
            return HttpResponseRedirect(back)
        try:
            if action == "changes":
                applications.request_changes(
                    application, request.user, form.cleaned_data["message"]
                )
                done = "Changes requested; the applicant was told."
            elif action == "reject":
                applications.reject(application, request.user, form.cleaned_data["reason"])
                done = "Rejected; the applicant was told."
            elif action == "approve":
                project = applications.approve(
                    application, request.user, form.terms(), form.cleaned_data["note"]
                )
                done = (
                    "Approved; the project was created."
                    if project
                    else "Approval proposed; a second reviewer must confirm it."
                )
            else:
                applications.confirm_approval(application, request.user, form.cleaned_data["note"])
                done = "Approval confirmed; the project was created."
        except ApiError as error:
            messages.error(request, f"Nothing decided: {error}.")
            return HttpResponseRedirect(back)
        messages.success(request, done)
        return HttpResponseRedirect(reverse("admin:accounts_application_changelist"))


def _labelled_list(items) -> str:
    rows = format_html_join("", "<li><code>{}</code>: {}</li>", items)
    return format_html("<ul class='labelled'>{}</ul>", rows) if rows else "none"


@admin.register(Project)
class ProjectAdmin(ReadOnlyAdmin):
    list_display = (
        "title",
        "kind",
        "status",
        "access_start",
        "access_end",
        "daily_requests",
        "daily_records",
        "compliance",
        "created_at",
    )
    list_filter = ("status", "kind")
    search_fields = ("title", "members__user__email")
    change_form_template = "admin/accounts/project/change_form.html"
    readonly_fields = (
        "title",
        "kind",
        "status",
        "status_reason",
        "application",
        "scope_list",
        "dataset_list",
        "daily_requests",
        "daily_records",
        "access_start",
        "access_end",
        "created_at",
        "compliance",
        "member_list",
    )
    fields = readonly_fields

    @admin.display(description="compliance sync")
    def compliance(self, project):
        """When the project last synced its copies with the deletions, and whether its data
        requests are paused for being overdue."""
        now = timezone.now()
        last = (
            f"synced {project.compliance_synced_at:%Y-%m-%d}"
            if project.compliance_synced_at
            else "never synced"
        )
        if project.compliance_pause(now):
            return f"{last}; PAUSED (due {project.compliance_due(now):%Y-%m-%d})"
        if now >= project.compliance_due(now):
            return f"{last}; overdue since {project.compliance_due(now):%Y-%m-%d}"
        return f"{last}; next due {project.compliance_due(now):%Y-%m-%d}"

    @admin.display(description="scopes")
    def scope_list(self, project):
        """Each granted scope with what it unlocks, not the stored JSON list."""
        return _labelled_list(scope_labels(project.scopes))

    @admin.display(description="datasets")
    def dataset_list(self, project):
        return _labelled_list(dataset_labels(project.datasets))

    @admin.display(description="members")
    def member_list(self, project):
        return format_html_join(
            mark_safe("<br>"),
            "{} ({})",
            ((m.user.email, m.get_role_display()) for m in project.members.select_related("user")),
        )

    def get_urls(self):
        return [
            path(
                "<uuid:object_id>/manage/<str:action>/",
                self.admin_site.admin_view(require_POST(self.manage)),
                name="accounts_project_manage",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        project = get_object_or_404(Project, pk=object_id)
        context = {
            "can_manage": request.user.has_perm("accounts.manage_project"),
            "status_form": ProjectStatusForm(),
            "quota_form": ProjectLimitsForm(
                initial={
                    name: getattr(project, name) for name in (*QUOTA_FIELDS, "privacy_budget_rho")
                }
            ),
            **usage_selectors.for_page(project),
            "access_log": selectors.project_log(project)[:200],
            "log_url": reverse("admin:audit_auditentry_changelist") + f"?project_id={project.id}",
            "statuses": ProjectStatus,
        }
        return super().change_view(
            request, object_id, form_url, {**context, **(extra_context or {})}
        )

    def manage(self, request, object_id, action):
        project = get_object_or_404(Project, pk=object_id)
        back = reverse("admin:accounts_project_change", args=[project.pk])
        targets = {
            "suspend": ProjectStatus.SUSPENDED,
            "reinstate": ProjectStatus.ACTIVE,
            "revoke": ProjectStatus.REVOKED,
        }
        try:
            if action in targets:
                form = ProjectStatusForm(request.POST)
                if not form.is_valid():
                    raise InvalidParams("give a reason")
                projects.set_status(
                    project, targets[action], request.user, form.cleaned_data["reason"]
                )
            elif action == "quotas":
                form = ProjectLimitsForm(request.POST)
                if not form.is_valid():
                    raise InvalidParams(
                        "quotas must be whole numbers of at least 1, and the privacy budget a "
                        "number from 0 to 100"
                    )
                projects.set_quotas(project, request.user, **form.cleaned_data)
            else:
                raise Http404
        except ApiError as error:
            messages.error(request, f"Nothing changed: {error}.")
        else:
            messages.success(request, "Done; it takes effect on the project's next request.")
        return HttpResponseRedirect(back)


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "event", "actor", "project_id", "client_id", "target")
    list_filter = ("event",)
    search_fields = ("=project_id", "actor", "target", "=client_id")
    ordering = ("-id",)
    readonly_fields = (
        "created_at",
        "event",
        "actor_id",
        "actor",
        "project_id",
        "client_id",
        "target",
        "details",
        "prev_hash",
        "hash",
    )
    fields = readonly_fields

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        project_id = request.GET.get("project_id")
        return queryset.filter(project_id=project_id) if project_id else queryset

    def lookup_allowed(self, lookup, value, request=None):
        return lookup == "project_id" or super().lookup_allowed(lookup, value, request)


@admin.register(RefusalCount)
class RefusalCountAdmin(ReadOnlyAdmin):
    """Refusals of callers nobody authenticated, counted per day rather than logged."""

    list_display = ("day", "event", "reason", "refusals")
    list_filter = ("event", "reason")
    date_hierarchy = "day"
    ordering = ("-day", "event", "reason")


# The admin is the reviewers' workplace: branded as this service, and without the OAuth
# toolkit's own pages (its "Applications" are the OAuth clients, which projects manage in the
# portal and reviewers through a project's page; listing them beside applications for
# access only confused the two).
admin.site.site_header = "Research API · review"
admin.site.site_title = "Research API review"
admin.site.index_title = "Applications, projects and the audit log"
for _model in (
    oauth_models.get_application_model(),
    oauth_models.get_access_token_model(),
    oauth_models.get_refresh_token_model(),
    oauth_models.get_grant_model(),
    oauth_models.get_id_token_model(),
):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
