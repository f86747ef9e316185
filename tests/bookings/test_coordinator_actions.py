"""Coordinators' booking actions: invite (also from the search), confirm, cancel, complete, move, feedback."""

import html
from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bookings import services as booking_services
from bookings.models import AssignmentStatus, Booking, BookingStatus, ExpenseLine, PrivateFeedback
from tests.bookings.test_coordinator import invite, next_month_day
from tests.factories import AssignmentFactory, BookingFactory, ExpertProfileFactory

HELSINKI = timezone.get_default_timezone()
SEARCH = reverse("experts:index")


@pytest.fixture
def signed_in(client, coordinator):
    client.force_login(coordinator)
    client.cookies["kp_language"] = "en"
    return client


@pytest.fixture
def assignment(coordinator):
    starts = next_month_day(12, 10)
    return AssignmentFactory(contact_person=coordinator, starts_at=starts, ends_at=starts + timedelta(hours=2))


def page_of(response) -> str:
    return html.unescape(response.content.decode())


# --- Invite, also from the search ------------------------------------------------------------------


@pytest.mark.django_db
def test_search_for_an_open_assignment_offers_an_invite_button(signed_in, assignment):
    profile = ExpertProfileFactory(display_name="Säde")
    response = signed_in.get(SEARCH, {"for": assignment.pk})
    page = page_of(response)
    assert response.context["booking_for"] == assignment
    assert f'<input type="hidden" name="for" value="{assignment.pk}">' in page
    assert reverse("bookings:assignment_invite", args=[assignment.pk]) in page
    assert f"Invite to {assignment.title}" in page
    assert f'name="profile" value="{profile.pk}"' in page


@pytest.mark.django_db
def test_invite_from_the_search_returns_to_it_and_shows_already_invited(signed_in, assignment):
    profile = ExpertProfileFactory(display_name="Säde")
    search_url = f"{SEARCH}?for={assignment.pk}&q=S%C3%A4de"
    response = signed_in.post(
        reverse("bookings:assignment_invite", args=[assignment.pk]), {"profile": profile.pk, "next": search_url}
    )
    assert response.status_code == 302
    assert response.url == search_url
    booking = Booking.objects.get()
    assert (booking.expert, booking.status) == (profile, BookingStatus.INVITED)

    page = page_of(signed_in.get(search_url))
    assert "Säde was invited." in page
    assert "Already invited" in page
    assert f'name="profile" value="{profile.pk}"' not in page


@pytest.mark.django_db
def test_invite_twice_adds_no_second_booking(signed_in, assignment):
    profile = ExpertProfileFactory(display_name="Säde")
    url = reverse("bookings:assignment_invite", args=[assignment.pk])
    signed_in.post(url, {"profile": profile.pk})
    response = signed_in.post(url, {"profile": profile.pk}, follow=True)
    assert Booking.objects.count() == 1
    assert "Säde is already on this assignment." in page_of(response)


@pytest.mark.django_db
def test_invite_reports_refused_experts_with_the_reason(signed_in, assignment):
    fine = ExpertProfileFactory(display_name="Aino")
    paused = ExpertProfileFactory(display_name="Eero", status="paused")
    response = signed_in.post(
        reverse("bookings:assignment_invite", args=[assignment.pk]), {"profile": [fine.pk, paused.pk]}, follow=True
    )
    page = page_of(response)
    assert list(Booking.objects.values_list("expert", flat=True)) == [fine.pk]
    assert "Aino was invited." in page
    assert "Eero could not be invited: The expert has paused their assignments." in page


@pytest.mark.django_db
def test_invite_refuses_an_outside_next_url(signed_in, assignment):
    response = signed_in.post(
        reverse("bookings:assignment_invite", args=[assignment.pk]),
        {"profile": ExpertProfileFactory().pk, "next": "https://example.com/"},
    )
    assert response.url == assignment.get_absolute_url()


@pytest.mark.django_db
def test_invite_to_a_filled_assignment_shows_the_services_message(signed_in, assignment):
    assignment.status = AssignmentStatus.FILLED
    assignment.save()
    response = signed_in.post(
        reverse("bookings:assignment_invite", args=[assignment.pk]), {"profile": ExpertProfileFactory().pk}, follow=True
    )
    assert "The assignment is no longer looking for experts." in page_of(response)
    assert not Booking.objects.exists()


@pytest.mark.django_db
def test_search_for_a_closed_assignment_has_no_invite_buttons(signed_in, assignment):
    ExpertProfileFactory()
    assignment.status = AssignmentStatus.CANCELLED
    assignment.save()
    response = signed_in.get(SEARCH, {"for": assignment.pk})
    assert "booking_for" not in response.context
    assert reverse("bookings:assignment_invite", args=[assignment.pk]) not in page_of(response)


@pytest.mark.django_db
def test_search_cards_offer_booking_for_a_new_assignment(signed_in):
    profile = ExpertProfileFactory()
    page = page_of(signed_in.get(SEARCH))
    assert f"{reverse('bookings:assignment_create')}?expert={profile.pk}" in page


@pytest.mark.django_db
def test_search_for_adds_queries_only_in_that_branch(signed_in, assignment):
    ExpertProfileFactory()
    signed_in.get(SEARCH)  # the first request after signing in renews the session (three queries)
    with CaptureQueriesContext(connection) as plain:
        signed_in.get(SEARCH)
    with CaptureQueriesContext(connection) as with_for:
        signed_in.get(SEARCH, {"for": assignment.pk})
    # The assignment, the ids of the experts already on it, and the page's experts' weekly hours (is the
    # assignment outside them: tests/bookings/test_availability_warnings.py).
    assert len(with_for) == len(plain) + 3


# --- Confirm ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_confirm_an_accepted_expert(signed_in, coordinator, assignment):
    booking = invite(assignment, coordinator, ExpertProfileFactory(display_name="Päivi"), accept=True)
    response = signed_in.post(reverse("bookings:booking_confirm", args=[booking.pk]), follow=True)
    booking.refresh_from_db()
    assignment.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED
    assert assignment.status == AssignmentStatus.FILLED
    assert "Päivi is confirmed." in page_of(response)


@pytest.mark.django_db
def test_a_second_confirm_shows_the_services_message(signed_in, coordinator, assignment):
    booking = invite(assignment, coordinator, ExpertProfileFactory(), accept=True)
    url = reverse("bookings:booking_confirm", args=[booking.pk])
    signed_in.post(url)
    response = signed_in.post(url, follow=True)
    assert response.status_code == 200
    assert "Only an expert who has accepted can be confirmed." in page_of(response)
    assert Booking.objects.get().status == BookingStatus.CONFIRMED


@pytest.mark.django_db
def test_confirm_over_the_earnings_limit_asks_first_then_confirms(signed_in, coordinator, assignment):
    profile = ExpertProfileFactory(display_name="Jyrki", monthly_earnings_limit=Decimal("40.00"))
    booking = invite(assignment, coordinator, profile, accept=True)
    url = reverse("bookings:booking_confirm", args=[booking.pk])

    response = signed_in.post(url)

    page = page_of(response)
    assert response.status_code == 200
    assert "over their limit of €40.00" in page
    assert 'name="acknowledge" value="1"' in page
    booking.refresh_from_db()
    assert booking.status == BookingStatus.ACCEPTED

    signed_in.post(url, {"acknowledge": "1"})
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED


def another_confirmed(coordinator, profile, starts):
    other = AssignmentFactory(
        contact_person=coordinator, title="Toinen", starts_at=starts, ends_at=starts + timedelta(hours=2)
    )
    booking = invite(other, coordinator, profile, accept=True)
    return booking_services.confirm_booking(booking=booking, actor=coordinator)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("situation", "reason"),
    [
        ("over_cap", "The expert's monthly limit of 1 assignments is already reached."),
        ("paused", "The expert has paused their assignments."),
        ("double_booked", "The expert already has an assignment at that time."),
    ],
)
def test_confirm_of_an_unbookable_expert_shows_the_reason(signed_in, coordinator, assignment, situation, reason):
    profile = ExpertProfileFactory()
    booking = invite(assignment, coordinator, profile, accept=True)
    if situation == "over_cap":
        profile.monthly_cap = 1
        profile.save()
        another_confirmed(coordinator, profile, next_month_day(20, 10))
    elif situation == "paused":
        profile.status = "paused"
        profile.save()
    else:
        another_confirmed(coordinator, profile, assignment.starts_at + timedelta(hours=1))

    response = signed_in.post(reverse("bookings:booking_confirm", args=[booking.pk]), follow=True)

    assert response.status_code == 200
    assert reason in page_of(response)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.ACCEPTED


# --- Cancel ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_cancel_a_confirmed_booking_with_a_reason(signed_in, coordinator, assignment):
    booking = invite(assignment, coordinator, ExpertProfileFactory(display_name="Åsa"), accept=True)
    booking_services.confirm_booking(booking=booking, actor=coordinator)
    url = reverse("bookings:booking_cancel", args=[booking.pk])
    page = page_of(signed_in.get(url))
    assert "<legend>Reason</legend>" in page
    assert 'value="illness"' in page

    response = signed_in.post(url, {"reason": "not_needed", "note": "Luento siirtyi keväälle."}, follow=True)

    booking.refresh_from_db()
    assignment.refresh_from_db()
    assert (booking.status, booking.cancel_reason, booking.cancel_note) == (
        BookingStatus.CANCELLED,
        "not_needed",
        "Luento siirtyi keväälle.",
    )
    assert not booking.cancelled_by_expert
    assert assignment.status == AssignmentStatus.OPEN  # filled again opens
    assert "The booking of Åsa was cancelled." in page_of(response)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "error"),
    [({}, "This field is required."), ({"reason": "other", "note": " "}, "Tell the reason in a few words.")],
)
def test_cancel_needs_a_reason(signed_in, coordinator, assignment, data, error):
    booking = invite(assignment, coordinator, ExpertProfileFactory())
    response = signed_in.post(reverse("bookings:booking_cancel", args=[booking.pk]), data)
    assert response.status_code == 200
    assert error in page_of(response)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.INVITED


@pytest.mark.django_db
def test_cancel_of_a_cancelled_booking_says_so(signed_in, coordinator, assignment):
    booking = invite(assignment, coordinator, ExpertProfileFactory())
    url = reverse("bookings:booking_cancel", args=[booking.pk])
    signed_in.post(url, {"reason": "schedule"})
    response = signed_in.post(url, {"reason": "schedule"}, follow=True)
    assert "This booking can no longer be cancelled." in page_of(response)


@pytest.mark.django_db
def test_cancel_the_whole_assignment(signed_in, coordinator, assignment):
    invited = invite(assignment, coordinator, ExpertProfileFactory())
    url = reverse("bookings:assignment_cancel", args=[assignment.pk])
    response = signed_in.post(url, {"reason": "not_needed", "note": ""}, follow=True)
    assignment.refresh_from_db()
    invited.refresh_from_db()
    assert assignment.status == AssignmentStatus.CANCELLED
    assert assignment.cancel_reason == "not_needed"
    assert invited.status == BookingStatus.CANCELLED
    assert "The assignment was cancelled." in page_of(response)
    # Again: the service refuses, shown on the form.
    response = signed_in.post(url, {"reason": "not_needed"})
    assert "This assignment can no longer be cancelled." in page_of(response)


# --- Complete --------------------------------------------------------------------------------------


@pytest.fixture
def begun(coordinator):
    """A confirmed booking of a two-hour assignment at the hourly tariff (25 €/h) that began 4 hours ago."""
    past = AssignmentFactory(contact_person=coordinator, starts_in=-timedelta(hours=4))
    # Confirmed directly: the services confirm only assignments still to come.
    aino = ExpertProfileFactory(display_name="Aino")
    return BookingFactory(assignment=past, expert=aino, status=BookingStatus.CONFIRMED)


def complete(client, booking, **data):
    values = {"outcome": "completed", "hours": "2,00", "fee": "50,00"}
    values.update(data)
    return client.post(reverse("bookings:booking_complete", args=[booking.pk]), values, follow=True)


@pytest.mark.django_db
def test_complete_form_defaults_to_the_assignments_hours_and_the_tariffs_fee(signed_in, begun):
    form = signed_in.get(reverse("bookings:booking_complete", args=[begun.pk])).context["form"]
    assert form["hours"].value() == Decimal("2.00")
    assert form["fee"].value() == "50.00"
    assert form["outcome"].value() == "completed"


@pytest.mark.django_db
def test_complete_with_the_tariffs_fee_and_expenses(signed_in, begun):
    response = complete(signed_in, begun, travel_km="42,5", ticket_amount="6,40", meals="1")
    begun.refresh_from_db()
    assert begun.status == BookingStatus.COMPLETED
    assert (begun.hours, begun.fee, begun.fee_computed, begun.fee_waived) == (
        Decimal("2.00"),
        Decimal("50.00"),
        Decimal("50.00"),
        False,
    )
    lines = {line.kind: (line.quantity, line.amount) for line in ExpenseLine.objects.filter(booking=begun)}
    assert lines == {
        "travel_km": (Decimal("42.50"), Decimal("23.38")),  # 0.55 €/km
        "ticket": (Decimal("1.00"), Decimal("6.40")),
        "meal": (Decimal("1.00"), Decimal("13.25")),
    }
    assert "The outcome was recorded: Aino." in page_of(response)
    begun.assignment.refresh_from_db()
    assert begun.assignment.status == AssignmentStatus.DONE


@pytest.mark.django_db
def test_more_hours_with_the_fee_untouched_follow_the_tariff(signed_in, begun):
    complete(signed_in, begun, hours="3")
    begun.refresh_from_db()
    assert (begun.hours, begun.fee) == (Decimal("3.00"), Decimal("75.00"))


@pytest.mark.django_db
def test_a_changed_fee_needs_a_reason(signed_in, begun):
    response = complete(signed_in, begun, fee="80")
    assert "Give a reason when the fee differs from the tariff." in page_of(response)
    begun.refresh_from_db()
    assert begun.status == BookingStatus.CONFIRMED

    complete(signed_in, begun, fee="80", fee_note="Valmisteluun kului lisäaikaa.")
    begun.refresh_from_db()
    assert (begun.fee, begun.fee_computed, begun.fee_note) == (
        Decimal("80.00"),
        Decimal("50.00"),
        "Valmisteluun kului lisäaikaa.",
    )


@pytest.mark.django_db
def test_fee_waived(signed_in, begun):
    complete(signed_in, begun, fee_waived="on")
    begun.refresh_from_db()
    assert (begun.status, begun.fee, begun.fee_waived) == (BookingStatus.COMPLETED, Decimal("0.00"), True)


@pytest.mark.django_db
def test_other_costs_need_a_note(signed_in, begun):
    response = complete(signed_in, begun, other_amount="12")
    assert "Tell what the other costs were." in page_of(response)
    complete(signed_in, begun, other_amount="12", other_note="Pysäköinti")
    line = ExpenseLine.objects.get(booking=begun)
    assert (line.kind, line.amount, line.note) == ("other", Decimal("12.00"), "Pysäköinti")


@pytest.mark.django_db
def test_not_completed(signed_in, begun):
    complete(signed_in, begun, outcome="not_completed", not_completed_reason="no_show", travel_km="10")
    begun.refresh_from_db()
    assert (begun.status, begun.not_completed_reason) == (BookingStatus.NOT_COMPLETED, "no_show")
    assert begun.fee is None
    assert not ExpenseLine.objects.exists()


@pytest.mark.django_db
def test_a_second_complete_changes_nothing(signed_in, begun):
    complete(signed_in, begun, travel_km="10")
    response = complete(signed_in, begun, travel_km="10")
    assert "Only a confirmed booking can be marked completed or not completed." in page_of(response)
    assert ExpenseLine.objects.count() == 1


@pytest.mark.django_db
def test_complete_before_the_assignment_has_begun_is_refused(signed_in, coordinator, assignment):
    booking = invite(assignment, coordinator, ExpertProfileFactory(), accept=True)
    booking_services.confirm_booking(booking=booking, actor=coordinator)
    response = signed_in.get(reverse("bookings:booking_complete", args=[booking.pk]), follow=True)
    assert "Only a confirmed booking whose assignment has ended can be marked completed." in page_of(response)
    response = complete(signed_in, booking)
    assert "The assignment has not ended yet." in page_of(response)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED


# --- Move ------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_move_the_assignment(signed_in, coordinator, assignment):
    booking = invite(assignment, coordinator, ExpertProfileFactory(), accept=True)
    booking_services.confirm_booking(booking=booking, actor=coordinator)
    day = next_month_day(14, 0).date()
    url = reverse("bookings:assignment_move", args=[assignment.pk])
    assert signed_in.get(url).context["form"]["start_time"].value() == time(10, 0)

    response = signed_in.post(url, {"date": day.strftime("%d.%m.%Y"), "start_time": "12.15", "end_time": "13.45"})

    assert response.status_code == 302
    assignment.refresh_from_db()
    booking.refresh_from_db()
    assert assignment.starts_at == datetime.combine(day, time(12, 15), HELSINKI)
    assert assignment.ends_at == datetime.combine(day, time(13, 45), HELSINKI)
    assert booking.during.lower == assignment.starts_at
    assert booking.sequence == 2


@pytest.mark.django_db
def test_move_onto_another_assignment_of_a_confirmed_expert_is_a_form_error(signed_in, coordinator, assignment):
    profile = ExpertProfileFactory()
    booking = invite(assignment, coordinator, profile, accept=True)
    booking_services.confirm_booking(booking=booking, actor=coordinator)
    other_starts = next_month_day(15, 9)
    another_confirmed(coordinator, profile, other_starts)
    before = assignment.starts_at

    response = signed_in.post(
        reverse("bookings:assignment_move", args=[assignment.pk]),
        {"date": other_starts.date().isoformat(), "start_time": "10:00", "end_time": "12:00"},
    )

    assert response.status_code == 200
    assert "A confirmed expert already has another assignment at the new time." in page_of(response)
    assignment.refresh_from_db()
    assert assignment.starts_at == before


# --- Private feedback ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_orderers_feedback_is_saved_and_can_be_changed(signed_in, begun, coordinator):
    booking_services.complete_booking(booking=begun, completed=True, hours=None, actor=coordinator)
    url = reverse("bookings:booking_feedback", args=[begun.pk])
    response = signed_in.post(url, {"text": "Puheenvuoro oli koskettava."}, follow=True)
    assert "Your feedback was saved." in page_of(response)
    signed_in.post(url, {"text": "Puheenvuoro oli koskettava ja selkeä."})
    feedback = PrivateFeedback.objects.get(booking=begun)
    assert (feedback.side, feedback.text, feedback.author) == (
        "orderer",
        "Puheenvuoro oli koskettava ja selkeä.",
        coordinator,
    )


@pytest.mark.django_db
def test_feedback_before_completion_shows_the_services_message(signed_in, begun):
    response = signed_in.post(reverse("bookings:booking_feedback", args=[begun.pk]), {"text": "Hyvä."}, follow=True)
    assert "Feedback can be given once the assignment is marked completed." in page_of(response)
    assert not PrivateFeedback.objects.exists()


@pytest.mark.django_db
def test_empty_feedback_is_a_form_error(signed_in, begun, coordinator):
    booking_services.complete_booking(booking=begun, completed=True, hours=None, actor=coordinator)
    response = signed_in.post(reverse("bookings:booking_feedback", args=[begun.pk]), {"text": ""})
    assert response.status_code == 200
    assert "This field is required." in page_of(response)
