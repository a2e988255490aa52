"""The service as it runs: gunicorn in a process of its own, serving the test database (on
PostgreSQL, or SQLite's test file). Tests that use it must commit their data
(django_db(transaction=True))."""

import contextlib
import http.client
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


def database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


@contextlib.contextmanager
def gunicorn(workers: int = 2, threads: int = 1, **environment):
    """Serve the test database on a free port; yields the base URL."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "research_api.settings_test",
        "DATABASE_URL": database_url(),
        "RESEARCH_API_EXPORT_DIR": settings.STORAGES["exports"]["OPTIONS"]["location"],
        **environment,
    }
    options = {"--bind": f"127.0.0.1:{port}", "--workers": str(workers)}
    options |= {"--threads": str(threads), "--worker-class": "gthread"}
    options |= {"--log-level": "warning", "--timeout": "60"}
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "research_api.wsgi"]
        + [part for pair in options.items() for part in pair],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    try:
        for _ in range(150):
            try:
                probe = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                probe.request("GET", "/healthz", headers={"Host": "localhost"})
                probe.getresponse().read()
                break
            except OSError:
                time.sleep(0.2)
        else:
            raise RuntimeError("gunicorn did not start")
        yield f"http://localhost:{port}"
    finally:
        process.terminate()
        process.wait(timeout=30)


def seed_small_platform(videos: int = 2000) -> None:
    """A small synthetic platform in the test database (the demo's, smaller)."""
    from io import StringIO

    from django.core.management import call_command

    call_command("seed_platform", "--videos", str(videos), "--no-progress", stdout=StringIO())
