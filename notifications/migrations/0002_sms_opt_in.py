"""Text messages became opt-in (issue 17). The old preferences page showed every kind's text-message
box ticked and saved a row for each box on every save, so an enabled SMS row says nothing about a
choice: turn them off. People choose text messages again on the new page."""

from django.db import migrations


def sms_rows_off(apps, schema_editor):
    preference = apps.get_model("notifications", "NotificationPreference")
    preference.objects.filter(channel="sms", enabled=True).update(enabled=False)


class Migration(migrations.Migration):
    dependencies = [("notifications", "0001_initial")]

    operations = [migrations.RunPython(sms_rows_off, migrations.RunPython.noop)]
