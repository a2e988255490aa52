"""query_slot(key, slots): take one of `slots` transaction-level advisory locks of `key` (a
project), the first free one, or raise SQLSTATE RQ503 when all are taken. The page query of
a research request runs in the same implicit transaction as this claim (core.sql), so the
slot is held exactly as long as the query runs, and given back even if it fails."""

from django.db import migrations

POSTGRES = """CREATE FUNCTION query_slot(key integer, slots integer) RETURNS integer
    LANGUAGE plpgsql AS $$
    BEGIN
        FOR slot IN 1..slots LOOP
            IF pg_try_advisory_xact_lock(key, slot) THEN
                RETURN slot;
            END IF;
        END LOOP;
        RAISE EXCEPTION USING ERRCODE = 'RQ503', MESSAGE = 'every query slot is taken';
    END $$"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS query_slot(integer, integer)", params=None)


class Migration(migrations.Migration):
    dependencies = [("research", "0003_search_endpoints_are_listing_paths")]
    operations = [migrations.RunPython(forwards, backwards)]
