"""The token endpoint is cheap to refuse and says nothing about which keys exist: client
secrets are keyed HMACs (microseconds, not PBKDF2's ~0.9 s), an unknown key goes through
the same check as a known one, and failed attempts are throttled per address and client."""

import pytest
import time_machine
from django.contrib.auth import hashers
from django.contrib.auth.hashers import make_password
from oauth2_provider.models import Application

from tests.conftest import provision

pytestmark = pytest.mark.django_db


def get_token(client, key, secret, **meta):
    """POST /v2/oauth/token/ from the address (and with the headers) in `meta`."""
    form = {"client_key": key, "client_secret": secret, "grant_type": "client_credentials"}
    return client.post("/v2/oauth/token/", form, **meta)


def stored_secret(key: str) -> str:
    return Application.objects.get(client_id=key).client_secret


class TestStoredSecrets:
    def test_a_secret_is_stored_as_a_keyed_hmac(self, client):
        _, key, secret = provision()
        stored = stored_secret(key)
        assert stored.startswith("hmac_sha256$") and secret not in stored
        assert get_token(client, key, secret).status_code == 200

    def test_the_hash_depends_on_the_integrity_key(self, settings):
        _, key, secret = provision()
        stored = stored_secret(key)
        settings.RESEARCH_API_INTEGRITY_KEY = b"another key, as a thief without ours would use"
        assert not hashers.check_password(secret, stored)

    def test_a_secret_stored_with_pbkdf2_is_rehashed_when_next_used(self, client):
        _, key, secret = provision()
        Application.objects.filter(client_id=key).update(
            client_secret=make_password(secret, hasher="pbkdf2_sha256")
        )
        assert get_token(client, key, "wrong").status_code == 401
        assert stored_secret(key).startswith("pbkdf2_sha256$")  # a wrong secret changes nothing
        assert get_token(client, key, secret).status_code == 200
        assert stored_secret(key).startswith("hmac_sha256$")
        assert get_token(client, key, secret).status_code == 200


def test_an_unknown_key_costs_the_same_check_as_a_known_one(client, monkeypatch):
    _, key, _ = provision()
    checked = []
    verify = hashers.get_hasher("hmac_sha256").__class__.verify

    def counting(self, password, encoded):
        checked.append(encoded.split("$")[0])
        return verify(self, password, encoded)

    monkeypatch.setattr(hashers.get_hasher("hmac_sha256").__class__, "verify", counting)
    assert get_token(client, key, "wrong").status_code == 401
    assert get_token(client, "no-such-key", "wrong").status_code == 401
    assert checked == ["hmac_sha256", "hmac_sha256"]


class TestThrottling:
    def test_an_address_is_refused_after_its_failures_until_the_window_ends(self, client, settings):
        settings.RESEARCH_API_TOKEN_FAILURES_PER_ADDRESS = 3
        settings.RESEARCH_API_TOKEN_FAILURE_WINDOW_SECONDS = 300
        _, key, secret = provision()
        with time_machine.travel("2026-11-30 10:00:10", tick=False):
            for i in range(3):
                assert get_token(client, f"made-up-{i}", "wrong").status_code == 401
            refused = get_token(client, key, secret)  # even the right secret waits
            assert refused.status_code == 429
            assert refused.json()["error"] == "rate_limit_exceeded"
            assert refused["Retry-After"] == "290"
            assert "try again in 290 s" in refused.json()["error_description"]
            other = get_token(client, key, secret, REMOTE_ADDR="198.51.100.7")
            assert other.status_code == 200  # another address is not held up
        with time_machine.travel("2026-11-30 10:05:00", tick=False):
            assert get_token(client, key, secret).status_code == 200

    def test_a_client_is_refused_after_its_failures_from_any_address(self, client, settings):
        settings.RESEARCH_API_TOKEN_FAILURES_PER_CLIENT = 4
        _, key, secret = provision()
        _, other_key, other_secret = provision(owner_email="other@uni.example")
        for i in range(4):
            response = get_token(client, key, "wrong", REMOTE_ADDR=f"203.0.113.{i}")
            assert response.status_code == 401
        assert get_token(client, key, secret, REMOTE_ADDR="203.0.113.99").status_code == 429
        assert get_token(client, other_key, other_secret).status_code == 200

    def test_behind_a_proxy_the_address_is_the_one_the_proxy_saw(self, client, settings):
        settings.RESEARCH_API_TOKEN_FAILURES_PER_ADDRESS = 2
        settings.RESEARCH_API_PROXY_COUNT = 1
        _, key, secret = provision()
        for _ in range(2):
            get_token(client, "x", "y", HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.5")
        # A spoofed left-hand entry changes nothing: the proxy's own entry counts.
        blocked = get_token(client, key, secret, HTTP_X_FORWARDED_FOR="9.9.9.9, 203.0.113.5")
        assert blocked.status_code == 429
        other = get_token(client, key, secret, HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.6")
        assert other.status_code == 200

    def test_without_a_proxy_forwarded_headers_are_not_believed(self, client, settings):
        settings.RESEARCH_API_TOKEN_FAILURES_PER_ADDRESS = 2
        _, key, secret = provision()
        for i in range(2):
            get_token(client, "x", "y", HTTP_X_FORWARDED_FOR=f"192.0.2.{i}")
        assert get_token(client, key, secret, HTTP_X_FORWARDED_FOR="192.0.2.9").status_code == 429
