"""`make bench`: figures for the README, from a run anyone can repeat.

notifications: N due notifications -> one real Celery worker -> sent. Reports the wall time from
"due" to "all sent", throughput, and lateness percentiles (sent_at - due_at). The sweep runs in this
process in a loop, as beat plus the backlog re-sweep would; mail goes to Django's dummy backend so
that the figure measures the outbox, the broker and the worker, not an SMTP server.
"""

import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand
from django.utils import timezone

from accounts.models import User
from notifications.models import Notification, Status
from notifications.services import sweep_due_notifications

BENCH_DOMAIN = "@bench.invalid"


class Command(BaseCommand):
    help = "Benchmarks with figures for the README."

    def add_arguments(self, parser):
        parser.add_argument("--notifications", type=int, default=10_000)

    def handle(self, *args, notifications, **options):
        self.stdout.write(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
        self.stdout.write(f"broker: {settings.CELERY_BROKER_URL.split('://')[0]}")
        self.bench_notifications(notifications)

    def bench_notifications(self, count: int) -> None:
        target, _ = User.objects.get_or_create(email=f"bench{BENCH_DOMAIN}", defaults={"is_active": True})
        Notification.objects.filter(to_address__endswith=BENCH_DOMAIN).delete()
        due_at = timezone.now()
        content_type = ContentType.objects.get_for_model(User)
        Notification.objects.bulk_create(
            Notification(
                kind="accounts.welcome",
                to_address=f"n{n}{BENCH_DOMAIN}",
                content_type=content_type,
                object_id=str(target.pk),
                due_at=due_at,
                language="fi",
            )
            for n in range(count)
        )
        worker = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "kokemuspankki",
                "worker",
                "-l",
                "WARNING",
                "--concurrency",
                "2",
                "--without-mingle",
                "--without-gossip",
            ],
            cwd=Path(settings.BASE_DIR),
            env={**os.environ, "EMAIL_URL": "dummymail://"},
        )
        try:
            started = time.monotonic()
            rows = Notification.objects.filter(to_address__endswith=BENCH_DOMAIN)
            while rows.filter(status=Status.SENT).count() < count:
                if time.monotonic() - started > 1800:
                    raise RuntimeError("bench did not finish in 30 minutes")
                if not sweep_due_notifications():
                    time.sleep(0.1)
            elapsed = time.monotonic() - started
        finally:
            worker.terminate()
            worker.wait(timeout=60)
        lateness = sorted((sent - due).total_seconds() for sent, due in rows.values_list("sent_at", "due_at"))
        p = statistics.quantiles(lateness, n=100)
        self.stdout.write(
            f"notifications: {count} due -> sent in {elapsed:.1f} s ({count / elapsed:.0f}/s) with one worker "
            f"(2 processes); lateness p50 {p[49]:.1f} s, p99 {p[98]:.1f} s, max {lateness[-1]:.1f} s"
        )
        rows.delete()
        target.delete()
