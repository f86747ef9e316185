import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kokemuspankki.settings")

app = Celery("kokemuspankki")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(name="kokemuspankki.ping")
def ping() -> str:
    """Round-trip probe used by the worker integration test and by operators."""
    return "pong"
