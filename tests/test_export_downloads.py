"""Export files are read straight from their signed links by the tools researchers use:
pandas, polars and curl, against the service under gunicorn (exports in its embedded mode:
a thread of the server process)."""

import hashlib
import shutil
import subprocess
import time

import pandas
import polars
import pytest
import requests

from catalog.models import Video
from tests.conftest import provision
from tests.research_fixtures import Researcher, cond, internal_id, load, study_records
from tests.servers import gunicorn

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
SCOPES = ("research.data.basic", "research.export")


@pytest.fixture
def service():
    with gunicorn(workers=1, threads=4) as url:
        yield url


@pytest.fixture
def exported(service, tmp_path):
    """Finished exports of the study's videos in each format: {format: (file info, script)}."""
    load(tmp_path, study_records())
    script = Researcher(*provision(owner_email="d@uni.example", scopes=SCOPES))
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {script.token}"
    files = {}
    for format in ("parquet", "csv", "jsonl"):
        body = {
            "resource": "videos",
            "format": format,
            "fields": "id,create_time,view_count,hashtag_names",
            "query": {"and": [cond("region_code", ["DE", "US", "FR"])]},
            "start_date": "20260101",
            "end_date": "20261231",
        }
        export = session.post(f"{service}/v2/research/export/", json=body).json()
        url = f"{service}/v2/research/export/{export['data']['export']['id']}/"
        for _ in range(600):
            status = session.get(url).json()["data"]["export"]
            if status["status"] == "succeeded":
                break
            time.sleep(0.05)
        files[format] = status["files"][0]
    session.close()
    yield files, script


def expected_ids(script) -> set[int]:
    return set(
        script.pseudonyms.encode("video", [internal_id(Video, n) for n in (100, 101, 102, 103)])
    )


def test_pandas_reads_parquet_and_csv_by_url(exported):
    files, script = exported
    frame = pandas.read_parquet(files["parquet"]["url"])
    assert set(frame["id"]) == expected_ids(script)
    assert str(frame["create_time"].dtype).startswith("datetime64") and "UTC" in str(
        frame["create_time"].dtype
    )
    assert frame["view_count"].dtype == "int64"
    table = pandas.read_csv(files["csv"]["url"])
    assert set(table["id"]) == expected_ids(script)


def test_polars_reads_parquet_and_json_lines_by_url(exported):
    files, script = exported
    frame = polars.read_parquet(files["parquet"]["url"])
    assert set(frame["id"].to_list()) == expected_ids(script)
    assert frame.schema["hashtag_names"] == polars.List(polars.String)
    lines = polars.read_ndjson(files["jsonl"]["url"])
    assert set(lines["id"].to_list()) == expected_ids(script)


@pytest.mark.skipif(shutil.which("curl") is None, reason="needs curl")
def test_curl_downloads_a_file_whose_checksum_matches(exported, tmp_path):
    files, _ = exported
    target = tmp_path / "videos.parquet"
    curl = shutil.which("curl")
    subprocess.run([curl, "-sSf", "-o", str(target), files["parquet"]["url"]], check=True)
    assert hashlib.sha256(target.read_bytes()).hexdigest() == files["parquet"]["sha256"]
