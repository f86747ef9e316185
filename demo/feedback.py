"""Demo feedback: a depression peer group's autumn in Hollola, six weekly sessions led by the demo expert
Katja, each with a closed feedback round whose answers sit near the Pirkanmaa pilot's averages
(learning 4.8, training 4.9) and whose mood rises over the series; the seventh session's round is open
now (code KERTA7, for trying the form); and a lecture's round that stayed below the threshold.

Answers go through feedback.services.submit_answer, as a participant's phone would send them. The
random numbers are seeded, so every demo has the same figures. Run after demo.bookings. load() rebuilds
the demo rounds around today each time it runs (they are not edited by hand in a demo).
"""

import random
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from bookings import services as booking_services
from bookings.eligibility import booking_range
from bookings.models import Assignment, AssignmentStatus, Booking, BookingStatus, Tariff, TariffKind
from experts.models import ExpertProfile, TaskType
from feedback.models import FormTemplate, ItemKind, Round, Series
from feedback.services import Filled, create_round, issue_token, items_of, submit_answer
from notifications.models import Notification

from .bookings import COORDINATOR_EMAIL

SERIES = "Masennusryhmä Hollolassa, syksy 2026"
TITLE = "Masennusryhmä Hollolassa, kerta {n}"
OPEN_CODE = "KERTA7"
LECTURE = "Luento: Toipumisen tarina sairaanhoitajaopiskelijoille"
PLACE = "Hollolan sote-keskus, Terveyskeskuksentie 2, Hollola"
LEADER = "asiantuntija01@demo.kokemuspankki.fi"  # Katja, who leads a depression group (demo.expert_bank)
# Participants per session, and how the mood rose: the mean a session's stars lean towards.
SESSIONS = [(9, 4.62), (10, 4.72), (8, 4.8), (9, 4.86), (10, 4.9), (9, 4.95)]
COMMENTS = [
    "Oli helpottavaa kuulla, etten ole ainoa.",
    "Hyvä tunnelma ja turvallinen olo puhua.",
    "Aika loppui kesken, olisin halunnut jatkaa keskustelua.",
    "Vetäjän oma tarina antoi toivoa.",
    "Tauko olisi hyvä pitää vähän aiemmin.",
    "Sain uusia keinoja arjen jaksamiseen.",
    "Kiitos, tulen ensi kerralla uudestaan!",
    "Tehtävät olivat selkeitä ja sopivan lyhyitä.",
    "Olisin kaivannut enemmän aikaa pienryhmissä.",
    "Tämä ryhmä on ollut syksyn paras asia.",
]


def stars(rng: random.Random, lean: float) -> int:
    """1–5 stars around `lean`: mostly fives and fours, now and then a three."""
    roll = rng.random()
    if roll < lean - 4:
        return 5
    return 4 if roll < 0.97 else 3


def _remove(coordinator) -> None:
    series = Series.objects.filter(name=SERIES, owner=coordinator)
    titles = [TITLE.format(n=n) for n in range(1, 8)] + [LECTURE]
    assignments = Assignment.objects.filter(created_by=coordinator, title__in=titles)
    rounds = Round.objects.filter(series__in=series) | Round.objects.filter(title=LECTURE, owner=coordinator)
    for round_ in rounds:
        Notification.objects.for_target(round_).delete()
        round_.delete()
    series.delete()
    for assignment in assignments:
        for booking in assignment.bookings.all():
            Notification.objects.for_target(booking).delete()
        assignment.delete()


def _session(n: int, starts: datetime, coordinator, leader: ExpertProfile, title: str = "") -> Assignment:
    assignment = Assignment.objects.create(
        title=title or TITLE.format(n=n),
        description="Vertaistuen ryhmä masennuksesta toipuville: kokemusasiantuntija ohjaa yhdessä "
        "sairaanhoitajan kanssa.",
        task_type=TaskType.objects.get(slug="vertaisryhma" if not title else "luento"),
        starts_at=starts,
        ends_at=starts + timedelta(minutes=90),
        address=PLACE,
        unit="Mielenterveys- ja päihdepalvelut, Hollola",
        contact_person=coordinator,
        contact_phone="044 123 4567",
        tariff=Tariff.objects.filter(kind=TariffKind.HOURLY, is_active=True).order_by("order", "pk").first(),
        status=AssignmentStatus.DONE if starts < timezone.now() else AssignmentStatus.FILLED,
        created_by=coordinator,
    )
    # The leader's booking, written directly (no invitation messages for the past): done, or confirmed.
    done = starts + timedelta(minutes=90) < timezone.now()
    Booking.objects.create(
        assignment=assignment,
        expert=leader,
        status=BookingStatus.COMPLETED if done else BookingStatus.CONFIRMED,
        during=booking_range(assignment),
        hours=assignment.hours if done else None,
        fee_computed=assignment.expected_fee() if done else None,
        fee=assignment.expected_fee() if done else None,
        completed_at=assignment.ends_at if done else None,
        confirmed_at=starts - timedelta(days=5),
    )
    return assignment


def _answer(round_, rng: random.Random, lean: float, comment_share: float = 0.35) -> None:
    filled = Filled()
    for item in items_of(round_.version):
        if item.kind == ItemKind.SCALE:
            if item.allow_dont_know and rng.random() < 0.05:
                filled.dont_know.add(item.pk)
            else:
                filled.values[item.pk] = stars(rng, lean + (0.1 if item.section == "Valmennus" else 0))
        elif item.kind == ItemKind.TEXT and rng.random() < comment_share:
            filled.texts[item.pk] = rng.choice(COMMENTS)
    submit_answer(round_=round_, filled=filled, token=issue_token(round_))


def _open_round(round_, opens, closes) -> None:
    Round.objects.filter(pk=round_.pk).update(opens_at=opens, closes_at=closes)
    round_.opens_at, round_.closes_at = opens, closes


@transaction.atomic
def load() -> int:
    """Rebuild the demo rounds around today. Returns how many demo rounds exist."""
    coordinator = User.objects.get(email=COORDINATOR_EMAIL)
    leader = ExpertProfile.objects.get(user__email=LEADER)
    _remove(coordinator)
    version = FormTemplate.objects.get(kind="participant").latest_version()
    series = Series.objects.create(name=SERIES, owner=coordinator)
    rng = random.Random(2026)  # noqa: S311 - the same demo figures every time, not a secret
    today = timezone.localdate()
    # Wednesdays at 17.00: six weeks of sessions before this one, and this week's seventh.
    this_week = today - timedelta(days=(today.weekday() - 2) % 7)
    if this_week == today:
        this_week -= timedelta(days=7)  # a session that has not begun cannot have feedback yet
    rounds = 0
    for n in range(1, 8):
        day = this_week - timedelta(weeks=7 - n)
        starts = datetime.combine(day, time(17), tzinfo=timezone.get_default_timezone())
        assignment = _session(n, starts, coordinator, leader)
        round_ = create_round(
            target=assignment,
            version=version,
            owner=coordinator,
            title=assignment.title,
            opens_at=assignment.ends_at,
            closes_at=assignment.ends_at + timedelta(days=7),
            series=series,
        )
        rounds += 1
        if n == 7:
            Round.objects.filter(pk=round_.pk).update(code=OPEN_CODE)
            for _n in range(6):
                _answer(round_, rng, 4.9)
            continue
        # Answered while it was open; the dates are the session's.
        _open_round(round_, assignment.ends_at - timedelta(minutes=1), timezone.now() + timedelta(minutes=5))
        count, lean = SESSIONS[n - 1]
        for _n in range(count):
            _answer(round_, rng, lean)
        round_.answers.update(answered_on=day)
        round_.texts.update(answered_on=day)
        _open_round(round_, assignment.ends_at, assignment.ends_at + timedelta(days=7))
    # A lecture with only three answers: below the threshold, its results stay hidden.
    day = this_week - timedelta(weeks=2, days=1)
    starts = datetime.combine(day, time(13), tzinfo=timezone.get_default_timezone())
    lecture = _session(0, starts, coordinator, leader, title=LECTURE)
    round_ = create_round(
        target=lecture,
        version=version,
        owner=coordinator,
        title=LECTURE,
        opens_at=lecture.ends_at,
        closes_at=lecture.ends_at + timedelta(days=7),
    )
    _open_round(round_, lecture.ends_at - timedelta(minutes=1), timezone.now() + timedelta(minutes=5))
    for _n in range(3):
        _answer(round_, rng, 4.7)
    round_.answers.update(answered_on=day)
    _open_round(round_, lecture.ends_at, lecture.ends_at + timedelta(days=7))
    Notification.objects.filter(
        kind="feedback.few_answers", object_id__in=[str(r.pk) for r in Round.objects.filter(owner=coordinator)]
    ).filter(due_at__lt=timezone.now()).delete()  # reminders of rounds long closed: not news in a demo
    booking_services.refresh_recent_assignments(profile_ids=[leader.pk])
    return rounds + 1
