import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from catalog import mentions
from catalog.models import (
    Comment,
    Creator,
    Engagement,
    Follow,
    IngestBatch,
    Video,
    VideoHashtag,
)
from compliance.models import Tombstone
from moderation.models import Decision
from tests import records as r

pytestmark = pytest.mark.django_db


def ingest(*paths, max_errors=50):
    out, err = StringIO(), StringIO()
    try:
        call_command("ingest", *map(str, paths), max_errors=max_errors, stdout=out, stderr=err)
    except CommandError as exc:
        return False, out.getvalue(), err.getvalue() + str(exc)
    return True, out.getvalue(), err.getvalue()


def snapshot():
    """Everything ingestion can change, to prove a failed batch changed nothing."""
    return {
        model.__name__: sorted(map(repr, model.objects.values_list()))
        for model in (
            Creator,
            Video,
            Comment,
            Follow,
            Engagement,
            Decision,
            Tombstone,
            VideoHashtag,
        )
    }


def test_ingest_builds_the_catalogue(jsonl):
    ok, out, _ = ingest(jsonl(r.small_platform()))
    assert ok
    assert "video       1 created" in out
    video = Video.objects.get(platform_id=5001)
    assert video.creator.platform_id == 101
    assert video.hashtag_names == ["fyp", "travel"]
    assert sorted(video.hashtags.values_list("name", flat=True)) == ["fyp", "travel"]
    assert video.effects.get().effect_id == 77
    reply = Comment.objects.get(platform_id=9002)
    assert reply.parent.platform_id == 9001
    assert Follow.objects.get().followee.username == "anna_b"
    decision = Decision.objects.get()
    assert decision.video == video and decision.creator == video.creator
    assert decision.is_proactive
    assert IngestBatch.objects.get().counts["video"] == {"created": 1, "updated": 0, "unchanged": 0}


def test_reingesting_the_same_file_changes_nothing(jsonl):
    path = jsonl(r.small_platform())
    assert ingest(path)[0]
    before = snapshot()
    ok, out, _ = ingest(path)
    assert ok
    assert snapshot() == before
    assert "0 created" in out and "0 updated" in out and " 0 removed" in out


def test_a_changed_record_updates_only_that_item(jsonl):
    assert ingest(jsonl(r.small_platform()))[0]
    untouched = Creator.objects.get(platform_id=102).updated_at
    ok, out, _ = ingest(
        jsonl([r.creator(101, "jake.films", follower_count=99), r.creator(102, "anna_b")])
    )
    assert ok
    assert "1 unchanged, 1 updated" in out
    assert Creator.objects.get(platform_id=101).follower_count == 99
    assert Creator.objects.get(platform_id=102).updated_at == untouched


def test_texts_are_scrubbed_and_mentions_point_at_creators(jsonl):
    assert ingest(jsonl(r.small_platform()))[0]
    anna = Creator.objects.get(username="anna_b")
    video = Video.objects.get(platform_id=5001)
    assert "+49" not in video.description and "[PHONE]" in video.description
    assert mentions.referenced_ids(video.description) == [anna.id]
    assert mentions.referenced_ids(Comment.objects.get(platform_id=9002).text) == [anna.id]
    bio = Creator.objects.get(username="jake.films").bio
    assert "[EMAIL]" in bio and mentions.referenced_ids(bio) == [anna.id]


def test_phone_numbers_are_read_in_the_region_of_their_video(jsonl):
    """A Brazilian mobile written as one run of digits is a phone under a video from Brazil
    (libphonenumber knows the block), in the video's comments and in a Brazilian bio; the
    same digits under a German video are some other number."""
    number = "manda msg 11987654321 agora"
    assert ingest(
        jsonl(
            [
                r.creator(1, "bia", region_code="BR", bio=number),
                r.video(11, 1, region_code="BR", description=number),
                r.video(12, 1, region_code="DE", description=number),
                r.comment(21, 11, 1, text=number),
                r.comment(22, 12, 1, text=number),
            ]
        )
    )[0]
    assert Creator.objects.get(platform_id=1).bio == "manda msg [PHONE] agora"
    assert Video.objects.get(platform_id=11).description == "manda msg [PHONE] agora"
    assert Comment.objects.get(platform_id=21).text == "manda msg [PHONE] agora"
    assert Video.objects.get(platform_id=12).description == number
    assert Comment.objects.get(platform_id=22).text == number


def test_mentions_resolve_to_creators_ingested_later_in_the_same_batch(jsonl):
    ok, _, _ = ingest(jsonl([r.creator(1, "first", bio="I love @second"), r.creator(2, "second")]))
    assert ok
    second = Creator.objects.get(username="second")
    assert mentions.referenced_ids(Creator.objects.get(username="first").bio) == [second.id]


def test_counts_are_64_bit(jsonl):
    big = 2**63 - 1
    assert ingest(jsonl([r.creator(1), r.video(2, 1, view_count=big, like_count=2**40)]))[0]
    assert Video.objects.get().view_count == big
    ok, _, err = ingest(jsonl([r.creator(1), r.video(3, 1, view_count=2**63)]))
    assert not ok and ":2: view_count: Input should be less than or equal to" in err


def test_gzip_exports_are_read(jsonl):
    assert ingest(jsonl(r.small_platform(), compress=True))[0]
    assert Video.objects.count() == 1


BAD_LINES = [
    ('{"type": "video", "id": 6002', "not valid JSON"),
    (
        r.video(6003, 101, duration="30"),
        "duration: Input should be a valid integer (got string '30')",
    ),
    (
        {k: v for k, v in r.video(6004, 101).items() if k != "create_time"},
        "create_time: required field is missing",
    ),
    ({"type": "vidoe", "id": 1}, "type: unknown record type 'vidoe'"),
    ({"id": 1}, "type: required field is missing"),
    (r.creator(101, "someone.else"), "id: duplicate of the creator 101 at "),
    (
        r.video(6005, 101, create_time="2024-05-01T12:00:00"),
        "create_time: '2024-05-01T12:00:00' has no time zone",
    ),
    (r.video(6006, 101, region_code="de"), "region_code: String should match pattern"),
    (r.video(6007, 101, colour="red"), "colour: unknown field"),
    (r.comment(9100, 777, 101), "video_id: no video with id 777 in this batch or the catalogue"),
    (r.follow(101, 101), "followee_id: an account cannot follow itself"),
    (
        r.decision(7, 5001, detection_method="USER_REPORT"),
        "automated_detection: must be false for detection_method USER_REPORT",
    ),
    (r.decision(8, 5001, policy="nope"), "policy: no policy with code 'nope'"),
    ("[1, 2]", "a record must be a JSON object"),
]


@pytest.mark.parametrize(("line", "message"), BAD_LINES, ids=[m for _, m in BAD_LINES])
def test_a_bad_record_is_reported_by_file_line_and_field_and_nothing_is_applied(
    jsonl, line, message
):
    batch = [r.creator(101), r.video(5001, 101), line]
    path = jsonl(batch)
    before = snapshot()
    ok, _, err = ingest(path)
    assert not ok
    assert f"{path}:3: {message}" in err
    assert "nothing was applied" in err
    assert snapshot() == before


def test_every_problem_of_a_batch_is_listed_up_to_the_limit(jsonl):
    path = jsonl([r.creator(1)] + [r.video(100 + i, 1, duration=-1) for i in range(10)])
    ok, _, err = ingest(path, max_errors=3)
    assert not ok
    assert err.count("duration: Input should be greater than or equal to 0") == 3
    assert "... and 7 more" in err and "10 problem(s) found" in err


def test_invalid_utf8_and_missing_files_are_reported(jsonl, tmp_path):
    path = tmp_path / "binary.jsonl"
    path.write_bytes(b"\xff\xfe\n")
    ok, _, err = ingest(path, tmp_path / "missing.jsonl")
    assert not ok
    assert f"{path}:1: not valid UTF-8" in err
    assert f"{tmp_path / 'missing.jsonl'}: cannot read: No such file or directory" in err


def test_a_good_file_is_not_applied_when_another_file_of_the_batch_is_bad(jsonl):
    good = jsonl(r.small_platform())
    bad = jsonl(['{"type": "creator"'])
    assert not ingest(good, bad)[0]
    assert not Creator.objects.exists()


def test_username_of_another_stored_creator_is_refused(jsonl):
    assert ingest(jsonl([r.creator(1, "taken")]))[0]
    ok, _, err = ingest(jsonl([r.creator(2, "taken")]))
    assert not ok and "username: 'taken' belongs to creator 1" in err


def test_deleting_a_video_erases_it_cascades_to_comments_and_leaves_tombstones(jsonl):
    assert ingest(jsonl(r.small_platform()))[0]
    ok, _, _ = ingest(jsonl([r.deletion("video", 5001)]))
    assert ok
    video = Video.objects.get(platform_id=5001)
    assert (video.status, video.description, video.hashtag_names) == ("deleted", "", [])
    assert not video.hashtags.exists()
    assert set(Comment.objects.values_list("status", "text")) == {("deleted", "")}
    assert sorted(Tombstone.objects.values_list("entity", "platform_id")) == [
        ("comment", 9001),
        ("comment", 9002),
        ("video", 5001),
    ]
    assert Decision.objects.filter(video=video).exists()  # the platform's action stays on record


def test_reingesting_a_deleted_item_does_not_bring_it_back(jsonl):
    platform = r.small_platform()
    assert ingest(jsonl(platform))[0]
    assert ingest(jsonl([r.deletion("video", 5001)]))[0]
    assert ingest(jsonl(platform))[0]
    video = Video.objects.get(platform_id=5001)
    assert video.status == "deleted" and video.description == ""


def test_deleting_an_account_takes_its_content_and_edges(jsonl):
    assert ingest(jsonl(r.small_platform()))[0]
    assert ingest(jsonl([r.deletion("creator", 101)]))[0]
    jake = Creator.objects.get(platform_id=101)
    assert jake.status == "deleted" and jake.bio == "" and jake.username == "deleted.101"
    assert Video.objects.get(platform_id=5001).status == "deleted"
    assert not Follow.objects.exists()
    assert Tombstone.objects.filter(entity="creator", platform_id=101).exists()


def test_deletion_of_an_unknown_item_is_counted_not_failed(jsonl):
    ok, out, _ = ingest(jsonl([r.deletion("video", 424242)]))
    assert ok and "1 unknown" in out
    assert not Tombstone.objects.exists()


def test_removed_edges_are_deleted(jsonl):
    assert ingest(jsonl(r.small_platform()))[0]
    ok, _, _ = ingest(
        jsonl([r.follow(101, 102, removed=True), r.engagement("like", 102, 5001, removed=True)])
    )
    assert ok
    assert not Follow.objects.exists() and not Engagement.objects.exists()


def test_decision_appeal_and_reinstatement_are_stored(jsonl):
    appeal = {
        "filed_at": "2024-05-02T00:00:00Z",
        "outcome": "REVERSED",
        "decided_at": "2024-05-03T00:00:00Z",
    }
    assert ingest(
        jsonl(
            [
                *r.small_platform()[:3],
                r.decision(2, 5001, appeal=appeal, reinstated_at="2024-05-03T01:00:00Z"),
            ]
        )
    )[0]
    decision = Decision.objects.get(platform_id=2)
    assert decision.appeal_outcome == "REVERSED" and decision.reinstated_at is not None


def test_command_line_exits_non_zero_on_a_bad_file(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"type": "creator", "id": "x"}\n')
    env = {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}",
        "DJANGO_DEBUG": "true",
        "RESEARCH_API_VAR_DIR": str(tmp_path),
        "PATH": "/usr/bin:/bin",
    }
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], env=env, check=True)
    result = subprocess.run(
        [sys.executable, "manage.py", "ingest", str(bad)], env=env, capture_output=True, text=True
    )
    assert result.returncode == 1
    assert f"{bad}:1: id: Input should be a valid integer (got string 'x')" in result.stderr
    assert f"{bad}:1: username: required field is missing" in result.stderr
