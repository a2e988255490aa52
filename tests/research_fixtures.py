"""A small platform with known answers, and projects that query it."""

import json
from datetime import UTC, datetime

import orjson
import pytest
from django.test import Client

from accounts.keys import project_key
from ingestion.service import ingest
from research.pseudonyms import Pseudonyms
from tests import records as r
from tests.conftest import bearer, get_token, provision

DAY = 86_400
T = 1_780_000_000  # 2026-05-28


def study_records() -> list[dict]:
    """Creators 1-4 (1 mentions 2), videos with every query field varied, a thread of 150
    comments on video 100, 130 followers of creator 1, likes, a repost and a pin."""
    creators = [
        r.creator(1, "alpha.one", bio="hi @beta.two"),
        r.creator(2, "beta.two"),
        r.creator(3, "gamma.three", region_code="FR"),
        r.creator(4, "delta.four"),
    ]
    creators += [r.creator(1000 + i, f"fan{i}") for i in range(130)]
    videos = [
        r.video(
            100,
            1,
            create_time=T,
            description="the great replacement is a lie @beta.two",
            hashtag_names=["news", "fyp"],
            region_code="DE",
            duration=10,
            music_id=555,
            effect_ids=[7],
            playlist_id=31,
        ),
        r.video(
            101,
            1,
            create_time=T + DAY,
            description="cooking pasta",
            voice_to_text="caliphate talk in the transcript",
            hashtag_names=["food"],
            playlist_id=31,
            region_code="DE",
            duration=40,
        ),
        r.video(
            102,
            2,
            create_time=T + 2 * DAY,
            description="dance challenge",
            hashtag_names=["fyp", "dance"],
            region_code="US",
            duration=200,
            music_id=556,
        ),
        r.video(
            103,
            3,
            create_time=T + 3 * DAY,
            description="paris by night",
            hashtag_names=["travel"],
            region_code="FR",
            duration=400,
            effect_ids=[7, 8],
        ),
        r.video(
            104,
            2,
            create_time=T + 4 * DAY,
            description="removed video #fyp",
            hashtag_names=["fyp"],
            status="removed",
        ),
        r.video(
            105, 4, create_time=T - 400 * DAY, description="very old #fyp", hashtag_names=["fyp"]
        ),
    ]
    comments = [
        r.comment(5000 + i, 100, 2, text=f"comment {i}", create_time=T + 60 + i) for i in range(150)
    ]
    comments.append(
        r.comment(6000, 100, 3, text="a reply", parent_comment_id=5000, create_time=T + 10_000)
    )
    follows = [r.follow(1000 + i, 1, created_at=T + i) for i in range(130)]
    follows += [r.follow(1, 2, created_at=T), r.follow(1, 3, created_at=T + 5)]
    engagements = [
        r.engagement("like", 1, 102, created_at=T + 3 * DAY),
        r.engagement("like", 1, 103, created_at=T + 4 * DAY),
        r.engagement("repost", 1, 103, created_at=T + 4 * DAY),
        r.engagement("pin", 1, 100, created_at=T + DAY),
    ]
    decisions = [
        # The removed video: found by hash matching before anyone saw it.
        r.decision(
            9001,
            104,
            content_created_at=iso(T + 4 * DAY),
            first_detected_at=iso(T + 4 * DAY + 5),
            actioned_at=iso(T + 4 * DAY + 6),
            views_at_action=0,
        ),
        # A public video labelled after a user report, appealed and reversed.
        r.decision(
            9002,
            100,
            decision_visibility="CONTENT_LABELLED",
            category="ILLEGAL_OR_HARMFUL_SPEECH",
            category_keywords=["HATE_SPEECH"],
            policy="hate_speech",
            sub_policy="hateful_ideologies",
            source_type="SOURCE_ARTICLE_16",
            detection_method="USER_REPORT",
            automated_detection=False,
            automated_decision="NOT_AUTOMATED",
            content_created_at=iso(T),
            first_detected_at=iso(T + 3600),
            first_reported_at=iso(T + 3600),
            actioned_at=iso(T + 7200),
            views_at_action=5400,
            appeal={
                "filed_at": iso(T + 9000),
                "outcome": "REVERSED",
                "decided_at": iso(T + 20000),
            },
            reinstated_at=iso(T + 20000),
        ),
        # A comment removed by a classifier.
        {
            key: value
            for key, value in r.decision(
                9003,
                None,
                target_type="comment",
                comment_id=6000,
                detection_method="CLASSIFIER",
                content_created_at=iso(T + 10_000),
                first_detected_at=iso(T + 10_100),
                actioned_at=iso(T + 10_200),
                views_at_action=0,
            ).items()
            if key != "video_id"
        },
    ]
    return creators + videos + comments + follows + engagements + decisions


def iso(unix_seconds: int) -> str:
    return datetime.fromtimestamp(unix_seconds, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def load(tmp_path, records: list[dict], name: str = "study.jsonl"):
    path = tmp_path / name
    path.write_bytes(b"\n".join(orjson.dumps(record) for record in records) + b"\n")
    return ingest([path])


class Researcher:
    """A project's script: a token, and helpers that speak the API."""

    def __init__(self, project, key, secret):
        self.project = project
        self.client = Client()
        response = get_token(self.client, key, secret)
        assert response.status_code == 200, response.content
        self.token = response.json()["access_token"]
        self.pseudonyms = Pseudonyms(project_key(project.pseudonym_key))

    def reload_key(self):
        """After the project's key was rotated, decode with the new one."""
        self.project.pseudonym_key.refresh_from_db()
        self.pseudonyms = Pseudonyms(project_key(self.project.pseudonym_key))

    def post(self, path: str, body, fields: str | None = None, **headers):
        url = f"/v2/research/{path}/" + (f"?fields={fields}" if fields else "")
        # The standard library encodes anything JSON can say (orjson refuses huge integers).
        payload = body if isinstance(body, str | bytes) else json.dumps(body)
        return self.client.post(
            url, payload, content_type="application/json", **bearer(self.token), **headers
        )

    def video_id(self, internal: int) -> int:
        return self.pseudonyms.encode("video", [internal])[0]

    def username(self, internal: int) -> str:
        return self.pseudonyms.usernames([internal])[0]

    def internal_videos(self, items) -> list[int]:
        return self.pseudonyms.decode("video", [item["id"] for item in items])


def internal_id(model, platform_id: int) -> int:
    return model.objects.get(platform_id=platform_id).id


@pytest.fixture
def study(db, tmp_path):
    load(tmp_path, study_records())


@pytest.fixture
def script(study):
    return Researcher(*provision(owner_email="pi@uni.example", scopes=("research.data.basic",)))


@pytest.fixture
def moderation_script(study):
    """A project granted row-level moderation decisions as well."""
    return Researcher(
        *provision(
            owner_email="mod@uni.example",
            scopes=("research.data.basic", "research.data.moderation"),
        )
    )


@pytest.fixture
def other_script(study):
    return Researcher(*provision(owner_email="other@uni.example", scopes=("research.data.basic",)))


def query(*conditions, kind="and", start="20260101", end="20261231", **extra) -> dict:
    return {"query": {kind: list(conditions)}, "start_date": start, "end_date": end, **extra}


def cond(field, values, operation="IN") -> dict:
    return {"operation": operation, "field_name": field, "field_values": values}
