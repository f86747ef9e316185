"""Booking experts: the writes of the booking state machine, with their notifications.

    invited ──accept──▶ accepted ──confirm──▶ confirmed ──complete──▶ completed / not completed
       │  └─decline─▶ declined      │                    │
       └──────────── cancel ◀───────┴────────────────────┘        (pending ones: filled → not chosen)

A volunteer starts at accepted. Every transition checks the state it starts from while holding the
assignment's row lock, so two coordinators (or a double click) cannot both move the same booking,
and the exclusion constraint on confirmed bookings stops two assignments overlapping for one expert.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import AuditAction
from accounts.services import record_audit_event
from experts.models import ExpertProfile
from notifications.services import cancel_notifications, reschedule_notifications, schedule_for_channels

from . import order_messages
from .earnings import earnings_warnings
from .eligibility import booking_range, lock_expert, lock_experts, outside_hours, unavailable_reason, unbookable_reason
from .matching import add_to_digests
from .models import (
    HOLDING,
    PENDING,
    Assignment,
    AssignmentStatus,
    Booking,
    BookingStatus,
    CheckIn,
    DebriefStatus,
    ExpenseKind,
    ExpenseLine,
    NotCompletedReason,
    PrivateFeedback,
    Tariff,
    TariffKind,
)

RECENT_DAYS = 90
INVITATION_REMINDER_AFTER = timedelta(days=2)
UNANSWERED_TO_COORDINATOR_AFTER = timedelta(days=3)
# Which notification kinds belong to which stage, so that a change cancels the right ones.
ANSWER_REMINDERS = ["bookings.invitation_reminder", "bookings.unanswered"]
EVENT_REMINDERS = ["bookings.reminder_early", "bookings.reminder_late"]


class BookingError(Exception):
    """A transition that is not allowed now; the message is translated and shown to the user."""


class EarningsWarning(Exception):
    """Confirming would exceed the expert's earnings limit; confirm again with acknowledge=True."""

    def __init__(self, warnings: list[str]):
        super().__init__(" ".join(warnings))
        self.warnings = warnings


def reminder_offsets() -> list[timedelta]:
    """KP_BOOKING_REMINDERS, e.g. "48h,2h": how long before an assignment its reminders go."""
    offsets = []
    for part in settings.KP_BOOKING_REMINDERS:
        number, unit = int(part[:-1]), part[-1]
        offsets.append(timedelta(hours=number) if unit == "h" else timedelta(minutes=number))
    return offsets[:2]


# --- The state machine ---------------------------------------------------------------------------


def _lock(assignment: Assignment) -> Assignment:
    return Assignment.objects.select_for_update().get(pk=assignment.pk)


def _fresh(booking: Booking, assignment: Assignment | None = None) -> Booking:
    """The booking as it is now in the database (a form may hold an old copy), with the locked
    assignment in place of the one the query read, so that changes to either are seen by both."""
    booking = Booking.objects.select_related("assignment__tariff", "expert__user").get(pk=booking.pk)
    if assignment is not None:
        assignment.tariff = booking.assignment.tariff
        booking.assignment = assignment
    return booking


def _refuse_if_begun(assignment: Assignment) -> None:
    """Answering, volunteering and confirming are for assignments still to come."""
    if assignment.starts_at <= timezone.now():
        raise BookingError(_("The assignment has already begun."))


def _notify(kind: str, booking: Booking, *, recipient=None, due_at: datetime | None = None) -> None:
    """Tell the expert, or `recipient` (the contact person), whose link goes to the assignment. By email,
    and by text message too where the kind offers one and the person chose it (schedule_for_channels)."""
    schedule_for_channels(
        kind=kind,
        target=booking,
        recipient=recipient or booking.expert.user,
        due_at=due_at or timezone.now(),
        context={"path": booking.assignment.get_absolute_url()} if recipient else {},
    )


@transaction.atomic
def create_assignment(*, form, actor, purpose=None) -> Assignment:
    """A new assignment from the coordinator's form. `purpose`: what it is for, when another app
    books experts through this chain (a training session, a hearing's workshop or client panel)."""
    assignment = form.save(commit=False)
    assignment.created_by = actor
    if purpose is not None:
        assignment.purpose = purpose
    assignment.full_clean()
    assignment.save()
    add_to_digests(assignment)  # open to all: the matching experts hear of it in their daily digest
    return assignment


@transaction.atomic
def invite_experts(*, assignment: Assignment, profiles, actor) -> tuple[list[Booking], dict[int, str]]:
    """Invite each of `profiles`; returns (new invitations, {profile id: why not} for the others).
    Inviting someone already on the assignment changes nothing, so a double submit adds no rows.
    Each new invitation's `outside_hours` says whether the time is outside the weekly hours the
    expert gave (a warning for the coordinator; the invitation message tells the expert too)."""
    assignment = _lock(assignment)
    if assignment.status != AssignmentStatus.OPEN:
        raise BookingError(_("The assignment is no longer looking for experts."))
    invited, refused = [], {}
    for profile in profiles:
        if Booking.objects.filter(assignment=assignment, expert=profile).exists():
            continue
        reason = unbookable_reason(profile, assignment)
        if reason:
            refused[profile.pk] = reason
            continue
        booking = Booking.objects.create(assignment=assignment, expert=profile, during=booking_range(assignment))
        booking.outside_hours = outside_hours(profile, assignment)
        schedule_for_channels(
            kind="bookings.invitation",
            target=booking,
            recipient=profile.user,
            due_at=timezone.now(),
            context={"outside_hours": True} if booking.outside_hours else {},
        )
        _notify("bookings.invitation_reminder", booking, due_at=timezone.now() + INVITATION_REMINDER_AFTER)
        _notify(
            "bookings.unanswered",
            booking,
            recipient=assignment.contact_person,
            due_at=timezone.now() + UNANSWERED_TO_COORDINATOR_AFTER,
        )
        invited.append(booking)
    return invited, refused


@transaction.atomic
def volunteer_for(*, assignment: Assignment, profile: ExpertProfile) -> Booking:
    """An expert offers to take an assignment open to all: it starts as accepted."""
    assignment = _lock(assignment)
    if assignment.status != AssignmentStatus.OPEN or not assignment.open_to_all:
        raise BookingError(_("The assignment is no longer looking for experts."))
    existing = Booking.objects.filter(assignment=assignment, expert=profile).first()
    if existing:
        return existing
    _refuse_if_begun(assignment)
    reason = unbookable_reason(profile, assignment)
    if reason:
        raise BookingError(reason)
    booking = Booking.objects.create(
        assignment=assignment,
        expert=profile,
        during=booking_range(assignment),
        status=BookingStatus.ACCEPTED,
        volunteered=True,
        answered_at=timezone.now(),
    )
    _notify("bookings.answered", booking, recipient=assignment.contact_person)
    return booking


@transaction.atomic
def answer_invitation(*, booking: Booking, accept: bool, note: str = "") -> Booking:
    assignment = _lock(booking.assignment)
    booking = _fresh(booking, assignment)
    if booking.status != BookingStatus.INVITED:
        raise BookingError(_("This invitation has already been answered or is no longer open."))
    # The expert's page stops offering the answer when the assignment begins; a page left open
    # (or a crafted post) must not accept afterwards, or the coordinator be asked to confirm it.
    _refuse_if_begun(assignment)
    booking.status = BookingStatus.ACCEPTED if accept else BookingStatus.DECLINED
    booking.answer_note = note
    booking.answered_at = timezone.now()
    booking.save(update_fields=["status", "answer_note", "answered_at", "updated_at"])
    cancel_notifications(target=booking, kinds_=ANSWER_REMINDERS)
    _notify("bookings.answered", booking, recipient=booking.assignment.contact_person)
    return booking


@transaction.atomic
def confirm_booking(*, booking: Booking, actor, acknowledge_earnings: bool = False) -> Booking:
    """Confirm an expert who accepted. Raises BookingError with the reason when the expert cannot be
    booked (also when another assignment took the same time a moment ago: the exclusion constraint),
    and EarningsWarning when the fee would exceed their limit and nobody acknowledged it yet."""
    assignment = _lock(booking.assignment)
    # The assignment's lock keeps two confirmations of this booking apart; the expert's keeps apart
    # confirmations of this expert for other assignments, which would each see room under the
    # monthly cap and the earnings limit (eligibility.py).
    lock_expert(booking.expert_id)
    booking = _fresh(booking, assignment)
    if booking.status != BookingStatus.ACCEPTED:
        raise BookingError(_("Only an expert who has accepted can be confirmed."))
    if assignment.status != AssignmentStatus.OPEN:
        raise BookingError(_("The assignment is no longer looking for experts."))
    _refuse_if_begun(assignment)
    reason = unbookable_reason(booking.expert, assignment, ignore=booking)
    if reason:
        raise BookingError(reason)
    warnings = earnings_warnings(booking)
    if warnings and not acknowledge_earnings:
        raise EarningsWarning(warnings)
    booking.status = BookingStatus.CONFIRMED
    booking.confirmed_at = timezone.now()
    booking.sequence += 1
    try:
        with transaction.atomic():
            booking.save(update_fields=["status", "confirmed_at", "sequence", "updated_at"])
    except IntegrityError as error:
        if "booking_no_double_booking" not in str(error):
            raise
        raise BookingError(_("The expert already has an assignment at that time.")) from error
    _notify("bookings.confirmed", booking)
    order_messages.tell_orderer_confirmed(booking)
    schedule_event_reminders(booking)
    if assignment.bookings.filter(status=BookingStatus.CONFIRMED).count() >= assignment.experts_needed:
        assignment.status = AssignmentStatus.FILLED
        assignment.save(update_fields=["status", "updated_at"])
        for other in assignment.bookings.pending():
            other.status = BookingStatus.NOT_CHOSEN
            other.save(update_fields=["status", "updated_at"])
            cancel_notifications(target=other, kinds_=ANSWER_REMINDERS)
            _notify("bookings.filled", other)
    refresh_recent_assignments(profile_ids=[booking.expert_id])
    record_audit_event(actor=actor, subject=booking.expert.user, action=AuditAction.CHANGE, what="booking confirmed")
    return booking


def schedule_event_reminders(booking: Booking) -> None:
    now = timezone.now()
    for kind, offset in zip(EVENT_REMINDERS, reminder_offsets(), strict=False):
        due = booking.assignment.starts_at - offset
        if due > now:
            _notify(kind, booking, due_at=due)
            reschedule_notifications(target=booking, kind=kind, due_at=due, include_sent=True)


@transaction.atomic
def cancel_booking(*, booking: Booking, by_expert: bool, reason: str, note: str = "", actor) -> Booking:
    """Either side cancels: the reminders go, the other side is told, a filled assignment reopens."""
    assignment = _lock(booking.assignment)
    booking = _fresh(booking, assignment)
    if booking.status not in (*PENDING, BookingStatus.CONFIRMED):
        raise BookingError(_("This booking can no longer be cancelled."))
    if booking.status == BookingStatus.CONFIRMED and assignment.starts_at <= timezone.now():
        raise BookingError(_("The assignment has already begun: mark it completed or not completed instead."))
    was_confirmed = booking.status == BookingStatus.CONFIRMED
    booking.status = BookingStatus.CANCELLED
    booking.cancelled_by_expert = by_expert
    booking.cancel_reason = reason
    booking.cancel_note = note
    booking.cancelled_at = timezone.now()
    booking.sequence += 1
    booking.save()
    cancel_notifications(target=booking, kinds_=ANSWER_REMINDERS + EVENT_REMINDERS)
    if by_expert:
        _notify("bookings.cancelled_by_expert", booking, recipient=assignment.contact_person)
    else:
        _notify("bookings.cancelled", booking)
    if was_confirmed and assignment.status == AssignmentStatus.FILLED:
        assignment.status = AssignmentStatus.OPEN
        assignment.save(update_fields=["status", "updated_at"])
    refresh_recent_assignments(profile_ids=[booking.expert_id])
    record_audit_event(actor=actor, subject=booking.expert.user, action=AuditAction.CHANGE, what="booking cancelled")
    return booking


@transaction.atomic
def cancel_assignment(*, assignment: Assignment, reason: str, note: str = "", actor) -> Assignment:
    assignment = _lock(assignment)
    if assignment.status not in (AssignmentStatus.OPEN, AssignmentStatus.FILLED):
        raise BookingError(_("This assignment can no longer be cancelled."))
    for booking in assignment.bookings.filter(status__in=(*PENDING, BookingStatus.CONFIRMED)):
        cancel_booking(booking=booking, by_expert=False, reason=reason, note=note, actor=actor)
    assignment.status = AssignmentStatus.CANCELLED
    assignment.cancel_reason = reason
    assignment.cancel_note = note
    assignment.save(update_fields=["status", "cancel_reason", "cancel_note", "updated_at"])
    return assignment


@transaction.atomic
def move_assignment(*, assignment: Assignment, starts_at: datetime, ends_at: datetime, actor) -> Assignment:
    """A new time: the confirmed experts' calendars update (.ics with a higher sequence) and their
    reminders move. If the new time does not suit a confirmed expert (another assignment then, their
    blocked dates, their monthly cap in the new month), nothing changes."""
    assignment = _lock(assignment)
    if assignment.status not in (AssignmentStatus.OPEN, AssignmentStatus.FILLED):
        raise BookingError(_("This assignment can no longer be changed."))
    # The confirmed experts' locks, as in confirm_booking: a move into another month and a
    # confirmation there for another assignment would otherwise each see room under the monthly cap.
    confirmed = assignment.bookings.filter(status=BookingStatus.CONFIRMED)
    lock_experts(confirmed.values_list("expert_id", flat=True))
    assignment.starts_at, assignment.ends_at = starts_at, ends_at
    assignment.full_clean()
    _refuse_unavailable(assignment, confirmed.select_related("expert"))
    assignment.save(update_fields=["starts_at", "ends_at", "updated_at"])
    try:
        with transaction.atomic():
            for booking in assignment.bookings.filter(status__in=(*PENDING, BookingStatus.CONFIRMED)):
                booking.during = booking_range(assignment)
                booking.sequence += 1
                booking.save(update_fields=["during", "sequence", "updated_at"])
    except IntegrityError as error:
        raise BookingError(_("A confirmed expert already has another assignment at the new time.")) from error
    for booking in assignment.bookings.filter(status=BookingStatus.CONFIRMED).select_related(
        "assignment", "expert__user"
    ):
        cancel_notifications(target=booking, kinds_=EVENT_REMINDERS)
        schedule_event_reminders(booking)
        schedule_for_channels(
            kind="bookings.changed", target=booking, recipient=booking.expert.user, due_at=timezone.now()
        )
        reschedule_notifications(target=booking, kind="bookings.changed", due_at=timezone.now(), include_sent=True)
    return assignment


def _refuse_unavailable(assignment: Assignment, confirmed) -> None:
    """A new time must suit every confirmed expert: not on their blocked dates, not over their
    monthly cap in the new month. Another assignment at that time is the exclusion constraint's."""
    problems = [
        _("%(name)s cannot take the assignment at the new time. %(reason)s")
        % {"name": booking.expert.display_name, "reason": reason}
        for booking in confirmed
        if (reason := unavailable_reason(booking.expert, assignment, ignore=booking))
    ]
    if problems:
        raise BookingError(" ".join([_("The time was not changed."), *problems]))


@dataclass
class Expense:
    kind: str
    quantity: Decimal
    amount: Decimal | None = None  # tickets and other costs as paid; km and meals from the tariff
    note: str = ""


def expense_amount(expense: Expense) -> Decimal:
    tariff_kind = {ExpenseKind.TRAVEL_KM: TariffKind.TRAVEL_KM, ExpenseKind.MEAL: TariffKind.MEAL}.get(expense.kind)
    if tariff_kind is None:
        return expense.amount or Decimal("0.00")
    tariff = Tariff.objects.filter(kind=tariff_kind, is_active=True).order_by("order", "pk").first()
    if tariff is None:
        return expense.amount or Decimal("0.00")
    return (tariff.amount * expense.quantity).quantize(Decimal("0.01"))


def set_fee(booking: Booking, *, hours: Decimal, fee: Decimal | None, fee_note: str, fee_waived: bool) -> None:
    """The booking's hours and fee (not saved): the tariff's fee for the hours, unless waived (zero)
    or given as another amount, which needs a reason. Completing, recording afterwards and
    correcting all price a booking so."""
    booking.hours = hours
    booking.fee_computed = booking.assignment.tariff.fee_for(hours)
    booking.fee_waived = fee_waived
    if fee_waived:
        booking.fee = Decimal("0.00")
    elif fee is not None and fee != booking.fee_computed:
        if not fee_note.strip():
            raise BookingError(_("Give a reason when the fee differs from the tariff."))
        booking.fee = fee
    else:
        booking.fee = booking.fee_computed
    booking.fee_note = fee_note


def add_expense_lines(booking: Booking, expenses: list[Expense]) -> list[ExpenseLine]:
    """One ExpenseLine per expense, kilometres and meals priced by their tariffs (expense_amount)."""
    return [
        ExpenseLine.objects.create(
            booking=booking,
            kind=expense.kind,
            quantity=expense.quantity,
            amount=expense_amount(expense),
            note=expense.note,
        )
        for expense in expenses
    ]


@transaction.atomic
def complete_booking(
    *,
    booking: Booking,
    completed: bool,
    hours: Decimal | None,
    actor,
    fee: Decimal | None = None,
    fee_note: str = "",
    fee_waived: bool = False,
    expenses: list[Expense] = (),
    not_completed_reason: str = "",
    not_completed_note: str = "",
) -> Booking:
    """After the assignment has ended: completed, with the hours, the fee by the tariff (or changed
    with a reason, or waived) and the expenses; or not completed, with the reason (NotCompletedReason;
    "other" told in `not_completed_note`). A second submit of the same form finds it done and stops."""
    assignment = _lock(booking.assignment)
    booking = _fresh(booking, assignment)
    if booking.status != BookingStatus.CONFIRMED:
        raise BookingError(_("Only a confirmed booking can be marked completed or not completed."))
    # Not when it begins: hours and a fee recorded mid-assignment are guesses, and payroll gets them.
    if assignment.ends_at > timezone.now():
        raise BookingError(_("The assignment has not ended yet."))
    booking.completed_at = timezone.now()
    if completed:
        booking.status = BookingStatus.COMPLETED
        set_fee(
            booking,
            hours=hours if hours is not None else assignment.hours,
            fee=fee,
            fee_note=fee_note,
            fee_waived=fee_waived,
        )
        add_expense_lines(booking, expenses)
        _notify("bookings.check_in", booking)
    else:
        if not_completed_reason not in NotCompletedReason.values:
            raise BookingError(_("Choose why the assignment did not take place."))
        if not_completed_reason == NotCompletedReason.OTHER and not not_completed_note.strip():
            raise BookingError(_("Tell the reason in a few words."))
        booking.status = BookingStatus.NOT_COMPLETED
        booking.not_completed_reason = not_completed_reason
        booking.not_completed_note = not_completed_note.strip()
    booking.save()
    cancel_notifications(target=booking, kinds_=EVENT_REMINDERS)
    if not assignment.bookings.filter(status=BookingStatus.CONFIRMED).exists():
        assignment.status = AssignmentStatus.DONE
        assignment.save(update_fields=["status", "updated_at"])
        order_messages.tell_orderer_feedback_due(assignment)
    refresh_recent_assignments(profile_ids=[booking.expert_id])
    record_audit_event(actor=actor, subject=booking.expert.user, action=AuditAction.CHANGE, what="booking completed")
    return booking


def refresh_recent_assignments(*, profile_ids: list[int] | None = None) -> int:
    """ExpertProfile.recent_assignments: confirmed or completed assignments from 90 days ago on
    (upcoming ones count too: they are work given). The nightly task refreshes every profile, since
    the window moves."""
    since = timezone.now() - timedelta(days=RECENT_DAYS)
    counts = (
        Booking.objects.filter(expert=OuterRef("pk"), status__in=HOLDING, assignment__starts_at__gte=since)
        .order_by()
        .values("expert")
        .annotate(total=Count("pk"))
        .values("total")
    )
    profiles = ExpertProfile.objects.all()
    if profile_ids is not None:
        profiles = profiles.filter(pk__in=profile_ids)
    return profiles.update(recent_assignments=Coalesce(Subquery(counts), 0))


# --- After the assignment: the expert's check-in and private feedback ------------------------------


@transaction.atomic
def submit_check_in(*, booking: Booking, feeling: int, text: str, wants_debrief: bool) -> CheckIn:
    booking = Booking.objects.select_for_update().select_related("assignment__contact_person").get(pk=booking.pk)
    if booking.status != BookingStatus.COMPLETED:
        raise BookingError(_("You can tell how it went once the assignment is marked completed."))
    # A debrief asked for starts the coordinator's asked → agreed → held (their to-do list follows it).
    debrief = {"debrief_status": DebriefStatus.ASKED, "debrief_updated_at": timezone.now()} if wants_debrief else {}
    check_in, created = CheckIn.objects.get_or_create(
        booking=booking, defaults={"feeling": feeling, "text": text, "wants_debrief": wants_debrief, **debrief}
    )
    if created:
        cancel_notifications(target=booking, kinds_=["bookings.check_in"])
        _notify("bookings.checked_in", booking, recipient=booking.assignment.contact_person)
    return check_in


@transaction.atomic
def give_private_feedback(*, booking: Booking, side: str, text: str, author) -> PrivateFeedback:
    booking = Booking.objects.select_for_update().get(pk=booking.pk)
    if booking.status != BookingStatus.COMPLETED:
        raise BookingError(_("Feedback can be given once the assignment is marked completed."))
    feedback, _created = PrivateFeedback.objects.update_or_create(
        booking=booking, side=side, defaults={"text": text, "author": author}
    )
    if side == PrivateFeedback.Side.ORDERER:
        # The expert reads it on their booking page; the message only tells them it is there. Once:
        # a changed text does not send another (schedule_notification keeps a sent row sent).
        _notify("bookings.orderer_feedback", booking)
    return feedback
