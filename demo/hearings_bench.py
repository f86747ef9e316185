"""`make bench`, resident hearings: online answers per second through gunicorn, as a ratio to the ceiling.

Measured as demo/feedback_bench.py measures session feedback (../shared/bench/README.md): gunicorn with 2
sync workers, DEBUG off, on loopback; wrk -t2 -c16 -d10s --latency after a short warm-up; the ceiling
(demo/bench_ceiling.py) first and last, the campaign page (GET) and answers (POST) between. Every POST is
a distinct, valid answer with its own one-time token (answering.issue_token); the stored responses are
counted against the 302s wrk read, so a lost answer shows. The rate limit stays on (its cache round
trip is part of the cost) with a limit no bench reaches: every wrk request comes from 127.0.0.1.

Everything the bench makes hangs off one user (HEARINGS_COORDINATOR_EMAIL): its campaign with the
responses, and the ceiling's table; remove_bench_hearings() deletes it all, also what a crashed run left.
"""

import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import User
from demo import expert_bench, feedback_bench
from demo.expert_bench import BENCH_DOMAIN
from demo.feedback_bench import WRK_ARGS, Run, Server, app_env, make_ceiling_table, measure
from hearings.answering import issue_token
from hearings.models import Answer, Campaign, Choice, ContactRequest, Question, QuestionKind, Receipt, Response

HEARINGS_COORDINATOR_EMAIL = f"hearings-coordinator{BENCH_DOMAIN}"
SECONDS = feedback_bench.SECONDS
WARMUP_SECONDS = feedback_bench.WARMUP_SECONDS
TEXT_SHARE = 0.4  # answers with a free text (a hearing asks for views; more write than in feedback)
TEXTS = [
    "Iltavastaanottoja tarvittaisiin useammin, töiden jälkeen on vaikea ehtiä.",
    "Chat-palvelu on ollut hyvä, vastaus tulee nopeasti.",
    "Pitkät jonot puhelimessa aamuisin.",
    "Det vore bra med kvällsmottagning även i Heinola.",
    "Lauantaiaamu sopisi minulle parhaiten.",
]


def bench_campaign(owner: User) -> tuple[Campaign, list[Question]]:
    """An open campaign with one question of each kind, like the Päijät-Häme hearings ask."""
    now = timezone.now()
    campaign = Campaign.objects.create(
        title="bench: aukioloajat",
        title_fi="bench: aukioloajat",
        slug=f"bench-{int(time.time())}",
        summary="Bench",
        summary_fi="Bench",
        responsible_unit="Perusterveydenhuolto",
        opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(hours=2),
        channels=["online"],
        languages=["fi", "sv"],
        is_published=True,
        owner=owner,
    )
    kinds = [
        (QuestionKind.LIKERT, "Kuinka tärkeää on päästä vastaanotolle iltaisin?", []),
        (QuestionKind.SINGLE, "Milloin asioit mieluiten?", ["Aamulla", "Päivällä", "Illalla", "Lauantaina"]),
        (QuestionKind.MULTIPLE, "Miten asioit?", ["Puhelin", "Chat", "Paikan päällä", "Omaolo"]),
        (QuestionKind.TEXT, "Mitä muuta haluat sanoa?", []),
    ]
    questions = []
    for order, (kind, text, labels) in enumerate(kinds, start=1):
        question = Question.objects.create(campaign=campaign, order=order, kind=kind, text=text, text_fi=text)
        for number, label in enumerate(labels, start=1):
            Choice.objects.create(question=question, order=number, label=label, label_fi=label)
        questions.append(question)
    return campaign, questions


def answer_bodies(campaign: Campaign, questions: list[Question], count: int, seed: int) -> list[str]:
    """`count` filled forms as a browser posts them, each with its own one-time token."""
    rng = random.Random(seed)  # noqa: S311 - variation, not secrets
    choices = {q.pk: [str(pk) for pk in q.choices.values_list("pk", flat=True)] for q in questions}
    bodies = []
    for _n in range(count):
        fields: list[tuple[str, str]] = [("token", issue_token(campaign.pk)), ("homepage", "")]
        for question in questions:
            name = f"q_{question.pk}"
            if question.kind == QuestionKind.LIKERT:
                fields.append((name, str(rng.choice([3, 4, 4, 5, 5]))))
            elif question.kind == QuestionKind.SINGLE:
                fields.append((name, rng.choice(choices[question.pk])))
            elif question.kind == QuestionKind.MULTIPLE:
                fields += [(name, pk) for pk in rng.sample(choices[question.pk], rng.randint(1, 2))]
            elif rng.random() < TEXT_SHARE:
                fields.append((name, rng.choice(TEXTS)))
        fields += [("age_group", rng.choice(["18-29", "30-44", "45-64", "65-74", ""])), ("email", "")]
        bodies.append(urlencode(fields))
    return bodies


def remove_bench_hearings() -> int:
    """Delete the bench campaigns with their responses (in SQL, not the ORM's cascade), the bench user
    and the ceiling's table. Returns how many responses."""
    campaigns = list(Campaign.objects.filter(owner__email=HEARINGS_COORDINATOR_EMAIL).values_list("pk", flat=True))
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f'DELETE FROM "{Answer._meta.db_table}" WHERE response_id IN '  # noqa: S608 - the models' tables
            f'(SELECT id FROM "{Response._meta.db_table}" WHERE campaign_id = ANY(%s))',
            [campaigns],
        )
        removed = 0
        for model in (Response, Receipt, ContactRequest):
            cursor.execute(f'DELETE FROM "{model._meta.db_table}" WHERE campaign_id = ANY(%s)', [campaigns])  # noqa: S608
            removed = cursor.rowcount if model is Response else removed
        Campaign.objects.filter(pk__in=campaigns).delete()
        User.objects.filter(email=HEARINGS_COORDINATOR_EMAIL).delete()
        cursor.execute(f"DROP TABLE IF EXISTS {feedback_bench.CEILING_TABLE}")
    return removed


def settled_count(campaign: Campaign) -> int:
    """The campaign's responses once the requests wrk left in flight have finished."""
    count = -1
    while True:
        time.sleep(0.5)
        now = Response.objects.filter(campaign=campaign).count()
        if now == count:
            return count
        count = now


@dataclass
class Throughput:
    runs: list[Run]
    ceiling: float
    stored: int
    cache: str


def throughput(write) -> Throughput:
    """The ceiling, the campaign page with its form (GET), answers (POST), the ceiling again."""
    feedback_bench.uses_bench_database()
    remove_bench_hearings()
    owner = expert_bench.bench_coordinator(HEARINGS_COORDINATOR_EMAIL)
    campaign, questions = bench_campaign(owner)
    work = Path(tempfile.mkdtemp(prefix="kp-hearings-bench-"))
    servers: list[Server] = []
    try:
        make_ceiling_table()
        env = app_env(work / "static")
        env["KP_HEARINGS_RATE_LIMIT"] = str(10**9)  # on, but out of reach for one client address
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

        runs = [measure("ceiling (first)", ceiling.url())]
        page_url = app.url(campaign.get_absolute_url())
        runs.append(measure("GET /kuulemiset/<slug>/ (page+form)", page_url))
        needed = feedback_bench.bodies_needed(runs[0])
        bodies = answer_bodies(campaign, questions, needed + needed // 4, seed=16)
        runs.append(
            feedback_bench.measure_posts(
                "POST /kuulemiset/<slug>/ (answers)", page_url, bodies, needed, work, lambda: settled_count(campaign)
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
        stored = Response.objects.filter(campaign=campaign).count()
        remove_bench_hearings()
    ceiling_rps = statistics.mean([runs[0].rps, runs[-1].rps])
    return Throughput(runs, ceiling_rps, stored, settings.CACHES["throttle"]["BACKEND"].rsplit(".", 1)[-1])


def report(write) -> None:
    """Run the throughput part and write its table (manage.py bench --hearings)."""
    if feedback_bench.wrk_path() is None:
        write("  wrk is not installed, so the hearings part is skipped: `sudo apt-get install -y wrk`.")
        return
    write(
        f"  throughput: gunicorn -w 2 (sync, DEBUG off) and wrk {' '.join(WRK_ARGS)} -d{SECONDS}s on loopback, "
        f"after {WARMUP_SECONDS} s of warm-up each"
    )
    result = throughput(write)
    write(f"    rate limit's cache: {result.cache}")
    write(f"    {'endpoint':<38} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>7} {'errors':>6} {'ratio':>6}")
    for run in result.runs:
        errors = run.errors + run.extra.get("socket errors", 0)
        write(
            f"    {run.name:<38} {run.rps:>8.0f} {run.p50:>7.1f} {run.p99:>7.1f} {errors:>6} "
            f"{run.rps / result.ceiling:>6.2f}"
        )
    post = result.runs[2]
    acked, stored, sent = post.extra["acked"], post.extra["stored"], post.extra["sent"]
    unanswered = sent - acked - post.extra["other"]
    write(
        f"    answers: {acked:,} acknowledged (302), {stored:,} stored in the measured run; {unanswered} sent "
        f"without a reply read when wrk stopped; {max(acked - stored, 0)} lost"
        + (f"; {post.extra['reused']} bodies REUSED (too few tokens)" if post.extra["reused"] else "")
    )
    if not acked <= stored <= acked + max(unanswered, 0):
        write("    WARNING: stored answers do not match the acknowledged ones")
    write(f"    ceiling: mean {result.ceiling:.0f} req/s of the two runs; {result.stored:,} responses in all")
