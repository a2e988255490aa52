from django.db import migrations, models

POSTGRES = [
    # The same as audit.models.entry_hash: SHA-256 of the previous hash and the content.
    """CREATE FUNCTION audit_entry_hash(prev text, content text) RETURNS text
        LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
        AS $$ SELECT encode(sha256(convert_to(prev || content, 'UTF8')), 'hex') $$""",
]
POSTGRES_REVERSE = ["DROP FUNCTION IF EXISTS audit_entry_hash(text, text)"]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in POSTGRES:
            schema_editor.execute(statement, params=None)
    # The head starts where the chain ends.
    entry = apps.get_model("audit", "AuditEntry").objects.order_by("-id").first()
    if entry is not None:
        apps.get_model("audit", "ChainHead").objects.create(
            id=1, prev_hash=entry.prev_hash, hash=entry.hash
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in POSTGRES_REVERSE:
            schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only")]
    operations = [
        migrations.CreateModel(
            name="ChainHead",
            fields=[
                (
                    "id",
                    models.PositiveSmallIntegerField(default=1, primary_key=True, serialize=False),
                ),
                ("prev_hash", models.CharField(max_length=64)),
                ("hash", models.CharField(max_length=64)),
            ],
        ),
        migrations.RunPython(forwards, backwards),
    ]
