from django.db import migrations


def install(apps, schema_editor):
    # The shipped rule sets (domain.md's default and Gansu) are data: installed here, refreshed by name.
    from elections.rulesets import RULE_SETS

    RuleSet = apps.get_model("elections", "RuleSet")
    # Later migrations add parameters: install only those this state of the model has (0005 refreshes).
    known = {f.name for f in RuleSet._meta.get_fields()}
    for data in RULE_SETS:
        values = {k: v for k, v in data.items() if k != "name" and k in known}
        RuleSet.objects.update_or_create(name=data["name"], is_template=True, defaults=values)


class Migration(migrations.Migration):
    dependencies = [("elections", "0001_initial")]
    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
