"""Scrubber version 4 (catalog/scrub.py): rows written from now on record it; `manage.py
rescrub` brings rows of versions 1 to 3 up to it. On SQLite, changing the default rebuilds
the tables, which drops the full-text triggers of catalog_video: they are installed again."""

from django.db import migrations, models

from catalog.migrations import _scrub_version

MODELS = ("creator", "video", "comment")


class Migration(migrations.Migration):
    dependencies = [("catalog", "0004_scrub_version_3")]
    operations = [
        migrations.RunPython(
            migrations.RunPython.noop, _scrub_version.reinstall_sqlite_fulltext, elidable=False
        ),
        *(
            migrations.AlterField(
                model_name=name,
                name="scrub_version",
                field=models.PositiveSmallIntegerField(db_default=4),
            )
            for name in MODELS
        ),
        migrations.RunPython(
            _scrub_version.reinstall_sqlite_fulltext,
            _scrub_version.reinstall_sqlite_fulltext,
            elidable=False,
        ),
    ]
