"""iCalendar files for event notifications. A target that wants one implements calendar_event()."""

from dataclasses import dataclass
from datetime import datetime

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


def calendar_file(event: CalendarEvent) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Kokemuspankki//kokemuspankki//FI")
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if event.cancelled else "PUBLISH")
    entry = Event()
    entry.add("uid", event.uid)
    entry.add("dtstamp", timezone.now())
    entry.add("dtstart", event.start)
    entry.add("dtend", event.end)
    entry.add("summary", event.summary)
    entry.add("sequence", event.sequence)
    entry.add("status", "CANCELLED" if event.cancelled else "CONFIRMED")
    if event.location:
        entry.add("location", event.location)
    if event.description:
        entry.add("description", event.description)
    calendar.add_component(entry)
    return calendar.to_ical()
