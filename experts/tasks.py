from celery import shared_task

from . import services


@shared_task
def rebuild_search_words_task() -> int:
    """Run by beat every night: the words typos are read against, from the listed profiles only, so
    that the words of profiles that changed or left go (services.rebuild_search_words)."""
    return services.rebuild_search_words()
