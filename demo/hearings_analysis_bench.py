"""`make bench`, resident hearings: the staff's analysis pages of a campaign with 100,000 answers.

A campaign like the Päijät-Häme opening-hours hearing (one choice, several choices, two 1–5 scales,
one free text) is filled in SQL batches (bulk_create; rows per second reported) with answers from
every background, six themes on a third of the texts and a dozen workshop and panel notes. Then each
page is requested through the Django test client with DEBUG off (demo/expert_bench.py's
REQUEST_SETTINGS) by a signed-in coordinator: median and p95 of the whole request server-side, the
target p95 under 300 ms. Everything hangs off one user (ANALYSIS_COORDINATOR_EMAIL) and is deleted in
SQL afterwards, also what a crashed run left.
"""

import gc
import random
import statistics
import time
from datetime import date, timedelta

from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent, User
from demo import expert_bench
from demo.expert_bench import BENCH_DOMAIN, REQUEST_SETTINGS
from experts.models import Municipality
from hearings.models import Answer, Campaign, Choice, Note, Question, Response, Theme
from kokemuspankki import heap

ANALYSIS_COORDINATOR_EMAIL = f"hearings-analyst{BENCH_DOMAIN}"
BATCH = 5000
WARMUP = 3
# Sentence parts that make varied answers (deterministic: a seeded random picks them).
OPENINGS = [
    "Terveysasemalle on vaikea saada aikaa puhelimella.",
    "Aukioloajat ovat liian lyhyet, iltaisin pitäisi olla auki.",
    "Pysäköintipaikkoja on terveysaseman pihalla liian vähän.",
    "Ajanvaraus netissä toimii hyvin.",
    "Bussilla pääsee huonosti perille, vuoroja on vähän.",
    "Det är svårt att få tid till hälsostationen, telefonkön är för lång.",
    "Lauantaisin pitäisi olla vastaanotto auki.",
    "Chat-palvelu on nopea ja helppo.",
]
ENDINGS = [
    "",
    " Jonottaminen kestää liian kauan.",
    " Ikäihmisille puhelinpalvelu on tärkeä.",
    " Kiitos, että kysytte!",
    " Lapsiperheille iltavastaanotto sopisi parhaiten.",
    " Hoitajat ovat ystävällisiä.",
]
THEMES = ["Aukioloajat", "Pysäköinti", "Ajanvaraus", "Puhelinpalvelu", "Liikenneyhteydet", "Sähköiset palvelut"]
AGES = ["", "0-17", "18-29", "30-44", "45-64", "65-74", "75-"]


def remove_bench_analysis() -> int:
    """Delete the bench campaigns and everything of them in SQL (the ORM's cascade would load 100,000
    answers), the user and its audit rows. Returns how many answers."""
    campaigns = list(Campaign.objects.filter(owner__email=ANALYSIS_COORDINATOR_EMAIL).values_list("pk", flat=True))
    answers, responses = Answer._meta.db_table, Response._meta.db_table
    questions, notes = Question._meta.db_table, Note._meta.db_table
    # The models' own tables, nothing from outside.
    statements = [
        f'DELETE FROM "{Answer.themes.through._meta.db_table}" WHERE answer_id IN (SELECT a.id FROM "{answers}" a '  # noqa: S608
        f'JOIN "{questions}" q ON q.id = a.question_id WHERE q.campaign_id = ANY(%s))',
        f'DELETE FROM "{Note.themes.through._meta.db_table}" WHERE note_id IN '  # noqa: S608
        f'(SELECT id FROM "{notes}" WHERE campaign_id = ANY(%s))',
        f'DELETE FROM "{answers}" WHERE question_id IN (SELECT id FROM "{questions}" WHERE campaign_id = ANY(%s))',  # noqa: S608
        f'DELETE FROM "{responses}" WHERE campaign_id = ANY(%s)',  # noqa: S608
    ]
    removed = 0
    with transaction.atomic(), connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement, [campaigns])
            removed = cursor.rowcount if statement is statements[2] else removed
        Campaign.objects.filter(pk__in=campaigns).delete()
        AuditEvent.objects.filter(actor__email=ANALYSIS_COORDINATOR_EMAIL).delete()
        User.objects.filter(email=ANALYSIS_COORDINATOR_EMAIL).delete()
    return removed


def bench_campaign(owner: User) -> tuple[Campaign, dict[str, Question]]:
    now = timezone.now()
    campaign = Campaign.objects.create(
        title="bench: terveysasemien aukioloajat",
        slug=f"bench-analyysi-{int(now.timestamp())}",
        summary="Kerro, milloin sinulle sopii asioida terveysasemalla.",
        responsible_unit="Perusterveydenhuolto",
        opens_at=now - timedelta(days=30),
        closes_at=now - timedelta(days=1),
        channels=["online", "paper", "workshop", "panel"],
        languages=["fi", "sv"],
        is_published=True,
        owner=owner,
    )
    kinds = {"when": "single", "how": "multiple", "important": "likert", "easy": "likert", "free": "text"}
    questions = {}
    for order, (key, kind) in enumerate(kinds.items(), start=1):
        questions[key] = Question.objects.create(campaign=campaign, order=order, kind=kind, text=f"{key}?")
    for key, labels in {
        "when": ["Aamulla", "Iltapäivällä", "Illalla", "Lauantaina"],
        "how": ["Puhelin", "Netti", "Chat", "Paikan päällä"],
    }.items():
        for order, label in enumerate(labels, start=1):
            Choice.objects.create(question=questions[key], order=order, label=label)
    return campaign, questions


def fill(campaign: Campaign, questions: dict[str, Question], answers: int, *, seed: int = 16) -> tuple[int, float]:
    """About `answers` answers (5 per response on average) with themes on a third of the texts.
    Returns (answers made, seconds)."""
    rng = random.Random(seed)  # noqa: S311 - made-up answers, repeatable
    municipalities = list(Municipality.objects.order_by("pk").values_list("pk", flat=True)[:12]) or [None]
    choices = {key: list(questions[key].choices.values_list("pk", flat=True)) for key in ("when", "how")}
    themes = [Theme.objects.create(campaign=campaign, name=name, order=i) for i, name in enumerate(THEMES)]
    started, made = time.monotonic(), 0
    while made < answers:
        batch = [
            Response(
                campaign=campaign,
                channel="paper" if rng.random() < 0.1 else "online",
                answered_on=date.today() - timedelta(days=rng.randrange(30)),
                language="sv" if rng.random() < 0.06 else "fi",
                age_group=rng.choice(AGES),
                municipality_id=rng.choice(municipalities),
            )
            for _ in range(BATCH // 5)
        ]
        Response.objects.bulk_create(batch)
        rows = []
        for response in batch:
            rows.append(Answer(response=response, question=questions["when"], choice_id=rng.choice(choices["when"])))
            for choice in rng.sample(choices["how"], rng.choice([1, 1, 2, 3])):
                rows.append(Answer(response=response, question=questions["how"], choice_id=choice))
            for key in ("important", "easy"):
                rows.append(
                    Answer(response=response, question=questions[key], value=rng.choice([1, 2, 3, 3, 4, 4, 5, 5, 5]))
                )
            if rng.random() < 0.4:
                body = rng.choice(OPENINGS) + rng.choice(ENDINGS)
                rows.append(Answer(response=response, question=questions["free"], text=body))
        Answer.objects.bulk_create(rows)
        links = [
            Answer.themes.through(answer_id=row.pk, theme_id=rng.choice(themes).pk)
            for row in rows
            if row.text and rng.random() < 0.33
        ]
        Answer.themes.through.objects.bulk_create(links)
        made += len(rows)
    for n in range(12):
        note = Note.objects.create(
            campaign=campaign,
            channel="panel" if n % 3 == 0 else "workshop",
            title=f"Työpaja {n + 1}",
            text=" ".join(rng.choice(OPENINGS) for _ in range(8)),
            participants=rng.randrange(5, 30),
        )
        note.themes.set(rng.sample(themes, 2))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE hearings_response, hearings_answer, hearings_answer_themes")
    return made, time.monotonic() - started


def timed(client: Client, url: str, data: dict, runs: int) -> tuple[float, float]:
    for _ in range(WARMUP):
        client.get(url, data)
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url, data)
        timings.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")
    return statistics.median(timings), statistics.quantiles(timings, n=20)[18]


def measure_analysis(write, *, answers: int = 100_000, runs: int = 30) -> dict[str, tuple[float, float]]:
    """Fill a campaign with `answers` answers, time its analysis pages, write the figures, clean up."""
    remove_bench_analysis()
    owner = expert_bench.bench_coordinator(ANALYSIS_COORDINATOR_EMAIL)
    figures = {}
    try:
        campaign, questions = bench_campaign(owner)
        made, seconds = fill(campaign, questions, answers)
        responses = Response.objects.filter(campaign=campaign).count()
        write(
            f"  analysis at {made:,} answers ({responses:,} responses) made in {seconds:.1f} s "
            f"({(made + responses) / seconds:,.0f} rows/s with bulk_create in batches of {BATCH:,})"
        )
        client = Client()
        client.force_login(owner)
        pk = campaign.pk
        theme = campaign.themes.order_by("pk").first()
        pages = {
            "analysis": (reverse("hearings:analysis", args=[pk]), {}),
            "analysis, filtered": (reverse("hearings:analysis", args=[pk]), {"kanava": "online", "ika": "45-64"}),
            "written answers, page 1": (reverse("hearings:analysis_texts", args=[pk]), {}),
            "written answers, page 100": (reverse("hearings:analysis_texts", args=[pk]), {"sivu": 100}),
            "written answers of a theme": (reverse("hearings:analysis_texts", args=[pk]), {"teema": theme.pk}),
            "themes and words (cached)": (reverse("hearings:themes", args=[pk]), {}),
            "report": (reverse("hearings:report", args=[pk]), {}),
        }
        heap.freeze()  # as kokemuspankki/wsgi.py does when a web process starts
        with override_settings(**REQUEST_SETTINGS):
            cache.clear()
            started = time.perf_counter()
            client.get(reverse("hearings:themes", args=[pk]))
            write(f"    themes and words, first (uncached) request: {(time.perf_counter() - started) * 1000:.0f} ms")
            for name, (url, data) in pages.items():
                figures[name] = timed(client, url, data, runs)
                write(f"    {name:<30} median {figures[name][0]:7.1f} ms  p95 {figures[name][1]:7.1f} ms")
            started = time.perf_counter()
            export = client.get(reverse("hearings:export", args=[pk, "vastaukset", "csv"]))
            write(
                f"    responses as CSV (one request): {(time.perf_counter() - started) * 1000:.0f} ms, "
                f"{len(export.content) / 1e6:.1f} MB"
            )
        worst = max(p95 for _median, p95 in figures.values())
        write(f"    target p95 under 300 ms: {'met' if worst < 300 else 'NOT met'} (worst p95 {worst:.0f} ms)")
    finally:
        gc.unfreeze()
        removed = remove_bench_analysis()
        write(f"  bench analysis data removed ({removed:,} answers)")
    return figures
