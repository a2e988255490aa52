from django.db import migrations

from catalog import fulltext


def forwards(apps, schema_editor):
    fulltext.install(schema_editor)


def backwards(apps, schema_editor):
    fulltext.uninstall(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
