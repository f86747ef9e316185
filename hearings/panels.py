"""Client panels (asiakasraati): who is a member when, and booking the expert members for a meeting
through bookings, so that their fees go the way of every assignment (confirmation, reminders, the
payroll export). Residents who are members are not booked: they are not paid through the bank."""

from datetime import date

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from bookings import services as booking_services
from bookings.models import Assignment, Booking, BookingStatus
from experts.models import ExpertProfile

from .models import PanelMeeting, PanelMember

ACTIVE_BOOKINGS = (BookingStatus.INVITED, BookingStatus.ACCEPTED, BookingStatus.CONFIRMED, BookingStatus.COMPLETED)


class PanelError(Exception):
    """Booking cannot go ahead; the message is translated and shown to the user."""


def on_term(members, day: date):
    """Members whose term covers `day` (a term without an end goes on)."""
    return members.filter(Q(term_ends__isnull=True) | Q(term_ends__gte=day), term_starts__lte=day)


def split_by_term(members: list[PanelMember], day: date) -> tuple[list[PanelMember], list[PanelMember]]:
    """(current and upcoming, past) by the term on `day`."""
    past = [member for member in members if member.term_ends is not None and member.term_ends < day]
    return [member for member in members if member not in past], past


def expert_members(meeting: PanelMeeting) -> list[ExpertProfile]:
    """The meeting's expert members: experts of the bank whose term covers the meeting's day."""
    day = timezone.localdate(meeting.starts_at)
    ids = on_term(meeting.panel.members.filter(expert__isnull=False), day).values("expert_id")
    return list(ExpertProfile.objects.filter(pk__in=ids).select_related("user").order_by("display_name", "pk"))


def meeting_bookings(meeting: PanelMeeting) -> dict[int, Booking]:
    """{expert profile id: their active booking} on the assignment made for `meeting`."""
    bookings = Booking.objects.filter(
        assignment__in=Assignment.objects.for_purpose(meeting), status__in=ACTIVE_BOOKINGS
    ).select_related("assignment")
    return {booking.expert_id: booking for booking in bookings}


@transaction.atomic
def book_expert_members(*, meeting: PanelMeeting, form, actor) -> tuple[list[Booking], dict[int, str]]:
    """Order the meeting's expert members as one bookings assignment whose purpose is the meeting,
    and invite them. Asking again (a double submit, a member added since) reuses the assignment and
    invites only those not on it yet. Returns (new invitations, {profile id: why not})."""
    meeting = PanelMeeting.objects.select_for_update().select_related("panel").get(pk=meeting.pk)
    if meeting.starts_at <= timezone.now():
        raise PanelError(_("The meeting has already begun: experts are booked before it."))
    profiles = expert_members(meeting)
    if not profiles:
        raise PanelError(_("The panel has no expert members on term on the meeting's day."))
    assignment = Assignment.objects.for_purpose(meeting).order_by("pk").first()
    if assignment is None:
        assignment = form.instance
        assignment.title = _("Client panel: %(meeting)s") % {"meeting": meeting}
        assignment.description = meeting.agenda
        assignment.starts_at, assignment.ends_at = meeting.starts_at, meeting.ends_at
        assignment.address = meeting.place
        assignment.contact_person = meeting.panel.coordinator
        assignment.experts_needed = len(profiles)
        assignment = booking_services.create_assignment(form=form, actor=actor, purpose=meeting)
    return booking_services.invite_experts(assignment=assignment, profiles=profiles, actor=actor)
