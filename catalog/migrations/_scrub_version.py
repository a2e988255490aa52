"""What the scrub-version migrations share: on SQLite, altering a column rebuilds its table,
which drops the full-text triggers of catalog_video (catalog/fulltext.py)."""

from catalog import fulltext


def reinstall_sqlite_fulltext(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        fulltext.uninstall(schema_editor)
        fulltext.install(schema_editor)


def move_default(version: int) -> list:
    """The operations that make `version` the stored default of every scrubbed table, with
    the full-text triggers put back on SQLite either way."""
    from django.db import migrations, models

    return [
        migrations.RunPython(migrations.RunPython.noop, reinstall_sqlite_fulltext, elidable=False),
        *(
            migrations.AlterField(
                model_name=name,
                name="scrub_version",
                field=models.PositiveSmallIntegerField(db_default=version),
            )
            for name in ("creator", "video", "comment")
        ),
        migrations.RunPython(reinstall_sqlite_fulltext, reinstall_sqlite_fulltext, elidable=False),
    ]
