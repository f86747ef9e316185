"""The subject and the plain-text part of an email show text as typed: no HTML entities (&quot;,
&amp;, &#x27;) from Django's escaping, which belongs to the HTML part only."""

import pytest
from django.utils import timezone

from notifications.emails import render_message, render_notification
from notifications.services import schedule_notification
from tests.factories import BookingFactory, UserFactory

TITLE = 'Luento "Toivo" & vertaistuki <2026>'
ESCAPED = "Luento &quot;Toivo&quot; &amp; vertaistuki &lt;2026&gt;"


def test_the_text_parts_are_not_html_escaped_and_the_html_part_is():
    message = render_message(template="tests/email/reminder", language="en", context={"title": TITLE, "url": ""})
    assert message.subject == f"Reminder: {TITLE}"
    assert message.text.startswith(f"Reminder: {TITLE}\n")
    assert "&quot;" not in message.text and "&amp;" not in message.text
    assert ESCAPED in message.html and TITLE not in message.html


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "subject"), [("fi", f"Kutsu: {TITLE}"), ("en", f"Invitation: {TITLE}")])
def test_a_booking_email_shows_the_assignment_title_as_typed(language, subject):
    booking = BookingFactory(assignment__title=TITLE)
    recipient = booking.expert.user
    recipient.language = language
    recipient.save(update_fields=["language"])
    notification = schedule_notification(
        kind="bookings.invitation", target=booking, recipient=recipient, due_at=timezone.now()
    )
    message = render_notification(notification)
    assert message.subject == subject
    assert f"\n{TITLE}\n" in message.text
    assert "&quot;" not in message.text and "&amp;" not in message.text
    assert ESCAPED in message.html


@pytest.mark.django_db
def test_an_account_email_greets_a_name_with_an_apostrophe_as_typed():
    person = UserFactory(role="expert", first_name="D'Artagnan & Åsa", language="en")
    notification = schedule_notification(
        kind="accounts.welcome", target=person, recipient=person, due_at=timezone.now()
    )
    message = render_notification(notification)
    assert message.text.startswith("Hello D'Artagnan & Åsa,")
    assert "D&#x27;Artagnan &amp; Åsa" in message.html
