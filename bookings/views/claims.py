"""Travel and expense claims: the expert sends one for a completed booking (with a receipt), a
coordinator approves it into the booking's expense lines or returns it (claims.py).

Receipts are personal data: they are never under /media/ (nothing serves it) and come only from
claim_receipt, to the expert themself and to coordinators, each coordinator's look in the audit log.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from accounts.http import posted
from accounts.models import AuditAction
from accounts.services import record_audit_event
from experts.views.profile import own_profile_required

from ..claims import (
    approve_expense_claim,
    claim_for_review,
    claim_in_play,
    claims_of_booking,
    claims_readable_by,
    claims_recently_decided,
    claims_waiting,
    return_expense_claim,
    submit_expense_claim,
    travel_amount,
)
from ..forms_claims import ClaimReturnForm, ExpenseClaimForm
from ..models import Booking, BookingStatus, ClaimStatus, ExpenseClaim
from ..services import BookingError
from .coordinator import coordinator_required

# The stored receipt's extension (forms_claims gives every file one of these) -> its content type.
RECEIPT_TYPES = {"jpg": "image/jpeg", "png": "image/png", "pdf": "application/pdf"}


# --- The expert ----------------------------------------------------------------------------------


@own_profile_required
def expense_claim(request, profile, pk):
    """The claim of one completed booking: its status (and why it was returned), or the form."""
    booking = get_object_or_404(Booking.objects.of_expert(profile).for_expert_page(), pk=pk)
    if booking.status != BookingStatus.COMPLETED:
        messages.info(request, _("Travel and expenses can be claimed once the assignment is marked completed."))
        return redirect(booking)
    claims = claims_of_booking(booking)
    current = claim_in_play(claims)
    form = None
    if current is None:
        form = ExpenseClaimForm(posted(request), request.FILES if request.method == "POST" else None)
    if request.method == "POST":
        if current is not None:  # a second submit, or a stale page: the claim sent stands
            messages.info(request, _("Your claim has already been sent."))
            return redirect("bookings:expense_claim", booking.pk)
        if form.is_valid():
            return _submit(request, booking, form)
    context = {
        "booking": booking,
        "assignment": booking.assignment,
        "current": current,
        "returned": [claim for claim in claims if claim.status == ClaimStatus.REJECTED],
        "form": form,
    }
    return render(request, "bookings/expense_claim.html", context)


def _submit(request, booking: Booking, form: ExpenseClaimForm):
    data = form.cleaned_data
    try:
        _claim, created = submit_expense_claim(
            booking=booking,
            kilometres=data["kilometres"],
            tickets=data["tickets"],
            receipt=data["receipt"],
            note=data["note"].strip(),
        )
    except BookingError as error:
        messages.error(request, str(error))
        return redirect(booking)
    if created:
        messages.success(request, _("Your claim was sent. The coordinator checks it and lets you know."))
    else:
        messages.info(request, _("Your claim has already been sent."))
    return redirect("bookings:expense_claim", booking.pk)


@require_safe
@login_required
def claim_receipt(request, pk):
    """The receipt file, to the expert whose claim it is and to coordinators; anyone else gets 404,
    as for a claim that does not exist. A photo opens in the browser, a PDF is downloaded: a PDF
    viewer inside our origin is more than a receipt needs."""
    claim = get_object_or_404(claims_readable_by(request.user).select_related("booking__expert__user"), pk=pk)
    if not claim.receipt:
        raise Http404
    extension = claim.receipt.name.rsplit(".", 1)[-1].lower()
    content_type = RECEIPT_TYPES.get(extension, "application/octet-stream")
    subject = claim.booking.expert.user
    if subject.pk != request.user.pk:
        record_audit_event(actor=request.user, subject=subject, action=AuditAction.VIEW, what="expense claim receipt")
    response = FileResponse(
        claim.receipt.open("rb"),
        as_attachment=not content_type.startswith("image/"),
        filename=f"kuitti-{claim.pk}.{extension}",
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# --- Coordinators --------------------------------------------------------------------------------


@coordinator_required
def claim_list(request):
    """Claims waiting for a decision, the oldest first; the latest decided ones below."""
    # Queries: the waiting claims with booking, assignment and expert; the latest decided ones with
    # the same and the decider.
    context = {"waiting": list(claims_waiting()), "decided": list(claims_recently_decided())}
    return render(request, "bookings/claim_list.html", context)


@coordinator_required
def claim_review(request, pk):
    """One claim with its receipt: approve it into the booking's expenses, or return it with a reason."""
    try:
        claim = claim_for_review(pk)
    except ExpenseClaim.DoesNotExist as error:
        raise Http404 from error
    return_form = ClaimReturnForm(request.POST if request.POST.get("action") == "return" else None)
    if request.method == "POST":
        response = _decide(request, claim, return_form)
        if response is not None:
            return response
    booking = claim.booking
    record_audit_event(actor=request.user, subject=booking.expert.user, action=AuditAction.VIEW, what="expense claim")
    context = {
        "claim": claim,
        "booking": booking,
        "assignment": booking.assignment,
        "travel_amount": travel_amount(claim.kilometres) if claim.kilometres else None,
        # Expenses the coordinator already recorded with the outcome: a claim must not pay them twice.
        "other_lines": [line for line in booking.expense_lines.all() if line.claim_id != claim.pk],
        "is_image": claim.receipt.name.rsplit(".", 1)[-1].lower() in ("jpg", "png") if claim.receipt else False,
        "return_form": return_form,
    }
    return render(request, "bookings/claim_review.html", context)


def _decide(request, claim: ExpenseClaim, return_form: ClaimReturnForm):
    """Approve or return; None to show the page again with the return form's error."""
    action = request.POST.get("action")
    name = claim.booking.expert.display_name
    if action == "return" and not return_form.is_valid():
        return None
    try:
        if action == "approve":
            approve_expense_claim(claim=claim, actor=request.user)
            messages.success(request, _("The claim of %(name)s was approved into the payroll.") % {"name": name})
        elif action == "return":
            return_expense_claim(claim=claim, reason=return_form.cleaned_data["reason"], actor=request.user)
            messages.success(request, _("The claim was returned to %(name)s with your reason.") % {"name": name})
        else:
            raise Http404
    except BookingError as error:
        # A double click or a second coordinator: the claim was decided a moment ago, once.
        claim.refresh_from_db(fields=["status"])
        if claim.status == ClaimStatus.SUBMITTED:
            messages.error(request, str(error))
        else:
            messages.info(
                request,
                _("This claim has already been decided: %(status)s.") % {"status": claim.get_status_display()},
            )
    return redirect("bookings:claim_review", claim.pk)
