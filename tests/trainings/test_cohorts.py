"""The trainer's front page, cohorts and their participants (trainings/views/cohorts.py)."""

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent
from notifications.models import Notification, Status
from tests.factories import (
    CohortFactory,
    ExpertProfileFactory,
    ParticipantFactory,
    ProgrammeFactory,
    RoundFactory,
    TrainingSessionFactory,
    UserFactory,
)
from tests.trainings.clients import sign_in
from trainings.models import Attendance, Cohort, Participant, TrainingSession
from trainings.reminders import PARTICIPANT_REMINDER

pytestmark = pytest.mark.usefixtures("english")


# --- Access ----------------------------------------------------------------------------------------

COHORT_PAGES = [
    ("trainings:cohort_detail", "cohort"),
    ("trainings:participant_create", "cohort"),
    ("trainings:participant_edit", "participant"),
    ("trainings:participant_remove", "participant"),
]


@pytest.fixture
def objects(cohort):
    return {"cohort": cohort, "participant": ParticipantFactory(cohort=cohort)}


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "arg"), [("trainings:index", None), *COHORT_PAGES])
def test_anonymous_is_sent_to_sign_in(client, objects, name, arg):
    url = reverse(name, args=[objects[arg].pk] if arg else [])
    response = client.get(url)
    assert response.status_code == 302
    assert "login" in response.url


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "arg"), [("trainings:index", None), *COHORT_PAGES])
def test_an_expert_is_refused(client, expert, objects, name, arg):
    response = sign_in(client, expert).get(reverse(name, args=[objects[arg].pk] if arg else []))
    assert response.status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "arg"), COHORT_PAGES)
def test_another_trainer_does_not_find_the_cohort(client, objects, name, arg):
    other = UserFactory(role="trainer", mfa=True)
    response = sign_in(client, other).get(reverse(name, args=[objects[arg].pk]))
    assert response.status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "arg"), [("trainings:index", None), *COHORT_PAGES])
def test_a_coordinator_opens_every_page(client, coordinator, objects, name, arg):
    response = sign_in(client, coordinator).get(reverse(name, args=[objects[arg].pk] if arg else []))
    assert response.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["trainings:cohort_create", "trainings:cohort_edit"])
def test_a_trainer_may_not_create_or_edit_cohorts(client, trainer, cohort, name):
    response = sign_in(client, trainer).get(reverse(name, args=[cohort.pk] if name.endswith("edit") else []))
    assert response.status_code == 403


@pytest.mark.django_db
def test_a_session_trainer_sees_names_but_not_contact_details(client, cohort):
    session_trainer = UserFactory(role="trainer", mfa=True)
    TrainingSessionFactory(cohort=cohort).trainers.add(session_trainer)
    participant = ParticipantFactory(cohort=cohort, phone="040 123 4567")
    page = sign_in(client, session_trainer).get(reverse("trainings:cohort_detail", args=[cohort.pk]))
    assert participant.name in page.content.decode()
    assert participant.email not in page.content.decode()
    assert not AuditEvent.objects.exists()


# --- The front page --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_front_page_shows_my_cohorts_only(client, trainer, cohort):
    other = CohortFactory()
    response = sign_in(client, trainer).get(reverse("trainings:index"))
    assert response.context["cohorts"] == [cohort]
    assert other.name not in response.content.decode()
    assert "New cohort" not in response.content.decode()


@pytest.mark.django_db
def test_front_page_lists_running_cohorts_first_for_coordinators(client, coordinator):
    finished = CohortFactory(status="finished", starts_on=timezone.localdate() - timedelta(days=5))
    running = CohortFactory(status="running", starts_on=timezone.localdate() - timedelta(days=90))
    planned = CohortFactory(status="planned")
    response = sign_in(client, coordinator).get(reverse("trainings:index"))
    assert response.context["cohorts"] == [running, planned, finished]
    assert "New cohort" in response.content.decode()


@pytest.mark.django_db
def test_front_page_shows_my_next_session(client, trainer, cohort):
    TrainingSessionFactory(cohort=cohort, starts_in=timedelta(days=-3))
    later = TrainingSessionFactory(cohort=cohort, starts_in=timedelta(days=9))
    soon = TrainingSessionFactory(cohort=cohort, starts_in=timedelta(days=2))
    TrainingSessionFactory(cohort=cohort, starts_in=timedelta(days=1), cancelled=True)
    response = sign_in(client, trainer).get(reverse("trainings:index"))
    assert response.context["next_session"] == soon
    assert later != soon


@pytest.mark.django_db
def test_front_page_lists_past_sessions_with_attendance_to_take(client, trainer, cohort):
    first, second = ParticipantFactory(cohort=cohort), ParticipantFactory(cohort=cohort)
    half_taken = TrainingSessionFactory(cohort=cohort, starts_in=timedelta(days=-7))
    Attendance.objects.create(session=half_taken, participant=first, status="present")
    taken = TrainingSessionFactory(cohort=cohort, starts_in=timedelta(days=-3))
    for participant in (first, second):
        Attendance.objects.create(session=taken, participant=participant, status="present")
    TrainingSessionFactory(cohort=cohort, starts_in=timedelta(days=2))  # not held yet
    response = sign_in(client, trainer).get(reverse("trainings:index"))
    assert response.context["to_take"] == [half_taken]
    assert reverse("trainings:attendance", args=[half_taken.pk]) in response.content.decode()


@pytest.mark.django_db
def test_a_removed_participant_leaves_no_attendance_to_take(client, trainer, cohort):
    present = ParticipantFactory(cohort=cohort)
    ParticipantFactory(cohort=cohort, removed_at=timezone.now())
    session = TrainingSessionFactory(cohort=cohort, starts_in=timedelta(days=-2))
    Attendance.objects.create(session=session, participant=present, status="present")
    response = sign_in(client, trainer).get(reverse("trainings:index"))
    assert response.context["to_take"] == []


@pytest.mark.django_db
def test_front_page_lists_feedback_on_my_sessions(client, trainer, cohort):
    mine = TrainingSessionFactory(cohort=cohort, starts_in=timedelta(days=-1))
    round_ = RoundFactory(target=mine, owner=cohort.coordinator, title="Kerta 1 palaute")
    RoundFactory(title="Jonkun muun palaute")
    response = sign_in(client, trainer).get(reverse("trainings:index"))
    assert response.context["rounds"] == [round_]
    assert reverse("feedback:round", args=[round_.pk]) in response.content.decode()


@pytest.mark.django_db
def test_front_page_leaves_out_feedback_rounds_not_open_yet(client, trainer):
    cohort = CohortFactory()
    cohort.trainers.add(trainer)
    ahead = TrainingSessionFactory(cohort=cohort, starts_in=timedelta(days=3))
    RoundFactory(target=ahead, owner=cohort.coordinator, opens_in=timedelta(days=3, hours=3))
    response = sign_in(client, trainer).get(reverse("trainings:index"))
    assert response.context["rounds"] == []


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 4])
def test_front_page_queries_do_not_grow(client, trainer, django_assert_num_queries, count):
    for number in range(count):
        cohort = CohortFactory()
        cohort.trainers.add(trainer)
        ParticipantFactory(cohort=cohort)
        session = TrainingSessionFactory(cohort=cohort, starts_in=timedelta(days=-2 - number))
        RoundFactory(target=session, owner=cohort.coordinator)
        TrainingSessionFactory(cohort=cohort, starts_in=timedelta(days=3 + number))
    sign_in(client, trainer)
    ContentType.objects.get_for_model(TrainingSession)  # cached for the process, as in a running site
    # session, the user with roles, permissions and MFA status (accounts.backends); the cohorts with
    # programme and participant counts; the next session; attendance to take; feedback rounds; then
    # the idle-timeout session save (savepoint, update, release).
    with django_assert_num_queries(9):
        response = client.get(reverse("trainings:index"))
    assert len(response.context["cohorts"]) == count
    assert len(response.context["to_take"]) == count


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 4])
def test_coordinators_front_page_counts_experts_waiting_for_onboarding(
    client, coordinator, django_assert_num_queries, count
):
    for _number in range(count):
        cohort = CohortFactory()
        TrainingSessionFactory(cohort=cohort, starts_in=timedelta(days=-2))
        ExpertProfileFactory(ready_at=None)
    ExpertProfileFactory()  # ready: not waiting
    sign_in(client, coordinator)
    ContentType.objects.get_for_model(TrainingSession)
    # As a trainer's (above: 9), and the count of new experts whose onboarding is not done.
    with django_assert_num_queries(10):
        response = client.get(reverse("trainings:index"))
    assert response.context["onboarding_waiting"] == count
    assert reverse("trainings:onboarding_list") in response.content.decode()


# --- Cohorts ---------------------------------------------------------------------------------------


def cohort_data(coordinator, trainer, **changes):
    today = timezone.localdate()
    data = {
        "programme": ProgrammeFactory().pk,
        "name": "Pälkäneen pilotti",
        "place": "Pälkäneen toimipiste",
        "starts_on": today.isoformat(),
        "ends_on": (today + timedelta(days=60)).strftime("%d.%m.%Y"),
        "status": "planned",
        "coordinator": coordinator.pk,
        "trainers": [trainer.pk],
        "form_key": "k" * 32,
    }
    return {**data, **changes}


@pytest.mark.django_db
def test_a_coordinator_creates_a_cohort(client, coordinator, trainer):
    response = sign_in(client, coordinator).post(reverse("trainings:cohort_create"), cohort_data(coordinator, trainer))
    cohort = Cohort.objects.get()
    assert response.status_code == 302
    assert response.url == cohort.get_absolute_url()
    assert list(cohort.trainers.all()) == [trainer]
    assert cohort.ends_on == timezone.localdate() + timedelta(days=60)


@pytest.mark.django_db
def test_a_double_submitted_cohort_is_created_once(client, coordinator, trainer):
    sign_in(client, coordinator)
    data = cohort_data(coordinator, trainer)
    client.post(reverse("trainings:cohort_create"), data)
    response = client.post(reverse("trainings:cohort_create"), data)
    assert Cohort.objects.count() == 1
    assert response.url == Cohort.objects.get().get_absolute_url()


@pytest.mark.django_db
def test_a_cohort_ending_before_it_starts_is_a_form_error(client, coordinator, trainer):
    data = cohort_data(coordinator, trainer, ends_on=(timezone.localdate() - timedelta(days=1)).isoformat())
    response = sign_in(client, coordinator).post(reverse("trainings:cohort_create"), data)
    assert response.status_code == 200
    assert "The end date must not be before the start date." in response.content.decode()
    assert not Cohort.objects.exists()


@pytest.mark.django_db
def test_a_coordinator_edits_a_cohort(client, coordinator, cohort, trainer):
    data = cohort_data(coordinator, trainer, name="Uusi nimi", programme=cohort.programme_id, status="running")
    response = sign_in(client, coordinator).post(reverse("trainings:cohort_edit", args=[cohort.pk]), data)
    cohort.refresh_from_db()
    assert response.status_code == 302
    assert cohort.name == "Uusi nimi"


@pytest.mark.django_db
def test_cohort_detail_shows_contact_details_to_its_trainer_and_audits_it(client, trainer, cohort):
    participant = ParticipantFactory(cohort=cohort, phone="040 123 4567")
    page = sign_in(client, trainer).get(reverse("trainings:cohort_detail", args=[cohort.pk])).content.decode()
    assert participant.email in page
    event = AuditEvent.objects.get()
    assert (event.actor, event.action, event.fields) == (trainer, "view", ["email", "phone"])
    assert participant.email not in event.what


@pytest.mark.django_db
def test_cohort_detail_links_to_programme_sessions_and_removed_participants(client, coordinator, cohort):
    session = TrainingSessionFactory(cohort=cohort)
    ParticipantFactory(cohort=cohort, name="Poistettu Henkilö", removed_at=timezone.now())
    page = sign_in(client, coordinator).get(reverse("trainings:cohort_detail", args=[cohort.pk])).content.decode()
    assert session.get_absolute_url() in page
    assert "Removed from the cohort" in page
    assert "Poistettu Henkilö" in page


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 5])
def test_cohort_detail_queries_do_not_grow(client, coordinator, cohort, django_assert_num_queries, count):
    for _number in range(count):
        ParticipantFactory(cohort=cohort)
        TrainingSessionFactory(cohort=cohort)
    sign_in(client, coordinator)
    # session, the user with roles, permissions and MFA status; the cohort with programme,
    # municipality and coordinator; partners; trainers; may-manage check; participants; the audit
    # row; sessions with modules; then the idle-timeout session save (savepoint, update, release).
    with django_assert_num_queries(12):
        response = client.get(reverse("trainings:cohort_detail", args=[cohort.pk]))
    assert len(response.context["participants"]) == count


# --- Participants ----------------------------------------------------------------------------------


def participant_data(**changes):
    data = {
        "name": "  Sari   Mäkinen ",
        "email": "Sari.Makinen@Example.fi",
        "phone": "040 765 4321",
        "language": "sv",
        "contact_consent": "on",
        "form_key": "p" * 32,
    }
    return {**data, **changes}


@pytest.mark.django_db
def test_a_trainer_adds_a_participant_with_consent_recorded(client, trainer, cohort):
    response = sign_in(client, trainer).post(
        reverse("trainings:participant_create", args=[cohort.pk]), participant_data()
    )
    participant = Participant.objects.get()
    assert response.status_code == 302
    assert (participant.name, participant.email, participant.language) == (
        "Sari Mäkinen",
        "sari.makinen@example.fi",
        "sv",
    )
    assert participant.contact_consent_at is not None
    assert participant.added_by == trainer


@pytest.mark.django_db
def test_a_double_submitted_participant_is_added_once(client, trainer, cohort):
    sign_in(client, trainer)
    url = reverse("trainings:participant_create", args=[cohort.pk])
    client.post(url, participant_data())
    response = client.post(url, participant_data())
    assert Participant.objects.count() == 1
    assert response.status_code == 302


@pytest.mark.django_db
def test_the_same_email_twice_in_a_cohort_is_a_form_error(client, trainer, cohort):
    ParticipantFactory(cohort=cohort, email="sari.makinen@example.fi")
    response = sign_in(client, trainer).post(
        reverse("trainings:participant_create", args=[cohort.pk]), participant_data(form_key="q" * 32)
    )
    assert response.status_code == 200
    assert "already in the cohort" in response.content.decode()
    assert Participant.objects.count() == 1


@pytest.mark.django_db
def test_consent_without_any_contact_detail_is_a_form_error(client, trainer, cohort):
    response = sign_in(client, trainer).post(
        reverse("trainings:participant_create", args=[cohort.pk]), participant_data(email="", phone="")
    )
    assert response.status_code == 200
    assert not Participant.objects.exists()


@pytest.mark.django_db
def test_a_participant_without_consent_gets_no_reminders(client, trainer, cohort):
    TrainingSessionFactory(cohort=cohort, starts_in=timedelta(days=10))
    sign_in(client, trainer).post(
        reverse("trainings:participant_create", args=[cohort.pk]), participant_data(contact_consent="")
    )
    assert Participant.objects.get().contact_consent_at is None
    assert not Notification.objects.filter(kind=PARTICIPANT_REMINDER).exists()


@pytest.mark.django_db
def test_a_new_participant_gets_reminders_of_coming_sessions(client, trainer, cohort):
    session = TrainingSessionFactory(cohort=cohort, starts_in=timedelta(days=10))
    sign_in(client, trainer).post(reverse("trainings:participant_create", args=[cohort.pk]), participant_data())
    reminder = Notification.objects.get(kind=PARTICIPANT_REMINDER)
    assert (reminder.to_address, reminder.language) == ("sari.makinen@example.fi", "sv")
    assert reminder.due_at == session.starts_at - timedelta(days=2)


@pytest.mark.django_db
def test_withdrawing_consent_cancels_the_reminders(client, trainer, cohort):
    TrainingSessionFactory(cohort=cohort, starts_in=timedelta(days=10))
    sign_in(client, trainer).post(reverse("trainings:participant_create", args=[cohort.pk]), participant_data())
    participant = Participant.objects.get()
    client.post(reverse("trainings:participant_edit", args=[participant.pk]), participant_data(contact_consent=""))
    participant.refresh_from_db()
    assert participant.contact_consent_at is None
    assert Notification.objects.get(kind=PARTICIPANT_REMINDER).status == Status.CANCELLED


@pytest.mark.django_db
def test_removing_a_participant_keeps_their_attendance(client, trainer, cohort):
    participant = ParticipantFactory(cohort=cohort)
    session = TrainingSessionFactory(cohort=cohort, starts_in=timedelta(days=-1))
    Attendance.objects.create(session=session, participant=participant, status="present")
    response = sign_in(client, trainer).post(
        reverse("trainings:participant_remove", args=[participant.pk]), {"note": "Muutti pois"}
    )
    participant.refresh_from_db()
    assert response.status_code == 302
    assert (participant.removed_by, participant.removal_note) == (trainer, "Muutti pois")
    assert Attendance.objects.filter(participant=participant).count() == 1


@pytest.mark.django_db
def test_removing_twice_keeps_the_first_removal(client, trainer, cohort):
    participant = ParticipantFactory(cohort=cohort)
    sign_in(client, trainer)
    url = reverse("trainings:participant_remove", args=[participant.pk])
    client.post(url, {"note": "Ensimmäinen"})
    response = client.post(url, {"note": "Toinen"})
    participant.refresh_from_db()
    assert response.status_code == 302
    assert participant.removal_note == "Ensimmäinen"


@pytest.mark.django_db
def test_a_removed_participant_cannot_be_edited(client, trainer, cohort):
    participant = ParticipantFactory(cohort=cohort, removed_at=timezone.now())
    response = sign_in(client, trainer).get(reverse("trainings:participant_edit", args=[participant.pk]))
    assert response.status_code == 404
