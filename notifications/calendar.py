"""iCalendar files for event notifications. A target that wants one implements calendar_event()."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone
from icalendar import Calendar, Event


@dataclass(frozen=True)
class CalendarEvent:
    uid: str  # stable per event, so that a changed booking updates the calendar entry
    start: datetime
    end: datetime
    summary: str
    location: str = ""
    description: str = ""
    sequence: int = 0  # raise it on every change
    cancelled: bool = False


PRODID = "-//Kokemuspankki//kokemuspankki//FI"


def _component(event: CalendarEvent, stamp: datetime) -> Event:
    entry = Event()
    entry.add("uid", event.uid)
    entry.add("dtstamp", stamp)
    entry.add("dtstart", event.start)
    entry.add("dtend", event.end)
    entry.add("summary", event.summary)
    entry.add("sequence", event.sequence)
    entry.add("status", "CANCELLED" if event.cancelled else "CONFIRMED")
    if event.location:
        entry.add("location", event.location)
    if event.description:
        entry.add("description", event.description)
    return entry


def calendar_file(event: CalendarEvent) -> bytes:
    """One event, as mailed with a notification: METHOD:CANCEL removes it from the calendar."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if event.cancelled else "PUBLISH")
    calendar.add_component(_component(event, timezone.now()))
    return calendar.to_ical()


def subscription_file(events: Iterable[CalendarEvent], *, name: str) -> bytes:
    """A subscribed calendar with many events (a personal feed URL)."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    # How often subscribing apps should fetch again (the standard property and Outlook's own).
    calendar.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")
    stamp = timezone.now()
    for event in events:
        calendar.add_component(_component(event, stamp))
    return calendar.to_ical()
