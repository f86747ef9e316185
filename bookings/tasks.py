from celery import shared_task

from . import services


@shared_task
def refresh_recent_assignments_task() -> int:
    """Run by beat every night: the 90-day window moves, so counts change with no booking changing."""
    return services.refresh_recent_assignments()
