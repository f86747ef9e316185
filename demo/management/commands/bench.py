"""`make bench`: figures for the README, from a run anyone can repeat.

`manage.py bench` runs the notifications part; `--experts` adds the expert search part, `--feedback`
the session feedback part, `--hearings` the resident hearings' answers (demo/hearings_bench.py), and
`--no-notifications` leaves the notifications part out.

experts: realistic profiles (demo/expert_bench.py) at each size of --expert-sizes; the search page's
queryset (filter, rank, count and the page of 25 with its lists) timed over --runs runs for three
kinds of search, then the whole request (the test client through every middleware to the rendered
HTML, as a whole page and as htmx's live filtering); median and p95 in milliseconds. The bench
profiles are deleted afterwards.

feedback (demo/feedback_bench.py): gunicorn (2 sync workers, DEBUG off) and wrk on loopback, as
../shared/bench/README.md says: the ceiling, the answer form (GET), answers (POST, each with its own
one-time token; stored rows counted against the 302s), the results page, the ceiling again; req/s, p50,
p99, errors and the ratio to the ceiling, with each endpoint's SQL statements and rows written through
the test client. Then the results page of a round with --feedback-answers answers, median and p95 over
--runs requests (EXPLAIN ANALYZE of its queries when the p95 is over 100 ms). Without wrk the
throughput part is skipped with a note. The bench rounds, answers and user are deleted afterwards.

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
import warnings
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand
from django.db import connection
from django.db.models import Sum
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from demo import expert_bench, feedback_bench, hearings_analysis_bench, hearings_bench
from experts.models import ExpertProfile
from experts.views.search import CappedPaginator
from feedback.models import Tally, TextAnswer
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
        parser.add_argument("--feedback", action="store_true", help="also run the session feedback part")
        parser.add_argument("--hearings", action="store_true", help="also run the resident hearings part")
        parser.add_argument(
            "--feedback-answers", type=int, default=200_000, help="answers of the round whose results are timed"
        )

    def handle(
        self,
        *args,
        notifications,
        no_notifications,
        experts,
        expert_sizes,
        runs,
        feedback,
        feedback_answers,
        hearings=False,
        **options,
    ):
        self.stdout.write(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
        if experts:
            self.bench_experts(sorted(int(size) for size in expert_sizes.split(",")), runs)
        if feedback:
            self.bench_feedback(feedback_answers, runs)
        if hearings:
            self.bench_hearings()
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

    def bench_feedback(self, answers: int, runs: int) -> None:
        write = self.stdout.write
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            version = cursor.fetchone()[0]
        write(f"session feedback: PostgreSQL {version}, {os.cpu_count()} cores")
        # WhiteNoise's note that this process has no collected static files (the test client needs none).
        warnings.filterwarnings("ignore", message="No directory at")
        with feedback_bench.bench_data() as (user, sessions):
            if feedback_bench.wrk_path() is None:
                write(
                    "  wrk is not installed, so the throughput part is skipped: install it with "
                    "`sudo apt-get install -y wrk` (Debian, Ubuntu; `brew install wrk` on macOS) and run it again."
                )
            else:
                self.feedback_throughput(user, sessions)
            self.feedback_results(user, sessions, answers, runs)

    def feedback_throughput(self, user, sessions) -> None:
        write = self.stdout.write
        write(
            f"  throughput: gunicorn -w 2 (sync, DEBUG off) and wrk {' '.join(feedback_bench.WRK_ARGS)} "
            f"-d{feedback_bench.SECONDS}s on loopback, after {feedback_bench.WARMUP_SECONDS} s of warm-up each"
        )
        before = cpu_times()
        result = feedback_bench.throughput(user, sessions, write)
        stolen = steal_share(before, cpu_times())
        round_ = result.answer_round
        anonymous = Client()
        post = feedback_bench.answer_bodies(round_, 1, seed=140)[0]
        costs = [
            None,
            feedback_bench.request_cost(anonymous, "GET", round_.answer_url()),
            feedback_bench.request_cost(anonymous, "POST", round_.answer_url(), post),
            feedback_bench.request_cost(
                feedback_bench.signed_in_client(user, sessions), "GET", reverse("feedback:round", args=[round_.pk])
            ),
            None,
        ]
        write(f"    (CPU time taken by the hypervisor meanwhile: {stolen})")
        header = f"    {'endpoint':<32} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>7} {'errors':>6} {'ratio':>6}"
        write(f"{header} {'queries':>7} {'rows written':>12}")
        for run, cost in zip(result.runs, costs, strict=True):
            errors = run.errors + run.extra.get("socket errors", 0)
            # The ceiling's one SELECT, by its code; the others counted through the test client.
            queries, rows = (cost.queries, cost.rows_written) if cost else (1, 0)
            write(
                f"    {run.name:<32} {run.rps:>8.0f} {run.p50:>7.1f} {run.p99:>7.1f} {errors:>6} "
                f"{run.rps / result.ceiling:>6.2f} {queries:>7} {rows:>12}"
            )
        post_run = result.runs[2]
        acked, stored, sent = post_run.extra["acked"], post_run.extra["stored"], post_run.extra["sent"]
        unanswered = sent - acked - post_run.extra["other"]
        lost = max(acked - stored, 0)
        write(
            f"    answers: {acked:,} acknowledged (302), {stored:,} stored in the measured run; "
            f"{unanswered} sent without a reply read when wrk stopped; {lost} lost"
            + (f"; {post_run.extra['reused']} bodies REUSED (too few tokens)" if post_run.extra["reused"] else "")
        )
        if not acked <= stored <= acked + max(unanswered, 0):
            write("    WARNING: stored answers do not match the acknowledged ones")
        write(f"    ceiling: mean {result.ceiling:.0f} req/s of the two runs; {result.answers_stored:,} answers in all")

    def feedback_results(self, user, sessions, answers: int, runs: int) -> None:
        write = self.stdout.write
        round_ = feedback_bench.bench_round(user, f"{answers} answers")
        started = time.monotonic()
        feedback_bench.add_answers(round_, answers)
        feedback_bench.settle()
        items = Tally.objects.filter(round=round_, item__isnull=False).aggregate(n=Sum("n"))["n"] or 0
        write(
            f"  results page at {answers:,} answers ({items:,} item answers in the tallies, "
            f"{TextAnswer.objects.filter(round=round_).count():,} comments) made in {time.monotonic() - started:.1f} s"
        )
        client = feedback_bench.signed_in_client(user, sessions)
        before = cpu_times()
        figures = feedback_bench.time_results_page(client, round_, runs)
        stolen = steal_share(before, cpu_times())
        cost = feedback_bench.request_cost(client, "GET", reverse("feedback:round", args=[round_.pk]))
        write(f"    {runs} runs each ({stolen}); the page runs {cost.queries} queries, writes {cost.rows_written} rows")
        for name, (median, p95) in figures.items():
            write(f"    {name:<30} median {median:7.1f} ms  p95 {p95:7.1f} ms")
        if max(p95 for _median, p95 in figures.values()) > 100:
            write("    slower than 100 ms at p95; how PostgreSQL runs the queries:")
            for name, plan in feedback_bench.results_plans(round_):
                write(f"    -- {name}")
                for line in plan.splitlines():
                    write(f"       {line}")

    def bench_hearings(self) -> None:
        """Online answers to a hearing per second against the ceiling (demo/hearings_bench.py)."""
        warnings.filterwarnings("ignore", message="No directory at")
        self.stdout.write(f"resident hearings: {os.cpu_count()} cores")
        before = cpu_times()
        hearings_bench.report(self.stdout.write)
        self.stdout.write(f"    (CPU time taken by the hypervisor meanwhile: {steal_share(before, cpu_times())})")
        before = cpu_times()
        hearings_analysis_bench.measure_analysis(self.stdout.write)
        self.stdout.write(f"    (CPU time taken by the hypervisor meanwhile: {steal_share(before, cpu_times())})")

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
