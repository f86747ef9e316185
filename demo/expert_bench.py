"""`make bench`, expert search: thousands of realistic profiles, then the search page's queryset timed.

Profiles are made fast: bulk inserts of users, profiles, experiences and the M2M rows, then one UPDATE
that computes the search columns in PostgreSQL for the whole batch (the per-profile service would take
minutes). Every bench user's email ends in BENCH_DOMAIN, so a run, or one that crashed, is cleaned up
by that marker and the development database keeps only its own data.
"""

import gc
import random
import statistics
import time
from collections.abc import Callable
from datetime import date, timedelta

from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db import connection, transaction
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent, User
from accounts.roles import Role
from accounts.services import assign_role
from experts.filters import ExpertFilter
from experts.models import (
    BlockedPeriod,
    ConsentText,
    ExperienceArea,
    ExpertProfile,
    Language,
    Municipality,
    Organisation,
    ProfileExperience,
    ProfileStatus,
    Relation,
    SearchResults,
    TaskType,
    TrainingLevel,
    WeeklyAvailability,
)
from experts.services import rebuild_search_words, refresh_facets, stored_forms, training_level_names
from experts.views.search import PAGE_SIZE, CappedPaginator
from kokemuspankki import heap

BENCH_DOMAIN = "@bench.invalid"
EMAIL_PREFIX = "expert-"
BATCH = 5_000
WARMUP = 3

FIRST_NAMES = [
    "Aino", "Eero", "Säde", "Jyrki", "Åsa", "Päivi", "Matti", "Liisa", "Juha", "Tuula", "Mikko", "Sirpa",
    "Ville", "Helmi", "Antero", "Linnea", "Kaisa", "Ilkka", "Riikka", "Tapio", "Outi", "Jussi", "Anneli",
    "Pekka", "Hanna", "Lauri", "Minna", "Sami", "Eija", "Ossi", "Pirjo", "Heikki", "Satu", "Timo", "Marjatta",
    "Kalle", "Eeva-Liisa", "Jan-Erik", "Ritva", "Väinö", "Jenni", "Tero", "Elina", "Kari", "Sanna", "Öjvind",
]  # fmt: skip
# Sentences of the introductions: the taxonomy's words inflected, in compounds and next to other topics.
SENTENCES = [
    "Olen toipunut masennuksesta vertaistuen ja hyvän hoidon avulla.",
    "Vedän masennusryhmää ja vertaistukiryhmää kerran viikossa.",
    "Kerron päihdekuntoutuksesta, retkahduksista ja toipumisen arjesta.",
    "Olen ollut mukana päihdetyön ja päihdepalvelujen kehittämisessä.",
    "Sairastuin syöpään ja kerron syöpähoidoista potilaan näkökulmasta.",
    "Toimin omaishoitajana ja puhun omaishoitajien jaksamisesta.",
    "Olen elänyt skitsofrenian kanssa pitkään ja toimin vertaisohjaajana.",
    "Kaksisuuntainen mielialahäiriö on ollut osa elämääni kymmenen vuotta.",
    "Olen lastensuojelun entinen asiakas ja kehitän perhepalveluja.",
    "Asunnottomuus, ensisuoja ja asumisneuvonta ovat minulle tuttuja.",
    "Peliriippuvuudesta toipuminen vei vuosia, ja nyt tuen muita.",
    "Pitkäaikaistyöttömyys ja kuntouttava työtoiminta ovat kokemusalueeni.",
    "Koulutan sosiaali- ja terveydenhuollon henkilöstöä kokemusasiantuntijuudesta.",
    "Olen mukana asiakasraadissa ja sote-keskuksen kehittämishankkeessa.",
    "Puhun mielenterveyskuntoutujan arjesta ja työhön paluusta.",
    "Neurologinen sairaus muutti elämäni, ja kerron kuntoutuksesta.",
    "Vammaisuus ja palvelujen saavutettavuus ovat minulle tärkeitä aiheita.",
    "Teen vastaanottotyötä terveysasemalla ja psykiatrian poliklinikalla.",
    "Olen käynyt kokemusasiantuntijakoulutuksen ja puhun mielelläni luennoilla.",
    "Jag talar också svenska och kan berätta om min erfarenhet på svenska.",
    "I am happy to speak in English about recovery and peer support.",
]
# Relative frequencies: mental health and substance use are the commonest experience areas.
AREA_WEIGHTS = {"mielenterveys": 8, "masennus": 8, "paihteet": 6, "kaksisuuntainen": 3, "skitsofrenia": 2}
MUNICIPALITY_WEIGHTS = {"lahti": 12, "hollola": 4, "orimattila": 3, "heinola": 3, "asikkala": 2}


COORDINATOR_EMAIL = f"coordinator{BENCH_DOMAIN}"


def remove_bench_experts() -> int:
    """Delete every bench expert and user (also those a crashed run left), and the audit rows of the
    bench coordinator's searches. Returns how many rows."""
    AuditEvent.objects.filter(actor__email=COORDINATOR_EMAIL).delete()
    profiles = ExpertProfile.objects.filter(user__email__endswith=BENCH_DOMAIN)
    count, _ = profiles.delete()
    User.objects.filter(email__startswith=EMAIL_PREFIX, email__endswith=BENCH_DOMAIN).delete()
    User.objects.filter(email=COORDINATOR_EMAIL).delete()
    rebuild_search_words()
    return count


class ExpertGenerator:
    """Adds profiles number `start` … `stop - 1`; the same numbers always make the same profiles."""

    def __init__(self):
        self.areas = list(ExperienceArea.objects.all())
        self.area_weights = [AREA_WEIGHTS.get(area.slug, 1) for area in self.areas]
        self.tasks = list(TaskType.objects.all())
        self.languages = {language.slug: language for language in Language.objects.all()}
        self.places = list(Municipality.objects.all())
        self.place_weights = [MUNICIPALITY_WEIGHTS.get(place.slug, 1) for place in self.places]
        self.organisations = list(Organisation.objects.all())
        current = ConsentText.current()
        self.consent_version = current.version if current else None
        self.today = timezone.localdate()
        self.now = timezone.now()

    @transaction.atomic
    def add(self, start: int, stop: int) -> None:
        for first in range(start, stop, BATCH):
            numbers = range(first, min(first + BATCH, stop))
            users = User.objects.bulk_create(
                User(email=f"{EMAIL_PREFIX}{n}{BENCH_DOMAIN}", password=UNUSABLE_PASSWORD_PREFIX, is_active=False)
                for n in numbers
            )
            rngs = {n: random.Random(n) for n in numbers}  # noqa: S311 - variation, not secrets
            profiles = ExpertProfile.objects.bulk_create(
                self.profile(n, user, rngs[n]) for n, user in zip(numbers, users, strict=True)
            )
            self.add_related(profiles, [rngs[n] for n in numbers])
            refresh_facets([profile.pk for profile in profiles])
        self.fill_search_columns()

    def profile(self, n: int, user: User, rng: random.Random) -> ExpertProfile:
        status = rng.choices([ProfileStatus.ACTIVE, ProfileStatus.PAUSED, ProfileStatus.LEFT], [90, 8, 2])[0]
        remote = rng.random() < 0.5
        return ExpertProfile(
            user=user,
            display_name=f"{FIRST_NAMES[n % len(FIRST_NAMES)]} {chr(ord('A') + n // len(FIRST_NAMES) % 26)}.",
            bio=" ".join(rng.sample(SENTENCES, rng.randint(2, 4))),
            training_level=rng.choices(list(TrainingLevel), [40, 40, 20])[0],
            organisation=rng.choice([None, None, *self.organisations]),
            remote_ok=remote,
            in_person_ok=not remote or rng.random() < 0.8,
            status=status,
            paused_until=self.today + timedelta(days=rng.randint(-30, 60)) if status == ProfileStatus.PAUSED else None,
            # One in twenty has not consented (or withdrew): never listed.
            consent_version=self.consent_version if rng.random() < 0.95 else None,
            onboarding_step=6,
            # Onboarded: ready to be booked (bulk_create sends no post_save, so no onboarding starts).
            ready_at=self.now,
            # As the booking app would count them: most experts have had few assignments lately.
            recent_assignments=rng.choices(range(6), [40, 25, 15, 10, 6, 4])[0],
        )

    def add_related(self, profiles: list[ExpertProfile], rngs: list[random.Random]) -> None:
        experiences, tasks, languages, places, slots, blocks = [], [], [], [], [], []
        through = {name: getattr(ExpertProfile, name).through for name in ("task_types", "languages", "municipalities")}
        for profile, rng in zip(profiles, rngs, strict=True):
            for area in set(rng.choices(self.areas, self.area_weights, k=rng.randint(1, 3))):
                relation = Relation.OWN if rng.random() < 0.75 else Relation.CLOSE_ONE
                experiences.append(ProfileExperience(profile=profile, area=area, relation=relation))
            for task in rng.sample(self.tasks, rng.randint(1, 3)):
                tasks.append(through["task_types"](expertprofile=profile, tasktype=task))
            spoken = {"suomi"} if rng.random() < 0.95 else {"ruotsi"}
            spoken |= {slug for slug in self.languages if rng.random() < 0.06}
            for slug in spoken:
                languages.append(through["languages"](expertprofile=profile, language=self.languages[slug]))
            for place in set(rng.choices(self.places, self.place_weights, k=rng.randint(1, 3))):
                places.append(through["municipalities"](expertprofile=profile, municipality=place))
            for weekday in rng.sample(range(7), rng.choices([1, 2, 3], [3, 4, 2])[0]):
                slots.append(WeeklyAvailability(profile=profile, weekday=weekday, start="09:00", end="15:00"))
            if rng.random() < 0.1:
                begins = self.today + timedelta(days=rng.randint(-10, 40))
                blocks.append(BlockedPeriod(profile=profile, start=begins, end=begins + timedelta(days=7)))
        for model, rows in [
            (ProfileExperience, experiences),
            (through["task_types"], tasks),
            (through["languages"], languages),
            (through["municipalities"], places),
            (WeeklyAvailability, slots),
            (BlockedPeriod, blocks),
        ]:
            model.objects.bulk_create(rows, batch_size=BATCH)

    def fill_search_columns(self) -> None:
        """services.refresh_search_document()'s text columns for every new bench profile at once, in one
        UPDATE (add() fills the facets with the service's own SQL)."""
        tables = {
            "profile": ExpertProfile._meta.db_table,
            "user": User._meta.db_table,
            "experience": ProfileExperience._meta.db_table,
            "area": ExperienceArea._meta.db_table,
            "organisation": Organisation._meta.db_table,
        }
        labels = []
        for name, fk in [
            ("task_types", "tasktype_id"),
            ("languages", "language_id"),
            ("municipalities", "municipality_id"),
        ]:
            field = ExpertProfile._meta.get_field(name)
            labels.append(
                f"(SELECT string_agg(concat_ws(' ', t.name_fi, t.name_sv, t.name_en), ' ') "  # noqa: S608
                f"FROM {field.remote_field.through._meta.db_table} m JOIN {field.related_model._meta.db_table} t "
                f"ON t.id = m.{fk} WHERE m.expertprofile_id = p.id)"
            )
        # Mirrors services.search_words(): the name, the training level and every label in fi/sv/en
        # are weight A, the bio B (compound parts C and D); services.search_vectors() makes the same
        # columns of them.
        select = f"""
            SELECT p.id, concat_ws(' ', p.display_name,
                (SELECT string_agg(concat_ws(' ', a.name_fi, a.name_sv, a.name_en), ' ')
                 FROM {tables["experience"]} e JOIN {tables["area"]} a ON a.id = e.area_id
                 WHERE e.profile_id = p.id),
                {", ".join(labels)}, o.name_fi), p.training_level, p.bio
            FROM {tables["profile"]} p
            JOIN {tables["user"]} u ON u.id = p.user_id
            LEFT JOIN {tables["organisation"]} o ON o.id = p.organisation_id
            WHERE u.email LIKE %s AND p.search_document IS NULL
        """  # noqa: S608 - table names from the models, the one value is a parameter
        update = f"""
            UPDATE {tables["profile"]} p
            SET search_document = setweight(to_tsvector('finnish', v.heading), 'A')
                    || setweight(to_tsvector('finnish', p.bio), 'B')
                    || setweight(to_tsvector('simple', v.heading_own), 'A')
                    || setweight(to_tsvector('simple', v.body_own), 'B')
                    || setweight(to_tsvector('simple', v.heading_parts), 'C')
                    || setweight(to_tsvector('simple', v.body_parts), 'D'),
                heading_document = setweight(to_tsvector('finnish', v.heading), 'A')
                    || setweight(to_tsvector('simple', v.heading_own), 'A')
                    || setweight(to_tsvector('simple', v.heading_parts), 'C'),
                search_text = lower(v.heading || ' ' || p.bio)
            FROM unnest(%s::bigint[], %s::text[], %s::text[], %s::text[], %s::text[], %s::text[])
                AS v(id, heading, heading_own, heading_parts, body_own, body_parts)
            WHERE p.id = v.id
        """  # noqa: S608 - table names from the models; the values are parameters
        levels = {level: training_level_names(level) for level in TrainingLevel.values}
        with connection.cursor() as cursor:
            cursor.execute(select, [f"%{BENCH_DOMAIN}"])
            rows = cursor.fetchall()
            for first in range(0, len(rows), BATCH):
                columns: list[list] = [[], [], [], [], [], []]
                for pk, labels_text, level, bio in rows[first : first + BATCH]:
                    heading = f"{labels_text} {levels.get(level, '')}"
                    values = [pk, heading, *stored_forms(heading), *stored_forms(bio)]
                    for column, value in zip(columns, values, strict=True):
                        column.append(value)
                cursor.execute(update, columns)
        rebuild_search_words()


def settle() -> None:
    """VACUUM (ANALYZE) the tables just filled, outside any transaction: otherwise autovacuum does it
    during the measurements, and a real database has long been vacuumed and analysed. The profiles
    table is rewritten (FULL): the generator writes each row three times (insert, facets, search
    columns), and two dead copies per row would double what every scan reads, where a real table
    reuses the space of its few updates."""
    models = [User, ExpertProfile, ProfileExperience, WeeklyAvailability, BlockedPeriod]
    models += [getattr(ExpertProfile, name).through for name in ("task_types", "languages", "municipalities")]
    with connection.cursor() as cursor:
        for model in models:
            full = "FULL, " if model is ExpertProfile else ""
            cursor.execute(f"VACUUM ({full}ANALYZE) {model._meta.db_table}")


def next_monday() -> date:
    today = timezone.localdate()
    return today + timedelta(days=7 - today.weekday())


# The three shapes of a coordinator's search; the text one cycles through a compound part, a typo, an
# inflected form and a compound, so its figure is not one lucky word.
TEXTS = ["masennus", "skitsofernia", "päihteistä", "vertaistukiryhmä"]
SCENARIOS: dict[str, Callable[[int], dict]] = {
    "facets only": lambda i: {"area": ["masennus"], "language": ["suomi"], "municipality": ["lahti"]},
    "free text": lambda i: {"q": TEXTS[i % len(TEXTS)]},
    "facets + text + date": lambda i: {
        "q": TEXTS[i % len(TEXTS)],
        "task": ["luento"],
        "municipality": ["lahti"],
        "date": next_monday().isoformat(),
    },
}


def search_once(data: dict) -> tuple[float, int]:
    """What the search view does for page 1: filter, rank, count (up to the cap), fetch 25 cards with
    their prefetches. Returns (milliseconds, matches counted)."""
    started = time.perf_counter()
    filters = ExpertFilter(data, queryset=ExpertProfile.objects.listed())
    if not filters.is_valid():
        raise ValueError(filters.errors)
    results = SearchResults(
        filters.qs, filters.text_query, cap=CappedPaginator.COUNT_CAP, lists=filters.lists, probe=filters.count_probe
    )
    page = CappedPaginator(results, PAGE_SIZE).get_page(1)
    list(page)
    return (time.perf_counter() - started) * 1000, page.paginator.matches


def measure(runs: int) -> dict[str, tuple[float, float, int]]:
    """Figure name -> (median ms, p95 ms, matches of the first search) over `runs` timed searches:
    the three kinds of search, then each free-text word alone."""
    figures = {}
    kinds = {**SCENARIOS, **{f"  text {word!r}": (lambda i, word=word: {"q": word}) for word in TEXTS}}
    for name, data in kinds.items():
        for i in range(WARMUP):
            search_once(data(i))
        timings, counts = [], []
        for i in range(runs):
            elapsed, count = search_once(data(i))
            timings.append(elapsed)
            counts.append(count)
        figures[name] = (statistics.median(timings), statistics.quantiles(timings, n=20)[18], counts[0])
    return figures


TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # noqa: S105 - a bench account's, deleted after the run


def bench_coordinator(email: str = COORDINATOR_EMAIL) -> User:
    """A coordinator with TOTP set up (staff must have it: accounts.middleware), removed with the rest."""
    user, made = User.objects.get_or_create(email=email, defaults={"is_active": True})
    if made:
        assign_role(user=user, role=Role.COORDINATOR)
        TOTP.activate(user, TOTP_SECRET)
    return user


# Production's request handling: no DEBUG (no query log), plain http from the test client, and
# static file URLs without a collectstatic manifest (the bench does not build one).
REQUEST_SETTINGS = {
    "DEBUG": False,
    "ALLOWED_HOSTS": ["testserver"],
    "SECURE_SSL_REDIRECT": False,
    "STORAGES": {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    },
}
REQUEST_KINDS = {"whole page": {}, "live filtering (htmx)": {"HX-Request": "true"}}


def measure_requests(runs: int) -> dict[str, tuple[float, float, int]]:
    """Figure name -> (median ms, p95 ms, result cards on the page) over `runs` whole requests of the
    search page by a signed-in coordinator, through every middleware (session, authentication, the
    MFA check, CSP), the view, its audit rows of the cards shown and the rendered HTML: what the
    server spends on a search, as the Django test client sees it (no network, no browser)."""
    client = Client()
    client.force_login(bench_coordinator())
    url = reverse("experts:index")
    heap.freeze()  # as kokemuspankki/wsgi.py does when a web process starts
    figures = {}
    try:
        with override_settings(**REQUEST_SETTINGS):
            for name, data in SCENARIOS.items():
                for kind, headers in REQUEST_KINDS.items():
                    for i in range(WARMUP):
                        client.get(url, data(i), headers=headers)
                    timings, cards = [], []
                    for i in range(runs):
                        started = time.perf_counter()
                        response = client.get(url, data(i), headers=headers)
                        timings.append((time.perf_counter() - started) * 1000)
                        if response.status_code != 200:
                            raise RuntimeError(f"search page answered {response.status_code}")
                        cards.append(response.content.count(b'class="card expert-card"'))
                    label = f"{name}, {kind}"
                    figures[label] = (statistics.median(timings), statistics.quantiles(timings, n=20)[18], cards[0])
    finally:
        gc.unfreeze()  # this process goes on (the notifications part, or a test run)
    return figures


def text_plans() -> dict[str, str]:
    """Word -> how PostgreSQL finds the first page of each fit tier of its free-text search."""
    plans = {}
    for word in TEXTS:
        filters = ExpertFilter({"q": word}, queryset=ExpertProfile.objects.listed())
        filters.is_valid()
        filters.qs  # noqa: B018 - filtering sets text_query
        tiers = []
        for tier in filters.text_query.tiers:
            rows = filters.qs.filter(tier).ranked().values_list("pk", flat=True)[:PAGE_SIZE]
            sql, params = rows.query.sql_with_params()
            with connection.cursor() as cursor:
                cursor.execute(f"EXPLAIN {sql}", params)
                scans = [row[0].strip(" ->") for row in cursor.fetchall() if "Scan" in row[0]]
            tiers.append(", ".join(scan.split("  (")[0] for scan in scans if "experts_expertprofile" in scan))
        plans[word] = " | ".join(tiers)
    return plans
