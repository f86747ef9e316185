"""Twenty coordinators confirm one expert at the same moment for twenty assignments that do not overlap
but fall in the same month: the monthly cap and the earnings limit hold (eligibility.lock_expert).
Real threads with their own database connections, as in test_concurrency.py."""

import threading
from datetime import datetime, time, timedelta

import pytest
from django.db import connection
from django.utils import timezone, translation

from bookings import services as booking_services
from bookings.models import Booking, BookingStatus
from tests.factories import AssignmentFactory, ExpertProfileFactory, UserFactory

PARALLEL = 20


def accepted_bookings(expert, coordinator) -> list[Booking]:
    """One accepted booking of `expert` on each of PARALLEL one-hour assignments, a day apart in next
    month (so every one is in the same month and none overlaps), at the hourly tariff: 25 € each."""
    first = (timezone.localdate().replace(day=1) + timedelta(days=32)).replace(day=1)
    bookings = []
    for number in range(PARALLEL):
        starts = datetime.combine(first + timedelta(days=number), time(10), timezone.get_default_timezone())
        assignment = AssignmentFactory(contact_person=coordinator, starts_at=starts, hours=1)
        (invited,), _refused = booking_services.invite_experts(
            assignment=assignment, profiles=[expert], actor=coordinator
        )
        bookings.append(booking_services.answer_invitation(booking=invited, accept=True))
    return bookings


def confirm_all_at_once(bookings, coordinator) -> list[str]:
    """Confirm every booking in its own thread, all released together; each outcome as a word or the
    refusal's message."""
    start = threading.Barrier(len(bookings))
    outcomes: list[str] = []

    def confirm(booking):
        # A new thread has no active language: it would get the default, Finnish.
        translation.activate("en")
        try:
            start.wait()
            booking_services.confirm_booking(booking=booking, actor=coordinator)
            outcomes.append("confirmed")
        except booking_services.EarningsWarning:
            outcomes.append("earnings warning")
        except booking_services.BookingError as error:
            outcomes.append(str(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=confirm, args=(booking,)) for booking in bookings]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_parallel_confirmations_keep_the_monthly_cap():
    coordinator = UserFactory(role="coordinator")
    expert = ExpertProfileFactory(monthly_cap=1)
    bookings = accepted_bookings(expert, coordinator)

    outcomes = confirm_all_at_once(bookings, coordinator)

    assert outcomes.count("confirmed") == 1
    assert outcomes.count("The expert's monthly limit of 1 assignments is already reached.") == PARALLEL - 1
    assert Booking.objects.filter(expert=expert, status=BookingStatus.CONFIRMED).count() == 1


@pytest.mark.django_db(transaction=True)
def test_parallel_confirmations_warn_of_the_earnings_limit():
    coordinator = UserFactory(role="coordinator")
    expert = ExpertProfileFactory(monthly_earnings_limit=30)
    bookings = accepted_bookings(expert, coordinator)
    assert bookings[0].assignment.expected_fee() == 25

    outcomes = confirm_all_at_once(bookings, coordinator)

    # 25 € fits under 30 €; a second 25 € would not, so each other confirmation asks for acknowledgement.
    assert outcomes.count("confirmed") == 1
    assert outcomes.count("earnings warning") == PARALLEL - 1
    assert Booking.objects.filter(expert=expert, status=BookingStatus.CONFIRMED).count() == 1
    assert Booking.objects.filter(expert=expert, status=BookingStatus.ACCEPTED).count() == PARALLEL - 1
