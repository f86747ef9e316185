from celery import shared_task

from . import services


@shared_task(acks_late=True)
def sweep_due_notifications_task() -> int:
    """Run by beat every minute. While a full batch was claimed, sweep again at once for the backlog."""
    from django.conf import settings

    claimed = services.sweep_due_notifications(enqueue=send_notification_task.delay)
    if claimed >= settings.KP_NOTIFICATION_SWEEP_BATCH:
        sweep_due_notifications_task.delay()
    return claimed


@shared_task(acks_late=True)
def send_notification_task(notification_id: int, claim_token: str) -> str:
    return services.send_notification(notification_id=notification_id, claim_token=claim_token)
