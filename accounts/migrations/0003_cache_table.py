from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    # Without REDIS_URL the cache (allauth's rate limits, used TOTP codes) lives in PostgreSQL so
    # that every process shares it; the command does nothing for a Redis cache.
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_roles")]
    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
