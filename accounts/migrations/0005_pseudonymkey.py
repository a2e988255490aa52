"""The pseudonym key model, moved from research (see research 0002): state first, on the
existing table, then the table takes accounts' name."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_project_graph_daily_records_and_more"),
        ("research", "0002_pseudonymkey_moves_to_accounts"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="PseudonymKey",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("ciphertext", models.BinaryField(null=True)),
                        ("nonce", models.BinaryField(null=True)),
                        ("version", models.PositiveIntegerField(default=1)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("rotated_at", models.DateTimeField(blank=True, null=True)),
                        ("destroyed_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "project",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="pseudonym_key",
                                to="accounts.project",
                            ),
                        ),
                    ],
                    options={"db_table": "research_pseudonymkey"},
                )
            ],
            database_operations=[],
        ),
        migrations.AlterModelTable(name="pseudonymkey", table=None),
    ]
