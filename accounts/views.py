"""The applicants' portal: thin views over accounts/services and accounts/selectors."""

import math

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import PasswordResetConfirmView
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from accounts import access, selectors, throttling
from accounts.forms import ApplicationForm, ResponseForm, SignUpForm, WithdrawForm
from accounts.models import ProjectMember
from accounts.services import applications, projects, sign_ups
from core.addresses import client_address
from core.errors import ApiError
from quotas import selectors as usage_selectors


@require_http_methods(["GET", "POST"])
def sign_up(request):
    """The answer is the same whether or not the address has an account (see the service)."""
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        throttle = throttling.sign_ups(client_address(request), data["email"])
        wait = throttle.wait_seconds()
        if wait is not None:
            response = render(
                request,
                "registration/sign_up.html",
                {"form": form, "wait_minutes": math.ceil(wait / 60)},
                status=429,
            )
            response["Retry-After"] = str(wait)
            return response
        throttle.count()
        base_url = f"{request.scheme}://{request.get_host()}"
        sign_ups.sign_up(data["email"], data["first_name"], data["last_name"], base_url)
        return render(request, "registration/sign_up_sent.html", {"email": data["email"]})
    return render(request, "registration/sign_up.html", {"form": form})


class ChoosePasswordView(PasswordResetConfirmView):
    """The link of a sign-up's e-mail: choose the password, and you are signed in."""

    template_name = "registration/choose_password.html"
    post_reset_login = True
    post_reset_login_backend = "django.contrib.auth.backends.ModelBackend"
    success_url = reverse_lazy("portal:dashboard")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, "Welcome. Start your application below.")
        return response


choose_password = ChoosePasswordView.as_view()


@login_required
def dashboard(request):
    return render(
        request,
        "portal/dashboard.html",
        {
            "applications": selectors.applications_of(request.user),
            "projects": selectors.projects_of(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def application_new(request):
    form = ApplicationForm(request.POST or None, applicant=request.user)
    if request.method == "POST" and form.is_valid():
        application = applications.create_draft(request.user, form.application_data())
        messages.success(request, "Draft saved. Submit it when it is complete.")
        return redirect("portal:application", application.id)
    return render(request, "portal/application_form.html", {"form": form, "application": None})


@login_required
@require_http_methods(["GET", "POST"])
def application_edit(request, application_id):
    application = selectors.application_of(request.user, application_id)
    form = ApplicationForm(
        request.POST or None,
        applicant=request.user,
        initial=ApplicationForm.initial_from(application),
    )
    if request.method == "POST" and form.is_valid():
        try:
            applications.update(application, request.user, form.application_data())
        except ApiError as error:
            messages.error(request, f"Not saved: {error}.")
        else:
            messages.success(request, "Saved.")
        return redirect("portal:application", application.id)
    return render(
        request, "portal/application_form.html", {"form": form, "application": application}
    )


@login_required
def application_detail(request, application_id):
    application = selectors.application_of(request.user, application_id)
    return render(
        request,
        "portal/application_detail.html",
        {
            "application": application,
            "data_requests": [
                {
                    "title": access.DATASET_TITLES.get(r["dataset"], r["dataset"]),
                    "fields": access.fields_asked_for(r),
                    "necessity": r["necessity"],
                }
                for r in application.data_requests
            ],
            "editable": application.status in applications.EDITABLE,
            "problems": applications.completeness_problems(application),
            "response_form": ResponseForm(),
            "withdraw_form": WithdrawForm(),
            "timeline": application.messages.select_related("author"),
        },
    )


@login_required
@require_POST
def application_submit(request, application_id):
    application = selectors.application_of(request.user, application_id)
    form = ResponseForm(request.POST)
    form.is_valid()
    try:
        applications.submit(application, request.user, form.cleaned_data.get("response", ""))
    except ApiError as error:
        messages.error(request, f"Not submitted: {error}.")
    else:
        messages.success(request, "Submitted. Reviewers will get back to you.")
    return redirect("portal:application", application.id)


@login_required
@require_POST
def application_withdraw(request, application_id):
    application = selectors.application_of(request.user, application_id)
    form = WithdrawForm(request.POST)
    form.is_valid()
    try:
        applications.withdraw(application, request.user, form.cleaned_data.get("reason", ""))
    except ApiError as error:
        messages.error(request, f"Not withdrawn: {error}.")
    else:
        messages.success(request, "Withdrawn.")
    return redirect("portal:application", application.id)


@login_required
def project_detail(request, project_id):
    project = selectors.project_of(request.user, project_id)
    membership = project.members.get(user=request.user)
    return render(
        request,
        "portal/project_detail.html",
        {
            "project": project,
            "scopes": access.scope_labels(project.scopes),
            "datasets": access.dataset_labels(project.datasets),
            "is_pi": membership.role == ProjectMember.Role.PRINCIPAL_INVESTIGATOR,
            "members": project.members.select_related("user").order_by("role", "user__email"),
            "clients": project.clients.select_related("oauth_application").order_by("id"),
            "max_clients": projects.MAX_CLIENTS,
            "refusal": project.refusal(timezone.now()),
            **usage_selectors.for_page(project),
        },
    )


@login_required
@require_POST
def project_issue_secret(request, project_id):
    project = selectors.project_of(request.user, project_id)
    try:
        client_key, secret = projects.issue_secret(
            project, request.user, request.POST.get("client") or None
        )
    except ApiError as error:
        messages.error(request, f"No secret issued: {error}.")
        return redirect("portal:project", project.id)
    return _show_secret_once(request, project, client_key, secret)


@login_required
@require_POST
def project_add_client(request, project_id):
    project = selectors.project_of(request.user, project_id)
    try:
        client_key, secret = projects.add_client(project, request.user)
    except ApiError as error:
        messages.error(request, f"No client added: {error}.")
        return redirect("portal:project", project.id)
    return _show_secret_once(request, project, client_key, secret)


def _show_secret_once(request, project, client_key: str, secret: str):
    response = render(
        request,
        "portal/secret_shown.html",
        {"project": project, "client_key": client_key, "secret": secret},
    )
    response["Cache-Control"] = "no-store"  # shown once: not kept by the browser either
    return response
