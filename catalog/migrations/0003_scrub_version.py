"""Record the scrubber version of stored texts (catalog/scrub.py, `manage.py rescrub`).

Rows stored before this migration were scrubbed by version 1; the column is added with
that default (no table rewrite on PostgreSQL), then the default becomes the current version
for rows written from now on. On SQLite both steps (and removing the columns, backwards)
rebuild the tables, which drops the full-text triggers of catalog_video: they are installed
again (see catalog/fulltext.py).
"""

from django.db import migrations, models

from catalog.migrations._scrub_version import reinstall_sqlite_fulltext

MODELS = ("creator", "video", "comment")


class Migration(migrations.Migration):
    dependencies = [("catalog", "0002_fulltext")]
    operations = [
        # Backwards, operations run last to first: this one reinstalls the triggers that
        # removing the columns dropped.
        migrations.RunPython(migrations.RunPython.noop, reinstall_sqlite_fulltext, elidable=False),
        *(
            migrations.AddField(
                model_name=name,
                name="scrub_version",
                field=models.PositiveSmallIntegerField(db_default=1),
            )
            for name in MODELS
        ),
        *(
            migrations.AlterField(
                model_name=name,
                name="scrub_version",
                field=models.PositiveSmallIntegerField(db_default=2),
            )
            for name in MODELS
        ),
        migrations.RunPython(reinstall_sqlite_fulltext, reinstall_sqlite_fulltext, elidable=False),
    ]
