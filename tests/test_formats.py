"""Dates, times and numbers as Finland writes them, in Finnish, Swedish and English
(kokemuspankki/formats/, GLOSSARY.md "Numbers, money, dates, times"): in pages and in emails."""

import datetime
from datetime import time
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.utils import formats, translation

from bookings import services as booking_services
from bookings.money import format_money
from notifications.emails import render_notification
from notifications.models import Notification
from tests.factories import AssignmentFactory, ExpertProfileFactory

HELSINKI = ZoneInfo("Europe/Helsinki")
DAY = datetime.date(2026, 11, 24)


@pytest.mark.parametrize(
    ("language", "short_date", "clock", "long_date"),
    [
        ("fi", "24.11.2026", "9.05", "24. marraskuuta 2026"),
        ("sv", "24.11.2026", "9.05", "24 november 2026"),
        ("en", "24.11.2026", "9:05", "24 November 2026"),
    ],
)
def test_dates_and_times_in_each_language(language, short_date, clock, long_date):
    with translation.override(language):
        assert formats.date_format(DAY, "SHORT_DATE_FORMAT") == short_date
        assert formats.time_format(time(9, 5)) == clock
        assert formats.date_format(DAY) == long_date
        # Templates use the same formats.
        rendered = Template('{{ day|date:"SHORT_DATE_FORMAT" }} {{ at|time:"TIME_FORMAT" }}').render(
            Context({"day": DAY, "at": time(14, 30)})
        )
        assert rendered == f"{short_date} {'14:30' if language == 'en' else '14.30'}"


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_a_typed_finnish_date_is_read_in_every_language(language):
    from django import forms

    with translation.override(language):
        assert forms.DateField().clean("24.11.2026") == DAY
        assert forms.DateField().clean("2026-11-24") == DAY  # what a date picker sends


@pytest.mark.parametrize(
    ("language", "shown"), [("fi", "1\xa0200,50\xa0€"), ("sv", "1\xa0200,50\xa0€"), ("en", "€1,200.50")]
)
def test_money_has_thousands_and_the_euro_sign_in_place(language, shown):
    with translation.override(language):
        assert format_money(Decimal("1200.5")) == shown


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "when"),
    [
        ("fi", "tiistai 24.11.2026 klo 9.05–11.00"),
        ("sv", "tisdag 24.11.2026 kl. 9.05–11.00"),
        ("en", "Tuesday 24.11.2026 at 9:05–11:00"),
    ],
)
def test_a_booking_email_writes_the_time_as_the_language_does(coordinator, language, when):
    assignment = AssignmentFactory(contact_person=coordinator)
    assignment.starts_at = datetime.datetime(2026, 11, 24, 9, 5, tzinfo=HELSINKI)
    assignment.ends_at = datetime.datetime(2026, 11, 24, 11, 0, tzinfo=HELSINKI)
    assignment.save()
    (booking,), _ = booking_services.invite_experts(
        assignment=assignment, profiles=[ExpertProfileFactory()], actor=coordinator
    )
    notification = Notification(
        kind="bookings.invitation", target=booking, recipient=booking.expert.user, language=language
    )
    message = render_notification(notification)
    assert when in message.text
    assert when in message.html


@pytest.mark.django_db
@pytest.mark.parametrize(
    "language, shown",
    [("fi", "ke 12.6.2030 klo 12.00"), ("sv", "ons 12.6.2030 kl. 12.00"), ("en", "Wed 12.6.2030 at 12:00")],
)
def test_an_assignment_time_on_pages_reads_as_each_language_writes_it(language, shown):
    assignment = AssignmentFactory(starts_at=datetime.datetime(2030, 6, 12, 9, 0, tzinfo=datetime.UTC), hours=1.5)
    with translation.override(language):
        html = Template('{% include "bookings/_when.html" %}').render(Context({"assignment": assignment}))
    assert shown in html.replace("</time>", "").replace('<time datetime="2030-06-12T12:00:00+03:00">', "")
