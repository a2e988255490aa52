"""The whole journey through HTTP: apply, changes requested, resubmit, approve, token,
suspend, token refused — as an applicant in the portal and a reviewer in the admin."""

import re

import pytest
from django.core import mail
from django.test import Client

from accounts.models import Application, Project, User
from audit import events
from audit.models import AuditEntry
from audit.services import verify
from tests.conftest import PASSWORD, bearer, get_token

pytestmark = pytest.mark.django_db


def application_form(**overrides) -> dict:
    form = {
        "applicant_type": "researcher",
        "institution": "University of Examples",
        "institution_country": "de",
        "role": "Postdoctoral researcher",
        "project_title": "Extremist networks on short-video platforms",
        "abstract": "We study how violent-extremist content spreads.",
        "research_questions": "How much of it is removed, and how fast?",
        "time_frame_start": "2026-12-01",
        "time_frame_end": "2027-11-30",
        "ethics_reference": "ERB-2026-117",
        "data_security_plan": "Encrypted storage at the university; no sharing.",
        "funding_statement": "Funded by a public research council; no platform funding.",
        "public_summary": "How platforms moderate extremist videos.",
        "fields__video": ["id", "create_time", "video_description", "hashtag_names"],
        "necessity__video": "Descriptions and hashtags identify extremist content.",
        "fields__follow": ["username"],
        "necessity__follow": "Snowball sampling of accounts that follow each other.",
        "collaborator_0_name": "Dana Doe",
        "collaborator_0_email": "dana@uni.example",
        "collaborator_0_institution": "University of Examples",
    }
    form.update(overrides)
    return form


def sign_in(client: Client, email: str, password: str = PASSWORD):
    response = client.post("/accounts/login/", {"username": email, "password": password})
    assert response.status_code == 302, response.content[:500]


def sign_up(client: Client, committed, **fields) -> Client:
    """Sign up, follow the link e-mailed to the address and choose the password: signed in."""
    with committed(execute=True):  # the e-mail goes out once the sign-up commits
        response = client.post("/accounts/sign-up/", fields)
    assert response.status_code == 200 and b"Check your inbox" in response.content
    link = re.search(r"https?://[^/\s]+(/accounts/sign-up/\S+)", mail.outbox[-1].body).group(1)
    form = client.get(link, follow=True)  # to the same page without the token in its address
    assert b"Choose your password" in form.content
    response = client.post(
        form.redirect_chain[-1][0], {"new_password1": PASSWORD, "new_password2": PASSWORD}
    )
    assert response.status_code == 302 and response["Location"] == "/portal/"
    return client


def test_apply_review_approve_token_suspend(reviewer, django_capture_on_commit_callbacks):
    committed = django_capture_on_commit_callbacks  # e-mails go out once decisions commit
    alice = Client()

    # Alice signs up and starts an application.
    sign_up(alice, committed, email="Alice@Uni.Example", first_name="Alice", last_name="Adams")
    response = alice.post("/portal/applications/new/", application_form())
    assert response.status_code == 302
    application = Application.objects.get()
    assert application.status == "draft"
    assert application.applicant.email == "alice@uni.example"
    assert application.institution_country == "DE"
    assert application.data_requests[0]["dataset"] == "video"
    assert application.collaborators == [
        {"name": "Dana Doe", "email": "dana@uni.example", "institution": "University of Examples"}
    ]

    # She submits it.
    response = alice.post(f"/portal/applications/{application.id}/submit/", follow=True)
    assert b"Submitted" in response.content
    application.refresh_from_db()
    assert application.status == "submitted"

    # Rita finds it in the queue, reads it and asks for changes.
    rita = Client()
    sign_in(rita, reviewer.email)
    queue = rita.get("/admin/accounts/application/")
    assert queue.status_code == 200
    assert b"Extremist networks on short-video platforms" in queue.content
    page = rita.get(f"/admin/accounts/application/{application.id}/change/")
    assert page.status_code == 200
    for text in (
        b"ERB-2026-117",
        b"Snowball sampling",
        b"dana@uni.example",
        b"Approve",
        b"Request changes",
        b"Reject",
    ):
        assert text in page.content
    with committed(execute=True):
        response = rita.post(
            f"/admin/accounts/application/{application.id}/decide/changes/",
            {"message": "Please narrow the follow graph to the seed accounts."},
        )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == "changes_requested"
    assert mail.outbox[-1].to == ["alice@uni.example"]
    assert "narrow the follow graph" in mail.outbox[-1].body

    # Alice reads the request, edits, and submits again with an answer.
    detail = alice.get(f"/portal/applications/{application.id}/")
    assert b"narrow the follow graph" in detail.content
    response = alice.post(
        f"/portal/applications/{application.id}/edit/",
        application_form(necessity__follow="Only accounts that seed accounts follow (one hop)."),
    )
    assert response.status_code == 302
    response = alice.post(
        f"/portal/applications/{application.id}/submit/",
        {"response": "Narrowed to one hop from the seed accounts."},
    )
    application.refresh_from_db()
    assert application.status == "submitted"

    # Rita approves, choosing scopes, datasets, quotas and the access window.
    with committed(execute=True):
        response = rita.post(
            f"/admin/accounts/application/{application.id}/decide/approve/",
            {
                "scopes": ["research.data.basic", "research.compliance"],
                "datasets": ["video", "follow"],
                "daily_requests": 500,
                "daily_records": 50_000,
                "graph_daily_requests": 200,
                "graph_daily_records": 20_000,
                "access_start": "2026-01-01",
                "access_end": "2027-12-31",
                "note": "Welcome aboard.",
            },
        )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == "approved"
    project = Project.objects.get(application=application)
    assert project.scopes == ["research.data.basic", "research.compliance"]
    assert (project.daily_requests, project.daily_records) == (500, 50_000)
    assert set(project.members.values_list("user__email", "role")) == {
        ("alice@uni.example", "pi"),
        ("dana@uni.example", "collaborator"),
    }
    dana = User.objects.get(email="dana@uni.example")
    assert not dana.has_usable_password()  # she sets one through her invitation
    invitation = next(m for m in mail.outbox if m.to == ["dana@uni.example"])
    assert "/accounts/reset/" in invitation.body
    approval = next(m for m in mail.outbox if "approved" in m.subject)
    assert approval.to == ["alice@uni.example"] and "Welcome aboard." in approval.body

    # Alice issues the client secret, which is shown once.
    project_page = alice.get(f"/portal/projects/{project.id}/")
    key = re.search(rb'class="client-key">([^<]+)<', project_page.content).group(1).decode()
    shown = alice.post(f"/portal/projects/{project.id}/secret/")
    assert shown["Cache-Control"] == "no-store"
    secret = re.search(rb'id="client-secret">([^<]+)<', shown.content).group(1).decode()
    assert secret.encode() not in alice.get(f"/portal/projects/{project.id}/").content

    # Her script trades them for a token and calls the API.
    script = Client()
    token_response = get_token(script, key, secret)
    assert token_response.status_code == 200
    token = token_response.json()
    assert token["token_type"] == "Bearer" and token["expires_in"] == 7200
    assert token["scope"].split() == ["research.data.basic", "research.compliance"]
    info = script.post("/v2/research/project/info/", **bearer(token["access_token"]))
    assert info.status_code == 200
    assert info.json()["data"]["project"]["id"] == str(project.id)

    # Rita suspends the project: the existing token fails on the next request.
    response = rita.post(
        f"/admin/accounts/project/{project.id}/manage/suspend/",
        {"reason": "Data-security incident under investigation."},
    )
    assert response.status_code == 302
    refused = script.post("/v2/research/project/info/", **bearer(token["access_token"]))
    assert refused.status_code == 401
    assert refused.json()["error"]["code"] == "access_token_invalid"
    assert "suspended" in refused.json()["error"]["message"]
    no_token = get_token(script, key, secret)
    assert no_token.status_code == 403
    assert no_token.json()["error"] == "access_denied"
    assert "suspended" in no_token.json()["error_description"]

    # Rita sees the project's log in the admin; the whole story is in the audit log.
    project_admin = rita.get(f"/admin/accounts/project/{project.id}/change/")
    assert b"token.issued" in project_admin.content
    assert b"project.suspended" in project_admin.content
    story = list(AuditEntry.objects.order_by("id").values_list("event", flat=True))
    for event in (
        events.SIGN_UP,
        events.APPLICATION_CREATED,
        events.APPLICATION_SUBMITTED,
        events.SIGN_IN,
        events.APPLICATION_CHANGES_REQUESTED,
        events.APPLICATION_EDITED,
        events.APPLICATION_APPROVED,
        events.PROJECT_CREATED,
        events.MEMBER_ADDED,
        events.CLIENT_SECRET_ISSUED,
        events.TOKEN_ISSUED,
        events.PROJECT_SUSPENDED,
        events.TOKEN_REFUSED,
    ):
        assert event in story, event
    assert story.index(events.APPLICATION_APPROVED) < story.index(events.TOKEN_ISSUED)
    assert verify() == (len(story), None)


def test_the_application_form_groups_fields_by_dataset_and_takes_whole_datasets(reviewer):
    """Each dataset is a section titled as people say it, each field labelled and described
    from the codebook; "Every field" asks for the whole dataset, and the draft remembers it."""
    from accounts.access import DATASET_FIELDS

    applicant = User.objects.create_user(email="ann@uni.example", password=PASSWORD)
    client = Client()
    sign_in(client, applicant.email)
    page = client.get("/portal/applications/new/").content.decode()
    assert '<span class="dataset-title">Moderation decisions</span>' in page
    assert "Is STEM verified</span> <code>is_stem_verified</code>" in page
    assert "Verified as science, technology, engineering or mathematics content." in page
    assert page.count('<details class="dataset"') == 7  # closed: nothing chosen yet

    form = application_form(
        all__moderation_decision="on", necessity__moderation_decision="Audit of removals."
    )
    response = client.post("/portal/applications/new/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    application = Application.objects.get(applicant=applicant)
    requests = {r["dataset"]: r["fields"] for r in application.data_requests}
    assert requests["moderation_decision"] == DATASET_FIELDS["moderation_decision"]
    assert requests["video"] == ["id", "create_time", "video_description", "hashtag_names"]

    # The draft opens where it was left: the whole dataset picked, the chosen datasets open.
    page = client.get(f"/portal/applications/{application.id}/edit/").content.decode()
    assert re.search(r'<input type="checkbox" name="all__moderation_decision"[^>]*checked', page)
    assert not re.search(r'<input type="checkbox" name="all__video"[^>]*checked', page)
    assert '<details class="dataset" id="dataset-video" open>' in page
    assert '<details class="dataset" id="dataset-comment">' in page
    assert "4 chosen" in page


def test_password_reset_pages_are_the_portals(reviewer):
    """Forgot-password pages have the portal's look, not the admin's, and the e-mailed link
    leads to a page that sets a new password."""
    from django.core import mail as outbox

    user = User.objects.create_user(email="rob@uni.example", password=PASSWORD)
    client = Client()
    page = client.get("/accounts/password_reset/").content.decode()
    assert '<div class="auth">' in page and "Reset your password" in page
    assert "Django administration" not in page
    response = client.post("/accounts/password_reset/", {"email": user.email}, follow=True)
    assert "Check your inbox" in response.content.decode()
    link = re.search(r"https?://[^/\s]+(/accounts/reset/\S+)", outbox.outbox[-1].body).group(1)
    form = client.get(link, follow=True)
    assert "Choose a new password" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "another horse battery 43", "new_password2": "another horse battery 43"},
        follow=True,
    )
    assert "Password changed" in done.content.decode()
    assert client.get("/accounts/reset/MQ/bad-token/").content.decode().count("no longer works")
