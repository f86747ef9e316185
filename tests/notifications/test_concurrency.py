"""Two sweepers at once over the same due rows: every row is claimed and sent exactly once."""

import threading
from collections import Counter
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from notifications.models import Notification, Status
from notifications.services import schedule_notification, send_notification, sweep_due_notifications
from notifications.tasks import send_notification_task
from tests.factories import UserFactory


@pytest.mark.django_db(transaction=True)
def test_two_sweepers_at_once_send_each_row_exactly_once(monkeypatch, settings):
    settings.KP_NOTIFICATION_SWEEP_BATCH = 25  # many small claims, so that the sweepers interleave
    person = UserFactory(role="expert")
    past = timezone.now() - timedelta(minutes=1)
    for n in range(300):
        schedule_notification(
            kind="tests.reminder",
            target=person,
            to_address=f"asukas{n}@example.fi",
            due_at=past,
            context={"title": f"Kuuleminen {n}"},
        )
    enqueued = []
    lock = threading.Lock()

    def record(*args):
        with lock:
            enqueued.append(args)

    monkeypatch.setattr(send_notification_task, "delay", record)
    barrier = threading.Barrier(2)

    def sweeper():
        barrier.wait()
        try:
            while sweep_due_notifications(enqueue=send_notification_task.delay):
                pass
        finally:
            connection.close()

    threads = [threading.Thread(target=sweeper) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    claims = Counter(notification_id for notification_id, _ in enqueued)
    assert len(claims) == 300 and set(claims.values()) == {1}

    # Deliver every enqueued task twice, as an at-least-once broker may: still one message each.
    for notification_id, token in enqueued + enqueued:
        send_notification(notification_id=notification_id, claim_token=token)
    assert Notification.objects.filter(status=Status.SENT).count() == 300
    sent_to = Counter(message.to[0] for message in mail.outbox)
    assert len(sent_to) == 300 and set(sent_to.values()) == {1}
