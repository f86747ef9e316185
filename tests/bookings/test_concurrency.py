"""Twenty coordinators confirm the same expert for twenty overlapping assignments at the same moment:
exactly one booking, nineteen clear errors. Real threads with their own database connections."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import translation

from bookings import services as booking_services
from bookings.models import Booking, BookingStatus
from tests.factories import AssignmentFactory, ExpertProfileFactory, UserFactory

PARALLEL = 20


@pytest.mark.django_db(transaction=True)
def test_twenty_parallel_confirmations_of_overlapping_slots_make_one_booking():
    coordinators = [UserFactory(role="coordinator") for _ in range(PARALLEL)]
    expert = ExpertProfileFactory()
    bookings = []
    for number, coordinator in enumerate(coordinators):
        # Each starts five minutes after the one before and lasts two hours: every two overlap.
        assignment = AssignmentFactory(
            contact_person=coordinator, starts_in=timedelta(days=4, minutes=5 * number), hours=2
        )
        invited, _ = booking_services.invite_experts(assignment=assignment, profiles=[expert], actor=coordinator)
        bookings.append(booking_services.answer_invitation(booking=invited[0], accept=True))

    start = threading.Barrier(PARALLEL)
    outcomes: list[str] = []

    def confirm(booking, coordinator):
        # A new thread has no active language: it would get the default, Finnish.
        translation.activate("en")
        try:
            start.wait()
            booking_services.confirm_booking(booking=booking, actor=coordinator)
            outcomes.append("confirmed")
        except booking_services.BookingError as error:
            outcomes.append(str(error))
        finally:
            connection.close()

    threads = [
        threading.Thread(target=confirm, args=(booking, coordinator))
        for booking, coordinator in zip(bookings, coordinators, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert outcomes.count("confirmed") == 1
    assert outcomes.count("The expert already has an assignment at that time.") == PARALLEL - 1
    assert Booking.objects.filter(expert=expert, status=BookingStatus.CONFIRMED).count() == 1
