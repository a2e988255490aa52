"""Refusals: what researchers, other projects and reviewers must not be able to do."""

import base64
import hashlib
import re
from datetime import timedelta

import pytest
from django.contrib.auth.hashers import check_password
from django.test import Client, override_settings
from django.utils import timezone
from oauth2_provider.models import AccessToken

from accounts.models import Application, Project, ProjectMember, User
from accounts.services import applications, projects
from accounts.services.projects import Terms
from core.errors import ApiError, NotAllowed
from tests.conftest import PASSWORD, bearer, get_token, provision
from tests.test_onboarding_journey import application_form

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def submitted_application(applicant) -> Application:
    client = signed_in(applicant)
    client.post("/portal/applications/new/", application_form())
    application = Application.objects.filter(applicant=applicant).latest("created_at")
    client.post(f"/portal/applications/{application.id}/submit/")
    application.refresh_from_db()
    assert application.status == "submitted"
    return application


def terms(**overrides) -> Terms:
    today = timezone.now().date()
    values = {
        "scopes": ("research.data.basic",),
        "datasets": ("video",),
        "daily_requests": 100,
        "daily_records": 1000,
        "access_start": today,
        "access_end": today + timedelta(days=30),
    }
    values.update(overrides)
    return Terms(**values)


class TestResearchersStayOutOfReview:
    def test_a_researcher_cannot_reach_the_review_pages_or_actions(self, researcher):
        application = submitted_application(researcher)
        alice = signed_in(researcher)
        assert alice.get("/admin/accounts/application/").status_code == 302  # to admin login
        response = alice.post(
            f"/admin/accounts/application/{application.id}/decide/approve/",
            {
                "scopes": ["research.data.basic"],
                "datasets": ["video"],
                "daily_requests": 1,
                "daily_records": 1,
                "graph_daily_requests": 1,
                "graph_daily_records": 1,
                "access_start": "2026-01-01",
                "access_end": "2026-12-31",
            },
        )
        assert response.status_code == 302 and "/admin/login/" in response["Location"]
        application.refresh_from_db()
        assert application.status == "submitted"
        assert not Project.objects.exists()

    def test_staff_without_the_reviewer_permission_cannot_decide(self, researcher):
        from accounts.models import User

        staff = User.objects.create_user("staff@platform.example", PASSWORD, is_staff=True)
        application = submitted_application(researcher)
        response = signed_in(staff).post(
            f"/admin/accounts/application/{application.id}/decide/reject/", {"reason": "no"}
        )
        assert response.status_code == 403
        application.refresh_from_db()
        assert application.status == "submitted"

    def test_nobody_decides_on_their_own_application(self, reviewer):
        application = submitted_application(reviewer)
        with pytest.raises(NotAllowed, match="part of"):
            applications.approve(application, reviewer, terms())
        response = signed_in(reviewer).post(
            f"/admin/accounts/application/{application.id}/decide/reject/", {"reason": "mine"}
        )
        assert response.status_code == 302
        application.refresh_from_db()
        assert application.status == "submitted"

    def test_a_collaborator_on_the_application_cannot_decide_it(self, researcher, reviewer):
        client = signed_in(researcher)
        client.post(
            "/portal/applications/new/", application_form(collaborator_0_email=reviewer.email)
        )
        application = Application.objects.get()
        client.post(f"/portal/applications/{application.id}/submit/")
        with pytest.raises(NotAllowed):
            applications.reject(Application.objects.get(), reviewer, "conflict of interest")


class TestNotFoundAndNotYoursLookAlike:
    def test_another_researchers_application_is_not_found(self, researcher, other_researcher):
        application = submitted_application(other_researcher)
        alice = signed_in(researcher)
        theirs = alice.get(f"/portal/applications/{application.id}/")
        missing = alice.get("/portal/applications/00000000-0000-0000-0000-000000000000/")
        assert theirs.status_code == missing.status_code == 404
        assert theirs.content == missing.content
        for action in ("edit", "submit", "withdraw"):
            response = alice.post(f"/portal/applications/{application.id}/{action}/", {})
            assert response.status_code == 404
        application.refresh_from_db()
        assert application.status == "submitted"

    def test_another_projects_page_is_not_found(self, researcher, other_researcher):
        project, _, _ = provision(owner_email=other_researcher.email)
        alice = signed_in(researcher)
        theirs = alice.get(f"/portal/projects/{project.id}/")
        missing = alice.get("/portal/projects/00000000-0000-0000-0000-000000000000/")
        assert theirs.status_code == missing.status_code == 404
        assert theirs.content == missing.content
        assert alice.post(f"/portal/projects/{project.id}/secret/").status_code == 404

    def test_signed_out_visitors_are_sent_to_sign_in(self):
        response = Client().get("/portal/")
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


class TestFormsCannotSetWhatReviewersDecide:
    def test_status_quotas_and_scopes_in_a_form_are_ignored(self, researcher):
        alice = signed_in(researcher)
        alice.post(
            "/portal/applications/new/",
            application_form(
                status="approved",
                daily_requests="999999",
                scopes="research.export",
                decided_by="1",
                applicant="2",
            ),
        )
        application = Application.objects.get()
        assert application.status == "draft"
        assert application.applicant == researcher
        alice.post(
            f"/portal/applications/{application.id}/edit/",
            application_form(status="approved", project_title="Changed"),
        )
        application.refresh_from_db()
        assert (application.status, application.project_title) == ("draft", "Changed")
        assert not Project.objects.exists()

    def test_a_submitted_application_cannot_be_edited(self, researcher):
        application = submitted_application(researcher)
        signed_in(researcher).post(
            f"/portal/applications/{application.id}/edit/",
            application_form(project_title="Sneaky change"),
        )
        application.refresh_from_db()
        assert application.project_title != "Sneaky change"

    def test_an_incomplete_application_cannot_be_submitted(self, researcher):
        alice = signed_in(researcher)
        alice.post(
            "/portal/applications/new/",
            {"applicant_type": "researcher", "project_title": "Half-written"},
        )
        application = Application.objects.get()
        response = alice.post(f"/portal/applications/{application.id}/submit/", follow=True)
        assert b"not complete" in response.content
        application.refresh_from_db()
        assert application.status == "draft"


class TestCredentials:
    def test_secrets_and_tokens_are_stored_hashed(self, client):
        project, key, secret = provision()
        stored = project.clients.get().oauth_application.client_secret
        assert stored != secret and check_password(secret, stored)
        token = get_token(client, key, secret).json()["access_token"]
        row = AccessToken.objects.get()
        assert row.token == ""
        assert row.token_checksum == hashlib.sha256(token.encode()).hexdigest()

    def test_a_secret_cannot_be_read_twice_and_rotation_kills_the_old_one(self, client):
        project, key, first = provision(owner_email="pi@uni.example")
        pi = project.members.get(role="pi").user
        pi.set_password(PASSWORD)
        pi.save()
        token = get_token(client, key, first).json()["access_token"]
        portal = signed_in(pi)
        assert first.encode() not in portal.get(f"/portal/projects/{project.id}/").content
        assert b"Rotate the client secret" in portal.get(f"/portal/projects/{project.id}/").content
        rotated = portal.post(f"/portal/projects/{project.id}/secret/")
        assert first.encode() not in rotated.content
        assert get_token(client, key, first).json()["error"] == "invalid_client"
        assert client.post("/v2/research/project/info/", **bearer(token)).status_code == 401

    def test_only_the_principal_investigator_issues_secrets(self, researcher):
        project, _, _ = provision(owner_email="pi@uni.example")
        ProjectMember.objects.create(project=project, user=researcher, role="collaborator")
        with pytest.raises(NotAllowed):
            projects.issue_secret(project, researcher)
        portal = signed_in(researcher)
        page = portal.get(f"/portal/projects/{project.id}/")
        assert page.status_code == 200 and b"principal investigator issues" in page.content
        for path in ("secret", "clients"):
            refused = portal.post(f"/portal/projects/{project.id}/{path}/", follow=True)
            assert b"only the principal investigator can" in refused.content
            assert b'id="client-secret"' not in refused.content
        assert project.clients.count() == 1

    def test_an_ungranted_scope_cannot_be_obtained(self, client):
        _, key, secret = provision(scopes=("research.stats",))
        refused = get_token(client, key, secret, scope="research.data.basic")
        assert refused.status_code == 400
        assert refused.json()["error"] == "invalid_scope"
        assert refused.json()["log_id"]
        granted = get_token(client, key, secret)
        assert granted.json()["scope"] == "research.stats"

    def test_token_requests_in_other_shapes(self, client):
        _, key, secret = provision()
        assert (
            client.post(
                "/v2/oauth/token/",
                {"client_id": key, "client_secret": secret, "grant_type": "client_credentials"},
            ).status_code
            == 200
        )
        basic = client.post(
            "/v2/oauth/token/",
            {"grant_type": "client_credentials"},
            HTTP_AUTHORIZATION="Basic "
            + __import__("base64").b64encode(f"{key}:{secret}".encode()).decode(),
        )
        assert basic.status_code == 200
        as_json = client.post(
            "/v2/oauth/token/",
            {"client_key": key, "client_secret": secret, "grant_type": "client_credentials"},
            content_type="application/json",
        )
        assert as_json.status_code == 200

    @pytest.mark.parametrize(
        ("form", "error"),
        [
            (
                {"grant_type": "password", "username": "x", "password": "y"},
                "unsupported_grant_type",
            ),
            ({"grant_type": "authorization_code", "code": "x"}, "unsupported_grant_type"),
            ({}, "unsupported_grant_type"),
            ({"grant_type": "client_credentials", "client_secret": "wrong"}, "invalid_client"),
        ],
    )
    def test_refusals_use_tiktoks_oauth_error_shape(self, client, form, error):
        _, key, _ = provision()
        response = client.post("/v2/oauth/token/", {"client_key": key, **form})
        assert response.status_code in (400, 401)
        body = response.json()
        assert set(body) == {"error", "error_description", "log_id"}
        assert body["error"] == error and body["error_description"]

    def test_the_token_endpoint_answers_json_to_anything(self, client):
        assert client.get("/v2/oauth/token/").json()["error"] == "invalid_request"
        garbage = client.post("/v2/oauth/token/", b"\xff\x00", content_type="text/plain")
        assert garbage.status_code == 400 and garbage.json()["error"] == "invalid_request"

    def test_a_token_request_as_a_json_object_works(self, client):
        _, key, secret = provision()
        body = {"client_key": key, "client_secret": secret, "grant_type": "client_credentials"}
        response = client.post("/v2/oauth/token/", body, content_type="application/json")
        assert response.status_code == 200 and response.json()["token_type"] == "Bearer"

    @pytest.mark.parametrize(
        "body, content_type",
        [
            ("client_key=k&client_secret=s&grant_type=client_credentials", "text/plain"),
            ('{"client_key": "k", "client_secret": 7}', "application/json"),
            ('["client_key", "k"]', "application/json"),
            ("{not json", "application/json"),
        ],
    )
    def test_a_token_request_in_the_wrong_format_is_told_so(self, client, body, content_type):
        """Not "wrong key or secret": the fault is the body's format, and it says which."""
        response = client.post("/v2/oauth/token/", body, content_type=content_type)
        assert response.status_code == 400
        assert response.json()["error"] == "invalid_request"
        description = response.json()["error_description"]
        assert "application/x-www-form-urlencoded" in description
        assert "JSON object" in description

    @pytest.mark.parametrize("field", ["client_key", "client_secret", "grant_type"])
    def test_a_nul_byte_or_an_endless_value_is_refused_not_crashed(self, client, field):
        _, key, secret = provision()
        for bad in ("a\x00b", "x" * 5_000):
            form = {"client_key": key, "client_secret": secret, "grant_type": "client_credentials"}
            response = client.post("/v2/oauth/token/", {**form, field: bad})
            assert response.status_code == 400, response.content
            assert response.json()["error"] == "invalid_request"
            assert field in response.json()["error_description"]

    def test_a_body_too_large_is_413(self, client):
        response = client.post(
            "/v2/oauth/token/",
            "client_key=" + "a" * 3_000_000,
            content_type="application/x-www-form-urlencoded",
        )
        assert response.status_code == 413 and response.json()["error"] == "invalid_request"

    def test_http_basic_and_a_client_key_for_another_client_are_refused(self, client):
        _, key, secret = provision()
        other = base64.b64encode(b"another-client:its-secret").decode()
        response = client.post(
            "/v2/oauth/token/",
            {"client_key": key, "client_secret": secret, "grant_type": "client_credentials"},
            HTTP_AUTHORIZATION=f"Basic {other}",
        )
        assert response.status_code == 400
        assert "different clients" in response.json()["error_description"]

    def test_a_wrong_method_says_which_is_allowed(self, client):
        response = client.get("/v2/oauth/token/")
        assert response.status_code == 405 and response["Allow"] == "POST"


class TestAccessWindowAndStatus:
    def test_tokens_stop_working_when_the_window_closes(self, client):
        project, key, secret = provision()
        token = get_token(client, key, secret).json()["access_token"]
        assert client.post("/v2/research/project/info/", **bearer(token)).status_code == 200
        yesterday = timezone.now().date() - timedelta(days=1)
        Project.objects.filter(pk=project.pk).update(
            access_start=yesterday - timedelta(days=5), access_end=yesterday
        )
        refused = client.post("/v2/research/project/info/", **bearer(token))
        assert refused.status_code == 401 and "ended" in refused.json()["error"]["message"]
        assert get_token(client, key, secret).status_code == 403

    def test_no_token_before_the_window_opens(self, client):
        project, key, secret = provision()
        soon = timezone.now().date() + timedelta(days=3)
        Project.objects.filter(pk=project.pk).update(
            access_start=soon, access_end=soon + timedelta(days=30)
        )
        response = get_token(client, key, secret)
        assert response.status_code == 403 and "opens on" in response.json()["error_description"]

    def test_suspension_can_be_lifted_but_revocation_is_final(self, client, reviewer):
        project, key, secret = provision()
        token = get_token(client, key, secret).json()["access_token"]
        projects.set_status(project, "suspended", reviewer, "checking")
        assert client.post("/v2/research/project/info/", **bearer(token)).status_code == 401
        projects.set_status(project, "active", reviewer, "all clear")
        assert client.post("/v2/research/project/info/", **bearer(token)).status_code == 200
        projects.set_status(project, "revoked", reviewer, "breach of terms")
        assert not AccessToken.objects.exists()
        with pytest.raises(ApiError, match="revoked"):
            projects.set_status(project, "active", reviewer, "oops")

    def test_only_project_managers_change_status_or_quotas(self, researcher):
        project, _, _ = provision()
        with pytest.raises(NotAllowed):
            projects.set_status(project, "suspended", researcher, "because")
        with pytest.raises(NotAllowed):
            projects.set_quotas(project, researcher, daily_requests=10**9)

    def test_a_reviewer_adjusts_quotas_in_the_admin(self, reviewer):
        project, _, _ = provision()
        rita = signed_in(reviewer)
        rita.post(
            f"/admin/accounts/project/{project.id}/manage/quotas/",
            {
                "daily_requests": 42,
                "daily_records": 4200,
                "graph_daily_requests": 7,
                "graph_daily_records": 700,
                "privacy_budget_rho": 2.5,
            },
        )
        project.refresh_from_db()
        assert (project.daily_requests, project.daily_records) == (42, 4200)
        assert (project.graph_daily_requests, project.graph_daily_records) == (7, 700)
        assert project.privacy_budget_rho == 2.5
        page = rita.get(f"/admin/accounts/project/{project.id}/change/").content.decode()
        assert "Privacy budget" in page and "2.5 left" in page

    def test_missing_and_malformed_tokens_are_refused_in_the_envelope(self, client):
        for headers in (
            {},
            {"HTTP_AUTHORIZATION": "Bearer"},
            {"HTTP_AUTHORIZATION": "Token x"},
            bearer("clt.forged"),
        ):
            response = client.post("/v2/research/project/info/", **headers)
            assert response.status_code == 401
            assert response.json()["error"]["code"] == "access_token_invalid"
            assert response["WWW-Authenticate"].startswith("Bearer")


class TestTheStateMachine:
    def test_withdrawal_and_no_decisions_after_it(self, researcher, reviewer):
        application = submitted_application(researcher)
        applications.withdraw(application, researcher, "found other data")
        with pytest.raises(ApiError, match="withdrawn"):
            applications.approve(application, reviewer, terms())

    def test_a_decided_application_cannot_be_decided_again(
        self, researcher, reviewer, second_reviewer
    ):
        application = submitted_application(researcher)
        applications.reject(application, reviewer, "out of scope")
        with pytest.raises(ApiError, match="rejected"):
            applications.approve(Application.objects.get(), second_reviewer, terms())
        assert not Project.objects.exists()

    def test_resubmission_needs_an_answer(self, researcher, reviewer):
        application = submitted_application(researcher)
        applications.request_changes(application, reviewer, "clarify retention")
        with pytest.raises(ApiError, match="answer"):
            applications.submit(application, researcher, "")

    @override_settings(RESEARCH_API_TWO_REVIEWERS=True)
    def test_two_reviewer_rule(self, researcher, reviewer, second_reviewer):
        application = submitted_application(researcher)
        assert applications.approve(application, reviewer, terms()) is None
        application.refresh_from_db()
        assert application.status == "pending_confirmation"
        assert not Project.objects.exists()
        with pytest.raises(NotAllowed, match="second reviewer"):
            applications.confirm_approval(application, reviewer)
        project = applications.confirm_approval(application, second_reviewer)
        assert project.scopes == ["research.data.basic"]
        application.refresh_from_db()
        assert application.status == "approved" and application.decided_by == second_reviewer

    def test_approval_terms_are_checked(self, researcher, reviewer):
        application = submitted_application(researcher)
        today = timezone.now().date()
        with pytest.raises(ApiError, match="ends before it starts"):
            applications.approve(application, reviewer, terms(access_end=today - timedelta(days=1)))
        with pytest.raises(ApiError, match="unknown scopes"):
            applications.approve(application, reviewer, terms(scopes=("research.everything",)))

    def test_auditors_are_offered_statistics_without_it_being_ticked(self, auditor, reviewer):
        application = submitted_application(auditor)
        Application.objects.filter(pk=application.pk).update(
            applicant_type="auditor",
            data_requests=[
                {"dataset": "moderation_decision", "fields": ["id"], "necessity": "audit"},
                {"dataset": "moderation_statistics", "fields": [], "necessity": "figures"},
            ],
        )
        page = signed_in(reviewer).get(f"/admin/accounts/application/{application.id}/change/")
        ticked = set(re.findall(rb'name="scopes" value="([^"]+)"[^>]*checked', page.content))
        assert ticked == {b"research.stats", b"research.data.moderation"}
        application.data_requests = [{"dataset": "video", "fields": ["id"], "necessity": "x"}]
        Application.objects.filter(pk=application.pk).update(
            data_requests=application.data_requests
        )
        page = signed_in(reviewer).get(f"/admin/accounts/application/{application.id}/change/")
        ticked = set(re.findall(rb'name="scopes" value="([^"]+)"[^>]*checked', page.content))
        assert ticked == {b"research.data.basic"}
        assert b"not asked for: research.stats" in page.content


class TestApprovalStartsFromWhatWasAsked:
    def test_only_the_scopes_of_the_requested_datasets_are_ticked(self, researcher, reviewer):
        application = submitted_application(researcher)  # video and follow fields
        page = signed_in(reviewer).get(f"/admin/accounts/application/{application.id}/change/")
        html = page.content.decode()
        ticked = set(re.findall(r'<input[^>]*name="scopes"[^>]*value="([^"]+)"[^>]*checked', html))
        assert ticked == {"research.data.basic"}
        assert "Suggested for this kind of applicant, not asked for: research.export, " in html
        assert "research.compliance" in html.split("Suggested for this kind")[1][:120]


def test_the_admin_is_branded_and_lists_one_kind_of_applications(reviewer):
    index = signed_in(reviewer).get("/admin/").content.decode()
    assert "Research API · review" in index and "Django administration" not in index
    superuser = User.objects.create_superuser("root@platform.example", PASSWORD)
    index = signed_in(superuser).get("/admin/").content.decode()
    assert index.count(">Applications<") == 1  # ours, not also the OAuth toolkit's clients


def test_a_projects_page_lists_its_scopes_and_datasets_with_what_they_mean(reviewer):
    project, _, _ = provision(scopes=("research.data.basic", "research.stats"))
    page = signed_in(reviewer).get(f"/admin/accounts/project/{project.id}/change/")
    html = page.content.decode()
    assert "<code>research.stats</code>: Aggregate moderation statistics" in html
    assert "<code>video</code>:" in html
    assert '["research.data.basic"' not in html  # no stored JSON


def test_the_admin_index_opens_with_the_review_queue(reviewer, researcher, other_researcher):
    def index() -> str:
        return " ".join(signed_in(reviewer).get("/admin/").content.decode().split())

    assert "Nothing waits for a decision." in index()
    submitted_application(researcher)
    assert "1 application</strong> waits for a decision</a>; the oldest has waited 0" in index()
    submitted_application(other_researcher)
    assert "2 applications</strong> wait for a decision" in index()
