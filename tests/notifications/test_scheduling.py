"""Scheduling, rescheduling and cancelling: one row per key, moved rather than duplicated."""

import threading
from datetime import timedelta

import pytest
from django.db import IntegrityError, connection
from django.utils import timezone

from notifications.models import Channel, Notification, Status
from notifications.services import cancel_notifications, reschedule_notifications, schedule_notification
from tests.factories import UserFactory


def soon(minutes=10):
    return timezone.now() + timedelta(minutes=minutes)


@pytest.mark.django_db
def test_schedule_creates_a_pending_row_in_the_recipients_language(person):
    person.language = "sv"
    notification = schedule_notification(kind="tests.reminder", target=person, recipient=person, due_at=soon())
    assert notification.status == Status.PENDING
    assert notification.language == "sv"
    assert notification.target == person


@pytest.mark.django_db
def test_scheduling_the_same_key_again_moves_the_one_row(person):
    first = schedule_notification(
        kind="tests.reminder", target=person, recipient=person, due_at=soon(10), context={"title": "A"}
    )
    second = schedule_notification(
        kind="tests.reminder", target=person, recipient=person, due_at=soon(20), context={"title": "B"}
    )
    assert first.pk == second.pk
    assert Notification.objects.count() == 1
    row = Notification.objects.get()
    assert row.context == {"title": "B"}
    assert abs((row.due_at - soon(20)).total_seconds()) < 5


@pytest.mark.django_db
def test_other_channel_or_kind_is_another_row(person):
    schedule_notification(kind="tests.reminder", target=person, recipient=person, due_at=soon())
    schedule_notification(kind="tests.reminder", target=person, recipient=person, due_at=soon(), channel=Channel.SMS)
    schedule_notification(kind="tests.event", target=person, recipient=person, due_at=soon())
    assert Notification.objects.count() == 3


@pytest.mark.django_db
def test_a_sent_notification_is_not_scheduled_again(person):
    notification = schedule_notification(kind="tests.reminder", target=person, recipient=person, due_at=soon())
    Notification.objects.filter(pk=notification.pk).update(status=Status.SENT)
    again = schedule_notification(kind="tests.reminder", target=person, recipient=person, due_at=soon(60))
    assert again.status == Status.SENT
    assert Notification.objects.count() == 1


@pytest.mark.django_db
def test_unknown_kind_fails_at_scheduling(person):
    with pytest.raises(KeyError):
        schedule_notification(kind="tests.nope", target=person, recipient=person, due_at=soon())


@pytest.mark.django_db
def test_a_row_needs_a_recipient_or_an_address(person):
    with pytest.raises(IntegrityError):
        schedule_notification(kind="tests.reminder", target=person, due_at=soon())


@pytest.mark.django_db
def test_address_only_recipients_for_people_without_account(person):
    a = schedule_notification(kind="tests.reminder", target=person, to_address="asukas@example.fi", due_at=soon())
    b = schedule_notification(kind="tests.reminder", target=person, to_address="asukas@example.fi", due_at=soon(5))
    assert a.pk == b.pk


@pytest.mark.django_db
def test_reschedule_moves_pending_and_leaves_sent_unless_asked(person):
    other = UserFactory()
    pending = schedule_notification(kind="tests.reminder", target=person, recipient=person, due_at=soon())
    sent = schedule_notification(kind="tests.reminder", target=person, recipient=other, due_at=soon())
    Notification.objects.filter(pk=sent.pk).update(status=Status.SENT, sent_at=timezone.now())

    assert reschedule_notifications(target=person, kind="tests.reminder", due_at=soon(120)) == 1
    pending.refresh_from_db()
    sent.refresh_from_db()
    assert abs((pending.due_at - soon(120)).total_seconds()) < 5
    assert sent.status == Status.SENT

    assert reschedule_notifications(target=person, kind="tests.reminder", due_at=soon(240), include_sent=True) == 2
    sent.refresh_from_db()
    assert sent.status == Status.PENDING and sent.sent_at is None


@pytest.mark.django_db
def test_cancel_stops_what_has_not_gone_out(person):
    pending = schedule_notification(kind="tests.reminder", target=person, recipient=person, due_at=soon())
    other_kind = schedule_notification(kind="tests.event", target=person, recipient=person, due_at=soon())
    assert cancel_notifications(target=person, kinds_=["tests.reminder"]) == 1
    pending.refresh_from_db()
    other_kind.refresh_from_db()
    assert pending.status == Status.CANCELLED
    assert other_kind.status == Status.PENDING
    # A cancelled reminder can be scheduled again (the booking was restored).
    assert schedule_notification(kind="tests.reminder", target=person, recipient=person, due_at=soon()).status == (
        Status.PENDING
    )


@pytest.mark.django_db(transaction=True)
def test_two_processes_scheduling_the_same_key_make_one_row(person):
    barrier = threading.Barrier(8)
    errors = []

    def schedule():
        try:
            barrier.wait()
            schedule_notification(kind="tests.reminder", target=person, recipient=person, due_at=soon())
        except Exception as error:  # noqa: BLE001
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=schedule) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Notification.objects.count() == 1
