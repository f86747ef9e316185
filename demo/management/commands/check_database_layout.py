"""Refuse, with a clear way out, a database migrated before the booking models moved from `experts`
to `bookings` (2026-12-02). No deployment existed, so those migrations were regenerated rather than
carried over: such a database has the old tables and cannot be migrated forward."""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

OLD_LAYOUT = ("experts", "0005_booking")


class Command(BaseCommand):
    help = "Check that the database can be migrated (it does not predate the bookings app)."

    def handle(self, *args, **options):
        with connection.cursor() as cursor:
            cursor.execute("SELECT to_regclass('django_migrations') IS NOT NULL")
            if not cursor.fetchone()[0]:
                return
            cursor.execute("SELECT 1 FROM django_migrations WHERE app = %s AND name = %s", OLD_LAYOUT)
            if cursor.fetchone() is None:
                return
        raise CommandError(
            "This database was made before bookings became an app of their own and cannot be migrated "
            "forward. It holds demo data only: reset it with `make reset-demo` (deletes .data/pg; "
            "`make run` then creates it anew), or drop the database that DATABASE_URL points to."
        )
