"""Full-text search over video descriptions and transcripts, on PostgreSQL and SQLite.

PostgreSQL: a stored generated `tsvector` column with a GIN index ('simple' configuration:
lower-cased words, no stemming, because the catalogue is multilingual and researchers search
for exact terms). SQLite: an FTS5 external-content table kept in step by triggers.

The video query searches them (research.sources.videos). Both tokenizers treat the
private-use characters that encode @mention references (see catalog/mentions.py) as
separators, so internal ids inside texts are never searchable.

Caution for future migrations: Django rebuilds SQLite tables for many ALTERs, which drops
triggers; such a migration must call `install_sqlite` again.
"""

from catalog.mentions import RESERVED_CHARACTERS

SQLITE_TABLE = "catalog_video_fts"
_SQLITE_SEPARATORS = "".join(RESERVED_CHARACTERS)

_SQLITE_INSTALL = [
    f"""CREATE VIRTUAL TABLE {SQLITE_TABLE} USING fts5(
        description, voice_to_text, content='catalog_video', content_rowid='id',
        tokenize="unicode61 remove_diacritics 0 separators '{_SQLITE_SEPARATORS}'")""",
    f"""CREATE TRIGGER catalog_video_fts_ai AFTER INSERT ON catalog_video BEGIN
        INSERT INTO {SQLITE_TABLE}(rowid, description, voice_to_text)
        VALUES (new.id, new.description, new.voice_to_text);
    END""",
    f"""CREATE TRIGGER catalog_video_fts_ad AFTER DELETE ON catalog_video BEGIN
        INSERT INTO {SQLITE_TABLE}({SQLITE_TABLE}, rowid, description, voice_to_text)
        VALUES ('delete', old.id, old.description, old.voice_to_text);
    END""",
    f"""CREATE TRIGGER catalog_video_fts_au AFTER UPDATE OF description, voice_to_text
        ON catalog_video BEGIN
        INSERT INTO {SQLITE_TABLE}({SQLITE_TABLE}, rowid, description, voice_to_text)
        VALUES ('delete', old.id, old.description, old.voice_to_text);
        INSERT INTO {SQLITE_TABLE}(rowid, description, voice_to_text)
        VALUES (new.id, new.description, new.voice_to_text);
    END""",
    f"INSERT INTO {SQLITE_TABLE}({SQLITE_TABLE}) VALUES ('rebuild')",
]
_SQLITE_UNINSTALL = [
    "DROP TRIGGER IF EXISTS catalog_video_fts_ai",
    "DROP TRIGGER IF EXISTS catalog_video_fts_ad",
    "DROP TRIGGER IF EXISTS catalog_video_fts_au",
    f"DROP TABLE IF EXISTS {SQLITE_TABLE}",
]

POSTGRES_INDEX = "video_search_idx"
_POSTGRES_INSTALL = [
    """ALTER TABLE catalog_video ADD COLUMN search_vector tsvector
        GENERATED ALWAYS AS (to_tsvector('simple'::regconfig,
            description || ' ' || voice_to_text)) STORED""",
    f"CREATE INDEX {POSTGRES_INDEX} ON catalog_video USING gin (search_vector)",
]
_POSTGRES_UNINSTALL = [
    f"DROP INDEX IF EXISTS {POSTGRES_INDEX}",
    "ALTER TABLE catalog_video DROP COLUMN IF EXISTS search_vector",
]


def _run(schema_editor, statements):
    for statement in statements:
        schema_editor.execute(statement)


def install(schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        _run(schema_editor, _POSTGRES_INSTALL)
    elif vendor == "sqlite":
        _run(schema_editor, _SQLITE_INSTALL)


def uninstall(schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        _run(schema_editor, _POSTGRES_UNINSTALL)
    elif vendor == "sqlite":
        _run(schema_editor, _SQLITE_UNINSTALL)
