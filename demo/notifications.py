"""Demo outbox rows: the demo expert's welcome message, sent by the worker within a minute of `make run`."""

from django.utils import timezone

from accounts.models import User
from notifications.services import schedule_notification


def load() -> int:
    expert = User.objects.get(email="asiantuntija@demo.kokemuspankki.fi")
    # Scheduling the same key again never adds a row, and a sent message stays sent.
    schedule_notification(kind="accounts.welcome", target=expert, recipient=expert, due_at=timezone.now())
    return 1
