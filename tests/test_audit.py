"""The audit log: append-only, hash-chained, written with what it records."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.test import Client

from audit import events
from audit.models import AuditEntry
from audit.services import record, record_now, verify
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
    assert problem == f"entry {victim.id}: its content was changed after it was written"
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


def test_sign_ins_and_failed_sign_ins_are_recorded(researcher):
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
    assert entries == [
        (events.SIGN_IN_FAILED, researcher.email, None),
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
