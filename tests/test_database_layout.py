"""`make run` on a database from before bookings became an app stops with how to reset it."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection


@pytest.mark.django_db
def test_a_current_database_passes():
    call_command("check_database_layout")


@pytest.mark.django_db
def test_a_database_from_before_the_bookings_app_is_refused_with_how_to_reset_it():
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO django_migrations (app, name, applied) VALUES ('experts', '0005_booking', now())")
    with pytest.raises(CommandError, match="make reset-demo"):
        call_command("check_database_layout")
