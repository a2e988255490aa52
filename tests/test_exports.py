"""Exports through HTTP, as a researcher runs them: created at once, written in the
background (the embedded default here: a thread of the server process), downloaded through
signed links and read back with pyarrow, csv and orjson."""

import csv
import hashlib
import io
import time
from datetime import timedelta

import orjson
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from audit.models import AuditEntry
from catalog.models import Comment, Creator, Video
from exports import services
from exports.models import Export
from quotas.models import DailyUsage
from tests.conftest import provision
from tests.research_fixtures import Researcher, cond, internal_id, load, study_records

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

EVERY_REGION = {
    "query": {"and": [cond("region_code", ["DE", "US", "FR"])]},
    "start_date": "20260101",
    "end_date": "20261231",
}
SCOPES = ("research.data.basic", "research.data.moderation", "research.export")


@pytest.fixture
def exporter(tmp_path):
    load(tmp_path, study_records())
    return Researcher(*provision(owner_email="x@uni.example", scopes=SCOPES))


def create(script, **body) -> dict:
    response = script.post("export", {**EVERY_REGION, "resource": "videos", **body})
    assert response.status_code == 202, response.content
    return response.json()["data"]["export"]


def finished(script, export_id: str, seconds: float = 30) -> dict:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        export = script.client.get(
            f"/v2/research/export/{export_id}/", HTTP_AUTHORIZATION=f"Bearer {script.token}"
        ).json()["data"]["export"]
        if export["status"] not in ("queued", "running"):
            return export
        time.sleep(0.05)
    raise AssertionError(f"export {export_id} did not finish: {export}")


def fetch(script, url: str, **headers) -> bytes:
    response = script.client.get(url.removeprefix("http://testserver"), **headers)
    assert response.status_code in (200, 206), response.content[:300]
    return b"".join(response.streaming_content)


def used(project, family="videos") -> tuple[int, int]:
    row = DailyUsage.objects.filter(project=project, family=family).first()
    return (row.requests, row.records) if row else (0, 0)


def test_a_parquet_export_has_a_real_schema_and_the_projects_pseudonyms(exporter):
    export = finished(exporter, create(exporter, format="parquet")["id"])
    assert export["status"] == "succeeded" and export["rows_written"] == 4
    (file,) = export["files"]
    data = fetch(exporter, file["url"])
    assert len(data) == file["size"]

    assert hashlib.sha256(data).hexdigest() == file["sha256"]  # as the status says
    table = pq.read_table(io.BytesIO(data))
    assert table.schema.field("id").type == pa.int64()
    create_time = table.schema.field("create_time").type  # Parquet keeps it in milliseconds
    assert pa.types.is_timestamp(create_time) and create_time.tz == "UTC"
    assert table.schema.field("hashtag_names").type == pa.list_(pa.string())
    assert table.schema.field("is_stem_verified").type == pa.bool_()
    ids = exporter.internal_videos([{"id": i} for i in table.column("id").to_pylist()])
    assert sorted(ids) == sorted(internal_id(Video, n) for n in (100, 101, 102, 103))
    assert set(table.column("username").to_pylist()) >= {exporter.username(internal_id(Creator, 1))}


@pytest.mark.parametrize("format", ["csv", "jsonl"])
def test_csv_and_json_lines_exports(exporter, format):
    export = finished(exporter, create(exporter, format=format, fields="id,hashtag_names")["id"])
    data = fetch(exporter, export["files"][0]["url"])
    if format == "csv":
        rows = list(csv.DictReader(io.StringIO(data.decode())))
        assert list(rows[0]) == ["id", "hashtag_names"]
        hashtags = [orjson.loads(r["hashtag_names"]) for r in rows]
    else:
        rows = [orjson.loads(line) for line in data.splitlines()]
        hashtags = [r["hashtag_names"] for r in rows]
    assert len(rows) == 4 and ["news", "fyp"] in hashtags
    assert sorted(exporter.internal_videos([{"id": int(r["id"])} for r in rows])) == sorted(
        internal_id(Video, n) for n in (100, 101, 102, 103)
    )


@pytest.mark.parametrize(
    ("resource", "rows"),
    [("comments", 151), ("accounts", 3), ("follow_edges", 132), ("moderation_decisions", 3)],
)
def test_every_resource_can_be_exported(exporter, resource, rows):
    body = EVERY_REGION
    if resource == "moderation_decisions":
        body = {
            "query": {"and": [cond("market", ["DE"])]},
            "start_date": "20260101",
            "end_date": "20261231",
        }
    response = exporter.post("export", {**body, "resource": resource, "format": "jsonl"})
    assert response.status_code == 202, response.content
    export = finished(exporter, response.json()["data"]["export"]["id"])
    assert export["status"] == "succeeded", export
    assert export["rows_written"] == rows


def test_the_follow_graph_around_the_accounts_is_exported_with_both_ends(exporter):
    response = exporter.post(
        "export",
        {
            "query": {"and": [cond("username", [exporter.username(internal_id(Creator, 1))])]},
            "start_date": "20260101",
            "end_date": "20261231",
            "resource": "follow_edges",
            "format": "jsonl",
        },
    )
    export = finished(exporter, response.json()["data"]["export"]["id"])
    edges = [orjson.loads(line) for line in fetch(exporter, export["files"][0]["url"]).splitlines()]
    alpha = exporter.username(internal_id(Creator, 1))
    assert len(edges) == 132  # 130 followers, 2 followed
    assert sum(e["followee"] == alpha for e in edges) == 130
    assert sum(e["follower"] == alpha for e in edges) == 2


def test_records_are_reserved_then_settled_to_what_was_written(exporter):
    limit_records = exporter.project.daily_records
    export = create(exporter, format="jsonl")
    assert export["reserved_records"] == limit_records
    finished(exporter, export["id"])
    assert used(exporter.project) == (1, 4)  # one request, the four records written


def test_max_records_cuts_the_export_and_says_so(exporter):
    export = finished(exporter, create(exporter, format="jsonl", max_records=3)["id"])
    assert export["rows_written"] == 3 and export["truncated"] is True
    assert used(exporter.project) == (1, 3)


def test_a_cancelled_export_gives_its_reservation_back(exporter, monkeypatch):
    monkeypatch.setattr(services, "enqueue", lambda export_id: None)  # no worker picks it up
    export = create(exporter, format="csv")
    assert used(exporter.project) == (1, exporter.project.daily_records)
    response = exporter.post(f"export/{export['id']}/cancel", {})
    assert (
        response.status_code == 200 and response.json()["data"]["export"]["status"] == "cancelled"
    )
    assert used(exporter.project) == (0, 0)
    again = exporter.post(f"export/{export['id']}/cancel", {})
    assert again.status_code == 409


def test_a_failed_export_is_not_charged(exporter, monkeypatch):
    from exports import writers

    def broken(self, names, columns):
        raise OSError("disk full")

    monkeypatch.setattr(writers.JsonLinesWriter, "write", broken)
    export = finished(exporter, create(exporter, format="jsonl")["id"])
    assert export["status"] == "failed" and "not charged" in export["error"]
    assert export["files"] == [] and used(exporter.project) == (0, 0)


def test_the_number_of_exports_at_once_is_limited(exporter, monkeypatch, settings):
    settings.RESEARCH_API_EXPORTS_AT_ONCE = 1
    monkeypatch.setattr(services, "enqueue", lambda export_id: None)
    create(exporter, format="csv")
    response = exporter.post("export", {**EVERY_REGION, "resource": "videos", "format": "csv"})
    assert response.status_code == 429
    assert "the most it may run at once (1)" in response.json()["error"]["message"]


def test_another_projects_export_and_files_are_not_found(exporter, tmp_path):
    other = Researcher(*provision(owner_email="o@uni.example", scopes=SCOPES))
    export = finished(exporter, create(exporter, format="csv")["id"])
    for script in (other,):
        response = script.client.get(
            f"/v2/research/export/{export['id']}/", HTTP_AUTHORIZATION=f"Bearer {script.token}"
        )
        assert response.status_code == 404
        assert script.post(f"export/{export['id']}/cancel", {}).status_code == 404
        listed = script.client.get(
            "/v2/research/export/", HTTP_AUTHORIZATION=f"Bearer {script.token}"
        ).json()["data"]["exports"]
        assert listed == []
    unknown = exporter.client.get(
        "/v2/research/export/00000000-0000-0000-0000-000000000000/",
        HTTP_AUTHORIZATION=f"Bearer {exporter.token}",
    )
    assert unknown.status_code == 404


def test_an_altered_or_expired_link_is_refused(exporter):
    export = finished(exporter, create(exporter, format="csv")["id"])
    url = export["files"][0]["url"].removeprefix("http://testserver")
    assert exporter.client.get(url + "x").status_code == 404  # altered token
    other_name = url.replace("/videos.csv?", "/videos.parquet?")
    assert exporter.client.get(other_name).status_code == 404  # a link is for one file
    with time_machine.travel(timezone.now() + timedelta(hours=2)):
        expired = exporter.client.get(url)
    assert expired.status_code == 403 and "expired" in expired.json()["error"]["message"]


def test_downloads_answer_head_and_byte_ranges_and_are_audited(exporter):
    export = finished(exporter, create(exporter, format="parquet")["id"])
    file = export["files"][0]
    url = file["url"].removeprefix("http://testserver")
    head = exporter.client.head(url)
    assert head.status_code == 200 and head["Content-Length"] == str(file["size"])
    assert head["Accept-Ranges"] == "bytes"
    tail = exporter.client.get(url, HTTP_RANGE="bytes=-8")
    assert tail.status_code == 206 and b"".join(tail.streaming_content)[-4:] == b"PAR1"
    assert tail["Content-Range"] == f"bytes {file['size'] - 8}-{file['size'] - 1}/{file['size']}"
    downloads = AuditEntry.objects.filter(event="export.downloaded")
    assert downloads.count() == 1 and downloads.get().details["range"] == "bytes=-8"


def test_files_are_deleted_after_their_retention(exporter, settings):
    export = finished(exporter, create(exporter, format="csv")["id"])
    name = Export.objects.get(pk=export["id"]).files.get().storage_name
    assert services.storage().exists(name)
    later = timezone.now() + timedelta(days=settings.RESEARCH_API_EXPORT_RETENTION_DAYS, hours=1)
    with time_machine.travel(later):
        call_command("purge_exports")
    assert Export.objects.get(pk=export["id"]).status == "expired"
    assert not services.storage().exists(name)
    assert AuditEntry.objects.filter(event="export.expired").count() == 1


def test_exports_need_their_scopes(tmp_path):
    load(tmp_path, study_records())
    basic = Researcher(*provision(owner_email="b@uni.example", scopes=("research.data.basic",)))
    response = basic.post("export", {**EVERY_REGION, "resource": "videos", "format": "csv"})
    assert response.status_code == 403 and "research.export" in response.json()["error"]["message"]
    no_rows = Researcher(
        *provision(owner_email="e@uni.example", scopes=("research.data.basic", "research.export"))
    )
    response = no_rows.post(
        "export", {**EVERY_REGION, "resource": "moderation_decisions", "format": "csv"}
    )
    assert response.status_code == 403
    assert "research.data.moderation" in response.json()["error"]["message"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"format": "xlsx"}, "format"),
        ({"resource": "playlists"}, "resource"),
        ({"fields": "id,nope"}, "'nope' is not a field of videos"),
        ({"max_count": 5}, "max_count: unknown field"),
        ({"start_date": "2026"}, "start_date"),
        ({"query": {"and": [cond("hashtag", ["x"])]}}, "not a query field"),
    ],
)
def test_malformed_export_requests_name_what_is_wrong(exporter, change, message):
    response = exporter.post(
        "export", {**EVERY_REGION, "resource": "videos", "format": "csv", **change}
    )
    assert response.status_code == 400
    assert message in response.json()["error"]["message"]
    assert Export.objects.count() == 0 and used(exporter.project) == (0, 0)


def test_an_export_reads_the_catalogue_as_it_was_when_it_was_asked_for(
    exporter, tmp_path, monkeypatch
):
    monkeypatch.setattr(services, "enqueue", lambda export_id: None)
    export = create(exporter, format="jsonl")
    load(
        tmp_path,
        [
            dict(v, id=9999, creator_id=1)
            for v in study_records()
            if v.get("id") == 100 and v["type"] == "video"
        ],
        "late.jsonl",
    )
    services.run(Export.objects.get(pk=export["id"]).pk)
    assert finished(exporter, export["id"])["rows_written"] == 4  # not the late video
    assert Comment.objects.exists()


def test_the_export_answer_is_documented_field_by_field(exporter):
    from codebook import EXPORT
    from tests.test_codebook import _paths

    export = finished(exporter, create(exporter, format="csv")["id"])
    paths = {
        "export.query" if p.startswith("export.query.") else p for p in _paths({"export": export})
    }
    assert paths == {f.name for f in EXPORT.fields}
