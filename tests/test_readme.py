"""The README's examples run, as a reader would run them: its shell block (one curl call per
endpoint) and its Python block (every endpoint with `requests`, an export and deletion
compliance included) against the service as it runs (gunicorn), over a synthetic platform."""

import json
import os
import re
import shutil
import subprocess
import sys

import pytest

from codebook.scopes import SCOPE_DESCRIPTIONS
from tests.conftest import provision
from tests.servers import ROOT, gunicorn, seed_small_platform

# serialized_rollback: the policies the synthetic platform refers to are migration data.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def block(language: str, starting: str) -> str:
    """The README's fenced `language` block whose first line starts with `starting`."""
    readme = (ROOT / "README.md").read_text()
    for code in re.findall(rf"```{language}\n(.*?)```", readme, flags=re.S):
        if code.startswith(starting):
            return code
    raise AssertionError(f"README has no {language} block starting with {starting!r}")


def answers(output: str) -> list[dict]:
    """The JSON documents a run printed one after another."""
    decoder, documents, at = json.JSONDecoder(), [], 0
    while at < len(output):
        if output[at].isspace():
            at += 1
            continue
        document, at = decoder.raw_decode(output, at)
        documents.append(document)
    return documents


@pytest.fixture
def demo_service():
    """A running service over a small synthetic platform, and a project granted everything:
    the environment the README's examples expect."""
    seed_small_platform()
    _, key, secret = provision(scopes=tuple(SCOPE_DESCRIPTIONS))
    with gunicorn(workers=1, threads=4) as url:
        yield {**os.environ, "API": url, "CLIENT_KEY": key, "CLIENT_SECRET": secret}


def test_the_readmes_examples_run_against_the_service(demo_service):
    shell = subprocess.run(
        [shutil.which("bash"), "-euo", "pipefail", "-c", block("sh", "API=")],
        env=demo_service,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert shell.returncode == 0, shell.stderr
    documents = answers(shell.stdout)
    # One answer per call in the block, every one of them a success.
    calls = len(re.findall(r"^(research |curl -s )", block("sh", "API="), flags=re.M))
    assert len(documents) == calls  # (the call that reads an id for the others prints nothing)
    for document in documents:
        if "error" in document:  # the catalogue is not in the envelope
            assert document["error"]["code"] == "ok", document

    python = subprocess.run(
        [sys.executable, "-c", block("python", "import hashlib")],
        env=demo_service,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert python.returncode == 0, python.stderr
    assert "export succeeded" in python.stdout
    # Each block's private answer (two different questions) was charged rho 0.1.
    assert "'rho_spent': 0.2" in python.stdout
