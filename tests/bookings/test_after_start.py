"""Once an assignment has begun, nobody answers, volunteers for or is confirmed to it: the services
refuse with a message, and the pages show that message (never an error page)."""

import html
from datetime import timedelta

import pytest
from django.urls import reverse

from bookings import services as booking_services
from bookings.models import BookingStatus
from tests.factories import AssignmentFactory, BookingFactory, ExpertProfileFactory

BEGUN = "The assignment has already begun."


@pytest.fixture
def begun(coordinator):
    """An assignment that began five minutes ago."""
    return AssignmentFactory(contact_person=coordinator, starts_in=-timedelta(minutes=5), open_to_all=True)


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


@pytest.mark.django_db
@pytest.mark.parametrize("accept", [True, False])
def test_an_invitation_cannot_be_answered_after_the_assignment_began(begun, accept):
    booking = BookingFactory(assignment=begun, status=BookingStatus.INVITED)
    with pytest.raises(booking_services.BookingError, match=BEGUN):
        booking_services.answer_invitation(booking=booking, accept=accept)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.INVITED


@pytest.mark.django_db
def test_an_accepted_expert_cannot_be_confirmed_after_the_assignment_began(begun, coordinator):
    booking = BookingFactory(assignment=begun, status=BookingStatus.ACCEPTED)
    with pytest.raises(booking_services.BookingError, match=BEGUN):
        booking_services.confirm_booking(booking=booking, actor=coordinator, acknowledge_earnings=True)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.ACCEPTED


@pytest.mark.django_db
def test_nobody_volunteers_after_the_assignment_began(begun):
    profile = ExpertProfileFactory(task_types=["luento"])
    with pytest.raises(booking_services.BookingError, match=BEGUN):
        booking_services.volunteer_for(assignment=begun, profile=profile)
    assert not begun.bookings.exists()


@pytest.mark.django_db
def test_the_expert_answering_late_sees_the_message(signed_in, profile, begun):
    booking = BookingFactory(assignment=begun, expert=profile, status=BookingStatus.INVITED)

    response = signed_in.post(reverse("bookings:booking_answer", args=[booking.pk]), {"answer": "accept"}, follow=True)

    assert response.status_code == 200
    assert messages_of(response) == [BEGUN]
    booking.refresh_from_db()
    assert booking.status == BookingStatus.INVITED


@pytest.fixture
def coordinator_client(client, coordinator):
    client.force_login(coordinator)
    client.cookies["kp_language"] = "en"
    return client


@pytest.mark.django_db
def test_the_coordinator_confirming_late_sees_the_message(coordinator_client, begun):
    booking = BookingFactory(assignment=begun, status=BookingStatus.ACCEPTED)

    response = coordinator_client.post(reverse("bookings:booking_confirm", args=[booking.pk]), follow=True)

    assert response.status_code == 200
    assert BEGUN in messages_of(response)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.ACCEPTED


@pytest.mark.django_db
def test_the_detail_page_offers_no_confirm_button_once_begun(coordinator_client, begun):
    booking = BookingFactory(assignment=begun, status=BookingStatus.ACCEPTED)

    page = html.unescape(coordinator_client.get(begun.get_absolute_url()).content.decode())

    assert reverse("bookings:booking_confirm", args=[booking.pk]) not in page
