"""The ceiling of `make bench`'s throughput figures: ../shared/bench/ceiling.py, copied unchanged except
for reading DATABASE_URL with django-environ, so that the embedded PostgreSQL's Unix-socket URL
(postgres://postgres@/kokemuspankki?host=/path) works as well as host:port. Django with no middleware,
one primary-key SELECT on a 100,000-row table (ceil_item, made by demo.feedback_bench), tiny HTML.

Run by demo.feedback_bench as `gunicorn -w 2 demo.bench_ceiling:application`; not part of the site.
"""

import os
import random

import django
import environ
from django.conf import settings
from django.db import connection
from django.http import HttpResponse
from django.urls import path

database = environ.Env.db_url_config(os.environ["DATABASE_URL"])
database["CONN_MAX_AGE"] = 60
settings.configure(
    DEBUG=False,
    SECRET_KEY="ceiling",  # noqa: S106 - this page signs nothing
    ALLOWED_HOSTS=["*"],
    ROOT_URLCONF=__name__,
    MIDDLEWARE=[],
    DATABASES={"default": database},
)
django.setup()


def item(request):
    with connection.cursor() as cur:
        cur.execute("SELECT id, name FROM ceil_item WHERE id = %s", [random.randint(1, 100_000)])  # noqa: S311
        pk, name = cur.fetchone()
    return HttpResponse(f"<!doctype html><title>{pk}</title><p>{name}</p>")


urlpatterns = [path("", item)]

from django.core.wsgi import get_wsgi_application  # noqa: E402

application = get_wsgi_application()
