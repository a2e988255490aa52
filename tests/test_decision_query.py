"""Row-level moderation decisions: the video query's language and paging over decisions,
declared as one more listing on the shared request path."""

import pytest

from catalog.models import Comment, Creator, Video
from moderation.models import Decision
from tests.conftest import provision
from tests.research_fixtures import Researcher, cond, internal_id, query

PATH = "moderation/decision/query"


def decisions(script, *conditions, kind="and", fields=None, **extra) -> list[dict]:
    response = script.post(PATH, query(*conditions, kind=kind, **extra), fields=fields)
    assert response.status_code == 200, response.content
    return response.json()["data"]["decisions"]


def platform_ids(script, items) -> set[int]:
    internal = script.pseudonyms.decode("decision", [item["id"] for item in items])
    return set(Decision.objects.filter(id__in=internal).values_list("platform_id", flat=True))


@pytest.mark.parametrize(
    ("conditions", "expected"),
    [
        ([cond("category", ["RISK_FOR_PUBLIC_SECURITY"])], {9001, 9003}),
        ([cond("category_keyword", ["HATE_SPEECH"])], {9002}),
        ([cond("policy", ["violent_hateful_orgs"])], {9001, 9003}),
        ([cond("sub_policy", ["hateful_ideologies"])], {9002}),
        ([cond("detection_method", ["HASH_MATCH", "CLASSIFIER"])], {9001, 9003}),
        ([cond("automated_detection", ["false"])], {9002}),
        ([cond("views_at_action", ["0"], "GT")], {9002}),
        ([cond("views_at_action", ["0"], "EQ")], {9001, 9003}),
        ([cond("appeal_outcome", ["REVERSED"])], {9002}),
        ([cond("market", ["de"])], {9001, 9002, 9003}),
        ([cond("keyword", ["great replacement"])], {9002}),  # the decided video's caption
        ([cond("decision_visibility", ["CONTENT_LABELLED"], "EQ")], {9002}),
    ],
)
def test_each_query_field(moderation_script, conditions, expected):
    assert platform_ids(moderation_script, decisions(moderation_script, *conditions)) == expected


def test_ids_are_the_projects_pseudonyms_both_ways(moderation_script):
    script = moderation_script
    video = script.video_id(internal_id(Video, 100))
    (decision,) = decisions(script, cond("video_id", [str(video)]))
    assert decision["video_id"] == video and decision["comment_id"] is None
    assert decision["username"] == script.username(internal_id(Creator, 1))
    comment = script.pseudonyms.encode("comment", [internal_id(Comment, 6000)])[0]
    (on_comment,) = decisions(script, cond("comment_id", [str(comment)]))
    assert on_comment["target_type"] == "comment" and on_comment["comment_id"] == comment
    assert on_comment["video_description"] is None  # no video metadata for a comment


def test_a_removed_videos_metadata_stays_available_for_auditing(moderation_script):
    script = moderation_script
    (removed,) = decisions(
        script,
        cond("decision_visibility", ["CONTENT_REMOVED"]),
        cond("detection_method", ["HASH_MATCH"]),
    )
    assert removed["video_description"] == "removed video #fyp"
    assert removed["video_hashtag_names"] == ["fyp"]
    assert removed["views_at_action"] == 0 and removed["first_reported_at"] is None
    # ... while the video query keeps hiding it.
    videos = script.post("video/query", query(cond("hashtag_name", ["fyp"]))).json()["data"]
    assert removed["video_id"] not in {v["id"] for v in videos["videos"]}


def test_pages_by_search_id_newest_action_first(moderation_script):
    script = moderation_script
    body = query(cond("market", ["DE"]), max_count=2)
    first = script.post(PATH, body).json()["data"]
    assert first["has_more"] and len(first["decisions"]) == 2
    times = [d["actioned_at"] for d in first["decisions"]]
    assert times == sorted(times, reverse=True)
    second = script.post(
        PATH, {**body, "search_id": first["search_id"], "cursor": first["cursor"]}
    ).json()["data"]
    assert not second["has_more"] and len(second["decisions"]) == 1
    seen = [d["id"] for d in first["decisions"] + second["decisions"]]
    assert len(set(seen)) == 3


def test_fields_choose_what_is_returned(moderation_script):
    (item,) = decisions(
        moderation_script, cond("appeal_outcome", ["REVERSED"]), fields="id,policy,actioned_at"
    )
    assert set(item) == {"id", "policy", "actioned_at"} and item["policy"] == "hate_speech"


def test_the_window_is_over_the_action_date(moderation_script):
    assert (
        decisions(moderation_script, cond("market", ["DE"]), start="20260101", end="20260527") == []
    )


def test_it_needs_the_moderation_scope_and_dataset(study):
    basic = Researcher(*provision(owner_email="b@uni.example", scopes=("research.data.basic",)))
    response = basic.post(PATH, query(cond("market", ["DE"])))
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "scope_not_authorized"
    granted = Researcher(
        *provision(
            owner_email="m@uni.example",
            scopes=("research.data.basic", "research.data.moderation"),
        )
    )
    granted.project.datasets = ["video"]
    granted.project.save()
    response = granted.post(PATH, query(cond("market", ["DE"])))
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "dataset_not_granted"


@pytest.mark.parametrize(
    ("condition", "message"),
    [
        (cond("category", ["TERRORISM"]), "'TERRORISM' is not one of"),
        (cond("views_at_action", ["many"], "GT"), "'many' is not a count"),
        (cond("automated_detection", ["yes"]), "'yes' is not one of true, false"),
        (cond("policy", ["x"], "GT"), "cannot be used with policy"),
        (cond("hashtag_name", ["fyp"]), "field_name 'hashtag_name' is not a query field"),
    ],
)
def test_malformed_queries_name_what_is_wrong(moderation_script, condition, message):
    response = moderation_script.post(PATH, query(condition))
    assert response.status_code == 400
    assert message in response.json()["error"]["message"]


def test_every_read_is_audited(moderation_script):
    from audit.models import AuditEntry

    decisions(moderation_script, cond("market", ["DE"]))
    entry = AuditEntry.objects.filter(event="data.read").latest("id")
    assert entry.target == PATH and entry.details["records"] == 3


def test_a_private_videos_metadata_is_never_shown_nor_searched(moderation_script):
    script = moderation_script
    Video.objects.filter(platform_id=100).update(status="private")
    (decision,) = decisions(script, cond("appeal_outcome", ["REVERSED"]))
    assert decision["video_description"] is None and decision["video_hashtag_names"] is None
    assert decisions(script, cond("keyword", ["great replacement"])) == []


def test_a_decision_on_a_comment_has_no_video_metadata(moderation_script):
    (decision,) = decisions(moderation_script, cond("detection_method", ["CLASSIFIER"]))
    assert decision["video_hashtag_names"] is None and decision["video_create_time"] is None
