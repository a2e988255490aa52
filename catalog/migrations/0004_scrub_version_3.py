"""Scrubber version 3 (catalog/scrub.py): rows written from now on record it; `manage.py
rescrub` brings rows of versions 1 and 2 up to it. On SQLite, changing the default rebuilds
the tables, which drops the full-text triggers of catalog_video: they are installed again."""

from django.db import migrations

from catalog.migrations import _scrub_version


class Migration(migrations.Migration):
    dependencies = [("catalog", "0003_scrub_version")]
    operations = _scrub_version.move_default(3)
