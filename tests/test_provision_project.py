import json
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from accounts.models import Project
from audit import events
from audit.models import AuditEntry
from tests.conftest import bearer, get_token

pytestmark = pytest.mark.django_db


def provision(*args) -> dict:
    out = StringIO()
    call_command("provision_project", *args, stdout=out)
    return json.loads(out.getvalue())


def test_provisioned_credentials_work_at_once():
    result = provision(
        "--owner",
        "ops@platform.example",
        "--title",
        "Audit of hate speech",
        "--scopes",
        "research.stats research.data.moderation",
        "--daily-requests",
        "50",
        "--daily-records",
        "5000",
        "--graph-daily-requests",
        "70",
        "--graph-daily-records",
        "7000",
        "--access-days",
        "10",
        "--kind",
        "auditor",
        "--json",
    )
    assert set(result) == {"project_id", "client_key", "client_secret"}
    project = Project.objects.get(pk=result["project_id"])
    assert (project.kind, project.daily_requests, project.daily_records) == ("auditor", 50, 5000)
    assert (project.graph_daily_requests, project.graph_daily_records) == (70, 7000)
    assert (project.access_end - project.access_start).days == 9
    client = Client()
    token = get_token(client, result["client_key"], result["client_secret"]).json()
    assert set(token["scope"].split()) == {"research.stats", "research.data.moderation"}
    info = client.post("/v2/research/project/info/", **bearer(token["access_token"]))
    assert info.json()["data"]["project"]["title"] == "Audit of hate speech"
    assert AuditEntry.objects.filter(event=events.PROJECT_PROVISIONED).exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--scopes", "research.everything"], "unknown or missing scopes research.everything"),
        (["--scopes", ""], "unknown or missing scopes"),
        (["--scopes", "research.stats", "--access-days", "0"], "at least one day"),
        (["--scopes", "research.stats", "--daily-requests", "0"], "quotas must be at least 1"),
        (
            ["--scopes", "research.stats", "--graph-daily-records", "0"],
            "quotas must be at least 1",
        ),
    ],
)
def test_bad_arguments_are_refused_and_create_nothing(args, message):
    with pytest.raises(CommandError, match=message):
        call_command("provision_project", "--owner", "a@b.example", "--title", "T", *args)
    assert not Project.objects.exists()


def test_command_line_exit_code_and_message(tmp_path):
    env = {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}",
        "DJANGO_DEBUG": "true",
        "RESEARCH_API_VAR_DIR": str(tmp_path),
        "PATH": "/usr/bin:/bin",
    }
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], env=env, check=True)
    bad = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "provision_project",
            "--owner",
            "a@b.c",
            "--title",
            "T",
            "--scopes",
            "nope",
        ],
        env=env,
        capture_output=True,
        text=True,
    )
    assert bad.returncode == 1 and "--scopes: unknown" in bad.stderr
    good = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "provision_project",
            "--owner",
            "a@b.c",
            "--title",
            "T",
            "--scopes",
            "research.data.basic",
            "--json",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(good.stdout)["client_secret"]
