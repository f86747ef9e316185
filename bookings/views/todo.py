"""Coordinators: the to-do (also their front page), confirming from it, and the debrief's steps.

What waits is read by todo.py; these views only show it, each item with a link or a button to its
action. The writes go through the services as on the assignment page, so a refused or repeated
action is a message, never an error page.
"""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.http import posted
from accounts.models import AuditAction
from accounts.services import record_audit_event

from .. import services
from ..debriefs import debrief_status, move_debrief
from ..eligibility import outside_hours, weekly_slots_of
from ..forms import DebriefDateForm
from ..models import Booking, BookingStatus, DebriefStatus
from ..services import BookingError, EarningsWarning
from ..todo import SECTION_LIMIT, nav_total, todo_for
from .coordinator import SEARCH_EXPERTS, _search_url, coordinator_required


def _todo_context(request, mine: bool) -> dict:
    todo = todo_for(timezone.now(), request.user, mine=mine, limit=SECTION_LIMIT)
    # The page knows the exact total: the navigation's count, shown below on this very page, too.
    nav_total.put(todo.total)
    for assignment in todo.items["short"]:
        assignment.search_url = _search_url(assignment)
    # Before its Confirm button, as on the assignment page: a time outside the hours the expert gave.
    to_confirm = todo.items["to_confirm"]
    slots = weekly_slots_of(booking.expert_id for booking in to_confirm)
    for booking in to_confirm:
        booking.outside_hours = outside_hours(
            booking.expert, booking.assignment, slots=slots.get(booking.expert_id, [])
        )
    return {"todo": todo, "limit": SECTION_LIMIT}


@coordinator_required
def todo(request):
    """Everything waiting for the county's coordinators; ?mine=1 for the viewer's assignments only."""
    context = _todo_context(request, mine=request.GET.get("mine") == "1")
    return render(request, "bookings/todo.html", {**context, "level": 2})


def front_page_section(request) -> str:
    """The to-do on a coordinator's front page (accounts/waiting.py); nothing for other users."""
    if not request.user.has_perm(SEARCH_EXPERTS):
        return ""
    context = {**_todo_context(request, mine=False), "level": 3, "on_front_page": True}
    return render_to_string("bookings/_todo_front_page.html", context, request=request)


@coordinator_required
@require_POST
def todo_confirm(request, pk):
    """The to-do's "Confirm" button: services.confirm_booking, as on the assignment page, then back
    to the to-do. Over an earnings limit, the assignment page's warning asks again."""
    booking = get_object_or_404(Booking.objects.for_action(), pk=pk)
    try:
        services.confirm_booking(booking=booking, actor=request.user)
    except EarningsWarning as warning:
        context = {"booking": booking, "assignment": booking.assignment, "warnings": warning.warnings}
        return render(request, "bookings/assignment_confirm_warning.html", context)
    except BookingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("%(name)s is confirmed.") % {"name": booking.expert.display_name})
    return redirect("bookings:todo")


@coordinator_required
def booking_debrief(request, pk):
    """The debrief an expert asked for: agree on a date (or a new one), then mark it held."""
    booking = get_object_or_404(
        Booking.objects.for_action().select_related("check_in", "expert__user"),
        pk=pk,
        status=BookingStatus.COMPLETED,
        check_in__wants_debrief=True,
    )
    check_in = booking.check_in
    form = DebriefDateForm(
        posted(request) if request.POST.get("to") == DebriefStatus.AGREED else None,
        initial={"on": check_in.debrief_on},
    )
    if request.method == "POST":
        to = request.POST.get("to", "")
        if to != DebriefStatus.AGREED or form.is_valid():
            on = form.cleaned_data["on"] if to == DebriefStatus.AGREED else None
            try:
                move_debrief(booking=booking, to=to, on=on, actor=request.user)
            except BookingError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, _debrief_message(to, on))
            return redirect("bookings:debrief", booking.pk)
    else:
        # The expert's own words about how it went: personal data, so the view is in the audit log.
        record_audit_event(
            actor=request.user, subject=booking.expert.user, action=AuditAction.VIEW, what="check-in", fields=["text"]
        )
    context = {
        "booking": booking,
        "assignment": booking.assignment,
        "check_in": check_in,
        "status": debrief_status(check_in),
        "form": form,
    }
    return render(request, "bookings/booking_debrief.html", context)


def _debrief_message(to: str, on) -> str:
    if to == DebriefStatus.HELD:
        return _("The debrief is marked held.")
    return _("The debrief is agreed for %(date)s.") % {"date": formats.date_format(on, "SHORT_DATE_FORMAT")}
