"""What the scrub-version migrations share: on SQLite, altering a column rebuilds its table,
which drops the full-text triggers of catalog_video (catalog/fulltext.py)."""

from catalog import fulltext


def reinstall_sqlite_fulltext(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        fulltext.uninstall(schema_editor)
        fulltext.install(schema_editor)
