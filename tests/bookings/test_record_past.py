"""Recording a past assignment (afterwards.record_past_assignment, views/afterwards.record_past): one
form makes the assignment (done, recorded afterwards) and its expert's completed booking, or nothing."""

import html
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditAction, AuditEvent
from bookings.afterwards import record_past_assignment
from bookings.models import Assignment, AssignmentStatus, Booking, BookingStatus, ExpenseLine, Tariff
from bookings.services import BookingError, Expense
from experts.models import TaskType
from notifications.models import Notification
from tests.factories import AssignmentFactory, BookingFactory, ExpertProfileFactory, UserFactory

URL = reverse("bookings:record_past")
HELSINKI = ZoneInfo("Europe/Helsinki")
FORM_KEY = "a" * 32


@pytest.fixture
def signed_in(client, coordinator):
    client.force_login(coordinator)
    client.cookies["kp_language"] = "en"
    return client


@pytest.fixture
def aino(db):
    return ExpertProfileFactory(display_name="Aino Ärväs-Öhman")


def last_week() -> date:
    return timezone.localdate() - timedelta(days=7)


def at(day: date, clock: time) -> datetime:
    return datetime.combine(day, clock, tzinfo=HELSINKI)


def hourly() -> Tariff:
    return Tariff.objects.filter(kind="hourly", is_active=True).order_by("order", "pk").first()


def form_data(coordinator, profile, **changes) -> dict:
    """Last week 12.00–15.00 at the hourly tariff (25 €/h): 3 hours, 75 €."""
    data = {
        "form_key": FORM_KEY,
        "title": "Vastaanottovuoro puhelimitse sovittu",
        "task_type": TaskType.objects.get(slug="luento").pk,
        "date": last_week().strftime("%d.%m.%Y"),
        "start_time": "12.00",
        "end_time": "15.00",
        "address": "Terveyskeskus, Lahti",
        "unit": "Lahden terveyskeskus",
        "contact_person": coordinator.pk,
        "tariff": hourly().pk,
        "expert": profile.pk,
        "hours": "",
        "fee": "",
        "fee_note": "",
        "travel_km": "",
        "ticket_amount": "",
        "meals": "",
        "other_amount": "",
        "other_note": "",
    }
    data.update(changes)
    return data


def page_of(response) -> str:
    return html.unescape(response.content.decode())


def nothing_saved():
    return not Assignment.objects.exists() and not Booking.objects.exists() and not ExpenseLine.objects.exists()


# --- Access --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["expert", "trainer"])
def test_only_coordinators_record(client, request, role, aino, coordinator):
    client.force_login(request.getfixturevalue(role))
    assert client.get(URL).status_code == 403
    assert client.post(URL, form_data(coordinator, aino)).status_code == 403
    assert nothing_saved()


@pytest.mark.django_db
def test_the_assignment_list_links_to_the_form(signed_in):
    assert URL in page_of(signed_in.get(reverse("bookings:assignment_list")))


@pytest.mark.django_db
def test_the_form_offers_consented_experts_by_name(signed_in, aino):
    unlisted = ExpertProfileFactory(display_name="Ei suostumusta", consent=False)
    response = signed_in.get(URL)
    choices = [label for _value, label in response.context["form"].fields["expert"].choices]
    assert "Aino Ärväs-Öhman" in choices and unlisted.display_name not in choices


# --- Recording -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_recording_makes_a_done_assignment_with_a_completed_booking(signed_in, coordinator, aino):
    response = signed_in.post(URL, form_data(coordinator, aino, travel_km="40", meals="1"))

    assignment = Assignment.objects.get()
    assert response.status_code == 302 and response["Location"] == assignment.get_absolute_url()
    assert (assignment.status, assignment.recorded_afterwards, assignment.created_by) == (
        AssignmentStatus.DONE,
        True,
        coordinator,
    )
    assert (assignment.starts_at, assignment.ends_at) == (at(last_week(), time(12)), at(last_week(), time(15)))
    booking = Booking.objects.get()
    assert (booking.expert, booking.status) == (aino, BookingStatus.COMPLETED)
    assert (booking.during.lower, booking.during.upper) == (assignment.starts_at, assignment.ends_at)
    # The hours from the times, the fee by the tariff (25 €/h), km and meal by theirs (0.55 €/km, 13.25 €).
    assert (booking.hours, booking.fee_computed, booking.fee, booking.fee_waived) == (
        Decimal("3.00"),
        Decimal("75.00"),
        Decimal("75.00"),
        False,
    )
    assert booking.completed_at is not None and booking.confirmed_at is not None
    assert sorted((line.kind, line.amount) for line in booking.expense_lines.all()) == [
        ("meal", Decimal("13.25")),
        ("travel_km", Decimal("22.00")),
    ]


@pytest.mark.django_db
def test_recording_asks_the_expert_how_it_went_and_is_audited(signed_in, coordinator, aino):
    signed_in.post(URL, form_data(coordinator, aino))
    booking = Booking.objects.get()
    assert Notification.objects.for_target(booking).filter(kind="bookings.check_in", recipient=aino.user).exists()
    event = AuditEvent.objects.get(what="assignment recorded afterwards")
    assert (event.actor, event.subject, event.action) == (coordinator, aino.user, AuditAction.CHANGE)


@pytest.mark.django_db
def test_the_assignment_page_says_it_was_recorded_afterwards(signed_in, coordinator, aino):
    response = signed_in.post(URL, form_data(coordinator, aino), follow=True)
    page = page_of(response)
    assert "The assignment was recorded as done." in page
    assert "Recorded afterwards" in page
    assert reverse("bookings:booking_correct", args=[Booking.objects.get().pk]) in page


@pytest.mark.django_db
def test_given_hours_are_paid_by_the_tariff(signed_in, coordinator, aino):
    signed_in.post(URL, form_data(coordinator, aino, hours="3,5"))
    booking = Booking.objects.get()
    assert (booking.hours, booking.fee) == (Decimal("3.50"), Decimal("87.50"))


@pytest.mark.django_db
def test_a_different_fee_needs_a_reason(signed_in, coordinator, aino):
    response = signed_in.post(URL, form_data(coordinator, aino, fee="100"))
    assert response.status_code == 200
    assert "Give a reason when the fee differs from the tariff." in page_of(response)
    assert nothing_saved()

    signed_in.post(URL, form_data(coordinator, aino, fee="100", fee_note="Sovittu puhelimessa."))
    booking = Booking.objects.get()
    assert (booking.fee_computed, booking.fee, booking.fee_note) == (
        Decimal("75.00"),
        Decimal("100.00"),
        "Sovittu puhelimessa.",
    )


@pytest.mark.django_db
def test_a_waived_fee_is_zero(signed_in, coordinator, aino):
    signed_in.post(URL, form_data(coordinator, aino, fee_waived="on"))
    booking = Booking.objects.get()
    assert (booking.fee, booking.fee_waived, booking.fee_computed) == (Decimal("0.00"), True, Decimal("75.00"))


@pytest.mark.django_db
def test_an_expert_paused_now_can_still_be_recorded(signed_in, coordinator):
    paused = ExpertProfileFactory(status="paused")
    signed_in.post(URL, form_data(coordinator, paused))
    assert Booking.objects.get().expert == paused


# --- Bad input: a form error and nothing saved -------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"date": (timezone.localdate() + timedelta(days=1)).isoformat()},
            "date",
            "The assignment must have ended already.",
        ),
        ({"end_time": "11.00"}, "end_time", "The end time must be after the start time."),
        ({"date": "31.02.2026"}, "date", "Enter a valid date."),
        ({"fee": "-5"}, "fee", "The amount cannot be negative."),
        ({"ticket_amount": "-5"}, "ticket_amount", "The amount cannot be negative."),
        ({"travel_km": "-3"}, "travel_km", "Ensure this value is greater than or equal to 0"),
        ({"hours": "0"}, "hours", "Ensure this value is greater than or equal to 0.25"),
        ({"hours": "abc"}, "hours", "Enter a number."),
        ({"other_amount": "12"}, "other_note", "Tell what the other costs were."),
        ({"title": ""}, "title", "This field is required."),
        ({"expert": ""}, "expert", "This field is required."),
        ({"expert": "999999"}, "expert", "Select a valid choice."),
    ],
)
def test_bad_input_is_a_form_error_and_saves_nothing(signed_in, coordinator, aino, changes, field, message):
    response = signed_in.post(URL, form_data(coordinator, aino, **changes))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert nothing_saved()


@pytest.mark.django_db
def test_an_unconsented_expert_cannot_be_chosen(signed_in, coordinator):
    unlisted = ExpertProfileFactory(consent=False)
    response = signed_in.post(URL, form_data(coordinator, unlisted))
    assert "Select a valid choice." in " ".join(response.context["form"].errors["expert"])
    assert nothing_saved()


@pytest.mark.django_db
def test_an_overlapping_booking_of_the_expert_is_a_form_error_and_leaves_no_assignment(signed_in, coordinator, aino):
    other = AssignmentFactory(
        contact_person=coordinator,
        starts_at=at(last_week(), time(14)),
        ends_at=at(last_week(), time(16)),
        status=AssignmentStatus.DONE,
    )
    BookingFactory(assignment=other, expert=aino, status=BookingStatus.COMPLETED, with_fee=True)

    response = signed_in.post(URL, form_data(coordinator, aino, travel_km="10"))

    assert response.status_code == 200
    assert "The expert already has an assignment at that time." in page_of(response)
    assert list(Assignment.objects.all()) == [other]
    assert Booking.objects.count() == 1 and not ExpenseLine.objects.exists()
    assert not AuditEvent.objects.filter(what="assignment recorded afterwards").exists()
    # The same form, corrected, can be sent again: the refusal freed its one-time key.
    response = signed_in.post(URL, form_data(coordinator, aino, start_time="9.00", end_time="11.00"))
    assert response.status_code == 302
    assert Assignment.objects.count() == 2


@pytest.mark.django_db
def test_a_double_submit_records_one_assignment(signed_in, coordinator, aino):
    data = form_data(coordinator, aino, travel_km="12")
    first = signed_in.post(URL, data)
    second = signed_in.post(URL, data, follow=True)
    assert Assignment.objects.count() == 1 and Booking.objects.count() == 1 and ExpenseLine.objects.count() == 1
    assert second.redirect_chain[-1][0] == first["Location"]
    assert "This form was already sent: it was saved once." in page_of(second)


@pytest.mark.django_db
def test_a_post_without_the_form_key_is_refused(signed_in, coordinator, aino):
    response = signed_in.post(URL, form_data(coordinator, aino, form_key=""))
    assert "The form had expired. Check the details and send it again." in page_of(response)
    assert nothing_saved()


# --- The service ---------------------------------------------------------------------------------


def unsaved_assignment(coordinator, starts_at, ends_at) -> Assignment:
    return Assignment(
        title="Puhelimessa sovittu luento",
        task_type=TaskType.objects.get(slug="luento"),
        starts_at=starts_at,
        ends_at=ends_at,
        unit="Päihdepalvelut",
        contact_person=coordinator,
        tariff=hourly(),
    )


@pytest.mark.django_db
def test_the_service_refuses_an_assignment_that_has_not_ended(coordinator, aino):
    starts = timezone.now() - timedelta(hours=1)
    with pytest.raises(BookingError, match="The assignment has not ended yet."):
        record_past_assignment(
            assignment=unsaved_assignment(coordinator, starts, starts + timedelta(hours=2)),
            expert=aino,
            actor=coordinator,
        )
    assert nothing_saved()


@pytest.mark.django_db
def test_the_service_refuses_a_changed_fee_without_a_reason_and_saves_nothing(coordinator, aino):
    starts = timezone.now() - timedelta(days=2)
    with pytest.raises(BookingError, match="Give a reason"):
        record_past_assignment(
            assignment=unsaved_assignment(coordinator, starts, starts + timedelta(hours=2)),
            expert=aino,
            actor=coordinator,
            fee=Decimal("10"),
            expenses=[Expense("meal", Decimal("1"))],
        )
    assert nothing_saved()


@pytest.mark.django_db
def test_an_expert_confirmed_elsewhere_at_the_time_is_refused_by_the_constraint(coordinator, aino):
    starts = timezone.now() - timedelta(days=2)
    BookingFactory(
        assignment=AssignmentFactory(contact_person=coordinator, starts_at=starts, ends_at=starts + timedelta(hours=1)),
        expert=aino,
        status=BookingStatus.CONFIRMED,
    )
    with pytest.raises(BookingError, match="already has an assignment"):
        record_past_assignment(
            assignment=unsaved_assignment(coordinator, starts, starts + timedelta(hours=2)),
            expert=aino,
            actor=UserFactory(role="coordinator"),
        )
    assert Assignment.objects.count() == 1 and Booking.objects.count() == 1
