"""/healthz: is the database reachable, is the Celery broker reachable. 503 when either is not."""

import logging

from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from .celery import app as celery_app

logger = logging.getLogger(__name__)


def database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except Exception as error:  # noqa: BLE001  (any failure means "down"; the type is logged)
        logger.warning("healthz database check failed: %s", type(error).__name__)
        return False


def broker_ok() -> bool:
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, timeout=2)
        return True
    except Exception as error:  # noqa: BLE001
        logger.warning("healthz broker check failed: %s", type(error).__name__)
        return False


@never_cache
def healthz(request):
    checks = {"database": database_ok(), "broker": broker_ok()}
    body = {"status": "ok" if all(checks.values()) else "error"}
    body.update({name: "ok" if ok else "down" for name, ok in checks.items()})
    return JsonResponse(body, status=200 if all(checks.values()) else 503)
