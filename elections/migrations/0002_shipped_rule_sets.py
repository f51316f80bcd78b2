from django.db import migrations


def install(apps, schema_editor):
    # The shipped rule sets (domain.md's default and Gansu) are data: installed here, refreshed by name.
    from elections.rulesets import RULE_SETS

    RuleSet = apps.get_model("elections", "RuleSet")
    for data in RULE_SETS:
        values = {k: v for k, v in data.items() if k != "name"}
        RuleSet.objects.update_or_create(name=data["name"], is_template=True, defaults=values)


class Migration(migrations.Migration):
    dependencies = [("elections", "0001_initial")]
    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
