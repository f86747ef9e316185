"""The booking messages: each kind renders in fi/sv/en, links to the right page, carries an .ics
when it is about the expert's calendar."""

import pytest
from icalendar import Calendar

from bookings import services as booking_services
from notifications import kinds
from notifications.emails import render_notification
from notifications.models import Notification
from tests.factories import AssignmentFactory, ExpertProfileFactory

# The kinds of the booking template set (a unit's orderer has their own: tests/bookings/test_orders.py).
BOOKING_KINDS = [kind.code for kind in kinds.all_kinds() if kind.template == "bookings/email/booking"]


@pytest.fixture
def booking(coordinator):
    assignment = AssignmentFactory(contact_person=coordinator, title="Luento: Äänten kuuleminen ja toipuminen")
    (invited,), _ = booking_services.invite_experts(
        assignment=assignment, profiles=[ExpertProfileFactory(display_name="Säde")], actor=coordinator
    )
    return invited


def test_every_booking_kind_is_registered():
    assert len(BOOKING_KINDS) == 13


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["fi", "sv", "en"])
@pytest.mark.parametrize("code", BOOKING_KINDS)
def test_each_kind_renders_with_the_title_and_time(booking, code, language):
    notification = Notification(kind=code, target=booking, recipient=booking.expert.user, language=language)
    message = render_notification(notification)
    assert "Äänten kuuleminen" in message.subject
    assert "Äänten kuuleminen" in message.text and "Äänten kuuleminen" in message.html
    assert booking.get_absolute_url() in message.text
    assert bool(message.attachments) == kinds.get(code).calendar


@pytest.mark.django_db
def test_the_coordinators_message_links_to_the_assignment(booking, coordinator):
    booking_services.answer_invitation(booking=booking, accept=False, note="Lomalla.")
    notification = Notification.objects.for_target(booking).get(kind="bookings.answered")
    message = render_notification(notification)
    assert notification.recipient == coordinator
    assert booking.assignment.get_absolute_url() in message.text
    assert "Säde" in message.text


@pytest.mark.django_db
def test_the_confirmation_carries_a_calendar_file_that_parses_back(booking, coordinator):
    booking = booking_services.answer_invitation(booking=booking, accept=True)
    booking = booking_services.confirm_booking(booking=booking, actor=coordinator)
    notification = Notification.objects.for_target(booking).get(kind="bookings.confirmed")
    (_name, content, mimetype), *_ = render_notification(notification).attachments
    event = Calendar.from_ical(content).walk("VEVENT")[0]
    assert mimetype == "text/calendar"
    assert event.decoded("dtstart") == booking.assignment.starts_at
    assert event.decoded("dtend") == booking.assignment.ends_at
    assert str(event["summary"]) == "Luento: Äänten kuuleminen ja toipuminen"
    assert event["sequence"] == 1
