"""A debrief the expert asked for after an assignment: asked → agreed (a date) → held.

The expert asks in their check-in (CheckIn.wants_debrief); a coordinator agrees on a date with them
and marks it held afterwards, and the to-do lists it until then. A debrief agreed on may get a new
date, one held stays held, and nothing goes back to asked. Each step takes the check-in's row lock
and checks the state it starts from, so two coordinators (or a double click) cannot both move it.
"""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import AuditAction
from accounts.services import record_audit_event

from .models import Booking, CheckIn, DebriefStatus
from .services import BookingError

# Where each status may go next; "" (a check-in from before debriefs had a status) is asked.
NEXT = {
    DebriefStatus.ASKED: {DebriefStatus.AGREED, DebriefStatus.HELD},
    DebriefStatus.AGREED: {DebriefStatus.AGREED, DebriefStatus.HELD},
    DebriefStatus.HELD: set(),
}


def debrief_status(check_in: CheckIn) -> str:
    return check_in.debrief_status or DebriefStatus.ASKED


@transaction.atomic
def move_debrief(*, booking: Booking, to: str, on: date | None = None, actor) -> CheckIn:
    """Agree on a date for the debrief (to=agreed, on=the date; again for a new date) or mark it held.
    The same date agreed twice changes nothing, so a double submit is harmless."""
    check_in = (
        CheckIn.objects.select_for_update().select_related("booking__expert__user").filter(booking=booking).first()
    )
    if check_in is None or not check_in.wants_debrief:
        raise BookingError(_("The expert has not asked for a debrief."))
    current = debrief_status(check_in)
    if current == DebriefStatus.HELD:
        raise BookingError(_("The debrief has already been held."))
    if to not in NEXT:
        raise BookingError(_("Choose what to do with the debrief."))
    if to not in NEXT[current]:
        raise BookingError(_("The debrief cannot be moved back."))
    if to == DebriefStatus.AGREED and on is None:
        raise BookingError(_("Give the date of the debrief."))
    if to == current and on == check_in.debrief_on:
        return check_in
    check_in.debrief_status = to
    if on is not None:
        check_in.debrief_on = on
    check_in.debrief_updated_at = timezone.now()
    check_in.save(update_fields=["debrief_status", "debrief_on", "debrief_updated_at"])
    record_audit_event(
        actor=actor, subject=check_in.booking.expert.user, action=AuditAction.CHANGE, what=f"debrief {to}"
    )
    return check_in
