"""The seeded lecture tariff in the task type's words (bookings/seed.py, REWORDED), where unedited."""

from django.db import migrations


def reword(apps, schema_editor):
    from bookings.seed import reword_tariffs

    reword_tariffs(lambda name: apps.get_model("bookings", name))


class Migration(migrations.Migration):
    dependencies = [("bookings", "0001_initial")]

    operations = [migrations.RunPython(reword, migrations.RunPython.noop)]
