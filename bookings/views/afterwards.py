"""Coordinators after the fact: record an assignment that already took place, correct a completed
booking (afterwards.py). A double submit saves once: the form's one-time key is claimed before the
service runs, and given back when the service refuses, so that the corrected form can be sent again."""

from django.contrib import messages
from django.core.cache import cache
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.http import posted
from kokemuspankki import form_keys

from ..afterwards import correct_booking, corrections_by_booking, record_past_assignment
from ..forms_afterwards import CorrectBookingForm, RecordPastForm
from ..models import Booking, BookingStatus
from ..services import BookingError
from .coordinator import coordinator_required


def _save_once(request, form, scope: str, *, fallback: str, save, success: str):
    """Claim the form's key, then `save()`, which returns where to go; a redirect there with the
    `success` message, or to where the first post went when the form was sent already. None when the
    service refused: its BookingError is the form's error, and the key is free for the next post."""
    key, first = form_keys.claim(request, form, scope)
    if not first:
        return form_keys.already_sent(request, key, fallback)
    try:
        url = save()
    except BookingError as error:
        cache.delete(key)
        form.add_error(None, str(error))
        return None
    except BaseException:
        cache.delete(key)
        raise
    form_keys.remember(key, url)
    messages.success(request, success)
    return redirect(url)


@coordinator_required
def record_past(request):
    """An assignment arranged by phone and already done: the assignment, its expert, hours, fee and
    expenses in one form, saved as done and marked recorded afterwards."""
    form = RecordPastForm(posted(request), user=request.user)
    fallback = reverse("bookings:assignment_list")
    if sent := form_keys.sent_before(request, form, "record-past"):
        return form_keys.already_sent(request, sent, fallback)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        def save():
            booking = record_past_assignment(
                assignment=form.save(commit=False),
                expert=data["expert"],
                hours=data["hours"],
                fee=data["fee"],
                fee_note=data["fee_note"].strip(),
                fee_waived=data["fee_waived"],
                expenses=form.expenses(),
                actor=request.user,
            )
            return booking.assignment.get_absolute_url()

        success = _("The assignment was recorded as done.")
        if answer := _save_once(request, form, "record-past", fallback=fallback, save=save, success=success):
            return answer
    return render(request, "bookings/assignment_record_past.html", {"form": form})


@coordinator_required
def booking_correct(request, pk):
    """Correct a completed booking's hours, fee or expenses, with a reason; every correction is kept."""
    booking = get_object_or_404(Booking.objects.for_action(), pk=pk)
    back = f"{booking.assignment.get_absolute_url()}#corrections-{booking.pk}"
    if booking.status != BookingStatus.COMPLETED:
        messages.error(request, _("Only a completed booking can be corrected."))
        return redirect(booking.assignment)
    form = CorrectBookingForm(posted(request), booking=booking)
    if sent := form_keys.sent_before(request, form, "booking-correction"):
        return form_keys.already_sent(request, sent, back)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        def save():
            correct_booking(
                booking=booking,
                reason=data["reason"],
                hours=data["hours"],
                fee=data["fee"],
                fee_note=data["fee_note"],
                fee_waived=data["fee_waived"],
                remove_lines=[line.pk for line in data["remove_lines"]],
                expenses=form.expenses(),
                actor=request.user,
            )
            return back

        success = _("The correction was saved.")
        if answer := _save_once(request, form, "booking-correction", fallback=back, save=save, success=success):
            return answer
    context = {
        "booking": booking,
        "assignment": booking.assignment,
        "form": form,
        "corrections": corrections_by_booking([booking]).get(booking.pk, []),
    }
    return render(request, "bookings/booking_correct.html", context)
