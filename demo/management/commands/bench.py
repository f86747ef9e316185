"""`make bench`: figures for the README, from a run anyone can repeat.

`manage.py bench` runs the notifications part; `--experts` adds the expert search part and
`--experts --no-notifications` runs that alone.

experts: realistic profiles (demo/expert_bench.py) at each size of --expert-sizes; the search page's
queryset (filter, rank, count and the page of 25 with its lists) timed over --runs runs for three
kinds of search, then the whole request (the test client through every middleware to the rendered
HTML, as a whole page and as htmx's live filtering); median and p95 in milliseconds. The bench
profiles are deleted afterwards.

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
from django.db import connection
from django.utils import timezone

from accounts.models import User
from demo import expert_bench
from experts.models import ExpertProfile
from experts.views.search import CappedPaginator
from notifications.models import Notification, Status
from notifications.services import sweep_due_notifications
from notifications.tasks import send_notification_task

BENCH_DOMAIN = expert_bench.BENCH_DOMAIN


def cpu_times() -> list[int]:
    """The machine's CPU time counters (Linux /proc/stat), or nothing elsewhere."""
    try:
        with open("/proc/stat") as stat:
            return [int(value) for value in stat.readline().split()[1:]]
    except (OSError, ValueError):
        return []


def steal_share(before: list[int], after: list[int]) -> str:
    """The share of CPU time "stolen" by the hypervisor for other guests between two readings: on a
    shared virtual machine it is what makes one run's p95 differ from the next."""
    if len(before) < 8 or len(after) < 8:
        return "unknown"
    delta = [late - early for early, late in zip(before[:8], after[:8], strict=True)]
    return f"{100 * delta[7] / max(sum(delta), 1):.0f} % steal"


class Command(BaseCommand):
    help = "Benchmarks with figures for the README."

    def add_arguments(self, parser):
        parser.add_argument("--notifications", type=int, default=10_000)
        parser.add_argument("--no-notifications", action="store_true", help="skip the notifications part")
        parser.add_argument("--experts", action="store_true", help="also run the expert search part")
        parser.add_argument("--expert-sizes", default="5000,50000", help="profile counts to measure at")
        parser.add_argument("--runs", type=int, default=30, help="timed searches per kind and size")

    def handle(self, *args, notifications, no_notifications, experts, expert_sizes, runs, **options):
        self.stdout.write(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
        if experts:
            self.bench_experts(sorted(int(size) for size in expert_sizes.split(",")), runs)
        if not no_notifications:
            self.stdout.write(f"broker: {settings.CELERY_BROKER_URL.split('://')[0]}")
            self.bench_notifications(notifications)

    def bench_experts(self, sizes: list[int], runs: int) -> None:
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            self.stdout.write(f"expert search: PostgreSQL {cursor.fetchone()[0]}, {runs} runs per figure")
        expert_bench.remove_bench_experts()
        generator = expert_bench.ExpertGenerator()
        made = 0
        try:
            for size in sizes:
                started = time.monotonic()
                generator.add(made, size)
                expert_bench.settle()
                made = size
                listed = ExpertProfile.objects.listed().count()
                self.stdout.write(
                    f"  {size:,} bench profiles ({listed:,} listed in all) made in {time.monotonic() - started:.1f} s"
                )
                before = cpu_times()
                figures = expert_bench.measure(runs)
                stolen = steal_share(before, cpu_times())
                self.stdout.write(f"    (CPU time taken by the hypervisor meanwhile: {stolen})")
                self.stdout.write("    the search (filters, capped count, the page's 25 profiles with their lists):")
                for name, (median, p95, count) in figures.items():
                    found = (
                        f"{count:,}" if count <= CappedPaginator.COUNT_CAP else f"over {CappedPaginator.COUNT_CAP:,}"
                    )
                    self.stdout.write(f"    {name:<22} median {median:6.1f} ms  p95 {p95:6.1f} ms  ({found} found)")
                before = cpu_times()
                requests = expert_bench.measure_requests(runs)
                stolen = steal_share(before, cpu_times())
                self.stdout.write(f"    the whole request (middleware, search, audit, HTML; {stolen}):")
                for name, (median, p95, cards) in requests.items():
                    self.stdout.write(f"    {name:<43} median {median:6.1f} ms  p95 {p95:6.1f} ms  ({cards} cards)")
            self.stdout.write("  how the free-text searches find their rows:")
            for word, scans in expert_bench.text_plans().items():
                self.stdout.write(f"    {word}: {scans}")
        finally:
            started = time.monotonic()
            removed = expert_bench.remove_bench_experts()
            self.stdout.write(f"  bench profiles removed ({removed:,} rows) in {time.monotonic() - started:.1f} s")

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
                if not sweep_due_notifications(enqueue=send_notification_task.delay):
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
