"""Personal calendar feeds: a secret URL that a calendar app subscribes to. Only the token's hash is
stored; the feed holds an expert's confirmed and completed bookings and a coordinator's assignments."""

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from django.db import transaction
from django.utils import timezone

from accounts.roles import Role
from notifications.calendar import CalendarEvent

from .models import Assignment, AssignmentStatus, Booking, CalendarFeed

# A feed carries this much history; older entries stay in calendars that already have them.
FEED_HISTORY = timedelta(days=365)


def feed_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def create_calendar_feed(*, user) -> str:
    """A new secret feed token for `user` (the old one stops working). Returns the token: only its
    hash is kept, so it is shown once."""
    token = secrets.token_urlsafe(24)
    CalendarFeed.objects.update_or_create(user=user, defaults={"token_hash": feed_token_hash(token)})
    return token


def revoke_calendar_feed(*, user) -> None:
    CalendarFeed.objects.filter(user=user).delete()


def assignment_event(assignment: Assignment) -> CalendarEvent:
    """A coordinator's calendar entry for an assignment they are the contact person of."""
    description = "\n\n".join(
        filter(None, [assignment.unit, assignment.description, assignment.arrival_info, assignment.remote_link])
    )
    # Assignments have no change counter of their own: seconds since the last save only grow.
    sequence = int((assignment.updated_at - datetime(2025, 1, 1, tzinfo=UTC)).total_seconds())
    return CalendarEvent(
        uid=f"assignment-{assignment.pk}@kokemuspankki",
        start=assignment.starts_at,
        end=assignment.ends_at,
        summary=assignment.title,
        location=assignment.place,
        description=description,
        sequence=max(sequence, 0),
    )


def may_have_feed(user) -> bool:
    return user.has_role(Role.EXPERT) or user.has_perm("accounts.search_experts")


def feed_events(user) -> list[CalendarEvent]:
    """An expert's confirmed and completed bookings; a coordinator's assignments that are not
    cancelled, where they are the contact person. The last year and everything to come."""
    since = timezone.now() - FEED_HISTORY
    events = []
    if user.has_role(Role.EXPERT):
        bookings = Booking.objects.holding().filter(expert__user=user, assignment__starts_at__gte=since)
        events += [booking.calendar_event() for booking in bookings.select_related("assignment")]
    if user.has_perm("accounts.search_experts"):
        assignments = Assignment.objects.filter(contact_person=user, starts_at__gte=since).exclude(
            status=AssignmentStatus.CANCELLED
        )
        events += [assignment_event(assignment) for assignment in assignments]
    return events
