from celery import shared_task
from django.core import management


@shared_task
def clear_expired_sessions_task() -> None:
    """Delete expired sessions so that idle logins do not linger in the database."""
    management.call_command("clearsessions")
