"""Moving an assignment must suit its confirmed experts: not onto their blocked dates, not over their
monthly cap in the new month. Refused with a message that names no health data; nothing changes."""

import html
import threading
from datetime import date, datetime, time, timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation

from bookings import services as booking_services
from bookings.models import Booking, BookingStatus
from experts.models import BlockedPeriod
from tests.factories import AssignmentFactory, BookingFactory, ExpertProfileFactory, UserFactory

HELSINKI = timezone.get_default_timezone()
BLOCKED = "The expert is not available on that date."
# What an expert might write as the note of their blocked dates: only they may ever see it.
PRIVATE_NOTE = "Leikkaus ja toipuminen"


def month_ahead(months: int) -> date:
    """The first day of the month `months` from this one."""
    day = timezone.localdate().replace(day=1)
    for _number in range(months):
        day = (day + timedelta(days=32)).replace(day=1)
    return day


def at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), HELSINKI)


def confirmed(expert, coordinator, starts: datetime) -> Booking:
    """`expert` confirmed through the services for a two-hour assignment at `starts`."""
    assignment = AssignmentFactory(contact_person=coordinator, starts_at=starts)
    (invited,), _refused = booking_services.invite_experts(assignment=assignment, profiles=[expert], actor=coordinator)
    booking_services.answer_invitation(booking=invited, accept=True)
    return booking_services.confirm_booking(booking=invited, actor=coordinator)


def move(booking: Booking, starts: datetime, actor):
    return booking_services.move_assignment(
        assignment=booking.assignment, starts_at=starts, ends_at=starts + timedelta(hours=2), actor=actor
    )


@pytest.mark.django_db
def test_moving_onto_the_experts_blocked_dates_is_refused(coordinator):
    expert = ExpertProfileFactory(display_name="Säde")
    booking = confirmed(expert, coordinator, at(month_ahead(1).replace(day=5)))
    new_day = month_ahead(1).replace(day=12)
    BlockedPeriod.objects.create(profile=expert, start=new_day, end=new_day + timedelta(days=2), note=PRIVATE_NOTE)

    with pytest.raises(booking_services.BookingError) as refused:
        move(booking, at(new_day), coordinator)

    message = str(refused.value)
    assert message == f"The time was not changed. Säde cannot take the assignment at the new time. {BLOCKED}"
    assert PRIVATE_NOTE not in message
    booking.refresh_from_db()
    assert booking.assignment.starts_at == at(month_ahead(1).replace(day=5))
    assert booking.during.lower == booking.assignment.starts_at


@pytest.mark.django_db
def test_moving_over_the_monthly_cap_of_the_new_month_is_refused(coordinator):
    expert = ExpertProfileFactory(display_name="Jyrki", monthly_cap=1)
    booking = confirmed(expert, coordinator, at(month_ahead(1).replace(day=5)))
    confirmed(expert, coordinator, at(month_ahead(2).replace(day=5)))

    with pytest.raises(booking_services.BookingError, match="monthly limit of 1 assignments is already reached"):
        move(booking, at(month_ahead(2).replace(day=20)), coordinator)

    booking.refresh_from_db()
    assert booking.assignment.starts_at == at(month_ahead(1).replace(day=5))


@pytest.mark.django_db
def test_moving_within_the_month_at_the_cap_is_allowed(coordinator):
    expert = ExpertProfileFactory(monthly_cap=1)
    booking = confirmed(expert, coordinator, at(month_ahead(1).replace(day=5)))

    move(booking, at(month_ahead(1).replace(day=20)), coordinator)

    booking.refresh_from_db()
    assert booking.during.lower == at(month_ahead(1).replace(day=20))


@pytest.mark.django_db
def test_an_invited_experts_blocked_dates_do_not_stop_the_move(coordinator):
    """Only confirmed experts hold the time; an invitation is checked again when it is confirmed."""
    assignment = AssignmentFactory(contact_person=coordinator, starts_at=at(month_ahead(1).replace(day=5)))
    invited = BookingFactory(assignment=assignment, status=BookingStatus.INVITED)
    new_day = month_ahead(1).replace(day=12)
    BlockedPeriod.objects.create(profile=invited.expert, start=new_day, end=new_day)

    booking_services.move_assignment(
        assignment=assignment, starts_at=at(new_day), ends_at=at(new_day, 12), actor=coordinator
    )

    assignment.refresh_from_db()
    assert assignment.starts_at == at(new_day)


@pytest.mark.django_db
def test_the_move_page_shows_the_refusal_on_the_form(client, coordinator):
    expert = ExpertProfileFactory(display_name="Säde")
    booking = confirmed(expert, coordinator, at(month_ahead(1).replace(day=5)))
    new_day = month_ahead(1).replace(day=12)
    BlockedPeriod.objects.create(profile=expert, start=new_day, end=new_day, note=PRIVATE_NOTE)
    client.force_login(coordinator)
    client.cookies["kp_language"] = "en"

    response = client.post(
        reverse("bookings:assignment_move", args=[booking.assignment_id]),
        {"date": new_day.strftime("%d.%m.%Y"), "start_time": "10.00", "end_time": "12.00"},
    )

    page = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert f"Säde cannot take the assignment at the new time. {BLOCKED}" in page
    assert PRIVATE_NOTE not in page
    booking.refresh_from_db()
    assert booking.assignment.starts_at == at(month_ahead(1).replace(day=5))


PARALLEL = 10


@pytest.mark.django_db(transaction=True)
def test_a_move_and_parallel_confirmations_in_the_new_month_keep_the_cap():
    """The move takes the expert's lock as confirm_booking does: of a move into a month and
    confirmations there, all at the same moment, exactly one gets the expert's only slot."""
    coordinator = UserFactory(role="coordinator")
    expert = ExpertProfileFactory(monthly_cap=1)
    moving = confirmed(expert, coordinator, at(month_ahead(1).replace(day=5)))
    target = month_ahead(2)
    waiting = []
    for number in range(PARALLEL):
        assignment = AssignmentFactory(contact_person=coordinator, starts_at=at(target + timedelta(days=number)))
        (invited,), _refused = booking_services.invite_experts(
            assignment=assignment, profiles=[expert], actor=coordinator
        )
        waiting.append(booking_services.answer_invitation(booking=invited, accept=True))
    start = threading.Barrier(PARALLEL + 1)
    outcomes: list[str] = []

    def run(action):
        translation.activate("en")
        try:
            start.wait()
            outcomes.append(action())
        except booking_services.BookingError:
            outcomes.append("refused")
        finally:
            connection.close()

    actions = [lambda: move(moving, at(target.replace(day=25)), coordinator) and "moved"]
    for booking in waiting:
        actions.append(
            lambda booking=booking: booking_services.confirm_booking(booking=booking, actor=coordinator) and "confirmed"
        )
    threads = [threading.Thread(target=run, args=(action,)) for action in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert outcomes.count("refused") == PARALLEL
    assert Booking.objects.holding().of_expert(expert).in_month(target).count() == 1
