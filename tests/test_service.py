"""The service as an operator and a client first meet it: health, docs, errors, settings."""

import os
import subprocess
import sys

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

PRODUCTION_ENV = {
    "DJANGO_SECRET_KEY": "a-production-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
    "DJANGO_ALLOWED_HOSTS": "research.example.org",
    "DJANGO_DEBUG": "false",
}


def manage(*args, env=None, **kwargs):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE"))}
    clean["DATABASE_URL"] = "sqlite:///:memory:"
    clean["DJANGO_SETTINGS_MODULE"] = "research_api.settings"
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        env={**clean, **(env or {})},
        capture_output=True,
        text=True,
        **kwargs,
    )


def test_healthz_reports_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["reachable"] is True
    assert body["database"]["vendor"] in ("sqlite", "postgresql")


def test_healthz_says_unavailable_when_the_database_is_down():
    code = (
        "from django.test import Client; r = Client().get('/healthz'); "
        "print(r.status_code, r.json()['status'], r.json()['database']['reachable'])"
    )
    result = manage(
        "shell",
        "-c",
        code,
        env={
            **PRODUCTION_ENV,
            "DJANGO_ALLOWED_HOSTS": "testserver",
            "DJANGO_SECURE_SSL_REDIRECT": "false",
            "DATABASE_URL": "postgres://nobody@127.0.0.1:1/nothing",
        },
    )
    assert result.stdout.strip().endswith("503 unavailable False"), result.stderr


def test_healthz_refuses_other_methods_in_json():
    response = Client(enforce_csrf_checks=True).post("/healthz")
    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"


def test_openapi_schema_is_served(client):
    response = client.get("/v2/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "Research API"


def test_docs_page_is_served_with_its_assets_locally(client):
    response = client.get("/docs/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "swagger-ui" in page
    assert "/static/drf_spectacular_sidecar/" in page  # no CDN: self-hosted, works offline
    assert client.get("/docs/redoc/").status_code == 200


def test_unknown_api_path_answers_json_with_a_log_id(client):
    response = client.post("/v2/research/nothing/here/")
    assert response.status_code == 404
    body = response.json()
    assert body["error"]["code"] == "not_found"
    assert body["error"]["log_id"] == response["X-Log-Id"]
    assert len(body["error"]["log_id"]) > 20


@pytest.mark.parametrize("path", ["/v2/research/nothing/here/", "/v2/", "/v2/research/video/query"])
def test_unknown_api_paths_answer_json_even_in_debug_mode(client, settings, path):
    """`make demo` runs with DEBUG on, where Django would show its HTML debug page."""
    settings.DEBUG = True
    for method in (client.get, client.post):
        response = method(path)
        assert response.status_code == 404
        assert response["Content-Type"] == "application/json"
        assert response.json()["error"]["code"] == "not_found"


def test_home_page_links_the_docs(client):
    response = client.get("/")
    assert response.status_code == 200
    assert b'href="/docs/"' in response.content


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DJANGO_DEBUG": "maybe"}, "DJANGO_DEBUG must be true or false"),
        ({"DJANGO_SECRET_KEY": ""}, "DJANGO_SECRET_KEY must be set"),
        ({"DJANGO_SECRET_KEY": "short"}, "DJANGO_SECRET_KEY must be at least 50"),
        ({"DJANGO_ALLOWED_HOSTS": ""}, "DJANGO_ALLOWED_HOSTS must be set"),
        ({"DATABASE_URL": "mysql://x@y/z"}, "DATABASE_URL"),
        ({"DATABASE_CONN_MAX_AGE": "soon"}, "DATABASE_CONN_MAX_AGE must be a whole number"),
        ({"DJANGO_SECURE_HSTS_SECONDS": "-1"}, "DJANGO_SECURE_HSTS_SECONDS must be at least 0"),
        ({"RESEARCH_API_MASTER_KEY": "c2hvcnQ="}, "RESEARCH_API_MASTER_KEY must decode to 32"),
        ({"RESEARCH_API_BURST_REQUESTS": "0"}, "RESEARCH_API_BURST_REQUESTS must be at least 1"),
        (
            {"RESEARCH_API_QUERY_TIMEOUT_SECONDS": "1m"},
            "RESEARCH_API_QUERY_TIMEOUT_SECONDS must be a whole number",
        ),
    ],
)
def test_a_bad_setting_stops_start_up_naming_the_variable(env, message):
    result = manage("check", env={**PRODUCTION_ENV, **env})
    assert result.returncode != 0
    assert result.stderr.startswith("configuration error: ") and message in result.stderr
    assert "Traceback" not in result.stderr


def test_deploy_check_is_clean_with_production_values():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("path", ["/healthz", "/v2/schema/", "/v2/research/nothing/"])
@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_api_paths_answer_json_to_every_method(path, method):
    response = getattr(Client(enforce_csrf_checks=True), method)(path)
    assert response.status_code in (404, 405)
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"]["log_id"]
