"""Corrections of completed bookings (afterwards.correct_booking, views/afterwards.booking_correct):
each kept with what changed, why and by whom, shown on the assignment page, audited without values,
and never edited or deleted."""

import html
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from accounts.models import AuditAction, AuditEvent
from bookings.afterwards import correct_booking, describe
from bookings.models import BookingCorrection, BookingStatus, ExpenseKind, ExpenseLine
from bookings.services import BookingError, Expense
from tests.factories import AssignmentFactory, BookingFactory, ExpertProfileFactory

FORM_KEY = "k" * 32


@pytest.fixture
def booking(coordinator):
    """A completed two-hour booking at the hourly tariff (25 €/h: 50 €) with 10 km driven (5.50 €)."""
    assignment = AssignmentFactory(contact_person=coordinator, starts_in=-timedelta(days=3), status="done")
    profile = ExpertProfileFactory(display_name="Aino Ärväs-Öhman")
    completed = BookingFactory(assignment=assignment, expert=profile, status=BookingStatus.COMPLETED, with_fee=True)
    ExpenseLine.objects.create(booking=completed, kind=ExpenseKind.TRAVEL_KM, quantity=10, amount=Decimal("5.50"))
    return completed


@pytest.fixture
def signed_in(client, coordinator):
    client.force_login(coordinator)
    client.cookies["kp_language"] = "en"
    return client


def url_of(booking) -> str:
    return reverse("bookings:booking_correct", args=[booking.pk])


def correction_data(booking, **changes) -> dict:
    """The form as it opens (the booking's values), with `changes`."""
    data = {
        "form_key": FORM_KEY,
        "hours": "2,00",
        "fee": "50,00",
        "fee_note": "",
        "reason": "Asiantuntija oli paikalla kolme tuntia.",
    }
    data.update(changes)
    return data


def page_of(response) -> str:
    return html.unescape(response.content.decode())


# --- Access --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_anonymous_is_sent_to_sign_in(client, booking):
    response = client.get(url_of(booking))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["the expert", "trainer"])
def test_only_coordinators_correct(client, request, booking, who):
    client.force_login(booking.expert.user if who == "the expert" else request.getfixturevalue(who))
    assert client.get(url_of(booking)).status_code == 403
    assert client.post(url_of(booking), correction_data(booking, hours="3")).status_code == 403
    assert not BookingCorrection.objects.exists()


@pytest.mark.django_db
def test_a_booking_not_completed_cannot_be_corrected(signed_in, coordinator):
    confirmed = BookingFactory(
        assignment=AssignmentFactory(contact_person=coordinator, starts_in=-timedelta(days=1)),
        status=BookingStatus.CONFIRMED,
    )
    response = signed_in.post(url_of(confirmed), correction_data(confirmed, hours="3"), follow=True)
    assert "Only a completed booking can be corrected." in page_of(response)
    assert not BookingCorrection.objects.exists()
    with pytest.raises(BookingError):
        correct_booking(booking=confirmed, reason="Korjaus", hours=Decimal("3"), actor=coordinator)


@pytest.mark.django_db
def test_the_form_starts_from_the_booking(signed_in, booking):
    form = signed_in.get(url_of(booking)).context["form"]
    assert (form["hours"].value(), form["fee"].value()) == (Decimal("2.00"), "50.00")
    assert [label for _value, label in form.fields["remove_lines"].choices] == ["Travel by car (km): €5.50"]


# --- Correcting ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_more_hours_follow_the_tariff_and_the_correction_keeps_before_and_after(signed_in, booking, coordinator):
    response = signed_in.post(url_of(booking), correction_data(booking, hours="3"))

    assert response.status_code == 302
    assert response["Location"] == f"{booking.assignment.get_absolute_url()}#corrections-{booking.pk}"
    booking.refresh_from_db()
    assert (booking.hours, booking.fee_computed, booking.fee) == (Decimal("3.00"), Decimal("75.00"), Decimal("75.00"))
    correction = BookingCorrection.objects.get()
    assert correction.before == {"hours": "2.00", "fee_computed": "50.00", "fee": "50.00"}
    assert correction.after == {"hours": "3.00", "fee_computed": "75.00", "fee": "75.00"}
    assert (correction.reason, correction.corrected_by) == ("Asiantuntija oli paikalla kolme tuntia.", coordinator)


@pytest.mark.django_db
def test_a_correction_is_audited_by_field_names_only(signed_in, booking, coordinator):
    signed_in.post(url_of(booking), correction_data(booking, hours="3"))
    event = AuditEvent.objects.get(what="booking corrected")
    assert (event.actor, event.subject, event.action) == (coordinator, booking.expert.user, AuditAction.CHANGE)
    assert event.fields == ["fee", "fee_computed", "hours"]


@pytest.mark.django_db
def test_a_fee_set_by_hand_needs_a_reason(signed_in, booking):
    response = signed_in.post(url_of(booking), correction_data(booking, fee="60"))
    assert response.status_code == 200
    assert "Give a reason when the fee differs from the tariff." in page_of(response)
    assert not BookingCorrection.objects.exists()

    signed_in.post(url_of(booking), correction_data(booking, fee="60", fee_note="Valmistelu 30 min."))
    booking.refresh_from_db()
    assert (booking.fee, booking.fee_computed, booking.fee_note) == (
        Decimal("60.00"),
        Decimal("50.00"),
        "Valmistelu 30 min.",
    )
    assert BookingCorrection.objects.get().after == {"fee": "60.00", "fee_note": "Valmistelu 30 min."}


@pytest.mark.django_db
def test_a_fee_set_by_hand_stays_when_only_the_hours_change(signed_in, booking, coordinator):
    correct_booking(
        booking=booking, reason="Sovittu", hours=Decimal("2"), fee=Decimal("60"), fee_note="Sovittu", actor=coordinator
    )
    signed_in.post(url_of(booking), correction_data(booking, hours="3", fee="60,00", fee_note="Sovittu"))
    booking.refresh_from_db()
    assert (booking.hours, booking.fee_computed, booking.fee) == (Decimal("3.00"), Decimal("75.00"), Decimal("60.00"))


@pytest.mark.django_db
def test_waiving_and_unwaiving_the_fee(signed_in, booking):
    signed_in.post(url_of(booking), correction_data(booking, fee_waived="on", form_key="w" * 32))
    booking.refresh_from_db()
    assert (booking.fee, booking.fee_waived) == (Decimal("0.00"), True)
    # Unticked with the amount untouched (0,00): the fee follows the tariff again.
    signed_in.post(url_of(booking), correction_data(booking, fee="0,00", form_key="u" * 32))
    booking.refresh_from_db()
    assert (booking.fee, booking.fee_waived) == (Decimal("50.00"), False)
    assert BookingCorrection.objects.count() == 2


@pytest.mark.django_db
def test_expense_lines_are_removed_and_added(signed_in, booking):
    line = booking.expense_lines.get()
    signed_in.post(
        url_of(booking), correction_data(booking, remove_lines=[line.pk], travel_km="40", ticket_amount="6,40")
    )
    assert sorted((row.kind, row.quantity, row.amount) for row in booking.expense_lines.all()) == [
        ("ticket", Decimal("1.00"), Decimal("6.40")),
        ("travel_km", Decimal("40.00"), Decimal("22.00")),
    ]
    correction = BookingCorrection.objects.get()
    assert set(correction.before) == set(correction.after) == {"expenses"}
    assert [item["amount"] for item in correction.before["expenses"]] == ["5.50"]
    assert [item["amount"] for item in correction.after["expenses"]] == ["22.00", "6.40"]
    # Shown as the difference: the line removed, the lines added.
    with translation.override("en"):
        changes = [(change.label, change.before, change.after) for change in describe(correction).changes]
    assert changes == [
        ("Expenses removed", None, "Travel by car (km) × 10: €5.50"),
        ("Expenses added", None, "Travel by car (km) × 40: €22.00; Travel by ticket: €6.40"),
    ]


@pytest.mark.django_db
def test_the_assignment_page_lists_each_correction(signed_in, booking, coordinator):
    coordinator.first_name, coordinator.last_name = "Kaisa", "Koordinaattori"
    coordinator.save()
    signed_in.post(url_of(booking), correction_data(booking, hours="3"))
    line = booking.expense_lines.get()
    signed_in.post(
        url_of(booking),
        correction_data(
            booking,
            hours="3",
            fee="75,00",
            remove_lines=[line.pk],
            form_key="x" * 32,
            reason="Ei ajanut omalla autolla.",
        ),
    )

    page = page_of(signed_in.get(booking.assignment.get_absolute_url()))

    assert "Corrected 2 times" in page and f'id="corrections-{booking.pk}"' in page
    assert "Kaisa Koordinaattori" in page
    assert "Asiantuntija oli paikalla kolme tuntia." in page and "Ei ajanut omalla autolla." in page
    changed = '<span aria-hidden="true">→</span><span class="visually-hidden">changed to</span>'
    assert f"<strong>Hours</strong>: 2 h {changed} 3 h" in page
    assert "<strong>Expenses removed</strong>: Travel by car (km) × 10: €5.50" in page
    assert reverse("bookings:booking_correct", args=[booking.pk]) in page


# --- Refused ----------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"reason": ""}, "reason", "This field is required."),
        ({"hours": "-1"}, "hours", "Ensure this value is greater than or equal to 0.25"),
        ({"fee": "-10"}, "fee", "The amount cannot be negative."),
        ({"travel_km": "-5"}, "travel_km", "Ensure this value is greater than or equal to 0"),
        ({"other_amount": "3"}, "other_note", "Tell what the other costs were."),
        ({"remove_lines": ["999999"]}, "remove_lines", "Select a valid choice."),
    ],
)
def test_bad_input_is_a_form_error_and_changes_nothing(signed_in, booking, changes, field, message):
    response = signed_in.post(url_of(booking), correction_data(booking, **{"hours": "3", **changes}))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    booking.refresh_from_db()
    assert (booking.hours, booking.fee) == (Decimal("2.00"), Decimal("50.00"))
    assert not BookingCorrection.objects.exists()


@pytest.mark.django_db
def test_another_bookings_expense_line_cannot_be_removed(signed_in, booking, coordinator):
    other = BookingFactory(
        assignment=AssignmentFactory(contact_person=coordinator, starts_in=-timedelta(days=5)),
        status=BookingStatus.COMPLETED,
        with_fee=True,
    )
    foreign = ExpenseLine.objects.create(booking=other, kind=ExpenseKind.MEAL, amount=Decimal("13.25"))
    response = signed_in.post(url_of(booking), correction_data(booking, remove_lines=[foreign.pk]))
    assert "Select a valid choice." in " ".join(response.context["form"].errors["remove_lines"])
    assert ExpenseLine.objects.filter(pk=foreign.pk).exists()


@pytest.mark.django_db
def test_a_correction_that_changes_nothing_is_refused(signed_in, booking):
    response = signed_in.post(url_of(booking), correction_data(booking))
    assert response.status_code == 200
    assert "Nothing was changed: the booking is as it was." in page_of(response)
    assert not BookingCorrection.objects.exists()


@pytest.mark.django_db
def test_the_service_wants_a_reason(booking, coordinator):
    with pytest.raises(BookingError, match="Tell why"):
        correct_booking(booking=booking, reason="  ", hours=Decimal("3"), actor=coordinator)
    booking.refresh_from_db()
    assert booking.hours == Decimal("2.00")


@pytest.mark.django_db
def test_the_service_refuses_a_changed_fee_without_a_reason_and_keeps_the_lines(booking, coordinator):
    line = booking.expense_lines.get()
    with pytest.raises(BookingError, match="Give a reason"):
        correct_booking(
            booking=booking,
            reason="Korjaus",
            hours=Decimal("2"),
            fee=Decimal("1"),
            remove_lines=[line.pk],
            expenses=[Expense("meal", Decimal("1"))],
            actor=coordinator,
        )
    assert list(booking.expense_lines.all()) == [line]


@pytest.mark.django_db
def test_a_double_submit_corrects_once(signed_in, booking):
    data = correction_data(booking, hours="3", travel_km="5")
    signed_in.post(url_of(booking), data)
    response = signed_in.post(url_of(booking), data, follow=True)
    assert "This form was already sent: it was saved once." in page_of(response)
    assert BookingCorrection.objects.count() == 1
    assert booking.expense_lines.count() == 2


# --- Kept as they were ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_corrections_are_read_only_in_admin(client, admin_user, booking, coordinator):
    correction = correct_booking(booking=booking, reason="Korjaus", hours=Decimal("3"), actor=coordinator)
    client.force_login(admin_user)
    change = reverse("admin:bookings_bookingcorrection_change", args=[correction.pk])
    assert client.get(change).status_code == 200
    assert client.post(change, {"reason": "Muutettu"}).status_code == 403
    delete = reverse("admin:bookings_bookingcorrection_delete", args=[correction.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    correction.refresh_from_db()
    assert correction.reason == "Korjaus"
