"""The import job moved to residents.services.importing: jobs recorded under the old path (a preview waiting for
its confirmation) keep working."""

from django.db import migrations

OLD, NEW = "residents.importing.run_import_job", "residents.services.importing.run_import_job"


def forward(apps, schema_editor):
    apps.get_model("org", "Job").objects.filter(func=OLD).update(func=NEW)


def backward(apps, schema_editor):
    apps.get_model("org", "Job").objects.filter(func=NEW).update(func=OLD)


class Migration(migrations.Migration):
    dependencies = [("residents", "0004_ppl_unit_representatives"), ("org", "0006_account_events")]
    operations = [migrations.RunPython(forward, backward)]
