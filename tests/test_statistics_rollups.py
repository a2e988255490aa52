"""The statistics roll-ups (moderation.rollups) stay equal to a recount of the decisions
through every kind of write: ingested decisions, ingested changes to them, deletions, a wiped
catalogue, and concurrent ingests in separate processes on PostgreSQL. `manage.py rollups`
says whether they are in step, and rebuilds them."""

import os
import subprocess
import sys
from collections import Counter
from datetime import UTC, date, timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import F, Sum
from hypothesis import given
from hypothesis import strategies as st

from ingestion.synthetic.loader import wipe_catalogue
from moderation import rollups
from moderation.models import (
    ROLLUP_MODELS,
    Decision,
    HandlingByDay,
    HandlingByMonth,
    PlacementByDay,
    PlacementByMonth,
)
from tests import records as r
from tests.servers import database_url

ROOT = Path(__file__).resolve().parent.parent
EXACT = [model for (rollup, _), model in ROLLUP_MODELS.items() if not rollup.private]
POLICIES = [
    ("violent_hateful_orgs", "violent_extremism", "RISK_FOR_PUBLIC_SECURITY"),
    ("violent_hateful_orgs", None, "RISK_FOR_PUBLIC_SECURITY"),
    ("hate_speech", "slurs", "ILLEGAL_OR_HARMFUL_SPEECH"),
    ("violent_behavior", "threats_incitement", "RISK_FOR_PUBLIC_SECURITY"),
]
MARKETS = [("DE", "de"), ("FR", "fr"), ("BR", "pt")]


def decision(platform_id: int, variant: int) -> dict:
    """A decision whose dimensions, dates and appeal vary with `variant`."""
    policy, sub_policy, category = POLICIES[variant % len(POLICIES)]
    market, language = MARKETS[variant % len(MARKETS)]
    day = 1 + variant % 28
    actioned = f"2024-06-{day:02d}T{variant % 24:02d}:30:00Z"
    reported = variant % 3 == 0
    fields = {
        "policy": policy,
        "category": category,
        "category_keywords": [],
        "market": market,
        "content_language": language,
        "content_created_at": f"2024-05-{day:02d}T00:00:00Z",
        "first_detected_at": f"2024-06-{day:02d}T00:00:00Z",
        "actioned_at": actioned,
        "views_at_action": [0, 7, 5_000, 2_000_000][variant % 4],
        "decision_visibility": ["CONTENT_REMOVED", "CONTENT_DEMOTED"][variant % 2],
        "detection_method": "USER_REPORT" if reported else "HASH_MATCH",
        "automated_detection": not reported,
        "automated_decision": "NOT_AUTOMATED" if reported else "FULLY",
        "source_type": "SOURCE_TYPE_OTHER_NOTIFICATION" if reported else "SOURCE_VOLUNTARY",
    }
    fields["sub_policy"] = sub_policy
    if reported:
        fields["first_reported_at"] = f"2024-06-{day:02d}T00:10:00Z"
    if variant % 5 == 0:
        fields["appeal"] = {
            "filed_at": f"2024-07-{day:02d}T00:00:00Z",
            "outcome": "REVERSED" if variant % 10 == 0 else "UPHELD",
            "decided_at": f"2024-07-{day:02d}T05:00:00Z",
        }
        if variant % 10 == 0:
            fields["reinstated_at"] = f"2024-07-{day:02d}T06:00:00Z"
    return r.decision(platform_id, 5001, **fields)


def ingest(jsonl, records):
    err = StringIO()
    try:
        call_command("ingest", str(jsonl(records)), stdout=StringIO(), stderr=err)
    except CommandError as error:
        raise AssertionError(err.getvalue()) from error


def in_step() -> bool:
    """Whether every roll-up table equals a recount of the decisions."""
    return not any(rollups.differences(connection).values())


def totals(model) -> dict:
    return model.objects.aggregate(
        decisions=Sum("n_decisions"), removals=Sum("n_removals"), reversed=Sum("n_reversed")
    )


@pytest.mark.django_db
def test_the_roll_ups_follow_every_write(jsonl):
    ingest(jsonl, [*r.small_platform()[:3], *(decision(100 + i, i) for i in range(80))])
    assert in_step()
    everything = {totals(m)["decisions"] for m in EXACT}
    assert everything == {Decision.objects.count()} == {80}

    # Changes to 40 known decisions (their policy, market, day, views, appeal) and 20 new.
    ingest(
        jsonl,
        [
            *(decision(100 + i, i + 7) for i in range(40)),
            *(decision(900 + i, i) for i in range(20)),
        ],
    )
    assert Decision.objects.count() == 100
    assert in_step()
    removed = Decision.objects.filter(decision_visibility="CONTENT_REMOVED").count()
    assert totals(PlacementByMonth)["removals"] == removed

    Decision.objects.filter(market="FR").delete()
    assert in_step()
    assert totals(HandlingByDay)["decisions"] == Decision.objects.count()

    if connection.vendor == "postgresql":  # fire the foreign keys' deferred checks first,
        with connection.cursor() as cursor:  # as a commit would: TRUNCATE waits for none
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    wipe_catalogue()
    for model in EXACT:
        assert not model.objects.exclude(n_decisions=0).exists()


@pytest.mark.django_db
def test_the_command_finds_drift_and_rebuilds(jsonl):
    ingest(jsonl, [*r.small_platform()[:3], *(decision(100 + i, i) for i in range(30))])
    out = StringIO()
    call_command("rollups", stdout=out)
    assert out.getvalue().count("in step") == len(rollups.TABLES)

    counted = HandlingByMonth.objects.filter(n_decisions__gt=0).first()
    drifted = HandlingByMonth.objects.filter(pk=counted.pk)
    drifted.update(n_removals=F("n_removals") + 1000)
    with pytest.raises(CommandError, match="differ from the decisions: run with --rebuild"):
        call_command("rollups", stdout=(out := StringIO()))
    assert "handling by month: 1 row differs" in out.getvalue()

    call_command("rollups", rebuild=True, stdout=(out := StringIO()))
    assert "rebuilt" in out.getvalue() and out.getvalue().count("in step") == len(rollups.TABLES)
    assert in_step()


@pytest.mark.django_db
def test_migrate_puts_back_triggers_a_table_remake_dropped(jsonl):
    """Django remakes a table on SQLite for some migrations, dropping its triggers: after
    every migrate the roll-ups' triggers are back and the roll-ups rebuilt."""
    rollups.uninstall(connection)
    assert not rollups.installed(connection)
    ingest(jsonl, [*r.small_platform()[:3], *(decision(100 + i, i) for i in range(10))])
    assert not in_step()  # nothing counted them
    out = StringIO()
    call_command("migrate", verbosity=1, stdout=out)
    assert "roll-ups installed and rebuilt" in out.getvalue()
    assert rollups.installed(connection) and in_step()
    call_command("migrate", verbosity=1, stdout=(out := StringIO()))
    assert "roll-ups" not in out.getvalue()  # in place: nothing rebuilt


def seqs() -> dict[int, int]:
    return dict(Decision.objects.values_list("platform_id", "account_month_seq"))


@pytest.mark.django_db
def test_each_accounts_decisions_are_numbered_within_their_month(jsonl):
    """account_month_seq: 1, 2, 3... per account and UTC month, in the order decisions
    arrive; kept through changes that leave the month alone, renewed when it moves."""
    june = [decision(100 + i, i) for i in range(4)]  # video 5001's creator, June 2024
    july = decision(200, 1) | {"actioned_at": "2024-07-02T00:00:00Z"}
    ingest(jsonl, [*r.small_platform()[:3], *june, july])
    assert seqs() == {100: 1, 101: 2, 102: 3, 103: 4, 200: 1}

    changed = decision(101, 1) | {"views_at_action": 123}  # same month: same seq
    moved = decision(102, 2) | {"actioned_at": "2024-07-20T00:00:00Z"}  # next in July
    ingest(jsonl, [changed, moved, decision(104, 4)])  # and a new one in June
    assert seqs() == {100: 1, 101: 2, 102: 2, 103: 4, 104: 5, 200: 1}
    assert in_step()


@pytest.mark.django_db
def test_a_private_answer_counts_each_account_with_its_first_decisions_of_a_month(jsonl):
    """Twelve accounts with 30 removals each in June: the exact answer says 360, the
    private one about 12 x C (C = 2), with noise calibrated to C."""
    from tests.conftest import provision
    from tests.research_fixtures import Researcher

    accounts = range(12)
    records = [r.creator(300 + a) for a in accounts] + [
        r.video(7000 + a, 300 + a) for a in accounts
    ]
    records += [
        decision(10_000 + 100 * a + i, i) | {"video_id": 7000 + a}
        for a in accounts
        for i in range(30)
    ]
    ingest(jsonl, records)
    auditor = Researcher(*provision(owner_email="ngo@watch.example", scopes=("research.stats",)))
    window = {"start_date": "20240601", "end_date": "20240630"}
    exact = auditor.post("moderation/stats", window).json()["data"]
    assert exact["cells"][0]["decisions"] == 360
    response = auditor.post("moderation/stats", {**window, "privacy": {"rho": 1.0}})
    assert response.status_code == 200, response.content
    data = response.json()["data"]
    assert data["privacy"]["decisions_per_account_per_month"] == 2
    assert data["privacy"]["l2_sensitivity"] == 2.0  # C x one month, one count
    assert abs(data["cells"][0]["decisions"] - 24) <= 6 * data["privacy"]["noise_scale"] < 10


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_ingests_in_separate_processes_keep_the_roll_ups_in_step(tmp_path, jsonl):
    """Four `manage.py ingest` processes at once, each changing the same 200 decisions in
    its own way and adding 300 of its own, on the same days and dimensions."""
    ingest(jsonl, [*r.small_platform()[:3], *(decision(100 + i, i) for i in range(200))])
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "DJANGO_SETTINGS_MODULE": "research_api.settings",
        "DJANGO_DEBUG": "true",
        "RESEARCH_API_VAR_DIR": str(tmp_path),
    }
    processes = []
    for worker in range(4):
        records = [
            *(decision(100 + i, i + worker + 1) for i in range(200)),
            *(decision(10_000 * (worker + 1) + i, i * (worker + 2)) for i in range(300)),
        ]
        path = jsonl(records, name=f"worker-{worker}.jsonl")
        processes.append(
            subprocess.Popen(
                [sys.executable, "manage.py", "ingest", str(path)],
                cwd=ROOT,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
        )
    for process in processes:
        _, err = process.communicate(timeout=300)
        assert process.returncode == 0, err
    assert Decision.objects.count() == 200 + 4 * 300
    result = subprocess.run(
        [sys.executable, "manage.py", "rollups"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert totals(PlacementByDay)["decisions"] == 1_400


@given(
    start=st.dates(min_value=date(2024, 1, 1), max_value=date(2026, 12, 31)),
    days=st.integers(min_value=0, max_value=400),
    period=st.sampled_from([None, "day", "week", "month", "quarter"]),
)
def test_the_parts_of_a_window_cover_each_day_once_within_its_period(start, days, period):
    """Day, week and month rows for a window: every day in it exactly once; a week row whole
    (Monday to Sunday) and a month row whole, never one holding days of two of the answer's
    periods; no week rows in an answer per day, no month rows in one per week or day."""
    end = start + timedelta(days=days)
    covered = []
    for grain, first, last in rollups.parts(start, end, period):
        assert start <= first <= last <= end
        if grain == "week":
            assert first.weekday() == 0 and last.weekday() == 6 and period != "day"
        if grain == "month":
            assert first.day == 1 and (last + timedelta(days=1)).day == 1
            assert period not in ("day", "week")
        if grain == "week" and period in ("month", "quarter"):
            assert first.month == last.month
        covered += [first + timedelta(days=i) for i in range((last - first).days + 1)]
    assert covered == [start + timedelta(days=i) for i in range(days + 1)]


@pytest.mark.django_db
def test_week_and_month_rows_are_their_day_rows_summed(jsonl):
    """Counted apart from the database's own date functions: each decision's day is its
    UTC date, a week row sums the day rows of its Monday to Sunday and a month row those of
    its month; the last instant of a Sunday that ends a month stays in its week and month."""
    edges = []
    for i, at in enumerate(("2024-03-31T23:59:59.999900Z", "2024-04-01T00:00:00Z")):
        record = decision(900 + i, 1 + i)  # not reported, not appealed
        record.update(
            actioned_at=at,
            content_created_at="2024-03-01T00:00:00Z",
            first_detected_at="2024-03-30T00:00:00Z",
        )
        edges.append(record)
    ingest(jsonl, [*r.small_platform()[:3], *(decision(100 + i, i) for i in range(40)), *edges])
    per_day = Counter(d.actioned_at.astimezone(UTC).date() for d in Decision.objects.all())
    assert per_day[date(2024, 3, 31)] == per_day[date(2024, 4, 1)] == 1
    counts = [f"n_{name}" for name in rollups.COUNT_NAMES]
    for rollup in rollups.ROLLUPS:
        keys = rollup.key[1:]
        days = list(ROLLUP_MODELS[rollup, "day"].objects.values("day", *keys, *counts))
        if not rollup.private:
            summed = Counter()
            for row in days:
                summed[row["day"]] += row["n_decisions"]
            assert +summed == per_day, rollup
        for grain, first_day in (
            ("week", lambda day: day - timedelta(days=day.weekday())),
            ("month", lambda day: day.replace(day=1)),
        ):
            expected = {}
            for row in days:
                key = (first_day(row["day"]), *(row[k] for k in keys))
                sums = expected.setdefault(key, dict.fromkeys(counts, 0))
                for name in counts:
                    sums[name] += row[name]
            stored = {
                (row["day"], *(row[k] for k in keys)): {name: row[name] for name in counts}
                for row in ROLLUP_MODELS[rollup, grain].objects.values("day", *keys, *counts)
                if any(row[name] for name in counts)
            }
            assert stored == expected, (rollup, grain)
