"""Crash safety of exports on the real parts: a Celery worker process on Redis, killed with
SIGKILL while it writes an export. The export is delivered again to a new worker and
finishes once: one file, every row, one quota charge."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from audit.models import AuditEntry
from exports.models import Export
from quotas.models import DailyUsage
from research_api.celery import app as celery_app
from tests.conftest import provision
from tests.research_fixtures import Researcher

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
ROOT = Path(__file__).resolve().parent.parent
BROKER = "redis://127.0.0.1:6379/13"


@pytest.fixture
def broker(settings):
    queue = redis.Redis.from_url(BROKER)
    queue.flushdb()
    settings.CELERY_BROKER_URL = BROKER
    celery_app.conf.broker_url = BROKER
    celery_app.conf.broker_transport_options = {"visibility_timeout": 5}
    yield BROKER
    celery_app.conf.broker_url = None
    queue.flushdb()


def start_worker(name: str) -> subprocess.Popen:
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "research_api.settings_test",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "CELERY_BROKER_URL": BROKER,
        "RESEARCH_API_EXPORT_DIR": settings.STORAGES["exports"]["OPTIONS"]["location"],
        "RESEARCH_API_EXPORT_BATCH_ROWS": "20",
        "RESEARCH_API_EXPORT_VISIBILITY_SECONDS": "5",
    }
    command = [sys.executable, "-m", "celery", "-A", "research_api", "worker"]
    options = ["--pool", "prefork", "--concurrency", "1", "-n", f"{name}@%h", "-l", "warning"]
    return subprocess.Popen(
        [*command, *options],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: SIGKILL takes the pool with it
    )


def wait_for(check, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.02)
    pytest.fail(f"timed out waiting for {what}")


def test_an_export_whose_worker_is_killed_finishes_once(broker):
    call_command("seed_platform", videos=1_000, no_progress=True, verbosity=0)
    script = Researcher(
        *provision(
            owner_email="k@uni.example",
            scopes=("research.data.basic", "research.export"),
            daily_records=10_000_000,
        )
    )
    body = {
        "resource": "comments",
        "format": "parquet",
        "query": {
            "and": [
                {
                    "operation": "IN",
                    "field_name": "video_length",
                    "field_values": ["SHORT", "MID", "LONG", "EXTRA_LONG"],
                }
            ]
        },
        "start_date": "20251101",
        "end_date": "20261031",
    }
    first = start_worker("first")
    try:
        response = script.post("export", body)
        assert response.status_code == 202, response.content
        export_id = response.json()["data"]["export"]["id"]
        # Kill the worker, pool and all, while it is writing.
        wait_for(lambda: Export.objects.get(pk=export_id).rows_written >= 100, 60, "rows written")
        os.killpg(first.pid, signal.SIGKILL)
        first.wait(timeout=10)
    finally:
        if first.poll() is None:
            os.killpg(first.pid, signal.SIGKILL)
    killed = Export.objects.get(pk=export_id)
    assert killed.status == "running" and killed.attempts == 1

    second = start_worker("second")
    try:
        export = wait_for(
            lambda: (e := Export.objects.get(pk=export_id)).status == "succeeded" and e,
            120,
            "the export to be delivered again and finish",
        )
    finally:
        os.killpg(second.pid, signal.SIGKILL)
        second.wait(timeout=10)

    assert export.attempts == 2
    (file,) = export.files.all()  # one file, the second attempt's
    assert file.storage_name.split("/")[-2] == "2"
    from exports.services import storage

    folder = f"{export.project_id}/{export.id}"
    assert storage().listdir(folder)[0] == ["2"]  # the first attempt's files are gone
    expected = connection.cursor()
    expected.execute(
        "SELECT count(*) FROM catalog_comment c JOIN catalog_video v ON v.id = c.video_id "
        "WHERE c.status = 'visible' AND v.status = 'public' "
        "AND v.create_time >= '2025-11-01' AND v.create_time < '2026-11-01'"
    )
    (rows,) = expected.fetchone()
    assert file.rows == export.rows_written == rows > 100
    usage = DailyUsage.objects.get(project=script.project, family="videos")
    assert (usage.requests, usage.records) == (1, rows)  # charged once, for what was written
    assert AuditEntry.objects.filter(event="export.succeeded").count() == 1
