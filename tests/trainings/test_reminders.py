"""Session reminders through the outbox and feedback on sessions (trainings/reminders.py): the outbox
rows, not real mail, except where the rendered message itself is the point."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from feedback.models import Round
from feedback.services import create_round
from notifications.models import Notification, Status
from notifications.services import send_notification
from tests.factories import ParticipantFactory, TrainingSessionFactory, UserFactory, seeded_form
from tests.trainings.clients import sign_in
from trainings import reminders, services
from trainings.models import TrainingSession

P, T = reminders.PARTICIPANT_REMINDER, reminders.TRAINER_REMINDER


pytestmark = pytest.mark.usefixtures("english")


def add_session(client, cohort, days: int, **changes):
    day = timezone.localdate() + timedelta(days=days)
    data = {"title": "Kerta", "date": day.isoformat(), "start_time": "10:00", "end_time": "12:00", **changes}
    data.setdefault("form_key", f"k{days:02d}" + "x" * 30)
    client.post(reverse("trainings:session_create", args=[cohort.pk]), data)
    return TrainingSession.objects.latest("pk")


def rows(kind=None, status=Status.PENDING):
    found = Notification.objects.filter(status=status)
    return found.filter(kind=kind) if kind else found


# --- Scheduling ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_new_session_schedules_reminders_two_days_before(client, trainer, cohort):
    swede = ParticipantFactory(cohort=cohort, language="sv")
    session = add_session(sign_in(client, trainer), cohort, 10)
    participant_row, trainer_row = rows(P).get(), rows(T).get()
    assert (participant_row.to_address, participant_row.language) == (swede.email, "sv")
    assert participant_row.recipient is None
    assert trainer_row.recipient == trainer
    assert participant_row.due_at == trainer_row.due_at == session.starts_at - timedelta(days=2)


@pytest.mark.django_db
def test_only_consenting_current_participants_with_email_get_reminders(client, trainer, cohort):
    ParticipantFactory(cohort=cohort, contact_consent=False, contact_consent_at=None)
    ParticipantFactory(cohort=cohort, email="", phone="040 1")
    ParticipantFactory(cohort=cohort, removed_at=timezone.now())
    wanted = ParticipantFactory(cohort=cohort)
    add_session(sign_in(client, trainer), cohort, 10)
    assert list(rows(P).values_list("to_address", flat=True)) == [wanted.email]


@pytest.mark.django_db
def test_a_sessions_own_trainers_get_the_reminder_instead_of_the_cohorts(client, trainer, cohort):
    own = UserFactory(role="trainer", mfa=True)
    add_session(sign_in(client, trainer), cohort, 10, trainers=[own.pk])
    assert list(rows(T).values_list("recipient", flat=True)) == [own.pk]


@pytest.mark.django_db
def test_a_session_too_soon_for_a_reminder_gets_none(client, trainer, cohort):
    ParticipantFactory(cohort=cohort)
    add_session(sign_in(client, trainer), cohort, 1)
    assert not Notification.objects.exists()


@pytest.mark.django_db
def test_moving_a_session_moves_its_reminders(client, trainer, cohort):
    ParticipantFactory(cohort=cohort)
    session = add_session(sign_in(client, trainer), cohort, 10)
    day = timezone.localdate() + timedelta(days=20)
    client.post(
        reverse("trainings:session_edit", args=[session.pk]),
        {"title": "Kerta", "date": day.isoformat(), "start_time": "10:00", "end_time": "12:00"},
    )
    session.refresh_from_db()
    assert rows().count() == 2
    assert set(rows().values_list("due_at", flat=True)) == {session.starts_at - timedelta(days=2)}


@pytest.mark.django_db
def test_a_moved_session_sends_an_already_sent_reminder_again(client, trainer, cohort):
    ParticipantFactory(cohort=cohort)
    session = add_session(sign_in(client, trainer), cohort, 10)
    Notification.objects.update(status=Status.SENT, sent_at=timezone.now())
    day = timezone.localdate() + timedelta(days=12)
    client.post(
        reverse("trainings:session_edit", args=[session.pk]),
        {"title": "Kerta", "date": day.isoformat(), "start_time": "10:00", "end_time": "12:00"},
    )
    assert rows().count() == 2


@pytest.mark.django_db
def test_a_session_moved_too_close_loses_its_reminders(client, trainer, cohort):
    ParticipantFactory(cohort=cohort)
    session = add_session(sign_in(client, trainer), cohort, 10)
    day = timezone.localdate() + timedelta(days=1)
    client.post(
        reverse("trainings:session_edit", args=[session.pk]),
        {"title": "Kerta", "date": day.isoformat(), "start_time": "10:00", "end_time": "12:00"},
    )
    assert rows().count() == 0
    assert rows(status=Status.CANCELLED).count() == 2


@pytest.mark.django_db
def test_cancelling_a_session_cancels_its_reminders(client, trainer, cohort):
    ParticipantFactory(cohort=cohort)
    session = add_session(sign_in(client, trainer), cohort, 10)
    client.post(reverse("trainings:session_cancel", args=[session.pk]))
    assert rows(status=Status.CANCELLED).count() == 2


@pytest.mark.django_db
def test_a_due_reminder_of_a_cancelled_session_is_not_sent(trainer, cohort, mailoutbox):
    ParticipantFactory(cohort=cohort)
    session = TrainingSessionFactory(cohort=cohort, starts_in=timedelta(days=10))
    reminders.schedule_session_reminders(session)
    TrainingSession.objects.filter(pk=session.pk).update(cancelled=True)  # behind the service's back
    row = rows(P).get()
    Notification.objects.filter(pk=row.pk).update(status=Status.SENDING, due_at=timezone.now())
    assert send_notification(notification_id=row.pk, claim_token="") == "cancelled"
    assert mailoutbox == []


@pytest.mark.django_db
def test_removing_a_participant_cancels_their_reminders_only(trainer, cohort):
    staying, leaving = ParticipantFactory(cohort=cohort), ParticipantFactory(cohort=cohort)
    session = TrainingSessionFactory(cohort=cohort, starts_in=timedelta(days=10))
    reminders.schedule_session_reminders(session)
    services.remove_participant(participant=leaving, actor=trainer)
    assert list(rows(P).values_list("to_address", flat=True)) == [staying.email]
    assert rows(P, Status.CANCELLED).get().to_address == leaving.email


@pytest.mark.django_db
def test_a_changed_address_moves_the_reminder(client, trainer, cohort):
    participant = ParticipantFactory(cohort=cohort)
    session = TrainingSessionFactory(cohort=cohort, starts_in=timedelta(days=10))
    reminders.schedule_session_reminders(session)
    data = {"name": participant.name, "email": "uusi@example.fi", "language": "fi", "contact_consent": "on"}
    sign_in(client, trainer).post(reverse("trainings:participant_edit", args=[participant.pk]), data)
    assert list(rows(P).values_list("to_address", flat=True)) == ["uusi@example.fi"]


# --- The message -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_participants_reminder_is_in_their_language_without_a_staff_link(trainer, cohort, mailoutbox):
    participant = ParticipantFactory(cohort=cohort, language="sv")
    session = TrainingSessionFactory(cohort=cohort, starts_in=timedelta(days=10), title="Oma tarina")
    reminders.schedule_session_reminders(session)
    row = rows(P).get()
    Notification.objects.filter(pk=row.pk).update(status=Status.SENDING, due_at=timezone.now())
    assert send_notification(notification_id=row.pk, claim_token="") == "sent"
    (message,) = mailoutbox
    assert message.to == [participant.email]
    assert "Oma tarina" in message.subject
    assert session.get_absolute_url() not in message.body
    assert row.language == "sv"


@pytest.mark.django_db
def test_a_trainers_reminder_links_to_the_session(trainer, cohort, mailoutbox):
    session = TrainingSessionFactory(cohort=cohort, starts_in=timedelta(days=10))
    reminders.schedule_session_reminders(session)
    row = rows(T).get()
    Notification.objects.filter(pk=row.pk).update(status=Status.SENDING, due_at=timezone.now())
    assert send_notification(notification_id=row.pk, claim_token="") == "sent"
    assert session.get_absolute_url() in mailoutbox[0].body


# --- Feedback on sessions --------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_feedback_round_on_a_session_sends_the_link_to_contactable_participants(trainer, cohort):
    from feedback.targets import kind_of

    wanted = ParticipantFactory(cohort=cohort, language="sv")
    ParticipantFactory(cohort=cohort, contact_consent=False)
    ParticipantFactory(cohort=cohort, removed_at=timezone.now())
    session = TrainingSessionFactory(cohort=cohort, starts_in=timedelta(days=-1))
    assert list(kind_of(session).participants(session)) == [(wanted.email, "sv")]
    create_round(
        target=session,
        version=seeded_form(),
        owner=trainer,
        title=str(session),
        opens_at=session.ends_at,
        closes_at=session.ends_at + timedelta(days=7),
        participants=list(kind_of(session).participants(session)),
    )
    assert Notification.objects.filter(to_address=wanted.email).exclude(kind__startswith="trainings.").exists()


@pytest.mark.django_db
def test_session_feedback_is_readable_by_its_trainers_and_coordinators_only(trainer, coordinator, cohort):
    session = TrainingSessionFactory(cohort=cohort, starts_in=timedelta(days=-1))
    round_ = create_round(
        target=session,
        version=seeded_form(),
        owner=coordinator,
        title="Kerta",
        opens_at=session.ends_at,
        closes_at=session.ends_at + timedelta(days=7),
    )
    other = UserFactory(role="trainer", mfa=True)
    assert list(Round.objects.visible_to(trainer)) == [round_]
    assert list(Round.objects.visible_to(coordinator)) == [round_]
    assert list(Round.objects.visible_to(other)) == []
    assert list(Round.objects.manageable_by(trainer)) == [round_]
