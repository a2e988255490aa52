"""Deletion compliance: the deletions feed, TikTok's batch validation, and the sync each
project owes (warned when overdue, then paused until it syncs)."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from accounts.models import Project
from audit.models import AuditEntry
from catalog.models import Comment, Creator, Video
from tests import records as r
from tests.conftest import bearer, provision
from tests.research_fixtures import Researcher, cond, internal_id, load, query

SCOPES = ("research.data.basic", "research.compliance")


@pytest.fixture
def credentials(study):
    return provision(owner_email="c@uni.example", scopes=SCOPES)


@pytest.fixture
def keeper(credentials):
    return Researcher(*credentials)


def feed(script, **params):
    response = script.client.get(
        "/v2/research/compliance/deletions/", params, **bearer(script.token)
    )
    assert response.status_code == 200, response.content
    return response.json()["data"]


def delete(tmp_path, *records, name="deletions.jsonl"):
    load(tmp_path, list(records), name)


class TestDeletionsFeed:
    def test_lists_deletions_since_a_date_in_the_readers_pseudonyms(self, keeper, tmp_path):
        video, comment = internal_id(Video, 103), internal_id(Comment, 5001)
        creator = internal_id(Creator, 4)
        delete(
            tmp_path,
            r.deletion("video", 103),
            r.deletion("comment", 5001),
            r.deletion("creator", 4),
        )
        data = feed(keeper, since="20240101")
        ids = {(d["entity"], d["id"]) for d in data["deletions"]}
        assert ids >= {
            ("video", keeper.video_id(video)),
            ("comment", keeper.pseudonyms.encode("comment", [comment])[0]),
            ("creator", keeper.username(creator)),
        }
        assert not data["has_more"]
        assert all(d["deleted_at"] and d["recorded_at"] for d in data["deletions"])

    def test_since_is_when_this_service_learned_of_it(self, keeper, tmp_path):
        delete(tmp_path, r.deletion("video", 103))
        later = int((timezone.now() + timedelta(minutes=1)).timestamp())
        assert feed(keeper, since=str(later))["deletions"] == []

    def test_pages_follow_each_other(self, keeper, tmp_path):
        delete(tmp_path, *[r.deletion("comment", 5000 + i) for i in range(30)])
        seen, cursor = [], 0
        while True:
            data = feed(keeper, since="20240101", max_count="7", cursor=str(cursor))
            seen += [d["id"] for d in data["deletions"]]
            if not data["has_more"]:
                break
            cursor = data["cursor"]
        assert len(seen) == len(set(seen)) >= 30

    def test_reading_it_to_its_end_is_a_sync(self, keeper, tmp_path):
        delete(tmp_path, *[r.deletion("comment", 5000 + i) for i in range(3)])
        feed(keeper, since="20240101", max_count="2")
        assert Project.objects.get(pk=keeper.project.pk).compliance_synced_at is None
        feed(keeper, since="20240101", max_count="10")
        assert Project.objects.get(pk=keeper.project.pk).compliance_synced_at is not None

    @pytest.mark.parametrize(
        ("params", "message"),
        [({}, "since"), ({"since": "2024-01-01"}, "since"), ({"since": "20241301"}, "calendar")],
    )
    def test_bad_parameters_are_named(self, keeper, params, message):
        response = keeper.client.get(
            "/v2/research/compliance/deletions/", params, **bearer(keeper.token)
        )
        assert response.status_code == 400 and message in response.json()["error"]["message"]

    def test_it_needs_the_compliance_scope(self, script):
        response = script.client.get(
            "/v2/research/compliance/deletions/", {"since": "20240101"}, **bearer(script.token)
        )
        assert response.status_code == 403


def upload(script, category: str, content: bytes):
    return script.client.post(
        "/v2/research/validation_task/create/",
        {"category": category, "file_data": SimpleUploadedFile("ids.txt", content)},
        **bearer(script.token),
    )


def status(script, task_id):
    return script.post("validation_task_status/get", {"task_id": task_id})


class TestBatchValidation:
    def test_tells_which_ids_are_still_available(self, keeper, tmp_path):
        public, removed = (
            keeper.video_id(internal_id(Video, 100)),
            keeper.video_id(internal_id(Video, 104)),
        )
        deleted = keeper.video_id(internal_id(Video, 103))
        delete(tmp_path, r.deletion("video", 103))
        forged = 424242
        response = upload(keeper, "video", f"{public}\n{removed},{deleted}\n{forged}\n".encode())
        assert response.status_code == 200, response.content
        task_id = response.json()["data"]["task_id"]
        result = status(keeper, task_id).json()["data"]
        assert result["status"] == "COMPLETED" and result["total_ids"] == 4
        assert result["valid_ids"] == [public]
        assert set(result["invalid_ids"]) == {removed, deleted, forged}
        assert Project.objects.get(pk=keeper.project.pk).compliance_synced_at is not None
        assert AuditEntry.objects.filter(event="compliance.validated").count() == 1

    def test_comments_too(self, keeper):
        comment = keeper.pseudonyms.encode("comment", [internal_id(Comment, 5000)])[0]
        task_id = upload(keeper, "comment", f"{comment}\n".encode()).json()["data"]["task_id"]
        assert status(keeper, task_id).json()["data"]["valid_ids"] == [comment]

    def test_another_projects_task_is_not_found(self, keeper, study):
        other = Researcher(*provision(owner_email="o@uni.example", scopes=SCOPES))
        task_id = upload(keeper, "video", b"1\n").json()["data"]["task_id"]
        assert status(other, task_id).status_code == 404
        assert status(keeper, task_id + 1).status_code == 404

    @pytest.mark.parametrize(
        ("category", "content", "message"),
        [
            ("playlist", b"1\n", "category must be video or comment"),
            ("video", b"12\nabc\n", "line 2: 'abc' is not an id"),
            ("video", b"", "holds no ids"),
            ("video", b"\xff\xfe", "UTF-8"),
            ("video", "\n".join(str(i) for i in range(1, 10_002)).encode(), "at most 10,000"),
        ],
    )
    def test_bad_files_are_refused(self, keeper, category, content, message):
        response = upload(keeper, category, content)
        assert response.status_code == 400
        assert message in response.json()["error"]["message"]


class TestOverdueSync:
    def test_warned_then_paused_until_it_syncs(
        self, credentials, settings, django_capture_on_commit_callbacks
    ):
        project, key, secret = credentials
        settings.RESEARCH_API_COMPLIANCE_SYNC_DAYS = 15
        settings.RESEARCH_API_COMPLIANCE_GRACE_DAYS = 3
        start = timezone.now()
        with time_machine.travel(start + timedelta(days=14)):
            call_command("check_compliance")
            assert mail.outbox == []
        with (
            time_machine.travel(start + timedelta(days=16)),
            django_capture_on_commit_callbacks(execute=True),  # the e-mail goes on commit
        ):
            call_command("check_compliance")
            call_command("check_compliance")  # warned once per overdue sync
        assert len(mail.outbox) == 1 and "overdue" in mail.outbox[0].subject
        assert AuditEntry.objects.filter(event="compliance.overdue").count() == 1
        with time_machine.travel(start + timedelta(days=16)):
            script = Researcher(project, key, secret)
            assert script.post("video/query", query(cond("region_code", ["DE"]))).status_code == 200
        with time_machine.travel(start + timedelta(days=19)):
            script = Researcher(project, key, secret)  # its token from then
            paused = script.post("video/query", query(cond("region_code", ["DE"])))
            assert paused.status_code == 403
            assert paused.json()["error"]["code"] == "compliance_sync_overdue"
            feed(script, since="20240101")  # the feed stays open, and reading it is a sync
            assert script.post("video/query", query(cond("region_code", ["DE"]))).status_code == 200


def test_reviewers_see_a_projects_compliance_in_the_admin(credentials, reviewer, client):
    project, _, _ = credentials
    client.force_login(reviewer)
    page = client.get("/admin/accounts/project/").content.decode()
    assert "never synced; next due" in page
    with time_machine.travel(timezone.now() + timedelta(days=30)):
        client.force_login(reviewer)
        page = client.get(f"/admin/accounts/project/{project.id}/change/").content.decode()
    assert "PAUSED" in page
