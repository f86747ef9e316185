"""The outbox: schedule, reschedule, cancel, sweep and send notifications.

How "exactly once in effect" is kept:
- the due time lives in the row; beat runs sweep_due_notifications() every minute, which claims due
  rows with SELECT ... FOR UPDATE SKIP LOCKED (two sweepers never claim the same row), stamps each
  claim with a fresh token and only then enqueues one send task per row;
- send_notification() locks the row, checks that it is still claimed by that token, sends, and marks
  it sent in the same transaction; a stale or duplicate task finds another token and does nothing;
- a claim whose worker died (its lock is gone) is released after KP_NOTIFICATION_CLAIM_SECONDS and
  claimed again. The one window left: a worker killed after the mail server accepted the message
  but before the commit sends that message once more (README: "Notifications").
"""

import logging
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from . import kinds
from .backends import get_sms_backend, sms_available
from .emails import render_notification, render_text_message, send_email_message
from .models import Channel, Notification, NotificationPreference, Status
from .phone import sms_number

logger = logging.getLogger(__name__)


def schedule_notification(
    *,
    kind: str,
    target,
    due_at: datetime,
    recipient=None,
    to_address: str = "",
    channel: str = Channel.EMAIL,
    language: str | None = None,
    context: dict | None = None,
) -> Notification:
    """Schedule one message; scheduling the same key again moves it instead of adding a second row.

    A row that was already sent stays sent (use reschedule_notifications(include_sent=True) when the
    event itself changed and the reminder should go out again).
    """
    kinds.get(kind)  # an unknown kind is a programming error: fail here, not in the worker
    key = {
        "kind": kind,
        "content_type": ContentType.objects.get_for_model(target),
        "object_id": str(target.pk),
        "recipient": recipient,
        "to_address": to_address,
        "channel": channel,
    }
    values = {
        "due_at": due_at,
        "language": language or getattr(recipient, "language", None) or settings.LANGUAGE_CODE,
        "context": context or {},
    }
    with transaction.atomic():
        # get_or_create retries the lookup when a concurrent insert wins the unique key.
        notification, created = Notification.objects.get_or_create(**key, defaults=values)
        if created:
            return notification
        notification = Notification.objects.select_for_update().get(pk=notification.pk)
        if notification.status in (Status.PENDING, Status.CANCELLED, Status.FAILED):
            for name, value in values.items():
                setattr(notification, name, value)
            notification.status = Status.PENDING
            notification.attempts = 0
            notification.last_error = ""
            notification.save(update_fields=[*values, "status", "attempts", "last_error", "updated_at"])
    return notification


def channels_for(user, kind: str) -> list[str]:
    """The channels to send `kind` to `user` on. Email always: a kind the person turned off is dropped
    when due (why_not_send), so that turning it on again in time still counts. A text message as
    well when an SMS backend is configured, the kind is offered by text message, and the person chose
    that and has a mobile number: text messages are opt-in, per kind (is_enabled)."""
    channels = [Channel.EMAIL]
    if (
        user is not None
        and sms_available()
        and kinds.get(kind).sms
        and sms_number(user.phone)
        and is_enabled(user, kind, Channel.SMS)
    ):
        channels.append(Channel.SMS)
    return channels


def schedule_for_channels(
    *,
    kind: str,
    target,
    due_at: datetime,
    recipient,
    language: str | None = None,
    context: dict | None = None,
) -> list[Notification]:
    """schedule_notification() on each of channels_for(recipient, kind): one row per channel, under the
    same kind and target, so that reschedule_notifications() and cancel_notifications() move or
    cancel the email and the text message together."""
    return [
        schedule_notification(
            kind=kind,
            target=target,
            due_at=due_at,
            recipient=recipient,
            channel=channel,
            language=language,
            context=context,
        )
        for channel in channels_for(recipient, kind)
    ]


def schedule_in_bulk(*, kind: str, target, due_at: datetime, recipients: list[tuple[object, dict]]) -> None:
    """schedule_notification() by email for many (recipient, context) pairs of one kind and target
    (everyone asked to renew a consent), in two statements rather than three per recipient: rows
    not there yet are created; pending ones move to `due_at`; sent ones stay sent."""
    kinds.get(kind)
    content_type = ContentType.objects.get_for_model(target)
    rows = [
        Notification(
            kind=kind,
            content_type=content_type,
            object_id=str(target.pk),
            recipient=recipient,
            channel=Channel.EMAIL,
            language=getattr(recipient, "language", None) or settings.LANGUAGE_CODE,
            context=context,
            due_at=due_at,
        )
        for recipient, context in recipients
    ]
    with transaction.atomic():
        Notification.objects.for_target(target).filter(kind=kind, status=Status.PENDING).update(
            due_at=due_at, updated_at=timezone.now()
        )
        # The unique key makes a row already there (scheduled before) a conflict, left as it is.
        Notification.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)


def reschedule_notifications(*, target, kind: str, due_at: datetime, include_sent: bool = False) -> int:
    """Move the target's notifications of `kind` (a booking moved). Returns how many rows moved."""
    statuses = [Status.PENDING, Status.CANCELLED, Status.FAILED] + ([Status.SENT] if include_sent else [])
    return (
        Notification.objects.for_target(target)
        .filter(kind=kind, status__in=statuses)
        .update(
            due_at=due_at, status=Status.PENDING, attempts=0, last_error="", sent_at=None, updated_at=timezone.now()
        )
    )


def cancel_notifications(*, target, kinds_: list[str] | None = None, recipient=None) -> int:
    """Cancel what has not gone out yet (to `recipient` only, if given). A send in progress holds the
    row lock, so this waits for it and then (PostgreSQL re-checks the WHERE) leaves the now-sent row
    alone."""
    rows = Notification.objects.for_target(target).filter(status__in=[Status.PENDING, Status.SENDING])
    if kinds_:
        rows = rows.filter(kind__in=kinds_)
    if recipient is not None:
        rows = rows.filter(recipient=recipient)
    return rows.update(status=Status.CANCELLED, claim_token=None, updated_at=timezone.now())


def release_expired_claims(*, now: datetime | None = None) -> int:
    """Return claims whose worker died to pending. A live sender holds the row lock, and SKIP LOCKED
    passes over its row, so a slow send is never released under it."""
    now = now or timezone.now()
    expired_before = now - timedelta(seconds=settings.KP_NOTIFICATION_CLAIM_SECONDS)
    with transaction.atomic():
        ids = list(
            Notification.objects.filter(status=Status.SENDING, claimed_at__lt=expired_before)
            .select_for_update(skip_locked=True)
            .values_list("pk", flat=True)
        )
        if ids:
            Notification.objects.filter(pk__in=ids).update(status=Status.PENDING, claim_token=None, updated_at=now)
    if ids:
        logger.warning("notifications: released %d expired claims", len(ids))
    return len(ids)


def claim_due_notifications(*, batch_size: int, now: datetime | None = None) -> tuple[list[int], uuid.UUID]:
    """Claim up to batch_size due rows for one sweep; concurrent sweepers skip each other's rows."""
    now = now or timezone.now()
    token = uuid.uuid4()
    with transaction.atomic():
        ids = list(
            Notification.objects.due(now)
            .order_by("due_at", "pk")
            .select_for_update(skip_locked=True)
            .values_list("pk", flat=True)[:batch_size]
        )
        Notification.objects.filter(pk__in=ids).update(
            status=Status.SENDING, claim_token=token, claimed_at=now, attempts=F("attempts") + 1, updated_at=now
        )
    return ids, token


def sweep_due_notifications(
    *, enqueue: Callable[[int, str], object], batch_size: int | None = None, now: datetime | None = None
) -> int:
    """Claim due rows and enqueue one send each: `enqueue(notification_id, claim_token)`, which is
    tasks.send_notification_task.delay (passed in by the task, so that this module does not import
    tasks, which imports it). Returns how many were claimed and enqueued."""
    batch_size = batch_size or settings.KP_NOTIFICATION_SWEEP_BATCH
    release_expired_claims(now=now)
    ids, token = claim_due_notifications(batch_size=batch_size, now=now)
    # The claim is committed above; enqueue after it so that a worker never sees an uncommitted claim.
    # If the broker is down, give the rest back at once rather than waiting for the claims to expire.
    for position, notification_id in enumerate(ids):
        try:
            enqueue(notification_id, str(token))
        except Exception as error:  # noqa: BLE001  (any broker failure: kombu, redis, OS errors)
            unsent = ids[position:]
            Notification.objects.filter(pk__in=unsent, claim_token=token, status=Status.SENDING).update(
                status=Status.PENDING, claim_token=None, attempts=F("attempts") - 1
            )
            logger.warning(
                "notifications: broker unavailable (%s); %d returned to pending", type(error).__name__, len(unsent)
            )
            return position
    return len(ids)


def send_notification(*, notification_id: int, claim_token: str) -> str:
    """Send one notification that is still to be sent. Idempotent: returns what happened, and does
    nothing when the row is gone, already sent, cancelled, or moved to a later time.

    A row is still to be sent when it is claimed, by this task's sweep or a later one, or when it is
    due and pending. Whichever of a row's tasks the worker reaches first sends it (under the row lock;
    the others then find it sent), rather than only the task of the row's latest claim: a task that
    waited in the queue past its claim's expiry, while a sweep released the row and queued another, is
    not wasted. Otherwise a worker slower than the claim period goes on discarding stale tasks while
    the sweeps queue new ones, and sends nothing (the Redis fault test under CPU load).
    The sweep's `claim_token` is not needed for this; tasks keep the argument, so queued ones still run."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(of=("self",))
            .select_related("recipient")
            .filter(pk=notification_id)
            .first()
        )
        if notification is None:
            return "stale"
        if notification.status == Status.PENDING and notification.due_at <= timezone.now():
            # Released after an expired claim and not claimed again yet: this task takes it.
            notification.attempts += 1
            notification.save(update_fields=["attempts", "updated_at"])
        elif notification.status != Status.SENDING:
            return "stale"
        reason = why_not_send(notification)
        if reason:
            _finish(notification, status=Status.CANCELLED, last_error=reason)
            return "cancelled"
        try:
            deliver(notification)
        except Exception as error:  # noqa: BLE001  (any delivery failure is retried, then marked failed)
            return _retry_or_fail(notification, error)
        _finish(notification, status=Status.SENT, sent_at=timezone.now())
        return "sent"


def why_not_send(notification: Notification) -> str:
    """A reason to cancel instead of sending, or "" to send."""
    try:
        kind = kinds.get(notification.kind)
    except KeyError:
        return "unknown kind (removed from the code?)"
    recipient = notification.recipient
    if recipient is not None and not recipient.is_active:
        return "recipient is not active"
    if notification.target is None:
        return "the object it is about no longer exists"
    sms = notification.channel == Channel.SMS
    if sms and not sms_available():
        return "no SMS backend is configured"
    # A transactional kind cannot be turned off, but its text message can: email still carries it.
    optional = sms or not kind.transactional
    if recipient is not None and optional and not is_enabled(recipient, kind.code, notification.channel):
        return "recipient turned this kind off"
    if not address_of(notification):
        return "no address for this channel"
    if kind.skip_reason is not None:
        return kind.skip_reason(notification.target)
    return ""


def _finish(notification: Notification, **changes) -> None:
    for name, value in changes.items():
        setattr(notification, name, value)
    notification.claim_token = None
    notification.save(update_fields=[*changes, "claim_token", "updated_at"])


def _retry_or_fail(notification: Notification, error: Exception) -> str:
    # Only the exception's type goes to the row and the log: SMTP errors can quote the address.
    error_name = type(error).__name__
    if notification.attempts >= settings.KP_NOTIFICATION_MAX_ATTEMPTS:
        _finish(notification, status=Status.FAILED, last_error=error_name)
        logger.error(
            "notifications: #%d failed after %d attempts (%s)", notification.pk, notification.attempts, error_name
        )
        return "failed"
    backoff = min(60 * 2 ** (notification.attempts - 1), 3600)
    _finish(
        notification, status=Status.PENDING, last_error=error_name, due_at=timezone.now() + timedelta(seconds=backoff)
    )
    logger.warning(
        "notifications: #%d attempt %d failed (%s); retry in %ds",
        notification.pk,
        notification.attempts,
        error_name,
        backoff,
    )
    return "retry"


def is_enabled(user, kind: str, channel: str) -> bool:
    """Email is on unless turned off; a text message is off unless chosen (NotificationPreference
    rows store both: enabled=False for an email turned off, enabled=True for a text message chosen)."""
    if channel == Channel.SMS:
        return NotificationPreference.objects.filter(user=user, kind=kind, channel=channel, enabled=True).exists()
    return not NotificationPreference.objects.filter(user=user, kind=kind, channel=channel, enabled=False).exists()


def set_preference(*, user, kind: str, channel: str, enabled: bool) -> None:
    if kinds.get(kind).transactional and channel != Channel.SMS:
        raise ValueError("transactional messages cannot be turned off")
    NotificationPreference.objects.update_or_create(
        user=user, kind=kind, channel=channel, defaults={"enabled": enabled}
    )


def address_of(notification: Notification) -> str:
    if notification.to_address:
        return notification.to_address
    recipient = notification.recipient
    if recipient is None:
        return ""
    return recipient.email if notification.channel == Channel.EMAIL else sms_number(recipient.phone)


def deliver(notification: Notification) -> None:
    to = address_of(notification)
    if notification.channel == Channel.SMS:
        get_sms_backend().send(to=to, text=render_text_message(notification))
    else:
        send_email_message(message=render_notification(notification), to=to)


def retry_failed_notifications(*, ids: list[int]) -> int:
    """Admin action: failed rows go back to pending, due now, with a fresh attempt budget."""
    return Notification.objects.filter(pk__in=ids, status=Status.FAILED).update(
        status=Status.PENDING, attempts=0, due_at=timezone.now(), claim_token=None, updated_at=timezone.now()
    )
