from django.contrib.auth.management import create_permissions
from django.db import migrations, models


def reviewers_see_refusal_counts(apps, schema_editor):
    app_config = apps.get_app_config("audit")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    group = apps.get_model("auth", "Group").objects.filter(name="Reviewers").first()
    if group is not None:
        group.permissions.add(
            apps.get_model("auth", "Permission").objects.get(
                content_type__app_label="audit", codename="view_refusalcount"
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0003_chainhead"),
        ("accounts", "0003_reviewers_group"),
    ]

    operations = [
        migrations.CreateModel(
            name="RefusalCount",
            fields=[
                ("id", models.BigAutoField(primary_key=True, serialize=False)),
                ("day", models.DateField()),
                ("event", models.CharField(max_length=64)),
                ("reason", models.CharField(max_length=64)),
                ("refusals", models.BigIntegerField(default=0)),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("day", "event", "reason"), name="refusal_count_unique"
                    )
                ],
            },
        ),
        migrations.RunPython(reviewers_see_refusal_counts, migrations.RunPython.noop),
    ]
