import base64
import os
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from accounts.models import PseudonymKey
from catalog.models import Video
from research.pseudonyms import LIMIT, Pseudonyms
from tests.research_fixtures import cond, internal_id, query

pytestmark = pytest.mark.django_db


def manage(*args) -> str:
    out = StringIO()
    call_command("pseudonym_key", *args, stdout=out)
    return out.getvalue()


def test_the_permutation_is_invertible_and_stays_in_range():
    pseudonyms = Pseudonyms(os.urandom(32))
    ids = [1, 2, 3, 10**6, 2**40, LIMIT - 1]
    encoded = pseudonyms.encode("video", ids)
    assert all(0 < p <= LIMIT for p in encoded) and len(set(encoded)) == len(ids)
    assert pseudonyms.decode("video", encoded) == ids
    assert pseudonyms.decode("video", [0, -5, LIMIT + 1, "x"]) == [0, 0, 0, 0]
    assert pseudonyms.username_ids(pseudonyms.usernames(ids)) == ids


def test_keys_are_stored_encrypted(script):
    row = PseudonymKey.objects.get(project=script.project)
    assert len(bytes(row.ciphertext)) == 32 + 16  # key + GCM tag; never the key itself
    with override_settings(RESEARCH_API_MASTER_KEY=os.urandom(32)):
        from accounts.keys import KeyUnavailable, project_key

        with pytest.raises(KeyUnavailable):
            project_key(row)


def test_rotation_changes_every_id_and_old_ids_find_nothing(script):
    body = query(cond("keyword", ["great replacement"]))
    before = script.post("video/query", body, fields="id").json()["data"]["videos"][0]["id"]
    assert "new pseudonym key (version 2)" in manage("rotate", str(script.project.id))
    script.reload_key()
    after = script.post("video/query", body, fields="id").json()["data"]["videos"][0]["id"]
    assert after != before
    assert after == script.video_id(internal_id(Video, 100))
    stale = script.post("video/query", query(cond("video_id", [str(before)])), fields="id")
    assert stale.json()["data"]["videos"] == []


def test_destroying_a_key_shreds_the_mapping_and_stops_the_token(script):
    with pytest.raises(CommandError, match="add --yes"):
        manage("destroy", str(script.project.id))
    manage("destroy", str(script.project.id), "--yes")
    row = PseudonymKey.objects.get(project=script.project)
    assert row.ciphertext is None and row.destroyed_at is not None
    response = script.post("video/query", query(cond("hashtag_name", ["fyp"])))
    assert response.status_code == 401 and "destroyed" in response.json()["error"]["message"]


def test_reencryption_under_a_new_master_key_keeps_the_ids(script, monkeypatch):
    body = query(cond("keyword", ["great replacement"]))
    before = script.post("video/query", body, fields="id").json()["data"]["videos"][0]["id"]
    from django.conf import settings

    old = settings.RESEARCH_API_MASTER_KEY
    monkeypatch.setenv("OLD_MASTER", base64.b64encode(old).decode())
    with override_settings(RESEARCH_API_MASTER_KEY=os.urandom(32)):
        assert "re-encrypted" in manage("reencrypt", "--old-master-key-env", "OLD_MASTER")
        after = script.post("video/query", body, fields="id").json()["data"]["videos"][0]["id"]
    assert after == before


def test_operator_mistakes_are_refused():
    with pytest.raises(CommandError, match="no project"):
        manage("rotate", "00000000-0000-0000-0000-000000000000")
    with pytest.raises(CommandError, match="must name a set environment variable"):
        manage("reencrypt", "--old-master-key-env", "NOT_SET_ANYWHERE")
