"""Completing a booking (services.complete_booking, views/coordinator.booking_complete): only after the
assignment has ended, and "not completed" always with a reason, which both sides then see."""

import html
from datetime import timedelta

import pytest
from django.urls import reverse

from bookings import services as booking_services
from bookings.models import BookingStatus, ExpenseLine
from bookings.services import BookingError
from tests.factories import AssignmentFactory, BookingFactory, ExpertProfileFactory

NOT_ENDED = "The assignment has not ended yet."


def confirmed_on(coordinator, *, starts_in, hours=2, display_name="Aino"):
    """A confirmed booking, written directly (the services confirm only assignments still to come)."""
    assignment = AssignmentFactory(contact_person=coordinator, starts_in=starts_in, hours=hours)
    profile = ExpertProfileFactory(display_name=display_name)
    return BookingFactory(assignment=assignment, expert=profile, status=BookingStatus.CONFIRMED)


@pytest.fixture
def in_progress(coordinator):
    """Began an hour ago, ends in an hour."""
    return confirmed_on(coordinator, starts_in=-timedelta(hours=1))


@pytest.fixture
def ended(coordinator):
    """Began three hours ago, ended an hour ago."""
    return confirmed_on(coordinator, starts_in=-timedelta(hours=3))


@pytest.fixture
def signed_in(client, coordinator):
    client.force_login(coordinator)
    client.cookies["kp_language"] = "en"
    return client


def page_of(response) -> str:
    return html.unescape(response.content.decode())


def post_outcome(client, booking, **data):
    return client.post(reverse("bookings:booking_complete", args=[booking.pk]), data, follow=True)


# --- After the end, not after the start ----------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("completed", [True, False])
def test_a_booking_cannot_be_completed_either_way_while_the_assignment_goes_on(in_progress, coordinator, completed):
    with pytest.raises(BookingError, match=NOT_ENDED):
        booking_services.complete_booking(
            booking=in_progress, completed=completed, hours=None, actor=coordinator, not_completed_reason="illness"
        )
    in_progress.refresh_from_db()
    assert in_progress.status == BookingStatus.CONFIRMED


@pytest.mark.django_db
def test_a_booking_is_completed_once_the_assignment_has_ended(ended, coordinator):
    booking = booking_services.complete_booking(booking=ended, completed=True, hours=None, actor=coordinator)
    assert booking.status == BookingStatus.COMPLETED


@pytest.mark.django_db
def test_the_assignment_page_offers_the_outcome_only_after_the_end(signed_in, in_progress, ended):
    url = reverse("bookings:booking_complete", args=[in_progress.pk])
    assert url not in page_of(signed_in.get(in_progress.assignment.get_absolute_url()))
    url = reverse("bookings:booking_complete", args=[ended.pk])
    assert url in page_of(signed_in.get(ended.assignment.get_absolute_url()))


@pytest.mark.django_db
def test_the_outcome_form_of_an_assignment_going_on_sends_back_with_a_message(signed_in, in_progress):
    response = signed_in.get(reverse("bookings:booking_complete", args=[in_progress.pk]), follow=True)
    assert "Only a confirmed booking whose assignment has ended can be marked completed." in page_of(response)
    response = post_outcome(signed_in, in_progress, outcome="completed", hours="2")
    assert NOT_ENDED in page_of(response)
    in_progress.refresh_from_db()
    assert in_progress.status == BookingStatus.CONFIRMED


# --- "Not completed" asks why ----------------------------------------------------------------------


@pytest.mark.django_db
def test_not_completed_without_a_reason_is_a_form_error(signed_in, ended):
    response = post_outcome(signed_in, ended, outcome="not_completed")
    assert response.status_code == 200
    assert "Choose why the assignment did not take place." in page_of(response)
    assert response.context["form"].errors["not_completed_reason"]
    ended.refresh_from_db()
    assert ended.status == BookingStatus.CONFIRMED


@pytest.mark.django_db
def test_other_reason_needs_a_few_words(signed_in, ended):
    response = post_outcome(signed_in, ended, outcome="not_completed", not_completed_reason="other")
    assert "Tell the reason in a few words." in page_of(response)
    ended.refresh_from_db()
    assert ended.status == BookingStatus.CONFIRMED

    post_outcome(
        signed_in, ended, outcome="not_completed", not_completed_reason="other", not_completed_note="Tila oli lukossa."
    )
    ended.refresh_from_db()
    assert (ended.status, ended.not_completed_reason, ended.not_completed_note) == (
        BookingStatus.NOT_COMPLETED,
        "other",
        "Tila oli lukossa.",
    )


@pytest.mark.django_db
def test_an_unknown_reason_is_a_form_error(signed_in, ended):
    response = post_outcome(signed_in, ended, outcome="not_completed", not_completed_reason="bored")
    assert "Select a valid choice." in page_of(response)
    ended.refresh_from_db()
    assert ended.status == BookingStatus.CONFIRMED


@pytest.mark.django_db
def test_not_completed_ignores_the_expense_fields(signed_in, ended):
    # An amount left in "other costs" without a note would be an error for a completed one.
    post_outcome(signed_in, ended, outcome="not_completed", not_completed_reason="no_show", other_amount="12")
    ended.refresh_from_db()
    assert (ended.status, ended.not_completed_reason, ended.fee) == (BookingStatus.NOT_COMPLETED, "no_show", None)
    assert not ExpenseLine.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(("reason", "note"), [("", ""), ("bored", ""), ("other", "  ")])
def test_the_service_refuses_not_completed_without_a_valid_reason(ended, coordinator, reason, note):
    with pytest.raises(BookingError):
        booking_services.complete_booking(
            booking=ended,
            completed=False,
            hours=None,
            actor=coordinator,
            not_completed_reason=reason,
            not_completed_note=note,
        )
    ended.refresh_from_db()
    assert (ended.status, ended.not_completed_reason) == (BookingStatus.CONFIRMED, "")


@pytest.mark.django_db
def test_the_reason_shows_on_the_assignment_page_and_to_the_expert(signed_in, client, ended, coordinator):
    booking_services.complete_booking(
        booking=ended,
        completed=False,
        hours=None,
        actor=coordinator,
        not_completed_reason="venue",
        not_completed_note="Sali oli varattu toiselle.",
    )
    page = page_of(signed_in.get(ended.assignment.get_absolute_url()))
    assert "Not completed: a problem with the venue or the arrangements – Sali oli varattu toiselle." in page

    client.force_login(ended.expert.user)
    page = page_of(client.get(reverse("bookings:my_assignment", args=[ended.pk])))
    assert "Reason: A problem with the venue or the arrangements." in page
    assert "Sali oli varattu toiselle." in page
