"""The demo's people and applications (`make demo`, through demo_welcome): a reviewer, an
administrator, a researcher with a project holding every scope, and applications waiting
in the review queue in different states.

Demo passwords and the demo client's secret are derived from the deployment's secret key,
so they stay the same across restarts of the same database (saved logins and scripts keep
working) and differ between machines. They are demo data, for DJANGO_DEBUG only.
"""

import base64
import hashlib
import hmac
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.contrib.auth.models import Group
from django.utils import timezone

from accounts.forms import ApplicationForm
from accounts.models import Application, Project, User
from accounts.services import applications
from accounts.services.projects import Terms, issue_secret, provision_project
from codebook.scopes import Scope

ADMIN = "admin@demo.localhost"
REVIEWER = "reviewer@demo.localhost"
RESEARCHER = "researcher@demo.localhost"
PROJECT = "Demo project"
# Applicants whose applications wait in the review queue, each in its state.
APPLICANTS = {
    "submitted@demo.localhost": ("submitted", "Hate speech in comment threads across languages"),
    "changes@demo.localhost": ("changes_requested", "Recommendation and extremist hashtags"),
    "approved@demo.localhost": ("approved", "Moderation speed after news coverage"),
}


@dataclass(frozen=True)
class Login:
    role: str
    email: str
    password: str


def derived(purpose: str, length: int = 16) -> str:
    digest = hmac.new(settings.SECRET_KEY.encode(), f"demo:{purpose}".encode(), hashlib.sha256)
    return base64.urlsafe_b64encode(digest.digest() * 2).decode()[:length]


def _person(email: str, *, staff=False, superuser=False, reviewer=False) -> Login:
    password = derived(email)
    user, _ = User.objects.get_or_create(email=email)
    user.is_staff, user.is_superuser = staff or superuser or reviewer, superuser
    if not user.check_password(password):
        user.set_password(password)
    user.save()
    if reviewer:
        user.groups.add(Group.objects.get(name="Reviewers"))
    return Login(
        "administrator" if superuser else "reviewer" if reviewer else "researcher",
        email,
        password,
    )


def _application(applicant: User, title: str) -> Application:
    form = ApplicationForm(
        {
            "applicant_type": "researcher",
            "institution": "University of Examples",
            "institution_country": "nl",
            "role": "Doctoral researcher",
            "project_title": title,
            "abstract": "A demo application: what the review queue looks like.",
            "research_questions": "How does the platform moderate this content, and how fast?",
            "time_frame_start": (timezone.now().date() + timedelta(days=7)).isoformat(),
            "time_frame_end": (timezone.now().date() + timedelta(days=372)).isoformat(),
            "ethics_reference": "DEMO-2026-001",
            "data_security_plan": "Encrypted university storage; only the project team.",
            "funding_statement": "Public research funding; no platform money.",
            "public_summary": f"{title} (demo).",
            "fields__video": ["id", "create_time", "video_description", "hashtag_names"],
            "necessity__video": "Descriptions and hashtags show what was posted.",
            "fields__moderation_decision": ["id", "policy", "actioned_at"],
            "necessity__moderation_decision": "What was removed, under which policy, when.",
        },
        applicant=applicant,
    )
    if not form.is_valid():  # the demo's own data: a failure here is a bug
        raise RuntimeError(f"demo application invalid: {form.errors.as_json()}")
    return applications.create_draft(applicant, form.application_data())


def _queue(reviewer: User) -> list[Login]:
    logins = []
    for email, (state, title) in APPLICANTS.items():
        login = _person(email)
        logins.append(Login(f"applicant ({state.replace('_', ' ')})", email, login.password))
        applicant = User.objects.get(email=email)
        if Application.objects.filter(applicant=applicant).exists():
            continue
        application = applications.submit(_application(applicant, title), applicant)
        if state == "changes_requested":
            applications.request_changes(
                application, reviewer, "Please say how long you keep the data, and where."
            )
        elif state == "approved":
            today = timezone.now().date()
            applications.approve(
                application,
                reviewer,
                Terms(
                    scopes=(Scope.DATA_BASIC, Scope.DATA_MODERATION),
                    datasets=("video", "moderation_decision"),
                    daily_requests=1_000,
                    daily_records=100_000,
                    access_start=today,
                    access_end=today + timedelta(days=365),
                ),
                note="Approved for the demo.",
            )
    return logins


def ensure() -> tuple[list[Login], str, str]:
    """Create what is missing; return every login, and the demo project's client key and
    secret (the same at every start)."""
    logins = [_person(ADMIN, superuser=True), _person(REVIEWER, reviewer=True)]
    researcher = _person(RESEARCHER)
    logins.append(researcher)
    owner = User.objects.get(email=RESEARCHER)
    secret = derived("client secret", 64)
    project = Project.objects.filter(title=PROJECT, members__user=owner).first()
    if project is None:
        project, _, _ = provision_project(
            owner_email=RESEARCHER,
            title=PROJECT,
            scopes=list(Scope.values),
            daily_requests=1_000,
            daily_records=100_000,
            access_days=365,
        )
    client = project.clients.select_related("oauth_application").order_by("id").first()
    key = client.oauth_application.client_id
    if not check_password(secret, client.oauth_application.client_secret):
        key, secret = issue_secret(project, owner, secret=secret)
    logins += _queue(User.objects.get(email=REVIEWER))
    return logins, key, secret
