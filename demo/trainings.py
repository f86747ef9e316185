"""Demo trainings: the Pirkanmaa pilot's programme "Kasvava kokemusasiantuntijuus" (trainings.seed) run
twice in the demo county:

- a finished cohort (the Pälkäne pilot, seven weekly sessions some months ago): attendance with a few
  absences, its costs, the expert trainer Katja booked and paid through bookings for every session,
  a feedback round on every session with answers near the pilot's averages (learning 4.8, training 4.9),
  six participants completed with certificates, and two of them gone on into the expert bank (Tiina,
  onboarded and ready to be booked; Markku, still onboarding);
- a cohort running now in Hollola: three sessions held, the last one's attendance still to take (the
  demo trainer Jukka sees it on his front page) and its feedback round open with a few answers, the
  next ones ahead with reminders and their feedback rounds' links in the outbox.

Also the onboarding checklist and the staff toolkit's two guides. Run after demo.feedback. load()
rebuilds the demo cohorts around today each time it runs; the programme, steps and guides are kept.
"""

import random
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.services import accept_invitation
from bookings.eligibility import booking_range
from bookings.models import Assignment, AssignmentStatus, Booking, BookingStatus, Tariff, TariffKind
from experts.models import (
    CompletedTraining,
    CompletedTrainingSource,
    ExpertProfile,
    Municipality,
    Organisation,
    TaskType,
)
from feedback.models import Round, Series
from feedback.services import LINK_KIND, create_round
from notifications.models import Notification, Status
from trainings import completion, onboarding, reminders, session_feedback
from trainings.models import (
    Attendance,
    Cohort,
    CohortStatus,
    Cost,
    CostKind,
    Participant,
    TrainingSession,
)
from trainings.seed import seed_guides, seed_onboarding_steps, seed_programme
from trainings.services import save_attendance

from .accounts import DEMO_USERS
from .feedback import LEADER, _answer

COORDINATOR_EMAIL = DEMO_USERS[0][0]
TRAINER_EMAIL = DEMO_USERS[2][0]  # Jukka, a staff trainer
PILOT = "Pälkäneen pilotti"
RUNNING = "Hollolan valmennusryhmä, syksy 2026"
PILOT_PLACE = "Pälkäneen toimipiste, Kostiantie 14, Pälkäne"
RUNNING_PLACE = "Hollolan sote-keskus, ryhmätila Salpaus, Terveyskeskuksentie 2, Hollola"
PILOT_PEOPLE = [
    # name, email, language; attendance per session (P present, A absent, E excused)
    ("Sari Mäkinen", "sari.makinen@example.fi", "fi", "PPPPPPP"),
    ("Jari Heikkilä", "", "fi", "PPPPPEP"),
    ("Tiina Laaksonen", "tiina.laaksonen@demo.kokemuspankki.fi", "fi", "PPPPPPP"),
    ("Markku Salonen", "markku.salonen@demo.kokemuspankki.fi", "fi", "PPPPPAP"),
    ("Pirjo Rantanen", "pirjo.rantanen@example.fi", "fi", "PPPPPPP"),
    ("Janne Koskinen", "", "fi", "PAAPEPA"),
    ("Leena Niemi", "leena.niemi@example.fi", "fi", "PPPPPPP"),
    ("Mika Lehtonen", "mika.lehtonen@example.fi", "fi", "PEPAPAP"),
]
RUNNING_PEOPLE = [
    ("Anu Virtanen", "anu.virtanen@example.fi", "fi", "PPP"),
    ("Kimmo Järvinen", "kimmo.jarvinen@example.fi", "fi", "PAP"),
    ("Satu Lindholm", "satu.lindholm@example.fi", "sv", "PPE"),
    ("Petri Aalto", "", "fi", "PPP"),
    ("Riitta Hakala", "riitta.hakala@example.fi", "fi", "APP"),
    ("Tomi Saarinen", "tomi.saarinen@example.fi", "fi", "PPA"),
    ("Maarit Öhman", "maarit.ohman@example.fi", "fi", "PPP"),
]
MARKS = {"P": "present", "A": "absent", "E": "excused"}
# Into the bank: Tiina went all the way (ready to be booked), Markku is still onboarding.
INTO_BANK = {"Tiina Laaksonen": True, "Markku Salonen": False}
# The pilot's own cost accounting (seeds/002: the planner kept it): what the county paid besides the
# expert trainer's fees, which come from bookings.
PILOT_COSTS = [
    (CostKind.FACILITIES, "0.00", "Pälkäneen kunnan ryhmätila, ei vuokraa"),
    (CostKind.MATERIALS, "100.00", "Materiaalisalkut osallistujille, 8 × 12,50 €"),
    (CostKind.CATERING, "196.00", "Kahvitarjoilu seitsemällä kerralla"),
    (CostKind.TRAVEL, "230.86", "Valmentajan matkat Tampere–Pälkäne, 7 × 56 km × 0,59 €"),
    (CostKind.OTHER, "450.00", "Mielen ry:n kokemusasiantuntijoiden puheenvuorot, 3 × 150 €"),
]


def _at(day, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=timezone.get_default_timezone())


def _remove() -> None:
    """The demo cohorts, their trainer assignments and feedback rounds, and the two participants'
    accounts (made again below)."""
    cohorts = Cohort.objects.filter(name__in=[PILOT, RUNNING])
    sessions = TrainingSession.objects.filter(cohort__in=cohorts)
    for session in sessions:
        for round_ in Round.objects.filter(target_type__model="trainingsession", target_id=session.pk):
            Notification.objects.for_target(round_).delete()
            round_.delete()
        Notification.objects.for_target(session).delete()
        for assignment in Assignment.objects.for_purpose(session):
            for booking in assignment.bookings.all():
                Notification.objects.for_target(booking).delete()
            assignment.delete()
    # The two who went on into the bank keep their accounts and profiles (and the audit rows of their
    # onboarding): a reload links the new participant rows to them again (_into_bank).
    Participant.objects.filter(cohort__in=cohorts).update(bank_invitation=None, expert_profile=None, user=None)
    series = [cohort.feedback_series_id for cohort in cohorts if cohort.feedback_series_id]
    cohorts.delete()
    Series.objects.filter(pk__in=series).delete()


def _trainer_booking(session: TrainingSession, leader: ExpertProfile, coordinator: User) -> None:
    """Katja's booking as the session's paid trainer, written directly as demo.feedback does (no
    invitation messages for the past): completed with the tariff's fee, or confirmed if ahead."""
    assignment = Assignment.objects.create(
        title=f"Valmentaja: {session}",
        description="Valmentajana Kasvava kokemusasiantuntijuus -valmennuksessa.",
        task_type=TaskType.objects.get(slug="koulutus"),
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        address=session.place,
        unit="Asiakaskokemus ja osallistuminen",
        contact_person=coordinator,
        tariff=Tariff.objects.filter(kind=TariffKind.HOURLY, is_active=True).order_by("order", "pk").first(),
        status=AssignmentStatus.DONE if session.is_past() else AssignmentStatus.FILLED,
        created_by=coordinator,
        purpose=session,
    )
    done = session.is_past()
    Booking.objects.create(
        assignment=assignment,
        expert=leader,
        status=BookingStatus.COMPLETED if done else BookingStatus.CONFIRMED,
        during=booking_range(assignment),
        hours=assignment.hours if done else None,
        fee_computed=assignment.expected_fee() if done else None,
        fee=assignment.expected_fee() if done else None,
        completed_at=assignment.ends_at if done else None,
        confirmed_at=session.starts_at - timedelta(days=10),
    )


def _cohort(name, place, municipality_slug, first_day, coordinator, trainers, *, status, weeks=7) -> Cohort:
    programme = seed_programme()
    cohort = Cohort.objects.create(
        programme=programme,
        name=name,
        place=place,
        municipality=Municipality.objects.filter(slug=municipality_slug).first(),
        starts_on=first_day,
        ends_on=first_day + timedelta(weeks=weeks - 1),
        status=status,
        coordinator=coordinator,
    )
    cohort.trainers.set(trainers)
    partners = Organisation.objects.filter(slug__in=["mielen-ry", "mieli-ry"])[:1]
    cohort.partners.set(partners)
    for week, module in enumerate(programme.modules.order_by("order")[:weeks]):
        starts = _at(first_day + timedelta(weeks=week), 12, 30)
        session = TrainingSession.objects.create(
            cohort=cohort, module=module, starts_at=starts, ends_at=starts + timedelta(hours=3), place=place
        )
        session.trainers.set(trainers)
    return cohort


def _people(cohort: Cohort, people, coordinator: User) -> list[Participant]:
    now = timezone.now()
    return [
        Participant.objects.create(
            cohort=cohort,
            name=name,
            email=email,
            language=language,
            contact_consent=bool(email),
            contact_consent_at=now if email else None,
            added_by=coordinator,
        )
        for name, email, language, _marks in people
    ]


def _attendance(cohort: Cohort, participants, people, trainer: User, upto: int) -> list[int]:
    """Attendance of the first `upto` sessions, taken on the session's day; returns each's present count."""
    present = []
    for index, session in enumerate(cohort.sessions.order_by("starts_at")[:upto]):
        marks = {p.pk: MARKS[row[3][index]] for p, row in zip(participants, people, strict=True)}
        save_attendance(session=session, marks=marks, actor=trainer)
        Attendance.objects.filter(session=session).update(marked_at=session.ends_at)
        present.append(sum(1 for status in marks.values() if status == "present"))
    return present


def _feedback(cohort: Cohort, coordinator: User, present: list[int], rng: random.Random) -> int:
    """A closed round on each held session, answered by most of those present."""
    version = cohort.programme.feedback_template.latest_version()
    rounds = 0
    for session, count in zip(cohort.sessions.order_by("starts_at"), present, strict=False):
        round_ = create_round(
            target=session,
            version=version,
            owner=coordinator,
            title=f"{cohort.name}: {session}",
            opens_at=session.ends_at,
            closes_at=session.ends_at + timedelta(days=7),
            series=session_feedback.cohort_series(cohort),
        )
        # Answered while it was open (the service refuses a closed round), dated the session's day.
        Round.objects.filter(pk=round_.pk).update(
            opens_at=session.ends_at - timedelta(minutes=1), closes_at=timezone.now() + timedelta(minutes=5)
        )
        round_.refresh_from_db()
        for _n in range(max(count - rng.randint(0, 1), min(count, 5))):
            _answer(round_, rng, 4.78 + rounds * 0.02)
        round_.answers.update(answered_on=timezone.localtime(session.ends_at).date())
        round_.texts.update(answered_on=timezone.localtime(session.ends_at).date())
        Round.objects.filter(pk=round_.pk).update(
            opens_at=session.ends_at, closes_at=session.ends_at + timedelta(days=7)
        )
        Notification.objects.for_target(round_).delete()  # long closed: no reminders in a demo
        rounds += 1
    return rounds


def _into_bank(participants, coordinator: User) -> None:
    """The two who went on: invited, accepted (a draft profile with the training), then onboarded. On
    a reload their profiles exist: the new participant rows are linked to them and their records'
    keys follow, so nothing is written twice."""
    steps = seed_onboarding_steps()
    for participant in participants:
        if participant.name not in INTO_BANK:
            continue
        profile = ExpertProfile.objects.filter(user__email=participant.email).first()
        if profile is not None:
            Participant.objects.filter(pk=participant.pk).update(user=profile.user, expert_profile=profile)
            CompletedTraining.objects.filter(profile=profile, source=CompletedTrainingSource.RECORD).update(
                record_key=completion.record_key(participant)
            )
            continue
        completion.invite_to_bank(participant=participant, by=coordinator)
        participant.refresh_from_db()
        first, last = participant.name.split(" ", 1)
        user = User.objects.create_user(email=participant.email, first_name=first, last_name=last, password=None)
        accept_invitation(invitation_id=participant.bank_invitation_id, user=user)
        profile = ExpertProfile.objects.get(user=user)
        ready = INTO_BANK[participant.name]
        for step in steps if ready else steps[:2]:
            onboarding.mark_step_done(profile=profile, step=step, actor=coordinator)
        if ready:
            onboarding.mark_ready(profile=profile, actor=coordinator)


@transaction.atomic
def load() -> int:
    """Rebuild the demo cohorts around today. Returns how many demo cohorts exist."""
    coordinator = User.objects.get(email=COORDINATOR_EMAIL)
    trainer = User.objects.get(email=TRAINER_EMAIL)
    leader = ExpertProfile.objects.select_related("user").get(user__email=LEADER)
    seed_onboarding_steps()
    seed_guides()
    _remove()
    rng = random.Random(2025)  # noqa: S311 - the same demo figures every time, not a secret
    today = timezone.localdate()
    # Thursdays: Katja leads the Hollola group on Wednesdays and lectures on a Tuesday (demo.feedback).
    # The next Thursday whose session has not begun: the running cohort's fourth.
    thursday = today + timedelta(days=(3 - today.weekday()) % 7)
    if _at(thursday, 12, 30) <= timezone.now():
        thursday += timedelta(weeks=1)

    # The pilot: seven Thursdays, ending about three months ago.
    pilot = _cohort(
        PILOT,
        PILOT_PLACE,
        "palkane",
        thursday - timedelta(weeks=20),
        coordinator,
        [trainer, leader.user],
        status=CohortStatus.FINISHED,
    )
    people = _people(pilot, PILOT_PEOPLE, coordinator)
    present = _attendance(pilot, people, PILOT_PEOPLE, trainer, upto=7)
    for session in pilot.sessions.all():
        _trainer_booking(session, leader, coordinator)
    for kind, amount, note in PILOT_COSTS:
        Cost.objects.create(
            cohort=pilot, kind=kind, amount=Decimal(amount), note=note, incurred_on=pilot.ends_on, added_by=coordinator
        )
    _feedback(pilot, coordinator, present, rng)
    eligible = [status.participant.pk for status in completion.cohort_statuses(pilot) if status.eligible]
    completion.record_completions(cohort=pilot, participant_ids=eligible, by=coordinator, on=pilot.ends_on)
    _into_bank(Participant.objects.filter(cohort=pilot).order_by("pk"), coordinator)

    # Running now: three Thursdays held (the third one's attendance still to take), four ahead.
    running = _cohort(
        RUNNING,
        RUNNING_PLACE,
        "hollola",
        thursday - timedelta(weeks=3),
        coordinator,
        [trainer, leader.user],
        status=CohortStatus.RUNNING,
    )
    people = _people(running, RUNNING_PEOPLE, coordinator)
    present = _attendance(running, people, RUNNING_PEOPLE, trainer, upto=2)
    sessions = list(running.sessions.order_by("starts_at"))
    for session in sessions[:4]:
        _trainer_booking(session, leader, coordinator)
    _feedback(running, coordinator, present, rng)
    for session in sessions:
        if not session.is_past():
            reminders.schedule_session_reminders(session)
    _automatic_rounds(sessions[len(present) :], rng)
    return 2


def _automatic_rounds(sessions: list[TrainingSession], rng: random.Random) -> None:
    """The rounds that creating these sessions in the app would have made (trainings.session_feedback),
    made by the same service: the held session's round is open now, with its links sent when it
    opened and a few answers; the rounds ahead have their links waiting in the outbox."""
    for session in sessions:
        round_ = session_feedback.create_session_round(session)
        if round_ is None or round_.state() != "open":
            continue
        # Sent when the round opened, in the story: the demo sends no mail for the past.
        Notification.objects.for_target(round_).filter(kind=LINK_KIND, status=Status.PENDING).update(
            status=Status.SENT, sent_at=round_.opens_at
        )
        for _n in range(3):
            _answer(round_, rng, 4.8)
