"""Data migrations that keep what users hold working across an upgrade."""

import importlib
from datetime import timedelta

import pytest
from django.apps import apps
from django.utils import timezone

from research.models import Search
from research.paging import fingerprint

pytestmark = pytest.mark.django_db

rename = importlib.import_module("research.migrations.0003_search_endpoints_are_listing_paths")


def test_searches_begun_before_the_upgrade_keep_their_pages(script):
    now = timezone.now()
    params = {"video_id": 42}
    search = Search.objects.create(
        project=script.project,
        endpoint="comment_list",
        fingerprint=fingerprint("comment_list", params),
        params=params,
        snapshot_at=now,
        created_at=now,
        expires_at=now + timedelta(hours=24),
    )
    rename.forwards(apps, None)
    search.refresh_from_db()
    assert search.endpoint == "video/comment/list"
    assert search.fingerprint == fingerprint("video/comment/list", params)  # found again
