from django.db import migrations

# Used by research.settlement: a debit that finds no room raises inside the one statement that
# concludes a research request, so that statement (and every write in it) is undone.
POSTGRES = """CREATE FUNCTION quota_refused(limit_name text) RETURNS boolean LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION USING ERRCODE = 'RQ429', MESSAGE = limit_name;
    END $$"""
POSTGRES_REVERSE = "DROP FUNCTION IF EXISTS quota_refused(text)"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_REVERSE, params=None)


class Migration(migrations.Migration):
    dependencies = [("quotas", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
