"""`make bench`, session feedback: answers per second through gunicorn, and the results page at 200,000
answers.

Throughput is measured as ../shared/bench/README.md says: gunicorn with 2 sync workers, DEBUG off, on
loopback ports; wrk -t2 -c16 -d10s --latency after a short warm-up; the ceiling (demo/bench_ceiling.py,
the shared ceiling.py) first and last, our endpoints between; each figure as a ratio to the mean of the
two ceiling runs. Both servers use the manage command's DATABASE_URL, so the embedded PostgreSQL (a
Unix socket) and a server on a TCP port are measured alike. Every POST carries its own one-time token
(services.issue_token), so each is a distinct, valid answer; afterwards the stored rows are counted
against the 302s wrk read.

Everything the bench makes hangs off one user (FEEDBACK_COORDINATOR_EMAIL): its rounds with their
answers, and the ceiling's table; remove_bench_feedback() deletes it all, also what a crashed run left.
"""

import gc
import json
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection, transaction
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent, User
from demo import expert_bench
from demo.expert_bench import BENCH_DOMAIN, REQUEST_SETTINGS
from feedback import services
from feedback.models import Answer, FormKind, FormTemplate, ItemKind, Receipt, Round, Tally, TextAnswer
from feedback.results import round_results
from kokemuspankki import heap
from notifications.models import Notification

FEEDBACK_COORDINATOR_EMAIL = f"feedback-coordinator{BENCH_DOMAIN}"
CEILING_TABLE = "ceil_item"
WRK_ARGS = ["-t2", "-c16", "--latency"]
WARMUP_SECONDS = 2
SECONDS = 10
WARMUP_REQUESTS = 3
# Stars as the Pirkanmaa pilot's participants gave them (seed 002: averages 4.8 and 4.9): mean 4.79.
STARS = [5, 4, 3, 2, 1]
STAR_WEIGHTS = [84, 12, 3, 0.7, 0.3]
DONT_KNOW_SHARE = 0.03  # of the items that offer "I cannot say"
SKIPPED_SHARE = 0.02  # an optional item left unanswered
COMMENT_SHARE = 0.10  # answers with a free-text comment
COMMENTS = [
    "Kiitos, hyvä kerta!",
    "Oli mukava kuulla muiden kokemuksia.",
    "Aika loppui kesken, enemmän keskustelua ensi kerralla.",
    "Valmentajat olivat hyvin valmistautuneita.",
    "Tack, det var givande.",
    "Tauko olisi voinut olla pidempi.",
    "Sain paljon uutta ajateltavaa.",
]


def uses_bench_database() -> None:
    if not os.environ.get("DATABASE_URL"):
        raise RuntimeError("DATABASE_URL is not set: run through scripts/devstack.py manage (make bench)")


# --- The bench's data


def bench_coordinator() -> User:
    """A coordinator with TOTP (staff must have it: accounts.middleware), the owner of the bench rounds."""
    return expert_bench.bench_coordinator(FEEDBACK_COORDINATOR_EMAIL)


def participant_version():
    template = FormTemplate.objects.filter(kind=FormKind.PARTICIPANT).order_by("pk").first()
    version = template.latest_version() if template else None
    if version is None or not version.items.exists():
        raise RuntimeError("no participant form with questions: run `manage.py migrate` (it seeds the forms)")
    return version


def bench_round(owner: User, title: str) -> Round:
    """An open round on the coordinator (a target of no app: the owner reads it anyway). It closes in two
    hours, so that no "too few answers" reminder is scheduled."""
    now = timezone.now()
    return services.create_round(
        target=owner,
        version=participant_version(),
        owner=owner,
        title=f"bench: {title}",
        opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(hours=2),
    )


def remove_bench_feedback(session_keys: list[str] = ()) -> int:
    """Delete the bench rounds with their answers (in SQL: the ORM would load 200,000 answers to cascade
    them), the bench user, its sessions and the ceiling's table. Returns how many answers."""
    Session.objects.filter(session_key__in=list(session_keys)).delete()
    rounds = list(Round.objects.filter(owner__email=FEEDBACK_COORDINATOR_EMAIL).values_list("pk", flat=True))
    removed = 0
    with transaction.atomic(), connection.cursor() as cursor:
        for model in (Tally, TextAnswer, Receipt, Answer):
            cursor.execute(
                f'DELETE FROM "{model._meta.db_table}" WHERE round_id = ANY(%s)',  # noqa: S608 - a model's table
                [rounds],
            )
            removed = cursor.rowcount if model is Answer else removed
        Notification.objects.filter(
            content_type__app_label="feedback", content_type__model="round", object_id__in=[str(pk) for pk in rounds]
        ).delete()
        Round.objects.filter(pk__in=rounds).delete()
        AuditEvent.objects.filter(actor__email=FEEDBACK_COORDINATOR_EMAIL).delete()
        User.objects.filter(email=FEEDBACK_COORDINATOR_EMAIL).delete()
        cursor.execute(f"DROP TABLE IF EXISTS {CEILING_TABLE}")
    return removed


@contextmanager
def bench_data():
    """The coordinator, removed with everything hanging off it afterwards, also on failure."""
    remove_bench_feedback()
    sessions: list[str] = []
    try:
        yield bench_coordinator(), sessions
    finally:
        remove_bench_feedback(sessions)


def signed_in_client(user: User, sessions: list[str]) -> Client:
    client = Client()
    client.force_login(user)
    sessions.append(client.session.session_key)
    return client


def add_answers(round_: Round, count: int, *, seed: float = 0.42) -> None:
    """`count` online answers to `round_` in three INSERTs: each scale item starred like STAR_WEIGHTS,
    "I cannot say" and skipped items as DONT_KNOW_SHARE and SKIPPED_SHARE, a comment in COMMENT_SHARE."""
    items = list(round_.version.items.all())
    scale = [item.pk for item in items if item.kind == ItemKind.SCALE]
    dont_know = [item.pk for item in items if item.kind == ItemKind.SCALE and item.allow_dont_know]
    texts = [item.pk for item in items if item.kind == ItemKind.TEXT]
    bounds, total = [], 0.0
    for weight in STAR_WEIGHTS[:-1]:
        total += weight / sum(STAR_WEIGHTS)
        bounds.append(total)
    stars = " ".join(f"WHEN s.u < {bound:.4f} THEN {value}" for bound, value in zip(bounds, STARS, strict=False))
    tables = {model.__name__: model._meta.db_table for model in (Answer, Tally, TextAnswer)}
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT setseed(%s)", [seed])
        cursor.execute(
            f'INSERT INTO "{tables["Answer"]}" (round_id, answered_on, channel) '  # noqa: S608
            "SELECT %s, %s, 'online' FROM generate_series(1, %s)",
            [round_.pk, timezone.localdate(), count],
        )
        # The tallies these answers add up to: one row per item and value (and the channel's row).
        cursor.execute(
            f"""
            INSERT INTO "{tables["Tally"]}" (round_id, item_id, value, dont_know, choice_id, channel, shard, n)
            SELECT %s, s.item_id, CASE WHEN s.dk THEN NULL ELSE CASE {stars} ELSE {STARS[-1]} END END, s.dk,
                   NULL, '', 0, count(*)
            FROM (
                SELECT i.item_id, random() AS u, (i.item_id = ANY(%s) AND random() < %s) AS dk
                FROM generate_series(1, %s) CROSS JOIN unnest(%s::bigint[]) AS i(item_id)
                WHERE random() >= %s
            ) s
            GROUP BY 2, 3, 4
            """,  # noqa: S608 - tables and CASE bounds from this module; the values are parameters
            [round_.pk, dont_know, DONT_KNOW_SHARE, count, scale, SKIPPED_SHARE],
        )
        cursor.execute(
            f'INSERT INTO "{tables["Tally"]}" (round_id, item_id, value, dont_know, choice_id, channel, shard, n) '  # noqa: S608
            "VALUES (%s, NULL, NULL, false, NULL, 'online', 0, %s)",
            [round_.pk, count],
        )
        for item in texts:
            cursor.execute(
                f'INSERT INTO "{tables["TextAnswer"]}" (id, round_id, item_id, text, answered_on) '  # noqa: S608
                "SELECT gen_random_uuid(), %s, %s, (%s::text[])[1 + floor(random() * %s)::int], %s "
                "FROM generate_series(1, %s) WHERE random() < %s",
                [round_.pk, item, COMMENTS, len(COMMENTS), timezone.localdate(), count, COMMENT_SHARE],
            )


def settle() -> None:
    """VACUUM (ANALYZE) the answer tables, outside any transaction: a real database has long been
    vacuumed, and the results' GROUP BY is index-only only where the visibility map says so."""
    with connection.cursor() as cursor:
        for model in (Answer, Tally, TextAnswer):
            cursor.execute(f'VACUUM (ANALYZE) "{model._meta.db_table}"')


def answer_bodies(round_: Round, count: int, seed: int) -> list[str]:
    """`count` filled forms as a browser posts them, each with its own one-time token."""
    rng = random.Random(seed)  # noqa: S311 - variation, not secrets
    items = services.items_of(round_.version)
    bodies = []
    for _n in range(count):
        fields = {"token": services.issue_token(round_)}
        for item in items:
            if item.kind == ItemKind.TEXT:
                if rng.random() < COMMENT_SHARE:
                    fields[f"item_{item.pk}"] = rng.choice(COMMENTS)
            elif rng.random() >= SKIPPED_SHARE:
                if item.allow_dont_know and rng.random() < DONT_KNOW_SHARE:
                    fields[f"item_{item.pk}"] = "x"
                else:
                    fields[f"item_{item.pk}"] = str(rng.choices(STARS, STAR_WEIGHTS)[0])
        bodies.append(urlencode(fields))
    return bodies


# --- Queries and rows of one request, through the test client


@dataclass
class RequestCost:
    status: int
    queries: int
    rows_written: int


def request_cost(client: Client, method: str, url: str, data: str | None = None) -> RequestCost:
    """One request through every middleware: its SQL statements, and the rows it inserts, updates or
    deletes (pg_stat_xact_user_tables of a transaction that is rolled back, so nothing stays)."""
    written = "SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0) FROM pg_stat_xact_user_tables"
    with override_settings(**REQUEST_SETTINGS), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(written)
            before = cursor.fetchone()[0]
        with CaptureQueriesContext(connection) as captured:
            if method == "POST":
                response = client.post(url, data, content_type="application/x-www-form-urlencoded")
            else:
                response = client.get(url)
        with connection.cursor() as cursor:
            cursor.execute(written)
            after = cursor.fetchone()[0]
        transaction.set_rollback(True)
    # The view's own transaction is a savepoint in here; in a real request it is BEGIN/COMMIT, unlogged.
    statements = [q for q in captured.captured_queries if "SAVEPOINT" not in q["sql"].upper()]
    return RequestCost(response.status_code, len(statements), int(after - before))


# --- The results page at a size


def time_results_page(client: Client, round_: Round, runs: int) -> dict[str, tuple[float, float]]:
    """Median and p95 in ms over `runs`: the whole page (test client, every middleware, the rendered
    HTML) and round_results() alone (its queries and the threshold rule)."""
    url = reverse("feedback:round", args=[round_.pk])
    items = services.items_of(round_.version)
    heap.freeze()  # as kokemuspankki/wsgi.py does when a web process starts
    figures = {}
    try:
        with override_settings(**REQUEST_SETTINGS):
            for name, call in [
                ("results page (whole request)", lambda: client.get(url)),
                ("round_results() alone", lambda: round_results(round_, items)),
            ]:
                for _n in range(WARMUP_REQUESTS):
                    call()
                timings = []
                for _n in range(runs):
                    started = time.perf_counter()
                    response = call()
                    timings.append((time.perf_counter() - started) * 1000)
                    if getattr(response, "status_code", 200) != 200:
                        raise RuntimeError(f"the results page answered {response.status_code}")
                figures[name] = (statistics.median(timings), statistics.quantiles(timings, n=20)[18])
    finally:
        gc.unfreeze()
    return figures


def results_plans(round_: Round) -> list[tuple[str, str]]:
    """(query, EXPLAIN ANALYZE's plan) for each query of round_results()."""
    from django.db.models import Sum

    from feedback.results import TEXT_SAMPLE_SQL

    querysets = {
        "tallies summed": Tally.objects.filter(round=round_)
        .values_list("item_id", "value", "dont_know", "choice_id", "channel")
        .annotate(total=Sum("n"))
        .order_by(),
    }
    plans = []
    with transaction.atomic(), connection.cursor() as cursor:
        for name, queryset in querysets.items():
            sql, params = queryset.query.sql_with_params()
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
            plans.append((name, "\n".join(row[0] for row in cursor.fetchall())))
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {TEXT_SAMPLE_SQL}", [round_.pk, 100, 100])
        plans.append(("texts, a sample of 100 per question", "\n".join(row[0] for row in cursor.fetchall())))
    return plans


# --- Throughput with gunicorn and wrk


def wrk_path() -> str | None:
    return shutil.which("wrk")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def make_ceiling_table() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {CEILING_TABLE}")
        cursor.execute(f"CREATE TABLE {CEILING_TABLE} (id int PRIMARY KEY, name text)")
        cursor.execute(
            f"INSERT INTO {CEILING_TABLE} SELECT g, md5(g::text) FROM generate_series(1, 100000) g"  # noqa: S608
        )
        cursor.execute(f"VACUUM ANALYZE {CEILING_TABLE}")


@dataclass
class Server:
    """A gunicorn with 2 sync workers on a free loopback port."""

    name: str
    app: str
    env: dict[str, str]
    log: Path
    port: int = 0
    process: subprocess.Popen | None = None

    def start(self) -> "Server":
        self.port = free_port()
        command = [sys.executable, "-m", "gunicorn", self.app, "-w", "2", "-k", "sync"]
        command += ["-b", f"127.0.0.1:{self.port}", "--worker-tmp-dir", "/dev/shm", "--log-level", "warning"]  # noqa: S108
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(  # noqa: S603 - our own gunicorn command
                command, cwd=settings.BASE_DIR, env=self.env, stdout=log, stderr=subprocess.STDOUT
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} gunicorn exited: {self.log_tail()}")
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=2)  # noqa: S310
                return self
            except urllib.error.HTTPError:
                return self  # it answers (the ceiling has no /healthz)
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"{self.name} gunicorn did not answer in 60 s: {self.log_tail()}")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def log_tail(self) -> str:
        return self.log.read_text(errors="replace")[-2000:] if self.log.exists() else ""


@dataclass
class Run:
    name: str
    requests: int = 0
    rps: float = 0.0
    p50: float = 0.0  # ms
    p99: float = 0.0
    errors: int = 0  # non-2xx/3xx responses and socket errors
    extra: dict = field(default_factory=dict)


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def parse_wrk(name: str, output: str) -> Run:
    def number(pattern: str, default: str = "0") -> str:
        found = re.search(pattern, output)
        return found.group(1) if found else default

    def ms(percent: str) -> float:
        found = re.search(rf"^\s+{percent}%\s+([\d.]+)(us|ms|s|m)\s*$", output, re.MULTILINE)
        return float(found.group(1)) * UNITS[found.group(2)] if found else float("nan")

    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    run = Run(
        name,
        requests=int(number(r"(\d+) requests in")),
        rps=float(number(r"Requests/sec:\s+([\d.]+)")),
        p50=ms("50"),
        p99=ms("99"),
        errors=int(number(r"Non-2xx or 3xx responses: (\d+)")),
    )
    if socket_errors:
        run.extra["socket errors"] = sum(int(value) for value in socket_errors.groups())
    found = re.search(r"^BENCH (\{.*\})$", output, re.MULTILINE)
    if found:
        run.extra.update(json.loads(found.group(1)))
    if not run.requests:
        raise RuntimeError(f"wrk measured nothing for {name}:\n{output}")
    return run


# Each wrk thread posts its own share of the bodies (one a line), in turn, and counts the answers.
POST_SCRIPT = r"""
local threads = {}
function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end
function init(args)
  local path, nthreads = args[1], tonumber(args[2])
  bodies, sent, acked, other, reused = {}, 0, 0, 0, 0
  local i = 0
  for line in io.lines(path) do
    if i % nthreads == id then bodies[#bodies + 1] = line end
    i = i + 1
  end
end
function request()
  sent = sent + 1
  local body = bodies[sent]
  if body == nil then
    reused = reused + 1
    body = bodies[1 + (sent % #bodies)]
  end
  return wrk.format("POST", nil, {["Content-Type"] = "application/x-www-form-urlencoded"}, body)
end
function response(status, headers, body)
  if status == 302 then acked = acked + 1 else other = other + 1 end
end
function done(summary, latency, requests)
  local totals = {sent = 0, acked = 0, other = 0, reused = 0}
  for _, thread in ipairs(threads) do
    for key, _ in pairs(totals) do totals[key] = totals[key] + thread:get(key) end
  end
  io.write(string.format('BENCH {"sent": %d, "acked": %d, "other": %d, "reused": %d}\n',
    totals.sent, totals.acked, totals.other, totals.reused))
end
"""


def wrk(url: str, seconds: int, *, headers: dict[str, str] = (), script: Path | None = None, args=()) -> str:
    command = [wrk_path(), *WRK_ARGS, f"-d{seconds}s"]
    for name, value in dict(headers).items():
        command += ["-H", f"{name}: {value}"]
    if script:
        command += ["-s", str(script)]
    command += [url]
    if args:
        command += ["--", *args]
    done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60, check=False)  # noqa: S603
    if done.returncode != 0:
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stderr or done.stdout}")
    return done.stdout


def measure(name: str, url: str, **options) -> Run:
    """A short warm-up, then the measured run."""
    wrk(url, WARMUP_SECONDS, **options)
    return parse_wrk(name, wrk(url, SECONDS, **options))


def bodies_needed(ceiling: Run) -> int:
    """Enough answer bodies for twice the ceiling's rate: each POST is a new answer, never a replay."""
    return int(ceiling.rps * 2 * max(SECONDS, 1)) + 1000


def measure_posts(name: str, url: str, bodies: list[str], needed: int, work: Path, stored: Callable[[], int]) -> Run:
    """POST a body of its own per request (POST_SCRIPT): the bodies after `needed` for the warm-up,
    the first `needed` for the measured run. extra["stored"] is how much `stored()` grew meanwhile, to
    set against the acknowledged answers (none lost)."""
    (work / "warmup.txt").write_text("\n".join(bodies[needed:]) + "\n")
    (work / "bodies.txt").write_text("\n".join(bodies[:needed]) + "\n")
    script = work / "post.lua"
    script.write_text(POST_SCRIPT)
    threads = WRK_ARGS[0][2:]
    wrk(url, WARMUP_SECONDS, script=script, args=[str(work / "warmup.txt"), threads])
    before = stored()
    run = parse_wrk(name, wrk(url, SECONDS, script=script, args=[str(work / "bodies.txt"), threads]))
    run.extra["stored"] = stored() - before
    return run


def settled_count(round_: Round) -> int:
    """The round's answers once the requests wrk left in flight when it stopped have finished."""
    count = -1
    while True:
        time.sleep(0.5)
        now = Answer.objects.filter(round=round_).count()
        if now == count:
            return count
        count = now


def app_env(static_root: Path) -> dict[str, str]:
    """The manage command's environment (its DATABASE_URL, SECRET_KEY, REDIS_URL), as production runs."""
    env = dict(os.environ)
    env.update(
        DEBUG="0",
        SECURE_SSL_REDIRECT="0",  # plain http on loopback; production's proxy terminates TLS
        ALLOWED_HOSTS="127.0.0.1,localhost",
        STATIC_ROOT=str(static_root),
        EMAIL_URL="dummymail://",
    )
    return env


@dataclass
class Throughput:
    runs: list[Run]
    ceiling: float
    answers_stored: int
    answer_round: Round


def throughput(user: User, sessions: list[str], write) -> Throughput:
    """The ceiling, the answer form (GET), answers (POST), the results page (GET), the ceiling again."""
    uses_bench_database()
    round_ = bench_round(user, "throughput")
    client = signed_in_client(user, sessions)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    work = Path(tempfile.mkdtemp(prefix="kp-feedback-bench-"))
    servers: list[Server] = []
    try:
        started = time.monotonic()
        make_ceiling_table()
        static_root = work / "static"
        env = app_env(static_root)
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"],
            cwd=settings.BASE_DIR,
            env=env,
            check=True,
        )
        ceiling = Server("ceiling", "demo.bench_ceiling:application", env, work / "ceiling.log").start()
        servers.append(ceiling)
        app = Server("Kokemuspankki", "kokemuspankki.wsgi:application", env, work / "app.log").start()
        servers.append(app)
        write(f"  servers up in {time.monotonic() - started:.1f} s (collectstatic, ceiling table, 2 × gunicorn -w 2)")

        runs = [measure("ceiling (first)", ceiling.url())]
        form_url = app.url(round_.answer_url())
        runs.append(measure("GET /p/<code>/ (answer form)", form_url))

        needed = bodies_needed(runs[0])
        bodies = answer_bodies(round_, needed + needed // 4, seed=14)
        runs.append(
            measure_posts("POST /p/<code>/ (answers)", form_url, bodies, needed, work, lambda: settled_count(round_))
        )

        runs.append(
            measure(
                "GET /palaute/<pk>/ (results)",
                app.url(reverse("feedback:round", args=[round_.pk])),
                headers={"Cookie": cookie},
            )
        )
        runs.append(measure("ceiling (last)", ceiling.url()))
    except Exception:
        for server in servers:
            write(f"  {server.name} log: {server.log_tail()}")
        raise
    finally:
        for server in servers:
            server.stop()
        shutil.rmtree(work, ignore_errors=True)
    ceiling_rps = statistics.mean([runs[0].rps, runs[-1].rps])
    return Throughput(runs, ceiling_rps, Answer.objects.filter(round=round_).count(), round_)
