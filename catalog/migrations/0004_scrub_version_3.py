"""Scrubber version 3 (catalog/scrub.py): rows written from now on record it; `manage.py
rescrub` brings rows of versions 1 and 2 up to it. On SQLite, changing the default rebuilds
the tables, which drops the full-text triggers of catalog_video: they are installed again."""

from django.db import migrations, models

from catalog.migrations import _scrub_version

MODELS = ("creator", "video", "comment")


class Migration(migrations.Migration):
    dependencies = [("catalog", "0003_scrub_version")]
    operations = [
        migrations.RunPython(
            migrations.RunPython.noop, _scrub_version.reinstall_sqlite_fulltext, elidable=False
        ),
        *(
            migrations.AlterField(
                model_name=name,
                name="scrub_version",
                field=models.PositiveSmallIntegerField(db_default=3),
            )
            for name in MODELS
        ),
        migrations.RunPython(
            _scrub_version.reinstall_sqlite_fulltext,
            _scrub_version.reinstall_sqlite_fulltext,
            elidable=False,
        ),
    ]
