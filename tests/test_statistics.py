"""Moderation statistics through the API (POST /v2/research/moderation/stats/): the
platform's calibrated rates reproduced exactly, suppression of small cells (complementary
included), differentially private answers and their budget, stored releases, and what an
auditor without rows can and cannot do."""

import itertools
from io import StringIO
from statistics import median as py_median

import orjson
import pytest
from django.core.management import call_command
from django.db.models import F, Q
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from codebook import statistics as book
from ingestion.synthetic.loader import wipe_catalogue
from moderation.models import Decision
from research import statistics
from tests.conftest import provision
from tests.research_fixtures import Researcher, cond

pytestmark = pytest.mark.django_db
STATS = "moderation/stats"
YEAR = {"start_date": "20251101", "end_date": "20261031"}  # the platform's last 365 days


@pytest.fixture(scope="module")
def platform(django_db_setup, django_db_blocker):
    """One 10,000-video synthetic platform shared by the read-only tests below."""
    with django_db_blocker.unblock():
        call_command(
            "seed_platform",
            videos=10_000,
            seed=3,
            reset=True,
            no_progress=True,
            stdout=StringIO(),
            stderr=StringIO(),
        )
        yield
        wipe_catalogue()


@pytest.fixture
def auditor_script(platform):
    """A civil-society auditor's project: statistics, and no rows."""
    return Researcher(*provision(owner_email="ngo@watch.example", scopes=("research.stats",)))


def stats(script, **body):
    response = script.post(STATS, {**YEAR, **body})
    return response


RATES = ["proactive_rate", "removed_before_views_rate", "removed_within_24h_rate"]
# The synthetic platform's decisions (two years, and removals up to 40 days after), in
# windows of at most 365 days.
WINDOWS = [("20241101", "20251031"), ("20251101", "20261031"), ("20261101", "20261231")]


def test_the_calibrated_rates_come_back_exactly_as_the_database_counts_them(auditor_script):
    """An auditor checks the platform's claims (96.4% of removals before any report, 90.3%
    before any views, 94% within 24 hours) through the API alone."""
    found = {rate: 0 for rate in RATES}
    total = 0
    for start, end in WINDOWS:
        response = auditor_script.post(
            STATS,
            {
                "start_date": start,
                "end_date": end,
                "metrics": RATES,
                "filter": {"and": [cond("target_type", ["video"])]},
            },
        )
        assert response.status_code == 200, response.content
        cells = response.json()["data"]["cells"]
        removals = Decision.objects.filter(
            target_type="video",
            decision_visibility="CONTENT_REMOVED",
            actioned_at__gte=f"{start[:4]}-{start[4:6]}-{start[6:]}T00:00:00Z",
            actioned_at__lte=f"{end[:4]}-{end[4:6]}-{end[6:]}T23:59:59.999999Z",
        )
        n = removals.count()
        if not cells:  # no decision at all in the window
            assert n == 0
            continue
        (cell,) = cells
        proactive = removals.filter(
            Q(first_reported_at__isnull=True) | Q(first_reported_at__gt=F("actioned_at"))
        ).count()
        before_views = removals.filter(views_at_action=0).count()
        assert cell["proactive_rate_n"] == cell["removed_before_views_rate_n"] == n
        assert cell["proactive_rate"] == round(proactive / n, 6)
        assert cell["removed_before_views_rate"] == round(before_views / n, 6)
        total += n
        for rate in RATES:
            found[rate] += round(cell[rate] * n)
    everything = Decision.objects.filter(target_type="video", decision_visibility="CONTENT_REMOVED")
    assert total == everything.count()  # the windows hold every removal
    assert abs(found["proactive_rate"] / total - 0.964) <= 0.005
    assert abs(found["removed_before_views_rate"] / total - 0.903) <= 0.005
    assert abs(found["removed_within_24h_rate"] / total - 0.94) <= 0.005


def _truth(by: list[str], start="2025-11-01T00:00Z", end="2026-11-01T00:00Z") -> dict[tuple, int]:
    """Decisions per (groups..., month), counted by the ORM."""
    from django.db.models import Count
    from django.db.models.functions import TruncMonth

    rows = (
        Decision.objects.filter(actioned_at__gte=start, actioned_at__lt=end)
        .annotate(month=TruncMonth("actioned_at"))
        .values(*by, "month")
        .annotate(n=Count("id"))
    )
    return {(*(r[b] for b in by), r["month"].strftime("%Y-%m")): r["n"] for r in rows}


def test_small_cells_are_withheld_and_no_total_gives_one_back(auditor_script, settings):
    k = settings.RESEARCH_API_STATS_MIN_CELL
    response = stats(auditor_script, group_by=["policy", "market"], period="month")
    assert response.status_code == 200, response.content
    data = response.json()["data"]
    truth = _truth(["policy__code", "market"])
    assert data["min_cell"] == k
    cells = {(c["policy"], c["market"], c["period"]): c for c in data["cells"]}
    assert set(cells) == set(truth)
    withheld_per_month: dict[str, int] = {}
    for key, cell in cells.items():
        if cell["decisions"] is None:
            assert "decisions" in cell["suppressed"]
            withheld_per_month[key[-1]] = withheld_per_month.get(key[-1], 0) + truth[key]
        else:
            assert cell["decisions"] == truth[key] >= k
    assert data["suppressed_cells"] == sum(1 for c in cells.values() if c["decisions"] is None)
    assert withheld_per_month, "the platform has small cells: some must be withheld"
    # What the totals and the shown cells leave over is never a single small cell.
    totals = {t["period"]: t["decisions"] for t in data["totals"]}
    for month, hidden in withheld_per_month.items():
        shown = sum(
            c["decisions"] for key, c in cells.items() if key[-1] == month and c["decisions"]
        )
        if totals[month] is None:  # a month of fewer than k decisions: nothing of it shows
            assert shown == 0 and hidden < k
            continue
        assert totals[month] - shown == hidden
        assert hidden >= k


def test_a_histogram_never_shows_a_small_bucket(auditor_script, settings):
    k = settings.RESEARCH_API_STATS_MIN_CELL
    response = stats(auditor_script, group_by=["category"], metrics=["views_at_removal"])
    assert response.status_code == 200, response.content
    for cell in response.json()["data"]["cells"]:
        if cell["views_at_removal_n"] is None:
            continue
        buckets = cell["views_at_removal"]
        assert list(buckets) == [
            "0",
            "1-10",
            "11-100",
            "101-1k",
            "1k-10k",
            "10k-100k",
            "100k-1M",
            ">1M",
        ]
        shown = [v for v in buckets.values() if v is not None]
        assert all(v == 0 or v >= k for v in shown)
        hidden = cell["views_at_removal_n"] - sum(shown)
        assert hidden == 0 or hidden >= k


def test_every_metric_at_once(auditor_script):
    response = stats(
        auditor_script,
        group_by=["decision_ground"],
        metrics=[m.name for m in book.METRICS],
    )
    assert response.status_code == 200, response.content
    data = response.json()["data"]
    assert data["privacy"] is None
    cell = max(data["cells"], key=lambda c: c["decisions"] or 0)
    for name in ("proactive_rate", "automated_share", "appeal_rate"):
        assert 0 <= cell[name] <= 1
    medians = [c["median_hours_to_action"] for c in data["cells"]]
    assert any(m is not None and m > 0 for m in medians)
    shown = sum(round(share * cell["decisions"]) for share in cell["category_share"].values())
    left = cell["decisions"] - shown  # categories of fewer than k decisions, left out
    assert left == 0 or left >= data["min_cell"]
    assert 1 <= len(cell["top_markets"]) <= 5
    assert cell["top_markets"] == sorted(cell["top_markets"], key=lambda m: -m["decisions"])
    for shown in data["cells"]:  # what the listed markets leave is never one small market
        if shown["decisions"] is not None:
            left = shown["decisions"] - sum(m["decisions"] for m in shown["top_markets"])
            assert left == 0 or left >= data["min_cell"]


# --- Roll-ups ----------------------------------------------------------------------------------

ROLLED_QUESTIONS = {
    "every summable metric, overall": {
        "metrics": [m.name for m in book.METRICS if m.name != "median_hours_to_action"]
    },
    "policy and sub-policy per week, a window across months": {
        "start_date": "20260115",
        "end_date": "20260610",
        "group_by": ["policy", "sub_policy"],
        "period": "week",
        "metrics": ["decisions", "proactive_rate", "views_at_removal"],
    },
    "detection and automation per quarter, whole and partial months, and, or and not": {
        "start_date": "20251110",
        "end_date": "20260920",
        "group_by": ["detection_method", "automated_decision"],
        "period": "quarter",
        "metrics": ["decisions", "automated_share", "appeal_rate", "reversal_rate"],
        "filter": {
            "and": [cond("category", ["RISK_FOR_PUBLIC_SECURITY", "ILLEGAL_OR_HARMFUL_SPEECH"])],
            "or": [
                cond("source_type", ["SOURCE_VOLUNTARY"]),
                cond("decision_ground", ["ILLEGAL_CONTENT"]),
            ],
            "not": [cond("decision_account", ["SUSPENDED"])],
        },
    },
    "the median per policy and quarter": {
        "group_by": ["policy"],
        "period": "quarter",
        "metrics": ["median_hours_to_action"],
    },
    "market and language per month, one policy left out": {
        "group_by": ["market", "content_language"],
        "period": "month",
        "metrics": ["decisions", "removed_within_24h_rate", "category_share"],
        "filter": {"not": [cond("policy", ["violent_hateful_orgs"])]},
    },
    "market by detection method per month, proactive ones, terrorism left out": {
        "group_by": ["market", "detection_method"],
        "period": "month",
        "metrics": ["decisions", "proactive_rate", "automated_share", "views_at_removal"],
        "filter": {
            "and": [cond("source_type", ["SOURCE_VOLUNTARY"])],
            "not": [cond("category", ["RISK_FOR_PUBLIC_SECURITY"])],
        },
    },
    "market and automated detection over a partial window": {
        "start_date": "20260105",
        "end_date": "20260520",
        "group_by": ["market", "automated_detection"],
        "metrics": ["decisions", "median_hours_to_action", "reversal_rate"],
    },
    "market by ground and automated decision, per quarter, removals only": {
        "group_by": ["market", "decision_ground", "automated_decision"],
        "period": "quarter",
        "metrics": ["decisions", "proactive_rate", "appeal_rate", "reversal_rate"],
        "filter": {"and": [cond("decision_visibility", ["CONTENT_REMOVED"])]},
    },
    "language by restriction and detection method, suspensions left out": {
        "group_by": ["content_language", "decision_visibility", "detection_method"],
        "metrics": ["decisions", "automated_share", "median_hours_to_action"],
        "filter": {"not": [cond("decision_account", ["SUSPENDED"])]},
    },
    "sub-policy by market per month, comments left out": {
        "group_by": ["sub_policy", "market"],
        "period": "month",
        "metrics": ["decisions", "removed_before_views_rate", "automated_share"],
        "filter": {"not": [cond("target_type", ["comment"])]},
    },
    "target type by language, one policy": {
        "group_by": ["target_type", "content_language"],
        "metrics": ["decisions", "proactive_rate", "views_at_removal"],
        "filter": {"and": [cond("policy", ["violent_hateful_orgs"])]},
    },
    "visibility per day over a fortnight, automated detection only": {
        "start_date": "20260301",
        "end_date": "20260314",
        "group_by": ["decision_visibility", "target_type"],
        "period": "day",
        "metrics": ["decisions", "removed_before_views_rate", "reinstatements", "appeal_rate"],
        "filter": {"and": [cond("automated_detection", ["true"])]},
    },
}


@pytest.mark.parametrize("body", ROLLED_QUESTIONS.values(), ids=ROLLED_QUESTIONS)
def test_an_answer_from_the_roll_ups_is_the_answer_from_the_decisions(auditor_script, body):
    """The API answers these from a daily roll-up; counting the decisions themselves gives
    the same figures, suppression included."""
    request = statistics.StatsRequest.model_validate({**YEAR, **body})
    assert statistics.Question(request, None, timezone.now()).rollup is not None
    response = stats(auditor_script, **body)
    assert response.status_code == 200, response.content
    data = response.json()["data"]
    direct = statistics.Question(request, None, timezone.now(), use_rollups=False)
    expected = statistics.render(direct, *statistics.exact_cells(direct, None), private=False)
    assert len(data["cells"]) > 1 or not body.get("group_by")
    assert {key: data[key] for key in expected} == orjson_roundtrip(expected)


def test_the_exact_median_lies_within_the_bounds_given(auditor_script):
    """The median is read off a histogram of hours: the exact median (the middle value, or
    the mean of the two) lies within the bounds the answer gives, and so does the figure
    (per target type, the comments' few reports withhold both cells)."""
    checked = 0
    for group_by in ([], ["target_type"]):
        response = stats(auditor_script, group_by=group_by, metrics=["median_hours_to_action"])
        assert response.status_code == 200, response.content
        for cell in response.json()["data"]["cells"]:
            if cell["median_hours_to_action"] is None:
                continue
            decisions = Decision.objects.filter(
                first_reported_at__lte=F("actioned_at"),
                actioned_at__gte="2025-11-01T00:00Z",
                actioned_at__lt="2026-11-01T00:00Z",
                **({"target_type": cell["target_type"]} if group_by else {}),
            )
            hours = [
                (d.actioned_at - d.first_reported_at).total_seconds() / 3600 for d in decisions
            ]
            low, high = cell["median_hours_to_action_bounds"]
            assert cell["median_hours_to_action_n"] == len(hours)
            for value in (py_median(hours), cell["median_hours_to_action"]):
                assert low <= value and (high is None or value <= high), (cell, py_median(hours))
            checked += 1
    assert checked >= 1


@given(st.lists(st.floats(min_value=0, max_value=5_000, allow_nan=False), min_size=1))
def test_the_median_of_a_histogram_is_within_its_bounds_for_any_hours(hours):
    counts = dict.fromkeys(statistics.HOURS, 0)
    edges = book.HOUR_EDGES
    for value in hours:
        counts[f"hours_{sum(1 for edge in edges[1:] if value >= edge)}"] += 1
    value, (low, high) = statistics.median_of(counts)
    exact = py_median(hours)
    for figure in (exact, value):
        assert low <= figure and (high is None or figure <= high), (figure, low, high)


def orjson_roundtrip(value):
    return orjson.loads(orjson.dumps(value))


def test_what_no_roll_up_holds_is_counted_from_the_decisions(auditor_script):
    """Market and language by ground spans the roll-ups, keywords are many per decision,
    views are not a dimension: these are answered from the decisions, with the same
    envelope."""
    for body in (
        {"group_by": ["market", "content_language", "decision_ground"]},
        {"group_by": ["category_keyword"], "metrics": ["decisions", "proactive_rate"]},
        {"group_by": ["policy"], "filter": {"and": [cond("views_at_action", ["100"], "GT")]}},
    ):
        request = statistics.StatsRequest.model_validate({**YEAR, **body})
        assert statistics.Question(request, None, timezone.now()).rollup is None
        response = stats(auditor_script, **body)
        assert response.status_code == 200, response.content
        assert response.json()["data"]["cells"]


# --- Differential privacy and the budget ------------------------------------------------------


def private(script, rho=0.25, **body):
    return stats(script, privacy={"rho": rho}, **body)


def test_a_private_answer_covers_every_cell_of_public_domains_and_spends_its_rho(auditor_script):
    from moderation.models import Policy

    response = private(auditor_script, group_by=["policy"], period="quarter")
    assert response.status_code == 200, response.content
    data = response.json()["data"]
    policies = Policy.objects.filter(parent=None).count()
    assert len(data["cells"]) == policies * 5  # Nov 2025 to Oct 2026 touches five quarters
    assert data["privacy"]["rho"] == pytest.approx(0.25)
    assert data["privacy"]["noise_scale"] > 0
    assert data["budget"] == {"rho_total": 1.0, "rho_spent": 0.25, "rho_left": 0.75}
    usage = auditor_script.client.get("/v2/research/usage/", **_bearer(auditor_script))
    assert usage.json()["data"]["privacy_budget"]["rho_left"] == 0.75


def test_the_same_private_question_again_is_the_same_release_at_no_cost(auditor_script):
    first = private(auditor_script, group_by=["category"]).json()["data"]
    again = private(auditor_script, group_by=["category"]).json()["data"]
    assert again["repeat"] is True and again["release_id"] == first["release_id"]
    assert again["cells"] == first["cells"]
    assert again["budget"]["rho_spent"] == first["budget"]["rho_spent"] == 0.25


def test_a_private_answer_beyond_the_budget_is_refused_naming_what_is_left(auditor_script):
    assert private(auditor_script, rho=0.75, group_by=["category"]).status_code == 200
    refused = private(auditor_script, rho=0.5, group_by=["decision_ground"])
    assert refused.status_code == 403
    error = refused.json()["error"]
    assert error["code"] == "privacy_budget_exhausted"
    assert "rho 0.25 left of 1" in error["message"]
    assert private(auditor_script, rho=0.25, group_by=["decision_ground"]).status_code == 200


def test_epsilon_and_delta_are_converted_to_the_rho_they_cost(auditor_script):
    response = stats(auditor_script, privacy={"epsilon": 1.0, "delta": 1e-6})
    assert response.status_code == 200, response.content
    privacy = response.json()["data"]["privacy"]
    assert privacy["epsilon"] == 1.0 and 0 < privacy["rho"] < 0.05


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"group_by": ["market"], "privacy": {"rho": 0.1}}, "market needs its values named"),
        ({"metrics": ["top_markets"], "privacy": {"rho": 0.1}}, "add an IN condition on market"),
        (
            {"metrics": ["median_hours_to_action"], "privacy": {"rho": 0.1}},
            "has no differentially private version",
        ),
        ({"privacy": {"epsilon": 1.0}}, '"epsilon" and "delta" go together'),
        ({"privacy": {"rho": 0}}, "privacy.rho"),
        ({"group_by": ["policy", "market", "category", "source_type"]}, "group_by"),
        ({"group_by": ["policy", "policy"]}, "group_by names policy more than once"),
        ({"metrics": ["happiness"]}, "metrics"),
        ({"period": "decade"}, "period"),
        ({"filter": {"and": [cond("category", ["NOPE"])]}}, "'NOPE' is not one of"),
        ({"start_date": "20240101", "end_date": "20251231"}, "at most 365 days"),
    ],
)
def test_a_wrong_request_is_refused_saying_what_is_wrong(auditor_script, body, message):
    response = stats(auditor_script, **body)
    assert response.status_code == 400, response.content
    assert message in response.json()["error"]["message"]


def test_private_markets_are_the_ones_named(auditor_script):
    response = private(
        auditor_script,
        group_by=["market"],
        filter={"and": [cond("market", ["de", "FR", "us"])]},
    )
    assert response.status_code == 200, response.content
    assert sorted(c["market"] for c in response.json()["data"]["cells"]) == ["DE", "FR", "US"]


# --- Who may ask ------------------------------------------------------------------------------


def _bearer(script) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {script.token}"}


def test_an_auditor_gets_statistics_and_never_rows(auditor_script):
    rows = auditor_script.post(
        "moderation/decision/query", {**YEAR, "query": {"and": [cond("market", ["DE"])]}}
    )
    assert rows.status_code == 403
    assert rows.json()["error"]["code"] == "scope_not_authorized"
    assert stats(auditor_script).status_code == 200


def test_a_project_without_the_stats_scope_is_refused(platform):
    researcher = Researcher(
        *provision(owner_email="r@uni.example", scopes=("research.data.basic",))
    )
    response = stats(researcher)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "scope_not_authorized"


def test_another_projects_pseudonyms_find_nothing(auditor_script):
    other = Researcher(*provision(owner_email="o@uni.example", scopes=("research.stats",)))
    video = Decision.objects.filter(target_type="video").order_by("id").first()
    mine = auditor_script.video_id(video.video_id)
    body = {
        "filter": {"and": [cond("video_id", [str(mine)])]},
        "start_date": "20241101",
        "end_date": "20251031",
    }
    actioned = video.actioned_at.strftime("%Y%m%d")
    body |= {"start_date": actioned, "end_date": actioned}
    found = stats(auditor_script, **body).json()["data"]["cells"]
    assert [c["decisions"] for c in found] in ([None], [1]) or found[0]["decisions"] >= 1
    assert stats(other, **body).json()["data"]["cells"] == []


# --- A study, replayed through the API ----------------------------------------------------------


def _pages(script, path: str, body: dict, key: str, fields: str) -> list[dict]:
    """Every record of a listing, paging with search_id and cursor as a study's script does."""
    items, cursor, search_id = [], 0, None
    while True:
        page = {**body, "max_count": 100, "cursor": cursor}
        if search_id:
            page["search_id"] = search_id
        response = script.post(path, page, fields=fields)
        assert response.status_code == 200, response.content
        data = response.json()["data"]
        items += data[key]
        if not data["has_more"]:
            return items
        cursor, search_id = data["cursor"], data.get("search_id")


def test_a_keyword_study_with_a_snowball_over_following_gets_the_databases_answer(platform):
    """DESIGN.md's study: extremism keywords -> videos -> their accounts -> who those accounts
    follow -> every decision on the accounts' content -> the share removed. The follow graph
    finds accounts the keywords cannot (the cluster's coded part), and the share removed is
    the database's."""
    from catalog.models import Creator
    from ingestion.synthetic import vocabulary as vocab

    study = Researcher(
        *provision(
            owner_email="study@uni.example",
            scopes=("research.data.basic", "research.data.moderation"),
        )
    )
    window = {"start_date": "20251101", "end_date": "20261031"}
    videos = _pages(
        study,
        "video/query",
        {**window, "query": {"and": [cond("keyword", vocab.EXTREMISM_KEYWORDS)]}},
        "videos",
        "id,username",
    )
    seeds = {video["username"] for video in videos}
    followed = set()
    for username in seeds:
        edges = _pages(study, "user/following", {"username": username}, "user_following", "")
        followed |= {edge["username"] for edge in edges}
    snowball = followed - seeds
    # The snowball reaches accounts whose own posts no keyword of the list finds.
    coded = set(
        Creator.objects.filter(videos__hashtag_names__icontains="ironsong").values_list(
            "id", flat=True
        )
    ) | set(
        Creator.objects.filter(videos__hashtag_names__icontains="wolfmoon").values_list(
            "id", flat=True
        )
    )
    seed_ids = set(study.pseudonyms.username_ids(sorted(seeds)))
    snowball_ids = set(study.pseudonyms.username_ids(sorted(snowball)))
    assert coded and not (coded & seed_ids) and coded & snowball_ids

    sample = sorted(seeds | snowball)
    decisions = []
    for start in range(0, len(sample), 500):  # at most 1,000 values in one query
        decisions += _pages(
            study,
            "moderation/decision/query",
            {**window, "query": {"and": [cond("username", sample[start : start + 500])]}},
            "decisions",
            "id,decision_visibility",
        )
    removed = sum(d["decision_visibility"] == "CONTENT_REMOVED" for d in decisions)

    ids = seed_ids | snowball_ids
    truth = Decision.objects.filter(
        creator_id__in=ids,
        actioned_at__gte="2025-11-01T00:00Z",
        actioned_at__lt="2026-11-01T00:00Z",
    )
    assert len(decisions) == truth.count() > 0
    assert removed == truth.filter(decision_visibility="CONTENT_REMOVED").count()


def test_every_pair_of_dimensions_but_keywords_is_held_by_a_roll_up():
    names = [d.name for d in book.DIMENSIONS if d.name != "category_keyword"]
    for pair in itertools.combinations(names, 2):
        for privacy in (None, {"rho": 0.1}):
            body = {**YEAR, "group_by": list(pair), "metrics": ["decisions"], "privacy": privacy}
            request = statistics.StatsRequest.model_validate(body)
            assert statistics.Question(request, None, timezone.now()).rollup is not None, pair


@pytest.mark.parametrize(
    ("group_by", "name"),
    [
        (["policy", "sub_policy"], "policy"),
        (["sub_policy", "market"], "policy_market"),
        (["target_type", "content_language"], "policy_language"),
        (["market", "content_language"], "placement"),
        (["decision_ground", "source_type"], "language_handling"),
        (["sub_policy", "decision_ground"], "handling"),
        (["market", "detection_method"], "reach"),
        (["market", "automated_detection"], "reach"),
        (["market", "decision_ground"], "market_handling"),
        (["content_language", "automated_decision"], "language_handling"),
    ],
)
def test_a_question_is_answered_from_the_first_roll_up_holding_it(group_by, name):
    for privacy in (None, {"rho": 0.1}):
        body = {**YEAR, "group_by": group_by, "metrics": ["decisions"], "privacy": privacy}
        request = statistics.StatsRequest.model_validate(body)
        rollup = statistics.Question(request, None, timezone.now()).rollup
        assert (rollup.name, rollup.private) == (name, privacy is not None)
