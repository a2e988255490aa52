"""`make demo`'s welcome: every demo sign-in printed and working, a review queue with
applications in different states, and passwords and the client secret that stay the same
across restarts of the same database."""

import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from accounts.models import Application, Project
from tests.conftest import get_token

pytestmark = pytest.mark.django_db


def welcome(settings) -> str:
    settings.DEBUG = True
    out = StringIO()
    call_command("demo_welcome", "--url", "http://127.0.0.1:8000", stdout=out)
    return out.getvalue()


def sign_ins(text: str) -> dict[str, str]:
    return dict(re.findall(r"^  (\S+@demo\.localhost)\s+password (\S+)", text, re.M))


def test_every_demo_sign_in_is_printed_and_works(settings):
    text = welcome(settings)
    people = sign_ins(text)
    assert set(people) == {
        "admin@demo.localhost",
        "reviewer@demo.localhost",
        "researcher@demo.localhost",
        "submitted@demo.localhost",
        "changes@demo.localhost",
        "approved@demo.localhost",
    }
    assert "demo data" in text
    for email, password in people.items():
        client = Client()
        response = client.post("/accounts/login/", {"username": email, "password": password})
        assert response.status_code == 302, email
    reviewer = Client()
    reviewer.post(
        "/admin/login/",
        {"username": "reviewer@demo.localhost", "password": people["reviewer@demo.localhost"]},
    )
    queue = reviewer.get("/admin/accounts/application/")
    assert queue.status_code == 200
    assert b"Hate speech in comment threads across languages" in queue.content


def test_the_queue_holds_applications_in_different_states(settings):
    welcome(settings)
    states = dict(Application.objects.values_list("applicant__email", "status"))
    assert states == {
        "submitted@demo.localhost": "submitted",
        "changes@demo.localhost": "changes_requested",
        "approved@demo.localhost": "approved",
    }
    assert Project.objects.filter(application__applicant__email="approved@demo.localhost").exists()


def test_passwords_and_the_client_secret_stay_the_same_across_restarts(settings, client):
    first = welcome(settings)
    again = welcome(settings)
    assert sign_ins(first) == sign_ins(again)
    key, secret = (
        re.search(rf"{name}\s+(\S+)", first).group(1) for name in ("client_key", "client_secret")
    )
    assert re.search(r"client_secret\s+(\S+)", again).group(1) == secret
    assert Application.objects.count() == 3  # not created twice
    assert get_token(client, key, secret).status_code == 200


def test_the_welcome_refuses_to_run_outside_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DJANGO_DEBUG=true"):
        call_command("demo_welcome", stdout=StringIO())
