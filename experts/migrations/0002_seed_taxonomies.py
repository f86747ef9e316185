"""A realistic starting set for a Finnish county (Päijät-Häme); admins edit the lists afterwards."""

from django.db import migrations


def seed(apps, schema_editor):
    from experts.seed import seed as seed_lists

    seed_lists(lambda name: apps.get_model("experts", name))


class Migration(migrations.Migration):
    dependencies = [("experts", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
