"""The nightly task that keeps the fair-rotation counts (ExpertProfile.recent_assignments) current."""

from datetime import timedelta

import pytest
from celery.schedules import crontab
from django.conf import settings

from bookings.models import Booking, BookingStatus
from bookings.tasks import refresh_recent_assignments_task
from experts.models import ExpertProfile
from tests.factories import AssignmentFactory, BookingFactory, ExpertProfileFactory


def book(coordinator, profile, *, days: int, status=BookingStatus.COMPLETED) -> Booking:
    assignment = AssignmentFactory(contact_person=coordinator, starts_in=timedelta(days=days))
    return BookingFactory(assignment=assignment, expert=profile, status=status)


@pytest.mark.django_db
def test_task_counts_held_assignments_of_the_last_90_days_for_every_profile(coordinator):
    busy, idle = ExpertProfileFactory(), ExpertProfileFactory()
    book(coordinator, busy, days=-10)
    book(coordinator, busy, days=5, status=BookingStatus.CONFIRMED)
    book(coordinator, busy, days=-100)  # outside the window
    book(coordinator, busy, days=-20, status=BookingStatus.DECLINED)
    book(coordinator, idle, days=-95)
    # Stale counts, as the window has moved since they were written.
    ExpertProfile.objects.update(recent_assignments=7)
    assert refresh_recent_assignments_task() == ExpertProfile.objects.count()
    busy.refresh_from_db()
    idle.refresh_from_db()
    assert (busy.recent_assignments, idle.recent_assignments) == (2, 0)


@pytest.mark.django_db
def test_task_is_scheduled_nightly_at_quarter_past_three_finnish_time():
    entry = settings.CELERY_BEAT_SCHEDULE["refresh-recent-assignments"]
    assert entry["task"] == refresh_recent_assignments_task.name == "bookings.tasks.refresh_recent_assignments_task"
    assert entry["schedule"] == crontab(hour=3, minute=15)
    assert settings.CELERY_TIMEZONE == "Europe/Helsinki"
