from celery import shared_task

from . import outcome


@shared_task(acks_late=True)
def sweep_outcome_contacts_task() -> tuple[int, int]:
    """Run by beat: tell late requests of published outcomes and delete the addresses already told."""
    return outcome.sweep_outcome_contacts()
