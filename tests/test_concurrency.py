"""Races on PostgreSQL, with real threads and connections (no mocks)."""

import threading

import pytest
from django.db import connection, connections

from accounts.models import Application, Project
from accounts.services import applications
from audit.services import verify
from core.errors import ApiError
from tests.test_access_control import submitted_application, terms

# serialized_rollback: a transactional test's teardown empties every table; this restores
# what migrations created (the Reviewers group, the policy taxonomy) for the tests after it.
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def race(*callables):
    """Run callables at the same moment in threads with their own connections; return
    what each returned or raised."""
    barrier = threading.Barrier(len(callables))
    results = [None] * len(callables)

    def run(i, call):
        try:
            barrier.wait(timeout=10)
            results[i] = call()
        except Exception as error:
            results[i] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(callables)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def test_two_reviewers_approving_at_once_yield_one_decision(researcher, reviewer, second_reviewer):
    assert connection.vendor == "postgresql"
    application = submitted_application(researcher)

    def approve_as(user):
        return lambda: applications.approve(
            Application.objects.get(pk=application.pk), user, terms()
        )

    outcomes = race(approve_as(reviewer), approve_as(second_reviewer))
    projects = [o for o in outcomes if isinstance(o, Project)]
    refused = [o for o in outcomes if isinstance(o, ApiError)]
    assert len(projects) == 1 and len(refused) == 1, outcomes
    assert "no longer possible" in str(refused[0])
    assert Project.objects.count() == 1
    application.refresh_from_db()
    assert application.status == "approved"
    assert verify()[1] is None


def test_approve_and_reject_at_once_yield_one_decision(researcher, reviewer, second_reviewer):
    application = submitted_application(researcher)
    outcomes = race(
        lambda: applications.approve(Application.objects.get(pk=application.pk), reviewer, terms()),
        lambda: applications.reject(
            Application.objects.get(pk=application.pk), second_reviewer, "not in scope"
        ),
    )
    assert sum(isinstance(o, ApiError) for o in outcomes) == 1, outcomes
    application.refresh_from_db()
    assert application.status in ("approved", "rejected")
    assert Project.objects.count() == (1 if application.status == "approved" else 0)


def test_concurrent_audit_writes_keep_one_chain(researcher):
    from audit.services import record_now

    outcomes = race(
        *[(lambda i=i: record_now("test.event", actor_label=f"writer {i}")) for i in range(8)]
    )
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    checked, problem = verify()
    assert problem is None and checked >= 8
