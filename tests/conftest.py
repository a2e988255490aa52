import gzip
import threading
from pathlib import Path

import orjson
import pytest
from django.db import connection


def pytest_collection_modifyitems(config, items):
    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL)")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def jsonl(tmp_path):
    """Write records (dicts, or raw strings for malformed lines) to a JSON Lines file."""
    counter = iter(range(1_000))

    def write(records, name=None, compress=False) -> Path:
        path = tmp_path / (name or f"export-{next(counter)}.jsonl{'.gz' if compress else ''}")
        lines = [r if isinstance(r, str) else orjson.dumps(r).decode() for r in records]
        data = ("\n".join(lines) + "\n").encode()
        path.write_bytes(gzip.compress(data) if compress else data)
        return path

    return write


@pytest.fixture(autouse=True)
def _background_exports_finish():
    """Exports run in threads of the server process in the embedded mode: a test ends when
    they have, so none outlives the test database."""
    yield
    for thread in threading.enumerate():
        if thread.name.startswith("export-"):
            thread.join(timeout=30)


# --- The cast of characters -----------------------------------------------------------------

PASSWORD = "correct horse battery staple 42"


def _user(email, **extra):
    from accounts.models import User

    user = User.objects.create_user(email, PASSWORD, **extra)
    return user


def _reviewer(email):
    from django.contrib.auth.models import Group

    user = _user(email, is_staff=True)
    user.groups.add(Group.objects.get(name="Reviewers"))
    return user


@pytest.fixture
def researcher(db):
    """Alice: an academic researcher applying for access."""
    return _user("alice@uni.example", first_name="Alice", last_name="Adams")


@pytest.fixture
def other_researcher(db):
    """Bob: another researcher, with a project of his own."""
    return _user("bob@institute.example", first_name="Bob")


@pytest.fixture
def auditor(db):
    """Carol: a civil-society auditor."""
    return _user("carol@ngo.example", first_name="Carol")


@pytest.fixture
def reviewer(db):
    """Rita: platform staff who vets applications."""
    return _reviewer("rita@platform.example")


@pytest.fixture
def second_reviewer(db):
    """Sam: another reviewer, for the two-person rule."""
    return _reviewer("sam@platform.example")


def provision(owner_email="owner@uni.example", scopes=("research.data.basic",), **kwargs):
    """An approved project and its client credentials: (project, client key, secret)."""
    from accounts.services.projects import provision_project

    return provision_project(
        owner_email=owner_email,
        title=kwargs.pop("title", "A project"),
        scopes=list(scopes),
        daily_requests=kwargs.pop("daily_requests", 1000),
        daily_records=kwargs.pop("daily_records", 100_000),
        access_days=kwargs.pop("access_days", 30),
        **kwargs,
    )


def get_token(client, key, secret, **form):
    """POST /v2/oauth/token/ in TikTok's form; returns the response."""
    return client.post(
        "/v2/oauth/token/",
        {"client_key": key, "client_secret": secret, "grant_type": "client_credentials", **form},
    )


def bearer(token: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


# Fixtures of the research API's tests: a small platform and projects' scripts.
from tests.research_fixtures import (  # noqa: E402, F401
    moderation_script,
    other_script,
    script,
    study,
)
