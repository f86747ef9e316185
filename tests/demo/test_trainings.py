"""Demo trainings (demo/trainings.py): a finished pilot with everything the issue asks of it, a cohort
running now with attendance to take, and loading twice leaves the same data."""

from decimal import Decimal

import pytest

from accounts.models import AuditEvent
from bookings.models import Assignment, Booking, BookingStatus
from demo import accounts as demo_accounts
from demo import bookings as demo_bookings
from demo import expert_bank as demo_expert_bank
from demo import experts as demo_experts
from demo import feedback as demo_feedback
from demo import trainings as demo_trainings
from experts.models import CompletedTraining, ExpertProfile
from feedback.models import Round
from feedback.results import answer_counts
from feedback.services import LINK_KIND
from notifications.models import Notification, Status
from trainings import completion, costs
from trainings.models import Attendance, Cohort, Participant, TrainingSession


def load_all() -> int:
    demo_accounts.load()
    demo_experts.load()
    demo_expert_bank.load()
    demo_bookings.load()
    demo_feedback.load()
    return demo_trainings.load()


@pytest.fixture
def loaded(db):
    assert load_all() == 2
    return Cohort.objects.get(name=demo_trainings.PILOT), Cohort.objects.get(name=demo_trainings.RUNNING)


def test_pilot_completes_six_of_eight_with_certificates(loaded):
    pilot, _running = loaded
    done = Participant.objects.filter(cohort=pilot, completed_on__isnull=False)
    assert done.count() == 6
    assert all(person.certificate_number.startswith("KK-") for person in done)
    # Janne (3 of 7 present) and Mika (4 of 7: 57 %) are under the 80 % rule.
    assert set(Participant.objects.filter(cohort=pilot, completed_on__isnull=True).values_list("name", flat=True)) == {
        "Janne Koskinen",
        "Mika Lehtonen",
    }
    assert all(
        status.eligible == (status.participant.completed_on is not None) for status in completion.cohort_statuses(pilot)
    )


def test_two_pilot_participants_went_on_into_the_bank(loaded):
    tiina = ExpertProfile.objects.get(user__email="tiina.laaksonen@demo.kokemuspankki.fi")
    markku = ExpertProfile.objects.get(user__email="markku.salonen@demo.kokemuspankki.fi")
    assert tiina.ready_at is not None and markku.ready_at is None
    for profile in (tiina, markku):
        assert profile.training_level_source == "record"
        assert CompletedTraining.objects.filter(profile=profile, source="record").count() == 1


def test_pilot_costs_include_the_expert_trainers_fees_from_bookings(loaded):
    pilot, _running = loaded
    trainer_bookings = Booking.objects.filter(
        assignment__in=Assignment.objects.filter(purpose_id__in=pilot.sessions.values("pk")),
        status=BookingStatus.COMPLETED,
    )
    assert trainer_bookings.count() == 7
    fees = sum(booking.fee for booking in trainer_bookings)
    summary = costs.cost_summary(pilot)
    assert summary.total == fees + Decimal("976.86")
    assert summary.per_completed == (summary.total / 6).quantize(Decimal("0.01"))


def test_pilot_feedback_sits_near_the_pilots_averages(loaded):
    pilot, _running = loaded
    rounds = Round.objects.filter(target_type__model="trainingsession", target_id__in=pilot.sessions.values("pk"))
    assert rounds.count() == 7
    assert all(sum(answer_counts(round_).values()) >= 5 for round_ in rounds)


def test_running_cohort_has_the_last_held_sessions_attendance_to_take(loaded):
    _pilot, running = loaded
    held = [session for session in running.sessions.order_by("starts_at") if session.is_past()]
    assert len(held) == 3
    assert [Attendance.objects.filter(session=session).count() for session in held] == [7, 7, 0]
    assert TrainingSession.objects.filter(cohort=running, starts_at__gt=held[-1].ends_at).count() == 4


def test_every_held_session_has_one_round_and_those_ahead_their_automatic_one(loaded):
    _pilot, running = loaded
    for session in TrainingSession.objects.filter(cohort__in=loaded):
        rounds = Round.objects.filter(target_type__model="trainingsession", target_id=session.pk)
        assert rounds.count() == 1, session
    ahead = [session for session in running.sessions.order_by("starts_at") if not session.is_past()]
    contactable = Participant.objects.filter(cohort=running, contact_consent=True).exclude(email="").count()
    for session in ahead:
        round_ = Round.objects.get(target_type__model="trainingsession", target_id=session.pk)
        assert round_.opens_at == session.ends_at
        links = Notification.objects.for_target(round_).filter(kind=LINK_KIND, status=Status.PENDING)
        assert links.count() == contactable


MODELS = (Cohort, Participant, TrainingSession, Attendance, Round, CompletedTraining, Notification, AuditEvent)


def test_loading_twice_gives_the_same_demo(loaded):
    before = [model.objects.count() for model in MODELS]
    assert load_all() == 2
    after = [model.objects.count() for model in MODELS]
    assert after == before
