from django.db import migrations

from moderation.taxonomy import DEFAULT_POLICIES


def load_default_policies(apps, schema_editor):
    Policy = apps.get_model("moderation", "Policy")
    for code, name, category, keyword, sub_policies in DEFAULT_POLICIES:
        parent, _ = Policy.objects.update_or_create(
            code=code,
            defaults={"name": name, "dsa_category": category, "dsa_keyword": keyword},
        )
        for sub_code, sub_name in sub_policies:
            Policy.objects.update_or_create(
                code=sub_code,
                defaults={
                    "name": sub_name,
                    "parent": parent,
                    "dsa_category": category,
                    "dsa_keyword": keyword,
                },
            )


class Migration(migrations.Migration):
    dependencies = [("moderation", "0001_initial")]
    operations = [migrations.RunPython(load_default_policies, migrations.RunPython.noop)]
