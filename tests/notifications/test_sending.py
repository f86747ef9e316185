"""Sweeping, sending, retries, preferences, rendering and attachments."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from accounts.models import User
from notifications import services
from notifications.calendar import CalendarEvent
from notifications.models import Channel, Notification, NotificationPreference, Status
from notifications.services import (
    release_expired_claims,
    reschedule_notifications,
    schedule_notification,
    send_notification,
    sweep_due_notifications,
)
from notifications.tasks import send_notification_task

REMINDER, EVENT = "tests.reminder", "tests.event"


@pytest.fixture
def enqueued(monkeypatch):
    """Capture what the sweep hands to Celery instead of talking to a broker."""
    calls = []
    monkeypatch.setattr(send_notification_task, "delay", lambda *args: calls.append(args))
    return calls


def due(person, kind="tests.reminder", minutes_ago=1, **kwargs):
    kwargs.setdefault("recipient", person)
    kwargs.setdefault("context", {"title": "Vastaanotto Hollolan sote-keskuksessa"})
    return schedule_notification(
        kind=kind, target=person, due_at=timezone.now() - timedelta(minutes=minutes_ago), **kwargs
    )


def sweep_and_send(enqueued):
    sweep_due_notifications(enqueue=send_notification_task.delay)
    results = [send_notification(notification_id=nid, claim_token=token) for nid, token in enqueued]
    enqueued.clear()
    return results


@pytest.mark.django_db
def test_sweep_claims_due_rows_and_the_task_sends_them(person, enqueued):
    notification = due(person)
    later = schedule_notification(
        kind="tests.event", target=person, recipient=person, due_at=timezone.now() + timedelta(hours=1)
    )
    assert sweep_due_notifications(enqueue=send_notification_task.delay) == 1
    assert [nid for nid, _ in enqueued] == [notification.pk]
    notification.refresh_from_db()
    assert notification.status == Status.SENDING and notification.attempts == 1

    assert send_notification(notification_id=notification.pk, claim_token=enqueued[0][1]) == "sent"
    notification.refresh_from_db()
    assert notification.status == Status.SENT and notification.sent_at is not None
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [person.email]
    assert "Vastaanotto Hollolan sote-keskuksessa" in mail.outbox[0].subject
    assert Notification.objects.get(pk=later.pk).status == Status.PENDING


@pytest.mark.django_db
def test_a_repeated_or_stale_task_sends_nothing(person, enqueued):
    notification = due(person)
    sweep_due_notifications(enqueue=send_notification_task.delay)
    token = enqueued[0][1]
    assert send_notification(notification_id=notification.pk, claim_token=token) == "sent"
    assert send_notification(notification_id=notification.pk, claim_token=token) == "stale"
    assert send_notification(notification_id=notification.pk, claim_token="00000000-0000-0000-0000-000000000000") == (
        "stale"
    )
    assert send_notification(notification_id=999999, claim_token=token) == "stale"
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_task_that_outwaited_its_claim_still_sends_once(person, enqueued, settings):
    # The worker reaches the first sweep's task only after the claim expired and a later sweep
    # claimed the row again: the first task sends it, and the second one finds it sent.
    notification = due(person)
    assert notification.status == Status.PENDING
    sweep_due_notifications(enqueue=send_notification_task.delay)
    later = timezone.now() + timedelta(seconds=settings.KP_NOTIFICATION_CLAIM_SECONDS + 1)
    assert sweep_due_notifications(enqueue=send_notification_task.delay, now=later) == 1
    (first, old_token), (_, new_token) = enqueued
    assert old_token != new_token
    assert send_notification(notification_id=first, claim_token=old_token) == "sent"
    assert send_notification(notification_id=first, claim_token=new_token) == "stale"
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_task_for_a_released_due_row_takes_it(person, enqueued, settings):
    notification = due(person)
    sweep_due_notifications(enqueue=send_notification_task.delay)
    later = timezone.now() + timedelta(seconds=settings.KP_NOTIFICATION_CLAIM_SECONDS + 1)
    release_expired_claims(now=later)  # released, and no sweep has claimed it again yet
    assert send_notification(notification_id=notification.pk, claim_token=enqueued[0][1]) == "sent"
    notification.refresh_from_db()
    assert notification.status == Status.SENT and notification.attempts == 2
    assert sweep_due_notifications(enqueue=send_notification_task.delay) == 0


@pytest.mark.django_db
def test_a_task_for_a_row_moved_later_or_cancelled_sends_nothing(person, enqueued, settings):
    moved, cancelled = due(person), due(person, kind="tests.event")
    sweep_due_notifications(enqueue=send_notification_task.delay)
    # The claims expired (the worker was slow); meanwhile one row moved to later, one was cancelled.
    release_expired_claims(now=timezone.now() + timedelta(seconds=settings.KP_NOTIFICATION_CLAIM_SECONDS + 1))
    assert reschedule_notifications(target=person, kind=moved.kind, due_at=timezone.now() + timedelta(hours=2)) == 1
    assert services.cancel_notifications(target=person, kinds_=[cancelled.kind]) == 1
    for notification_id, token in enqueued:
        assert send_notification(notification_id=notification_id, claim_token=token) == "stale"
    assert mail.outbox == []


@pytest.mark.django_db
def test_failed_delivery_retries_with_backoff_then_gives_up(person, enqueued, monkeypatch, settings):
    settings.KP_NOTIFICATION_MAX_ATTEMPTS = 3

    def refuse(**kwargs):
        raise ConnectionRefusedError("smtp down for asukas@example.fi")

    monkeypatch.setattr(services, "send_email_message", refuse)
    notification = due(person)
    assert sweep_and_send(enqueued) == ["retry"]
    notification.refresh_from_db()
    assert notification.status == Status.PENDING
    assert notification.last_error == "ConnectionRefusedError"  # no address in the error column
    assert notification.due_at > timezone.now() + timedelta(seconds=50)

    for expected in ["retry", "failed"]:
        Notification.objects.filter(pk=notification.pk).update(due_at=timezone.now())
        assert sweep_and_send(enqueued) == [expected]
    notification.refresh_from_db()
    assert notification.status == Status.FAILED and notification.attempts == 3
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_claim_whose_worker_died_returns_to_pending(person, enqueued, settings):
    notification = due(person)
    sweep_due_notifications(enqueue=send_notification_task.delay)
    enqueued.clear()  # the worker "died": the task never ran
    later = timezone.now() + timedelta(seconds=settings.KP_NOTIFICATION_CLAIM_SECONDS + 1)
    assert sweep_due_notifications(enqueue=send_notification_task.delay, now=later) == 1
    notification.refresh_from_db()
    assert notification.status == Status.SENDING and notification.attempts == 2
    assert send_notification(notification_id=notification.pk, claim_token=enqueued[0][1]) == "sent"


@pytest.mark.django_db
def test_broker_down_during_sweep_returns_rows_to_pending(person, monkeypatch):
    from kombu.exceptions import OperationalError

    def broker_down(*args):
        raise OperationalError("connection refused")

    monkeypatch.setattr(send_notification_task, "delay", broker_down)
    notification = due(person)
    assert sweep_due_notifications(enqueue=send_notification_task.delay) == 0
    notification.refresh_from_db()
    assert notification.status == Status.PENDING and notification.attempts == 0


@pytest.mark.django_db
def test_opted_out_recipient_gets_no_optional_message(person, enqueued):
    NotificationPreference.objects.create(user=person, kind="tests.reminder", channel=Channel.EMAIL, enabled=False)
    optional = due(person)
    receipt = due(person, kind="tests.receipt")
    sweep_and_send(enqueued)
    assert Notification.objects.get(pk=optional.pk).status == Status.CANCELLED
    assert Notification.objects.get(pk=receipt.pk).status == Status.SENT  # transactional: always sent
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_inactive_recipient_is_cancelled(person, enqueued):
    notification = due(person)
    User.objects.filter(pk=person.pk).update(is_active=False)
    sweep_and_send(enqueued)
    assert Notification.objects.get(pk=notification.pk).status == Status.CANCELLED
    assert mail.outbox == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    "language,subject,greeting",
    [
        ("fi", "Tervetuloa Kokemuspankkiin", "Hei"),
        ("sv", "Välkommen till Kokemuspankki", "Hej"),
        ("en", "Welcome to Kokemuspankki", "Hello"),
    ],
)
def test_messages_are_rendered_in_the_recipients_language(person, enqueued, language, subject, greeting):
    person.language = language
    person.save(update_fields=["language"])
    due(person, kind="accounts.welcome")
    sweep_and_send(enqueued)
    message = mail.outbox[0]
    assert message.subject == subject
    assert message.body.startswith(f"{greeting} {person.first_name}")
    html = message.alternatives[0][0]
    assert f'<html lang="{language}">' in html


@pytest.mark.django_db
def test_optional_messages_carry_a_working_unsubscribe_link(client, person, enqueued):
    due(person)
    due(person, kind="tests.receipt")
    sweep_and_send(enqueued)
    reminder, receipt = sorted(mail.outbox, key=lambda m: "List-Unsubscribe" not in m.extra_headers)
    assert "List-Unsubscribe" not in receipt.extra_headers
    url = reminder.extra_headers["List-Unsubscribe"].strip("<>")
    path = url.split("://", 1)[1].split("/", 1)[1]
    assert client.get("/" + path).status_code == 200  # a link scanner's GET changes nothing
    assert not NotificationPreference.objects.exists()
    response = client.post("/" + path)  # one-click POST, no CSRF token, no login
    assert response.status_code == 200
    assert NotificationPreference.objects.get(user=person, kind="tests.reminder", channel="email").enabled is False


@pytest.mark.django_db
@pytest.mark.parametrize("token", ["garbage", "a" * 300, "ääkköset"])
def test_a_broken_unsubscribe_link_gives_a_clear_page(client, token):
    response = client.get(reverse("notifications:unsubscribe", args=[token]))
    assert response.status_code == 400
    assert client.post(reverse("notifications:unsubscribe", args=[token])).status_code == 400


@pytest.mark.django_db
def test_transactional_kind_cannot_be_unsubscribed_even_with_a_forged_kind(client, person):
    from notifications.emails import unsubscribe_token

    token = unsubscribe_token(user_id=person.pk, kind="tests.receipt", channel="email")
    assert client.post(reverse("notifications:unsubscribe", args=[token])).status_code == 400


@pytest.mark.django_db
def test_event_notifications_carry_a_calendar_file(person, enqueued, monkeypatch):
    start = timezone.now() + timedelta(days=2)
    event = CalendarEvent(
        uid="varaus-42@kokemuspankki",
        start=start,
        end=start + timedelta(hours=2),
        summary="Vertaisryhmä: masennus",
        location="Hollolan sote-keskus, Virastotie 3",
    )
    monkeypatch.setattr(User, "calendar_event", lambda self: event, raising=False)
    due(person, kind="tests.event")
    sweep_and_send(enqueued)
    ((filename, content, mimetype),) = mail.outbox[0].attachments
    assert filename.endswith(".ics") and mimetype.startswith("text/calendar")
    vevent = Calendar.from_ical(content).walk("VEVENT")[0]
    assert str(vevent["UID"]) == "varaus-42@kokemuspankki"
    assert str(vevent["LOCATION"]) == "Hollolan sote-keskus, Virastotie 3"
    assert vevent.decoded("DTSTART") == start.replace(microsecond=0) or vevent.decoded("DTSTART") == start


@pytest.mark.django_db
def test_text_messages_go_through_the_sms_backend(person, enqueued, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    settings.KP_SMS_BACKEND = "notifications.backends.FileSmsBackend"
    NotificationPreference.objects.create(user=person, kind="tests.reminder", channel=Channel.SMS, enabled=True)
    due(person, channel=Channel.SMS)
    assert sweep_and_send(enqueued) == ["sent"]
    log = next((tmp_path / "sms").iterdir()).read_text()
    assert "To: +358401234567" in log and "Vastaanotto Hollolan" in log
    assert mail.outbox == []


@pytest.mark.django_db
def test_sms_without_a_phone_number_is_cancelled(person, enqueued, settings):
    settings.KP_SMS_BACKEND = "notifications.backends.FileSmsBackend"
    NotificationPreference.objects.create(user=person, kind="tests.reminder", channel=Channel.SMS, enabled=True)
    User.objects.filter(pk=person.pk).update(phone="")
    notification = due(person, channel=Channel.SMS)
    sweep_and_send(enqueued)
    assert Notification.objects.get(pk=notification.pk).status == Status.CANCELLED


@pytest.mark.django_db
def test_admin_retries_failed_notifications(client, admin_user, person):
    notification = due(person)
    Notification.objects.filter(pk=notification.pk).update(status=Status.FAILED, attempts=5)
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:notifications_notification_changelist"),
        {"action": "retry_failed", "_selected_action": [notification.pk]},
    )
    assert response.status_code == 302
    notification.refresh_from_db()
    assert notification.status == Status.PENDING and notification.attempts == 0


@pytest.mark.django_db
def test_preferences_page_turns_optional_kinds_off_and_on(client, person):
    client.force_login(person)
    response = client.get(reverse("notifications:preferences"))
    assert response.status_code == 200
    assert 'name="tests.reminder:email"' in response.content.decode()
    assert 'name="tests.receipt:email"' not in response.content.decode()  # transactional: no checkbox
    # Everything checked except events by email (text messages: tests/notifications/test_sms_choices.py).
    data = {"tests.reminder:email": "on"}
    assert client.post(reverse("notifications:preferences"), data).status_code == 302
    # The apps' own optional kinds (and other test modules') were not in the form data either.
    prefs = NotificationPreference.objects.filter(user=person, enabled=False).filter(kind__in=[REMINDER, EVENT])
    assert set(prefs.values_list("kind", "channel")) == {("tests.event", "email")}


@pytest.mark.django_db
def test_preferences_page_queries(client, person, django_assert_num_queries):
    client.force_login(person)
    # session, the user with roles, permissions and MFA status (accounts.backends), the person's
    # switched-off preferences, then the idle-timeout session save (savepoint, update, release)
    with django_assert_num_queries(6):
        assert client.get(reverse("notifications:preferences")).status_code == 200


@pytest.mark.django_db
def test_a_row_of_an_unknown_kind_is_cancelled_not_retried_forever(person, enqueued):
    notification = due(person)
    Notification.objects.filter(pk=notification.pk).update(kind="removed.kind")
    assert sweep_and_send(enqueued) == ["cancelled"]
    assert "unknown kind" in Notification.objects.get(pk=notification.pk).last_error


@pytest.mark.django_db
def test_a_message_to_an_address_without_account_renders_and_sends(person, enqueued):
    due(person, kind="accounts.welcome", recipient=None, to_address="asukas@example.fi")
    assert sweep_and_send(enqueued) == ["sent"]
    assert mail.outbox[0].to == ["asukas@example.fi"]
    assert mail.outbox[0].body.startswith("Hei,")
    assert "List-Unsubscribe" not in mail.outbox[0].extra_headers  # no account: nothing to unsubscribe
