"""The booking state machine (services_booking): every allowed and refused transition and its effects."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from bookings import services as booking_services
from bookings.earnings import earnings_of
from bookings.models import AssignmentStatus, BookingStatus
from bookings.services import BookingError, EarningsWarning, Expense
from experts.models import BlockedPeriod, ProfileStatus
from notifications.models import Notification
from tests.factories import AssignmentFactory, ExpertProfileFactory


@pytest.fixture
def assignment(coordinator):
    return AssignmentFactory(contact_person=coordinator)


def invite(assignment, coordinator, *profiles):
    invited, refused = booking_services.invite_experts(assignment=assignment, profiles=profiles, actor=coordinator)
    return invited, refused


def kinds_of(booking):
    return sorted(Notification.objects.for_target(booking).filter(status="pending").values_list("kind", flat=True))


@pytest.mark.django_db
def test_invited_expert_accepts_and_is_confirmed(assignment, coordinator):
    expert = ExpertProfileFactory()
    (booking,), refused = invite(assignment, coordinator, expert)
    assert refused == {}
    assert booking.status == BookingStatus.INVITED
    assert kinds_of(booking) == [
        "bookings.invitation",
        "bookings.invitation_reminder",
        "bookings.unanswered",
    ]
    booking_services.answer_invitation(booking=booking, accept=True)
    booking = booking_services.confirm_booking(booking=booking, actor=coordinator)
    assert booking.status == BookingStatus.CONFIRMED
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.FILLED
    # The answer reminders are gone; the invitation itself (not yet sent here) still goes.
    assert kinds_of(booking) == [
        "bookings.answered",
        "bookings.confirmed",
        "bookings.invitation",
        "bookings.reminder_early",
        "bookings.reminder_late",
    ]
    expert.refresh_from_db()
    assert expert.recent_assignments == 1


@pytest.mark.django_db
def test_declining_keeps_the_reason_and_stops_the_reminders(assignment, coordinator):
    (booking,), _ = invite(assignment, coordinator, ExpertProfileFactory())
    booking_services.answer_invitation(booking=booking, accept=False, note="Olen silloin lomalla.")
    booking.refresh_from_db()
    assert (booking.status, booking.answer_note) == (BookingStatus.DECLINED, "Olen silloin lomalla.")
    assert "bookings.invitation_reminder" not in kinds_of(booking)
    assert "bookings.unanswered" not in kinds_of(booking)


@pytest.mark.django_db
def test_an_invitation_is_answered_once(assignment, coordinator):
    (booking,), _ = invite(assignment, coordinator, ExpertProfileFactory())
    booking_services.answer_invitation(booking=booking, accept=True)
    with pytest.raises(BookingError):
        booking_services.answer_invitation(booking=booking, accept=False)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.ACCEPTED


@pytest.mark.django_db
def test_inviting_twice_adds_no_second_row(assignment, coordinator):
    expert = ExpertProfileFactory()
    invite(assignment, coordinator, expert)
    invited, refused = invite(assignment, coordinator, expert)
    assert (invited, refused) == ([], {})
    assert assignment.bookings.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "setup, reason",
    [
        (lambda p, a: setattr(p, "status", ProfileStatus.PAUSED), "paused"),
        (lambda p, a: setattr(p, "status", ProfileStatus.LEFT), "left"),
        (
            lambda p, a: BlockedPeriod.objects.create(
                profile=p, start=timezone.localdate(a.starts_at), end=timezone.localdate(a.starts_at)
            ),
            "not available on that date",
        ),
        (lambda p, a: setattr(p, "consent_version", None), "consent"),
    ],
)
def test_unbookable_experts_are_refused_with_the_reason(assignment, coordinator, setup, reason):
    expert = ExpertProfileFactory()
    setup(expert, assignment)
    expert.save()
    invited, refused = invite(assignment, coordinator, expert)
    assert invited == []
    assert reason in refused[expert.pk]


@pytest.mark.django_db
def test_a_pause_that_ends_before_the_day_allows_booking(assignment, coordinator):
    expert = ExpertProfileFactory(
        status=ProfileStatus.PAUSED, paused_until=timezone.localdate(assignment.starts_at) - timedelta(days=1)
    )
    invited, _ = invite(assignment, coordinator, expert)
    assert len(invited) == 1


def accepted(assignment, coordinator, expert):
    (booking,), _ = invite(assignment, coordinator, expert)
    return booking_services.answer_invitation(booking=booking, accept=True)


@pytest.mark.django_db
def test_the_monthly_cap_stops_confirming(coordinator):
    expert = ExpertProfileFactory(monthly_cap=1)
    first = AssignmentFactory(contact_person=coordinator, starts_in=timedelta(days=3))
    second = AssignmentFactory(contact_person=coordinator, starts_in=timedelta(days=3, hours=5))
    # Invited before the first is confirmed, so the cap is checked again at confirmation.
    one, two = accepted(first, coordinator, expert), accepted(second, coordinator, expert)
    booking_services.confirm_booking(booking=one, actor=coordinator)
    if first.starts_at.month != second.starts_at.month:
        pytest.skip("the two assignments fall in different months today")
    with pytest.raises(BookingError, match="monthly limit of 1"):
        booking_services.confirm_booking(booking=two, actor=coordinator)


@pytest.mark.django_db
def test_an_overlapping_confirmation_is_refused(coordinator):
    expert = ExpertProfileFactory()
    first = AssignmentFactory(contact_person=coordinator, starts_in=timedelta(days=5), hours=2)
    overlapping = AssignmentFactory(contact_person=coordinator, starts_in=timedelta(days=5, hours=1), hours=2)
    one, two = accepted(first, coordinator, expert), accepted(overlapping, coordinator, expert)
    booking_services.confirm_booking(booking=one, actor=coordinator)
    with pytest.raises(BookingError, match="already has an assignment at that time"):
        booking_services.confirm_booking(booking=two, actor=coordinator)


@pytest.mark.django_db
def test_back_to_back_assignments_do_not_overlap(coordinator):
    expert = ExpertProfileFactory()
    first = AssignmentFactory(contact_person=coordinator, starts_in=timedelta(days=5), hours=2)
    after = AssignmentFactory(contact_person=coordinator, starts_in=timedelta(days=5, hours=2), hours=1)
    booking_services.confirm_booking(booking=accepted(first, coordinator, expert), actor=coordinator)
    booking_services.confirm_booking(booking=accepted(after, coordinator, expert), actor=coordinator)
    assert expert.bookings.holding().count() == 2


@pytest.mark.django_db
def test_the_database_refuses_a_double_booking_the_services_did_not_check(coordinator):
    from django.db import IntegrityError, transaction

    expert = ExpertProfileFactory()
    first = AssignmentFactory(contact_person=coordinator, starts_in=timedelta(days=5), hours=2)
    overlapping = AssignmentFactory(contact_person=coordinator, starts_in=timedelta(days=5, hours=1), hours=2)
    one, two = accepted(first, coordinator, expert), accepted(overlapping, coordinator, expert)
    booking_services.confirm_booking(booking=one, actor=coordinator)
    with pytest.raises(IntegrityError, match="booking_no_double_booking"), transaction.atomic():
        type(two).objects.filter(pk=two.pk).update(status=BookingStatus.CONFIRMED)


@pytest.mark.django_db
def test_confirming_fills_the_assignment_and_tells_the_others(assignment, coordinator):
    chosen, other, silent = ExpertProfileFactory(), ExpertProfileFactory(), ExpertProfileFactory()
    invite(assignment, coordinator, chosen, other, silent)
    bookings = {b.expert_id: b for b in assignment.bookings.all()}
    for expert in (chosen, other):
        booking_services.answer_invitation(booking=bookings[expert.pk], accept=True)
    booking_services.confirm_booking(booking=bookings[chosen.pk], actor=coordinator)
    statuses = dict(assignment.bookings.values_list("expert_id", "status"))
    assert statuses == {
        chosen.pk: BookingStatus.CONFIRMED,
        other.pk: BookingStatus.NOT_CHOSEN,
        silent.pk: BookingStatus.NOT_CHOSEN,
    }
    assert "bookings.filled" in kinds_of(bookings[other.pk])
    assert "bookings.invitation_reminder" not in kinds_of(bookings[silent.pk])
    with pytest.raises(BookingError):
        booking_services.confirm_booking(booking=bookings[other.pk], actor=coordinator)


@pytest.mark.django_db
def test_only_an_accepted_booking_can_be_confirmed(assignment, coordinator):
    (booking,), _ = invite(assignment, coordinator, ExpertProfileFactory())
    with pytest.raises(BookingError, match="accepted"):
        booking_services.confirm_booking(booking=booking, actor=coordinator)


@pytest.mark.django_db
def test_two_experts_needed_fill_only_after_the_second(coordinator):
    assignment = AssignmentFactory(contact_person=coordinator, experts_needed=2)
    one, two = ExpertProfileFactory(), ExpertProfileFactory()
    booking_services.confirm_booking(booking=accepted(assignment, coordinator, one), actor=coordinator)
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.OPEN
    booking_services.confirm_booking(booking=accepted(assignment, coordinator, two), actor=coordinator)
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.FILLED


@pytest.mark.django_db
def test_the_expert_cancelling_reopens_the_assignment_and_drops_the_reminders(assignment, coordinator):
    expert = ExpertProfileFactory()
    booking = booking_services.confirm_booking(booking=accepted(assignment, coordinator, expert), actor=coordinator)
    booking_services.cancel_booking(
        booking=booking, by_expert=True, reason="illness", note="Flunssa.", actor=expert.user
    )
    booking.refresh_from_db()
    assignment.refresh_from_db()
    assert (booking.status, booking.cancel_reason, booking.cancelled_by_expert) == ("cancelled", "illness", True)
    assert assignment.status == AssignmentStatus.OPEN
    pending = kinds_of(booking)
    assert "bookings.reminder_early" not in pending
    assert "bookings.cancelled_by_expert" in pending
    expert.refresh_from_db()
    assert expert.recent_assignments == 0


@pytest.mark.django_db
def test_a_cancelled_booking_cannot_be_cancelled_or_confirmed_again(assignment, coordinator):
    booking = accepted(assignment, coordinator, ExpertProfileFactory())
    booking_services.cancel_booking(booking=booking, by_expert=False, reason="not_needed", actor=coordinator)
    with pytest.raises(BookingError):
        booking_services.cancel_booking(booking=booking, by_expert=False, reason="not_needed", actor=coordinator)
    with pytest.raises(BookingError):
        booking_services.confirm_booking(booking=booking, actor=coordinator)


@pytest.mark.django_db
def test_cancelling_the_assignment_cancels_every_open_booking(assignment, coordinator):
    confirmed = booking_services.confirm_booking(
        booking=accepted(assignment, coordinator, ExpertProfileFactory()), actor=coordinator
    )
    booking_services.cancel_assignment(assignment=assignment, reason="not_needed", note="", actor=coordinator)
    confirmed.refresh_from_db()
    assignment.refresh_from_db()
    assert (assignment.status, confirmed.status) == (AssignmentStatus.CANCELLED, BookingStatus.CANCELLED)
    assert "bookings.cancelled" in kinds_of(confirmed)


@pytest.mark.django_db
def test_moving_the_assignment_moves_the_reminders_and_the_calendar(assignment, coordinator):
    booking = booking_services.confirm_booking(
        booking=accepted(assignment, coordinator, ExpertProfileFactory()), actor=coordinator
    )
    new_start = assignment.starts_at + timedelta(days=1)
    booking_services.move_assignment(
        assignment=assignment, starts_at=new_start, ends_at=new_start + timedelta(hours=2), actor=coordinator
    )
    booking.refresh_from_db()
    assert booking.during.lower == new_start
    assert booking.sequence == 2
    early = Notification.objects.for_target(booking).get(kind="bookings.reminder_early")
    assert early.due_at == new_start - timedelta(hours=48)
    assert "bookings.changed" in kinds_of(booking)


@pytest.mark.django_db
def test_moving_onto_another_confirmed_assignment_changes_nothing(coordinator):
    expert = ExpertProfileFactory()
    first = AssignmentFactory(contact_person=coordinator, starts_in=timedelta(days=5), hours=2)
    second = AssignmentFactory(contact_person=coordinator, starts_in=timedelta(days=6), hours=2)
    booking_services.confirm_booking(booking=accepted(first, coordinator, expert), actor=coordinator)
    booking_services.confirm_booking(booking=accepted(second, coordinator, expert), actor=coordinator)
    with pytest.raises(BookingError):
        booking_services.move_assignment(
            assignment=second, starts_at=first.starts_at, ends_at=first.ends_at, actor=coordinator
        )
    second.refresh_from_db()
    assert second.starts_at != first.starts_at


@pytest.mark.django_db
def test_the_reminder_offsets_come_from_settings(assignment, coordinator, settings):
    settings.KP_BOOKING_REMINDERS = ["24h", "30m"]
    booking = booking_services.confirm_booking(
        booking=accepted(assignment, coordinator, ExpertProfileFactory()), actor=coordinator
    )
    due = dict(Notification.objects.for_target(booking).values_list("kind", "due_at"))
    assert due["bookings.reminder_early"] == assignment.starts_at - timedelta(hours=24)
    assert due["bookings.reminder_late"] == assignment.starts_at - timedelta(minutes=30)


def past_confirmed(coordinator, expert, *, hours=2, tariff_kind="hourly", days_ago=1):
    """A confirmed booking of an assignment that ended `days_ago` days ago (completing needs it ended)."""
    assignment = AssignmentFactory(
        contact_person=coordinator, starts_in=timedelta(days=3), hours=hours, tariff_kind=tariff_kind
    )
    booking = booking_services.confirm_booking(booking=accepted(assignment, coordinator, expert), actor=coordinator)
    end = timezone.now() - timedelta(days=days_ago)
    start = end - timedelta(hours=hours)
    type(assignment).objects.filter(pk=assignment.pk).update(starts_at=start, ends_at=end)
    type(booking).objects.filter(pk=booking.pk).update(during=(start, end))
    booking.refresh_from_db()
    return booking


@pytest.mark.django_db
def test_completion_computes_the_fee_from_the_hourly_tariff_and_the_expenses(coordinator):
    booking = past_confirmed(coordinator, ExpertProfileFactory(), hours=2)
    booking = booking_services.complete_booking(
        booking=booking,
        completed=True,
        hours=Decimal("2.5"),
        actor=coordinator,
        expenses=[
            Expense("travel_km", Decimal("42")),
            Expense("meal", Decimal("1")),
            Expense("ticket", 1, Decimal("6.40")),
        ],
    )
    # Seeded tariffs: 25 €/h, 0.55 €/km, meal 13.25 €.
    assert (booking.status, booking.fee_computed, booking.fee) == ("completed", Decimal("62.50"), Decimal("62.50"))
    assert sorted(line.amount for line in booking.expense_lines.all()) == [
        Decimal("6.40"),
        Decimal("13.25"),
        Decimal("23.10"),
    ]
    assert booking.expenses_total == Decimal("42.75")
    assert booking.assignment.status == AssignmentStatus.DONE
    assert "bookings.check_in" in kinds_of(booking)


@pytest.mark.django_db
def test_a_lecture_is_paid_per_lecture_whatever_the_hours(coordinator):
    booking = past_confirmed(coordinator, ExpertProfileFactory(), hours=3, tariff_kind="lecture")
    booking = booking_services.complete_booking(booking=booking, completed=True, hours=Decimal("3"), actor=coordinator)
    assert booking.fee == Decimal("100.00")


@pytest.mark.django_db
def test_a_changed_fee_needs_a_reason(coordinator):
    booking = past_confirmed(coordinator, ExpertProfileFactory())
    with pytest.raises(BookingError, match="reason"):
        booking_services.complete_booking(
            booking=booking, completed=True, hours=Decimal("2"), fee=Decimal("80"), actor=coordinator
        )
    booking = booking_services.complete_booking(
        booking=booking,
        completed=True,
        hours=Decimal("2"),
        fee=Decimal("80"),
        fee_note="Valmisteluun kului tunti.",
        actor=coordinator,
    )
    assert (booking.fee_computed, booking.fee) == (Decimal("50.00"), Decimal("80"))


@pytest.mark.django_db
def test_a_waived_fee_is_zero(coordinator):
    booking = past_confirmed(coordinator, ExpertProfileFactory())
    booking = booking_services.complete_booking(
        booking=booking, completed=True, hours=Decimal("2"), fee_waived=True, actor=coordinator
    )
    assert (booking.fee, booking.fee_waived) == (Decimal("0.00"), True)


@pytest.mark.django_db
def test_completion_is_recorded_once(coordinator):
    booking = past_confirmed(coordinator, ExpertProfileFactory())
    booking_services.complete_booking(booking=booking, completed=True, hours=Decimal("2"), actor=coordinator)
    with pytest.raises(BookingError):
        booking_services.complete_booking(
            booking=booking, completed=True, hours=Decimal("2"), actor=coordinator, expenses=[Expense("meal", 1)]
        )
    assert booking.expense_lines.count() == 0


@pytest.mark.django_db
def test_an_assignment_in_the_future_cannot_be_completed(assignment, coordinator):
    booking = booking_services.confirm_booking(
        booking=accepted(assignment, coordinator, ExpertProfileFactory()), actor=coordinator
    )
    with pytest.raises(BookingError, match="not ended"):
        booking_services.complete_booking(booking=booking, completed=True, hours=None, actor=coordinator)


@pytest.mark.django_db
def test_not_completed_has_no_fee(coordinator):
    booking = past_confirmed(coordinator, ExpertProfileFactory())
    booking = booking_services.complete_booking(
        booking=booking, completed=False, hours=None, actor=coordinator, not_completed_reason="illness"
    )
    assert (booking.status, booking.fee) == (BookingStatus.NOT_COMPLETED, None)


@pytest.mark.django_db
def test_earnings_count_completed_fees_and_upcoming_ones_apart(coordinator):
    expert = ExpertProfileFactory()
    done = past_confirmed(coordinator, expert, days_ago=0)
    booking_services.complete_booking(booking=done, completed=True, hours=Decimal("2"), actor=coordinator)
    earned = earnings_of(expert, timezone.localdate(done.assignment.starts_at))
    assert (earned.month, earned.year) == (Decimal("50.00"), Decimal("50.00"))


@pytest.mark.django_db
def test_a_fee_over_the_monthly_limit_warns_before_confirming(assignment, coordinator):
    expert = ExpertProfileFactory(monthly_earnings_limit=Decimal("40"))
    booking = accepted(assignment, coordinator, expert)
    with pytest.raises(EarningsWarning) as warning:
        booking_services.confirm_booking(booking=booking, actor=coordinator)
    assert "€50.00" in warning.value.warnings[0] and "40" in warning.value.warnings[0]
    booking.refresh_from_db()
    assert booking.status == BookingStatus.ACCEPTED
    booking = booking_services.confirm_booking(booking=booking, actor=coordinator, acknowledge_earnings=True)
    assert booking.status == BookingStatus.CONFIRMED


@pytest.mark.django_db
def test_a_fee_within_the_limits_confirms_without_a_warning(assignment, coordinator):
    expert = ExpertProfileFactory(monthly_earnings_limit=Decimal("500"), yearly_earnings_limit=Decimal("5000"))
    booking = booking_services.confirm_booking(booking=accepted(assignment, coordinator, expert), actor=coordinator)
    assert booking.status == BookingStatus.CONFIRMED


@pytest.mark.django_db
def test_a_volunteer_starts_as_accepted(coordinator):
    assignment = AssignmentFactory(contact_person=coordinator, open_to_all=True)
    expert = ExpertProfileFactory()
    booking = booking_services.volunteer_for(assignment=assignment, profile=expert)
    assert (booking.status, booking.volunteered) == (BookingStatus.ACCEPTED, True)
    assert booking_services.volunteer_for(assignment=assignment, profile=expert) == booking


@pytest.mark.django_db
def test_nobody_volunteers_for_an_assignment_not_open_to_all(assignment):
    with pytest.raises(BookingError):
        booking_services.volunteer_for(assignment=assignment, profile=ExpertProfileFactory())


@pytest.mark.django_db
def test_check_in_is_kept_once_and_tells_the_coordinator(coordinator):
    booking = past_confirmed(coordinator, ExpertProfileFactory())
    with pytest.raises(BookingError):
        booking_services.submit_check_in(booking=booking, feeling=4, text="", wants_debrief=False)
    booking_services.complete_booking(booking=booking, completed=True, hours=Decimal("2"), actor=coordinator)
    booking_services.submit_check_in(booking=booking, feeling=2, text="Raskas päivä.", wants_debrief=True)
    again = booking_services.submit_check_in(booking=booking, feeling=5, text="", wants_debrief=False)
    assert (again.feeling, again.wants_debrief) == (2, True)
    answered = Notification.objects.for_target(booking).get(kind="bookings.checked_in")
    assert answered.recipient == coordinator


@pytest.mark.django_db
def test_recent_assignments_count_the_last_90_days_only(coordinator):
    expert = ExpertProfileFactory()
    old = past_confirmed(coordinator, expert, days_ago=120)
    past_confirmed(coordinator, expert, days_ago=10)
    booking_services.refresh_recent_assignments()
    expert.refresh_from_db()
    assert expert.recent_assignments == 1
    assert old.status == BookingStatus.CONFIRMED


@pytest.mark.django_db
def test_the_monthly_cap_hides_the_expert_from_the_date_search(coordinator):
    from experts.models import ExpertProfile

    assignment = AssignmentFactory(contact_person=coordinator, starts_in=timedelta(days=2))
    day = timezone.localdate(assignment.starts_at)
    expert = ExpertProfileFactory(monthly_cap=1, weekdays=[day.weekday()])
    assert ExpertProfile.objects.available_on(day).filter(pk=expert.pk).exists()
    booking_services.confirm_booking(booking=accepted(assignment, coordinator, expert), actor=coordinator)
    assert not ExpertProfile.objects.available_on(day).filter(pk=expert.pk).exists()
