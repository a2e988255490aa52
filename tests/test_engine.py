"""The shared request path without HTTP: a background reader (an export) streams any listing
through the same SQL and rendering as the endpoint's pages."""

import pytest
from django.utils import timezone

from catalog.models import Creator, Video
from research import engine
from research.listings import BY_PATH
from tests.research_fixtures import cond, internal_id, query


def _stream(script, path: str, body: dict, batch: int) -> list[dict]:
    listing = BY_PATH[path]
    request = engine.validated(listing.request, body)
    params = listing.source.search_params(request, script.pseudonyms)
    fields = engine.chosen_fields(listing, None)
    batches = list(
        engine.stream(
            listing, script.pseudonyms, params, fields, snapshot=timezone.now(), batch=batch
        )
    )
    assert all(0 < len(b) <= batch for b in batches)
    return [item for b in batches for item in b]


def _pages(script, path: str, body: dict, key: str) -> list[dict]:
    items, cursor, extra = [], 0, {}
    while True:
        data = script.post(path, {**body, **extra, "cursor": cursor, "max_count": 2}).json()
        items += data["data"][key]
        if not data["data"]["has_more"]:
            return items
        cursor = data["data"]["cursor"]
        if "search_id" in data["data"]:
            extra = {"search_id": data["data"]["search_id"]}


@pytest.mark.parametrize(
    ("path", "body", "key"),
    [
        ("video/query", query(cond("region_code", ["DE", "US", "FR"])), "videos"),
        ("user/followers", {"username": None}, "user_followers"),
    ],
)
def test_a_stream_reads_what_the_pages_read(script, path, body, key):
    if "username" in body:
        body = {"username": script.username(internal_id(Creator, 1))}
    streamed = _stream(script, path, body, batch=7)
    paged = _pages(script, path, body, key)
    assert len(streamed) == len(paged) > 3
    assert [item["username"] for item in streamed] == [item["username"] for item in paged]


def test_a_stream_renders_with_the_projects_pseudonyms_and_real_lists(script):
    (video,) = [
        v for v in _stream(script, "video/query", query(cond("hashtag_name", ["news"])), batch=100)
    ]
    assert script.pseudonyms.decode("video", [video["id"]]) == [internal_id(Video, 100)]
    assert video["hashtag_names"] == ["news", "fyp"]  # a list, not JSON text
