"""The audit log: append-only, hash-chained, written with what it records."""

from io import StringIO

import orjson
import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.test import Client

from audit import events
from audit.models import (
    CHAIN_KEYED,
    GENESIS,
    AuditEntry,
    ChainHead,
    RefusalCount,
    unkeyed_entry_hash,
)
from audit.services import entry, record, record_now, verify
from core.integrity import keyed_digest
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def some_entries(n=5):
    for i in range(n):
        record_now("test.event", actor_label="test", target=f"thing:{i}", details={"i": i})


def verify_command() -> str:
    out = StringIO()
    call_command("verify_audit", stdout=out)
    return out.getvalue()


def test_an_intact_chain_verifies():
    some_entries()
    assert verify() == (5, None)
    assert "intact: 5 entries" in verify_command()


def test_a_changed_entry_is_detected_with_its_id():
    some_entries()
    victim = AuditEntry.objects.order_by("id")[2]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER audit_no_update")  # rolled back with the test
        cursor.execute(
            "UPDATE audit_auditentry SET details = %s WHERE id = %s", ['{"i": 99}', victim.id]
        )
    checked, problem = verify()
    assert checked == 2
    assert problem.startswith(f"entry {victim.id}: its content was changed after it was written")
    with pytest.raises(CommandError, match=f"after 2 good entries: entry {victim.id}"):
        verify_command()


@pytest.mark.postgres
def test_a_removed_entry_is_detected():
    some_entries()
    ids = list(AuditEntry.objects.order_by("id").values_list("id", flat=True))
    with connection.cursor() as cursor:  # the test database's sessions may purge
        cursor.execute("DELETE FROM audit_auditentry WHERE id = %s", [ids[1]])
    assert verify() == (
        1,
        f"entry {ids[2]}: does not follow the entry before it (an entry "
        f"was removed or inserted before it)",
    )


def test_entries_removed_from_the_end_are_detected():
    some_entries(3)
    last = AuditEntry.objects.order_by("-id").first()
    with connection.cursor() as cursor:  # (SQLite leaves deletions to the chain to expose)
        cursor.execute("DELETE FROM audit_auditentry WHERE id = %s", [last.id])
    assert verify() == (
        2,
        "the chain's head does not match its last entry (entries were removed from its end)",
    )


def test_the_database_computes_the_hashes_python_verifies():
    first = record_now("test.event", actor_label="test", details={"text": 'é ☃ "q" \\'})
    second = record_now("test.event", actor_label="test")
    assert second.prev_hash == first.hash
    assert [e.compute_hash() for e in AuditEntry.objects.order_by("id")] == [
        first.hash,
        second.hash,
    ]


def test_the_database_refuses_to_update_entries():
    some_entries(1)
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL research_api.audit_purge = 'off'")
        cursor.execute("UPDATE audit_auditentry SET event = 'forged'")


@pytest.mark.postgres
def test_postgres_refuses_to_delete_or_truncate_entries():
    some_entries(1)
    for statement in ("DELETE FROM audit_auditentry", "TRUNCATE audit_auditentry"):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute("SET LOCAL research_api.audit_purge = 'off'")
            cursor.execute(statement)
    assert AuditEntry.objects.count() == 1


def test_an_entry_rolls_back_with_what_it_records():
    with pytest.raises(RuntimeError), transaction.atomic():
        record("test.event", actor_label="test", target="x")
        raise RuntimeError("the recorded change failed")
    assert not AuditEntry.objects.exists()


def test_recording_outside_a_transaction_is_a_programming_error():
    with pytest.raises(RuntimeError, match=r"inside transaction\.atomic"):
        _record_without_atomic()


def _record_without_atomic():
    # pytest-django wraps each test in a transaction; step outside it deliberately.
    previous = connection.in_atomic_block
    connection.in_atomic_block = False
    try:
        record("test.event", actor_label="test")
    finally:
        connection.in_atomic_block = previous


def test_sign_ins_are_recorded_and_failed_sign_ins_counted(researcher):
    client = Client()
    assert (
        client.post(
            "/accounts/login/", {"username": researcher.email, "password": "wrong"}
        ).status_code
        == 200
    )
    assert (
        client.post(
            "/accounts/login/", {"username": researcher.email, "password": PASSWORD}
        ).status_code
        == 302
    )
    client.post("/accounts/logout/")
    entries = list(AuditEntry.objects.order_by("id").values_list("event", "actor", "actor_id"))
    assert list(RefusalCount.objects.values_list("event", "reason", "refusals")) == [
        (events.SIGN_IN_FAILED, "wrong_credentials", 1)
    ]
    assert entries == [
        (events.SIGN_IN, researcher.email, researcher.pk),
        (events.SIGN_OUT, researcher.email, researcher.pk),
    ]


def test_reviewers_see_a_projects_log_and_cannot_edit_it(reviewer, client):
    from tests.conftest import get_token, provision

    project, key, secret = provision()
    get_token(client, key, secret)
    rita = Client()
    rita.force_login(reviewer)
    listing = rita.get(f"/admin/audit/auditentry/?project_id={project.id}")
    assert listing.status_code == 200 and b"token.issued" in listing.content
    entry = AuditEntry.objects.filter(project_id=project.id).first()
    assert rita.post(f"/admin/audit/auditentry/{entry.id}/delete/").status_code == 403
    assert rita.get("/admin/audit/auditentry/add/").status_code == 403


# --- The chain is keyed, its head only moves forward, and checkpoints expose a cut-back end.


def _rewrite(statement_params: list[tuple[str, list]]):
    """Run statements as someone with the database's full powers would: triggers off."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
        else:
            cursor.execute("DROP TRIGGER audit_no_update")  # rolled back with the test
            cursor.execute("DROP TRIGGER audit_head_forward")
        for statement, params in statement_params:
            cursor.execute(statement, params)
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = origin")


def _rechained(edit_id: int, hasher) -> list[tuple[str, list]]:
    """An edit of one entry, with every hash from it on recomputed by `hasher`, and the head
    moved to match: a rewrite that an unkeyed chain could not tell from the original."""
    statements, previous = [], None
    for item in AuditEntry.objects.order_by("id"):
        if item.id == edit_id:
            item.details = {"i": 99}
        if previous is not None:
            item.prev_hash = previous
        if item.id >= edit_id:
            item.hash = hasher(item.prev_hash, item.content())
            statements.append(
                (
                    "UPDATE audit_auditentry SET details = %s, prev_hash = %s, hash = %s "
                    "WHERE id = %s",
                    [orjson.dumps(item.details).decode(), item.prev_hash, item.hash, item.id],
                )
            )
        previous = item.hash
    statements.append(("UPDATE audit_chainhead SET hash = %s", [previous]))
    return statements


@pytest.mark.parametrize(
    "hasher",
    [unkeyed_entry_hash, lambda prev, content: keyed_digest("another key", prev + content)],
    ids=["sha256", "hmac-under-another-key"],
)
def test_a_rewritten_chain_does_not_verify_without_the_key(hasher):
    some_entries()
    victim = AuditEntry.objects.order_by("id")[2]
    _rewrite(_rechained(victim.id, hasher))
    checked, problem = verify()
    assert (checked, problem.split(":")[0]) == (2, f"entry {victim.id}")


def test_the_head_refuses_to_move_back():
    some_entries(3)
    with (
        pytest.raises(DatabaseError, match="only moves forward"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL research_api.audit_purge = 'off'")
        previous = AuditEntry.objects.order_by("id")[1]
        cursor.execute(
            "UPDATE audit_chainhead SET prev_hash = %s, hash = %s",
            [previous.prev_hash, previous.hash],
        )


@pytest.mark.postgres
def test_postgres_refuses_to_delete_or_truncate_the_head():
    some_entries(1)
    for statement in ("DELETE FROM audit_chainhead", "TRUNCATE audit_chainhead"):
        with (
            pytest.raises(DatabaseError, match="only moves forward"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute("SET LOCAL research_api.audit_purge = 'off'")
            cursor.execute(statement)


def test_a_chain_cut_back_with_its_head_is_caught_by_a_checkpoint(tmp_path):
    some_entries(4)
    saved = tmp_path / "checkpoint.json"
    out = StringIO()
    call_command("verify_audit", "--write-checkpoint", str(saved), stdout=out)
    last = AuditEntry.objects.order_by("-id").first()
    assert orjson.loads(saved.read_text()) == {"entry": last.id, "hash": last.hash}
    assert "intact: 4 entries" in out.getvalue()
    # With triggers off, the last entry goes and the head moves back to the one before it.
    before_last = AuditEntry.objects.get(hash=last.prev_hash)
    _rewrite(
        [
            ("DELETE FROM audit_auditentry WHERE id = %s", [last.id]),
            (
                "UPDATE audit_chainhead SET prev_hash = %s, hash = %s",
                [before_last.prev_hash, before_last.hash],
            ),
        ]
    )
    assert verify() == (3, None)  # without a checkpoint, an earlier end looks like an end
    with pytest.raises(CommandError, match=f"checkpoint's entry {last.id} is not in the chain"):
        call_command("verify_audit", "--checkpoint", str(saved), stdout=StringIO())


def test_verify_audit_refuses_a_file_that_is_not_a_checkpoint(tmp_path):
    some_entries(1)
    bad = tmp_path / "bad.json"
    bad.write_text('{"entry": "x"}')
    with pytest.raises(CommandError, match=r"bad\.json is not a checkpoint"):
        call_command("verify_audit", "--checkpoint", str(bad))
    with pytest.raises(CommandError, match="cannot read the checkpoint"):
        call_command("verify_audit", "--checkpoint", str(tmp_path / "absent.json"))


def _unkeyed_entries(n: int):
    """Entries as the chain held them before it was keyed (plain SHA-256)."""
    previous = GENESIS
    for i in range(n):
        item = entry("test.event", actor_label="before", details={"i": i})
        item.prev_hash, item.hash = previous, unkeyed_entry_hash(previous, item.content())
        item.save(force_insert=True)
        previous = item.hash
    ChainHead.objects.update_or_create(id=1, defaults={"prev_hash": "", "hash": previous})


def test_entries_from_before_the_key_verify_once_sealed():
    from importlib import import_module

    from django.apps import apps

    _unkeyed_entries(3)
    assert "unkeyed and no audit.chain_keyed entry seals them" in verify()[1]
    import_module("audit.migrations.0005_keyed_chain").seal_unkeyed_entries(apps)
    some_entries(2)
    assert verify() == (6, None)
    seal = AuditEntry.objects.get(event=CHAIN_KEYED)
    assert seal.details == {"sealed_entries": 3, "last_unkeyed_entry": seal.id - 1}


def test_unkeyed_entries_after_keyed_ones_are_refused():
    some_entries(2)
    head = ChainHead.objects.get()
    item = entry("test.event", actor_label="forger")
    item.prev_hash = head.hash
    item.hash = unkeyed_entry_hash(item.prev_hash, item.content())
    item.save(force_insert=True)
    assert verify()[1].startswith(f"entry {item.id}: its content was changed")


def test_anonymous_token_refusals_are_counted_not_chained(client):
    from tests.conftest import provision

    _, key, _ = provision()
    before = AuditEntry.objects.count()
    for i in range(12):
        client.post(
            "/v2/oauth/token/",
            {
                "client_key": key if i % 2 else f"made-up-{i}",
                "client_secret": "wrong",
                "grant_type": "client_credentials",
            },
        )
    assert AuditEntry.objects.count() == before
    counts = dict(
        RefusalCount.objects.filter(event=events.TOKEN_REFUSED).values_list("reason", "refusals")
    )
    assert counts == {"invalid_client": 10, "throttled": 2}  # an address's 10 failures, then 429


def test_reviewers_see_the_refusal_counts(reviewer, client):
    client.post(
        "/v2/oauth/token/",
        {"client_key": "made-up", "client_secret": "x", "grant_type": "client_credentials"},
    )
    rita = Client()
    rita.force_login(reviewer)
    page = rita.get("/admin/audit/refusalcount/")
    assert page.status_code == 200
    assert b"token.refused" in page.content and b"invalid_client" in page.content
