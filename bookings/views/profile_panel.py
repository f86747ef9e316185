"""The expert as coordinators see them on the profile page: their bookings, blocked dates, contact
details for staff, "Book" and the payee details (registered with experts.profile_panels in apps.py).

The bookings are the expert's upcoming ones and those of the last 12 months; ?omat=1 keeps only the
assignments whose contact person is the viewer ("my units"). The contact details and the bookings are
personal data: the profile page's audit row names them (`audit_fields`).
"""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from experts.models import BlockedPeriod, ExpertProfile

from ..models import PENDING, BookingStatus

PAST_DAYS = 365
AUDITED_FIELDS = ["blocked_periods", "bookings", "email", "phone"]


def expert_profile_panel(request, profile: ExpertProfile) -> dict | None:
    """Queries: the bookings with assignments, tasks and contact people; the blocked periods to come.
    The profile page reads the profile with its user already, and writes the audit row."""
    if not request.user.has_perm("accounts.search_experts"):
        return None
    now = timezone.now()
    mine = request.GET.get("omat") == "1"
    bookings = profile.bookings.for_profile_panel(since=now - timedelta(days=PAST_DAYS))
    if mine:
        bookings = bookings.filter(assignment__contact_person=request.user)
    upcoming, past = [], []
    for booking in bookings:
        if booking.assignment.ends_at > now and booking.status in (*PENDING, BookingStatus.CONFIRMED):
            upcoming.append(booking)
        elif booking.status not in PENDING:  # an invitation nobody answered in time is no history
            past.append(booking)
    past.reverse()  # the latest first
    # Only the dates: a blocked period's note is the expert's own ("only you see it").
    blocked = list(BlockedPeriod.objects.filter(profile=profile, end__gte=timezone.localdate()).only("start", "end"))
    return {
        "template": "bookings/_expert_panel.html",
        "audit_fields": AUDITED_FIELDS,  # in the profile page's own audit row
        "sections": [
            (_("Upcoming"), upcoming, _("No upcoming assignments.")),
            (_("The past 12 months"), past, _("No assignments in the past 12 months.")),
        ],
        "mine": mine,
        "blocked": blocked,
        "email": profile.user.email,
        "phone": profile.user.phone,
        "can_book": profile.ready_at is not None and profile.is_bookable(),
    }
