"""After the fact: an assignment entered after it happened, and corrections of completed bookings.

A gig arranged by phone last Tuesday never went through invite → accept → confirm, so it is recorded
in one step: the assignment (done, recorded afterwards) and its expert's completed booking, priced as
complete_booking prices one. Only the rules that still mean something apply: the assignment has
ended, and the expert was not booked elsewhere at the time (the exclusion constraint; a blocked date
or a monthly cap is about what may still be agreed, not about what took place).

A completed booking is later corrected, never edited: each correction keeps what it changed (before
and after, as JSON of the changed values only), why and who, and the payroll export and the
assignment page show every one. The audit log gets the changed field names, never the values.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import AuditAction
from accounts.services import record_audit_event
from experts.models import ExpertProfile
from notifications.services import schedule_for_channels

from .eligibility import booking_range
from .models import Assignment, AssignmentStatus, Booking, BookingCorrection, BookingStatus, ExpenseKind, ExpenseLine
from .money import CENTS, format_hours, format_money
from .services import BookingError, Expense, add_expense_lines, refresh_recent_assignments, set_fee

DOUBLE_BOOKING = "booking_no_double_booking"


@transaction.atomic
def record_past_assignment(
    *,
    assignment: Assignment,
    expert: ExpertProfile,
    actor,
    hours: Decimal | None = None,
    fee: Decimal | None = None,
    fee_note: str = "",
    fee_waived: bool = False,
    expenses: list[Expense] = (),
) -> Booking:
    """Save `assignment` (unsaved, from the form) as done and recorded afterwards, with `expert`'s
    completed booking: `hours` (the assignment's by default), the fee by the tariff (or changed with
    a reason, or waived) and the expenses. Raises BookingError, and saves nothing, when the
    assignment has not ended or the expert had another assignment at the time."""
    now = timezone.now()
    if assignment.ends_at > now:
        raise BookingError(_("The assignment has not ended yet."))
    assignment.created_by = actor
    assignment.status = AssignmentStatus.DONE
    assignment.recorded_afterwards = True
    assignment.full_clean()
    assignment.save()
    booking = Booking(
        assignment=assignment,
        expert=expert,
        status=BookingStatus.COMPLETED,
        during=booking_range(assignment),
        invited_at=now,
        answered_at=now,
        confirmed_at=now,
        completed_at=now,
    )
    set_fee(booking, hours=hours or assignment.hours, fee=fee, fee_note=fee_note, fee_waived=fee_waived)
    try:
        # A savepoint: the error is turned into a message, and the raise rolls the assignment back.
        with transaction.atomic():
            booking.save()
    except IntegrityError as error:
        if DOUBLE_BOOKING not in str(error):
            raise
        raise BookingError(_("The expert already has an assignment at that time.")) from error
    add_expense_lines(booking, expenses)
    # The expert hears of it as of any completed assignment: "How did it go?", with a link to it.
    schedule_for_channels(kind="bookings.check_in", target=booking, recipient=expert.user, due_at=now)
    refresh_recent_assignments(profile_ids=[expert.pk])
    record_audit_event(
        actor=actor, subject=expert.user, action=AuditAction.CHANGE, what="assignment recorded afterwards"
    )
    return booking


# --- Corrections ---------------------------------------------------------------------------------

# The booking's own values a correction may change, in the order they are shown.
CORRECTED_FIELDS = ["hours", "fee_computed", "fee", "fee_waived", "fee_note"]
EXPENSES = "expenses"
LABELS = {
    "hours": gettext_lazy("Hours"),
    "fee_computed": gettext_lazy("Fee by the tariff"),
    "fee": gettext_lazy("Fee"),
    "fee_waived": gettext_lazy("Fee waived"),
    "fee_note": gettext_lazy("Reason for changing the fee"),
}


def _line_values(line: ExpenseLine) -> dict:
    return {
        "kind": line.kind,
        "quantity": str(line.quantity),
        "amount": str(line.amount),
        "note": line.note,
        "from_claim": line.claim_id is not None,
    }


def _values(booking: Booking) -> dict:
    """The correctable values as JSON can hold them: decimals as strings to the cent ("2.50"), so that
    a typed 2 and a stored 2.00 compare equal."""
    values = {}
    for name in CORRECTED_FIELDS:
        value = getattr(booking, name)
        values[name] = str(value.quantize(CENTS)) if isinstance(value, Decimal) else value
    values[EXPENSES] = [_line_values(line) for line in booking.expense_lines.order_by("pk")]
    return values


@transaction.atomic
def correct_booking(
    *,
    booking: Booking,
    reason: str,
    actor,
    hours: Decimal,
    fee: Decimal | None = None,
    fee_note: str = "",
    fee_waived: bool = False,
    remove_lines=(),
    expenses: list[Expense] = (),
) -> BookingCorrection:
    """Correct a completed booking: new hours and fee (by the tariff, changed with a reason, or
    waived), expense lines removed (`remove_lines`: ids of this booking's lines) and added. Keeps a
    BookingCorrection of the values that changed. Raises BookingError when the booking is not
    completed, the reason is missing, or nothing would change."""
    if not reason.strip():
        raise BookingError(_("Tell why the booking is corrected."))
    # The booking's row alone (of=self): two corrections of it wait for each other, and each one's
    # "before" is what the other left.
    booking = (
        Booking.objects.select_for_update(of=("self",))
        .select_related("assignment__tariff", "expert__user")
        .get(pk=booking.pk)
    )
    if booking.status != BookingStatus.COMPLETED:
        raise BookingError(_("Only a completed booking can be corrected."))
    before = _values(booking)
    set_fee(booking, hours=hours, fee=fee, fee_note=fee_note.strip(), fee_waived=fee_waived)
    booking.expense_lines.filter(pk__in=list(remove_lines)).delete()
    add_expense_lines(booking, expenses)
    after = _values(booking)
    changed = [name for name in (*CORRECTED_FIELDS, EXPENSES) if before[name] != after[name]]
    if not changed:
        raise BookingError(_("Nothing was changed: the booking is as it was."))
    booking.save(update_fields=[name for name in changed if name != EXPENSES] + ["updated_at"])
    correction = BookingCorrection.objects.create(
        booking=booking,
        reason=reason.strip(),
        before={name: before[name] for name in changed},
        after={name: after[name] for name in changed},
        corrected_by=actor,
    )
    record_audit_event(
        actor=actor, subject=booking.expert.user, action=AuditAction.CHANGE, what="booking corrected", fields=changed
    )
    return correction


@dataclass
class Change:
    """One line of a correction: a value's `before` and `after`, or (before None) the expense lines
    removed or added, in `after`."""

    label: str
    before: str | None
    after: str


@dataclass
class CorrectionRow:
    """One correction as the assignment page lists it: who, when, what changed, why."""

    correction: BookingCorrection
    corrected_at: datetime
    corrected_by: str
    changes: list[Change]
    reason: str


def _shown(name: str, value) -> str:
    """A stored value in the reader's language: 2,5 h, 50,00 €, yes/no."""
    if value is None or value == "":
        return "–"
    if name == "hours":
        return _("%(hours)s h") % {"hours": format_hours(Decimal(value))}
    if name in ("fee", "fee_computed"):
        return format_money(value)
    if name == "fee_waived":
        return _("yes") if value else _("no")
    return str(value)


def _expense_shown(line: dict) -> str:
    kind = ExpenseKind(line["kind"]).label if line["kind"] in ExpenseKind.values else line["kind"]
    if line["kind"] in (ExpenseKind.TRAVEL_KM, ExpenseKind.MEAL):
        kind = f"{kind} × {format_hours(Decimal(line['quantity']))}"
    text = f"{kind}: {format_money(line['amount'])}"
    return f"{text} ({line['note']})" if line.get("note") else text


def _line_key(line: dict) -> tuple:
    return tuple(sorted(line.items()))  # a dict is not hashable; its items are


def _expense_changes(before: list[dict], after: list[dict]) -> list[Change]:
    """The lines removed and the lines added: the stored lists are whole, the reader wants the difference."""
    old, new = Counter(map(_line_key, before)), Counter(map(_line_key, after))
    changes = []
    for label, lines in ((_("Expenses removed"), old - new), (_("Expenses added"), new - old)):
        if lines:
            changes.append(Change(label, None, "; ".join(_expense_shown(dict(line)) for line in lines.elements())))
    return changes


def describe(correction: BookingCorrection) -> CorrectionRow:
    before, after = correction.before, correction.after
    changes = [
        Change(str(LABELS[name]), _shown(name, before.get(name)), _shown(name, after.get(name)))
        for name in CORRECTED_FIELDS
        if name in before or name in after
    ]
    if EXPENSES in before or EXPENSES in after:
        changes += _expense_changes(before.get(EXPENSES, []), after.get(EXPENSES, []))
    user = correction.corrected_by
    return CorrectionRow(
        correction=correction,
        corrected_at=correction.corrected_at,
        corrected_by=(user.get_full_name() or user.email) if user else _("a deleted user"),
        changes=changes,
        reason=correction.reason,
    )


def corrections_by_booking(bookings) -> dict[int, list[CorrectionRow]]:
    """{booking id: its corrections, oldest first} for the completed ones of `bookings`: one query,
    none when nothing is completed (nothing can have been corrected)."""
    ids = [booking.pk for booking in bookings if booking.status == BookingStatus.COMPLETED]
    if not ids:
        return {}
    rows: dict[int, list[CorrectionRow]] = {}
    for correction in BookingCorrection.objects.filter(booking__in=ids).select_related("corrected_by"):
        rows.setdefault(correction.booking_id, []).append(describe(correction))
    return rows
