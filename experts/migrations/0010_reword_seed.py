"""The seeded lists in the wording of the 2026-12 language review (experts/seed.py, REWORDED), and
Finland-Swedish Sign Language. Rows an admin has edited are left as they are. Profiles' search
documents hold the labels: `manage.py refresh_search` brings them up to date."""

from django.db import migrations


def reword(apps, schema_editor):
    from experts.seed import reword_seed

    reword_seed(lambda name: apps.get_model("experts", name))


class Migration(migrations.Migration):
    dependencies = [("experts", "0009_search_columns_inline")]

    operations = [migrations.RunPython(reword, migrations.RunPython.noop)]
