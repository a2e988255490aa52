"""Projects' pseudonym keys belong to accounts (a project's credentials), not to the API edge:
the model leaves research's state here and enters accounts' in accounts 0005, which keeps the
table and its rows."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("research", "0001_initial")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="PseudonymKey")], database_operations=[]
        )
    ]
