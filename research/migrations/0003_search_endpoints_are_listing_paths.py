"""Searches are now stored under their listing's path ("video/query", not "video_query"), and
the endpoint is part of a search's fingerprint: searches begun before the upgrade keep working
for the rest of their 24 hours instead of answering "search_id unknown" one page later."""

import hashlib

import orjson
from django.db import migrations

RENAMED = {"video_query": "video/query", "comment_list": "video/comment/list"}


def _fingerprint(endpoint: str, params: dict) -> str:  # research.paging.fingerprint, as of now
    canonical = orjson.dumps(
        {"endpoint": endpoint, "params": params},
        option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS,
    )
    return hashlib.sha256(canonical).hexdigest()


def forwards(apps, schema_editor):
    Search = apps.get_model("research", "Search")
    for old, new in RENAMED.items():
        for search in Search.objects.filter(endpoint=old).iterator():
            search.endpoint = new
            search.fingerprint = _fingerprint(new, search.params)
            search.save(update_fields=["endpoint", "fingerprint"])


def backwards(apps, schema_editor):
    Search = apps.get_model("research", "Search")
    for old, new in RENAMED.items():
        for search in Search.objects.filter(endpoint=new).iterator():
            search.endpoint = old
            search.fingerprint = _fingerprint(old, search.params)
            search.save(update_fields=["endpoint", "fingerprint"])


def drop_stale_content_type(apps, schema_editor):
    """The key model left this app (0002): its content type and permissions go with it."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="research", model="pseudonymkey").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("research", "0002_pseudonymkey_moves_to_accounts"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
        migrations.RunPython(drop_stale_content_type, migrations.RunPython.noop),
    ]
