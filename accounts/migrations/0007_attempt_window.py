from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0006_project_compliance_synced_at_and_more"),
    ]

    operations = [
        migrations.CreateModel(
            name="AttemptWindow",
            fields=[
                ("id", models.BigAutoField(primary_key=True, serialize=False)),
                (
                    "subject",
                    models.CharField(help_text="e.g. address:<ip>, client:<key>", max_length=120),
                ),
                ("window_start", models.BigIntegerField(help_text="Unix seconds")),
                ("attempts", models.IntegerField(default=0)),
            ],
            options={
                "indexes": [models.Index(fields=["window_start"], name="attempt_window_start_idx")],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("subject", "window_start"), name="attempt_window_unique"
                    )
                ],
            },
        ),
    ]
