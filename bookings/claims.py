"""The expert's own travel and expense claims: sent for a completed booking, approved by a coordinator
into expense lines (which the payroll export carries) or returned with a reason, after which the
expert may send a new one.

    submitted ──approve──▶ approved (ExpenseLine rows with claim=…)
        └─────return───▶ rejected ("returned"; a new claim may follow)

One claim in play per booking is the database's rule (a partial unique constraint). A decision takes
the assignment's row lock, as complete_booking and corrections do, before the claim's: whatever
writes a booking's expense lines is serialised, and a second approval finds the claim decided.
"""

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models.signals import post_delete
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import AuditAction
from accounts.services import record_audit_event
from notifications.kinds import Kind, register
from notifications.services import schedule_for_channels

from .models import Assignment, Booking, BookingStatus, ClaimStatus, ExpenseClaim, ExpenseKind, ExpenseLine
from .services import BookingError, Expense, expense_amount

RECENTLY_DECIDED_SHOWN = 20


def register_claim_notification_kinds() -> None:
    """The expert hears of the decision on their claim (transactional: it is about their money), by
    text message too if they chose so (the subject and the link)."""
    for code, label in [
        ("claim_approved", gettext_lazy("Approved travel and expense claims")),
        ("claim_returned", gettext_lazy("Returned travel and expense claims")),
    ]:
        register(
            Kind(
                code=f"bookings.{code}",
                label=label,
                template="bookings/email/expense_claim",
                transactional=True,
                sms=True,
            )
        )


def remove_receipt(sender, instance: ExpenseClaim, **kwargs) -> None:
    """A deleted claim's receipt leaves the storage once the deletion is committed (a booking's
    cascade, admin): a personal file with nothing pointing at it must not stay behind."""
    if instance.receipt:
        storage, name = instance.receipt.storage, instance.receipt.name
        transaction.on_commit(lambda: storage.delete(name))


def connect_signals() -> None:
    post_delete.connect(remove_receipt, sender=ExpenseClaim, dispatch_uid="bookings.claim.remove_receipt")


# --- Reads ---------------------------------------------------------------------------------------


def claims_of_booking(booking: Booking) -> list[ExpenseClaim]:
    """The booking's claims, the latest first (an earlier one was returned)."""
    return list(ExpenseClaim.objects.filter(booking=booking).select_related("decided_by").order_by("-pk"))


def claim_in_play(claims: list[ExpenseClaim]) -> ExpenseClaim | None:
    """The claim waiting or approved, if any: while there is one, no new claim can be sent."""
    return next((claim for claim in claims if claim.status != ClaimStatus.REJECTED), None)


def claims_waiting():
    """Claims a coordinator has still to decide, the oldest first (the to-do page counts these)."""
    return (
        ExpenseClaim.objects.filter(status=ClaimStatus.SUBMITTED)
        .select_related("booking__assignment", "booking__expert")
        .order_by("submitted_at", "pk")
    )


def claims_recently_decided():
    return (
        ExpenseClaim.objects.exclude(status=ClaimStatus.SUBMITTED)
        .select_related("booking__assignment", "booking__expert", "decided_by")
        .order_by("-decided_at", "-pk")[:RECENTLY_DECIDED_SHOWN]
    )


def claim_for_review(pk: int) -> ExpenseClaim:
    """One claim with what the review page shows of it (raises DoesNotExist)."""
    return ExpenseClaim.objects.select_related(
        "booking__assignment__task_type", "booking__expert__user", "decided_by"
    ).get(pk=pk)


def claims_readable_by(user):
    """A receipt is the expert's own and the coordinators' to see, nobody else's."""
    if user.has_perm("accounts.search_experts"):
        return ExpenseClaim.objects.all()
    return ExpenseClaim.objects.filter(booking__expert__user=user)


def travel_amount(kilometres: Decimal) -> Decimal:
    """What the kilometres come to by the active kilometre tariff (services.expense_amount)."""
    return expense_amount(Expense(kind=ExpenseKind.TRAVEL_KM, quantity=kilometres))


# --- Writes --------------------------------------------------------------------------------------


@transaction.atomic
def submit_expense_claim(
    *, booking: Booking, kilometres: Decimal, tickets: Decimal, receipt, note: str
) -> tuple[ExpenseClaim, bool]:
    """The expert's claim for their completed booking; returns (claim, created). A second submit (a
    double click, a second tab) finds the first one and creates nothing: the booking's row lock
    orders the two, and the unique constraint stands behind it."""
    # FOR NO KEY UPDATE: an approval's expense lines (a foreign key's key-share lock) need not wait.
    booking = Booking.objects.select_for_update(no_key=True).get(pk=booking.pk)
    if booking.status != BookingStatus.COMPLETED:
        raise BookingError(_("Travel and expenses can be claimed once the assignment is marked completed."))
    existing = claim_in_play(claims_of_booking(booking))
    if existing is not None:
        return existing, False
    claim = ExpenseClaim(booking=booking, kilometres=kilometres, tickets=tickets, note=note, receipt=receipt)
    claim.full_clean()
    try:
        with transaction.atomic():
            claim.save()
    except IntegrityError:
        # The file was stored before the INSERT failed; nothing refers to it now.
        if claim.receipt.name:
            claim.receipt.storage.delete(claim.receipt.name)
        return ExpenseClaim.objects.get(
            booking=booking, status__in=[ClaimStatus.SUBMITTED, ClaimStatus.APPROVED]
        ), False
    return claim, True


def _lock_claim(claim: ExpenseClaim) -> ExpenseClaim:
    assignment_id = Booking.objects.filter(pk=claim.booking_id).values_list("assignment_id", flat=True).get()
    list(Assignment.objects.select_for_update().filter(pk=assignment_id).values_list("pk", flat=True))
    return (
        ExpenseClaim.objects.select_for_update(of=("self",))
        .select_related("booking__expert__user", "booking__assignment")
        .get(pk=claim.pk)
    )


def _decide(claim: ExpenseClaim, *, status: str, actor, note: str = "") -> None:
    claim.status = status
    claim.decided_by = actor
    claim.decided_at = timezone.now()
    claim.decision_note = note
    claim.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    booking = claim.booking
    schedule_for_channels(
        kind=f"bookings.claim_{'approved' if status == ClaimStatus.APPROVED else 'returned'}",
        target=claim,
        recipient=booking.expert.user,
        due_at=timezone.now(),
        context={"path": reverse("bookings:expense_claim", args=[booking.pk])},
    )
    record_audit_event(
        actor=actor,
        subject=booking.expert.user,
        action=AuditAction.CHANGE,
        what=f"expense claim {'approved' if status == ClaimStatus.APPROVED else 'returned'}",
        fields=["status", "decision_note"] if note else ["status"],
    )


@transaction.atomic
def approve_expense_claim(*, claim: ExpenseClaim, actor) -> ExpenseClaim:
    """Approve into expense lines: the kilometres at the kilometre tariff, the tickets as claimed."""
    claim = _lock_claim(claim)
    if claim.status != ClaimStatus.SUBMITTED:
        raise BookingError(_("This claim has already been decided."))
    if claim.booking.status != BookingStatus.COMPLETED:
        raise BookingError(_("The booking is no longer marked completed: the claim cannot be approved."))
    note = claim.note[:200]
    if claim.kilometres > 0:
        ExpenseLine.objects.create(
            booking=claim.booking,
            claim=claim,
            kind=ExpenseKind.TRAVEL_KM,
            quantity=claim.kilometres,
            amount=travel_amount(claim.kilometres),
            note=note,
        )
    if claim.tickets > 0:
        ExpenseLine.objects.create(
            booking=claim.booking, claim=claim, kind=ExpenseKind.TICKET, quantity=1, amount=claim.tickets, note=note
        )
    _decide(claim, status=ClaimStatus.APPROVED, actor=actor)
    return claim


@transaction.atomic
def return_expense_claim(*, claim: ExpenseClaim, reason: str, actor) -> ExpenseClaim:
    """Return the claim with the reason; the expert may then send a new one."""
    if not reason.strip():
        raise BookingError(_("Tell the expert why the claim is returned."))
    claim = _lock_claim(claim)
    if claim.status != ClaimStatus.SUBMITTED:
        raise BookingError(_("This claim has already been decided."))
    _decide(claim, status=ClaimStatus.REJECTED, actor=actor, note=reason.strip())
    return claim
