"""The feedback round after each session, made with the session and kept right as the cohort and the
session change (trainings/session_feedback.py, through trainings/services.py and its views)."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from feedback.models import Round
from feedback.services import LINK_KIND, create_round
from notifications.models import Notification, Status
from notifications.services import send_notification
from tests.factories import CohortFactory, ParticipantFactory, ProgrammeFactory, UserFactory, seeded_form
from tests.trainings.clients import sign_in
from trainings import services, session_feedback
from trainings.models import TrainingSession

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def cohort(db, trainer):
    """A running cohort of a programme whose sessions are evaluated on the seeded participant form."""
    cohort = CohortFactory(programme=ProgrammeFactory(feedback_template=seeded_form().template))
    cohort.trainers.add(trainer)
    return cohort


def session_data(days: int, start: str = "10:00", end: str = "12:00") -> dict:
    day = timezone.localdate() + timedelta(days=days)
    return {"title": "Kerta", "date": day.isoformat(), "start_time": start, "end_time": end}


def add_session(client, cohort, days: int) -> TrainingSession:
    data = {**session_data(days), "form_key": f"k{days + 50:02d}" + "x" * 30}
    client.post(reverse("trainings:session_create", args=[cohort.pk]), data)
    return TrainingSession.objects.latest("pk")


def move_session(client, session, days: int, **times) -> None:
    client.post(reverse("trainings:session_edit", args=[session.pk]), session_data(days, **times))
    session.refresh_from_db()


def links(status=Status.PENDING):
    return Notification.objects.filter(kind=LINK_KIND, status=status)


def participant_data(participant, **changes) -> dict:
    data = {
        "name": participant.name,
        "email": participant.email,
        "phone": "",
        "language": participant.language,
        "contact_consent": "on" if participant.contact_consent else "",
    }
    return {**data, **changes}


# --- Made with the session ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_new_session_gets_its_round_on_the_programmes_form(client, trainer, cohort):
    session = add_session(sign_in(client, trainer), cohort, 10)
    round_ = Round.objects.get()
    assert round_.target == session
    assert round_.version == seeded_form()
    assert round_.owner == cohort.coordinator
    assert round_.title == f"{cohort.name}: Kerta"
    assert round_.opens_at == session.ends_at
    assert round_.closes_at == session.ends_at + timedelta(days=settings.KP_FEEDBACK_OPEN_DAYS)


@pytest.mark.django_db
def test_the_link_goes_when_the_round_opens_to_contactable_participants_only(client, trainer, cohort):
    swede = ParticipantFactory(cohort=cohort, language="sv")
    ParticipantFactory(cohort=cohort, contact_consent=False)
    ParticipantFactory(cohort=cohort, email="")
    ParticipantFactory(cohort=cohort, removed_at=timezone.now())
    add_session(sign_in(client, trainer), cohort, 10)
    round_ = Round.objects.get()
    link = links().get()
    assert (link.to_address, link.language, link.due_at) == (swede.email, "sv", round_.opens_at)
    assert link.context == {"path": f"/p/{round_.code}/"}


@pytest.mark.django_db
def test_no_round_when_the_programme_has_no_form(client, trainer):
    cohort = CohortFactory()
    cohort.trainers.add(trainer)
    add_session(sign_in(client, trainer), cohort, 10)
    assert not Round.objects.exists()


@pytest.mark.django_db
def test_no_round_on_a_form_taken_out_of_use(client, trainer, cohort):
    cohort.programme.feedback_template.is_active = False
    cohort.programme.feedback_template.save()
    add_session(sign_in(client, trainer), cohort, 10)
    assert not Round.objects.exists()


@pytest.mark.django_db
def test_no_round_for_a_session_entered_after_its_round_would_have_closed(client, trainer, cohort):
    add_session(sign_in(client, trainer), cohort, -(settings.KP_FEEDBACK_OPEN_DAYS + 2))
    assert not Round.objects.exists()


@pytest.mark.django_db
def test_a_session_gets_its_round_once(client, trainer, cohort):
    ParticipantFactory(cohort=cohort)
    session = add_session(sign_in(client, trainer), cohort, 10)
    first = Round.objects.get()
    assert session_feedback.create_session_round(session) == first
    move_session(client, session, 10, start="9:00")  # an edit asks again
    assert Round.objects.count() == 1
    assert links().count() == 1


@pytest.mark.django_db
def test_a_round_started_by_hand_is_not_doubled(trainer, cohort):
    session = TrainingSession.objects.create(
        cohort=cohort,
        title="Kerta",
        starts_at=timezone.now() + timedelta(days=3),
        ends_at=timezone.now() + timedelta(days=3, hours=2),
    )
    by_hand = create_round(
        target=session,
        version=seeded_form(),
        owner=trainer,
        title="Oma kierros",
        opens_at=session.ends_at,
        closes_at=session.ends_at + timedelta(days=3),
    )
    assert session_feedback.create_session_round(session) == by_hand
    assert Round.objects.count() == 1


# --- Participants added, changed, removed ------------------------------------------------------------


@pytest.mark.django_db
def test_a_participant_added_later_gets_the_link(client, trainer, cohort):
    add_session(sign_in(client, trainer), cohort, 10)
    client.post(
        reverse("trainings:participant_create", args=[cohort.pk]),
        {
            "name": "Åsa Lindqvist",
            "email": "asa@example.fi",
            "language": "sv",
            "contact_consent": "on",
            "form_key": "p" * 32,
        },
    )
    link = links().get()
    assert (link.to_address, link.language, link.due_at) == ("asa@example.fi", "sv", Round.objects.get().opens_at)


@pytest.mark.django_db
def test_a_participant_added_after_the_round_opened_gets_no_link(client, trainer, cohort):
    add_session(sign_in(client, trainer), cohort, -2)  # held two days ago: its round is open
    assert Round.objects.get().state() == "open"
    client.post(
        reverse("trainings:participant_create", args=[cohort.pk]),
        {
            "name": "Åsa Lindqvist",
            "email": "asa@example.fi",
            "language": "sv",
            "contact_consent": "on",
            "form_key": "q" * 32,
        },
    )
    assert not links().filter(to_address="asa@example.fi").exists()


@pytest.mark.django_db
def test_a_removed_participant_does_not_get_the_link(client, trainer, cohort):
    staying, leaving = ParticipantFactory(cohort=cohort), ParticipantFactory(cohort=cohort)
    add_session(sign_in(client, trainer), cohort, 10)
    client.post(reverse("trainings:participant_remove", args=[leaving.pk]), {"note": ""})
    assert list(links().values_list("to_address", flat=True)) == [staying.email]
    assert links(Status.CANCELLED).get().to_address == leaving.email


@pytest.mark.django_db
def test_withdrawn_consent_cancels_the_link_and_consent_given_again_restores_it(client, trainer, cohort):
    participant = ParticipantFactory(cohort=cohort)
    add_session(sign_in(client, trainer), cohort, 10)
    url = reverse("trainings:participant_edit", args=[participant.pk])
    client.post(url, participant_data(participant, contact_consent=""))
    assert links(Status.CANCELLED).get().to_address == participant.email
    client.post(url, participant_data(participant, contact_consent="on"))
    assert links().get().to_address == participant.email
    assert Notification.objects.filter(kind=LINK_KIND).count() == 1  # the same row, not a second


@pytest.mark.django_db
def test_a_new_address_and_language_move_the_link(client, trainer, cohort):
    participant = ParticipantFactory(cohort=cohort)
    old = participant.email
    add_session(sign_in(client, trainer), cohort, 10)
    client.post(
        reverse("trainings:participant_edit", args=[participant.pk]),
        participant_data(participant, email="uusi@example.fi", language="sv"),
    )
    link = links().get()
    assert (link.to_address, link.language) == ("uusi@example.fi", "sv")
    assert links(Status.CANCELLED).get().to_address == old


@pytest.mark.django_db
def test_syncing_twice_keeps_one_row_and_a_sent_link_stays_sent(trainer, cohort):
    participant = ParticipantFactory(cohort=cohort)
    session = TrainingSession.objects.create(
        cohort=cohort,
        title="Kerta",
        starts_at=timezone.now() + timedelta(days=3),
        ends_at=timezone.now() + timedelta(days=3, hours=2),
    )
    session_feedback.create_session_round(session)
    session_feedback.sync_participant_links(participant)
    session_feedback.sync_participant_links(participant)
    assert Notification.objects.filter(kind=LINK_KIND).count() == 1
    links().update(status=Status.SENT, sent_at=timezone.now())
    session_feedback.sync_participant_links(participant)
    assert links(Status.SENT).count() == 1
    assert not links().exists()


# --- The session moved or cancelled --------------------------------------------------------------------


@pytest.mark.django_db
def test_a_moved_session_moves_its_round_and_links(client, trainer, cohort):
    ParticipantFactory(cohort=cohort)
    session = add_session(sign_in(client, trainer), cohort, 10)
    move_session(client, session, 17, end="13:30")
    round_ = Round.objects.get()
    assert round_.opens_at == session.ends_at
    assert round_.closes_at == session.ends_at + timedelta(days=settings.KP_FEEDBACK_OPEN_DAYS)
    assert links().get().due_at == session.ends_at


@pytest.mark.django_db
def test_moving_keeps_a_removed_participants_link_cancelled(client, trainer, cohort):
    ParticipantFactory(cohort=cohort)
    leaving = ParticipantFactory(cohort=cohort)
    session = add_session(sign_in(client, trainer), cohort, 10)
    services.remove_participant(participant=leaving, actor=trainer)
    move_session(client, session, 12)
    assert links(Status.CANCELLED).get().to_address == leaving.email
    assert links().count() == 1


@pytest.mark.django_db
def test_moving_keeps_the_link_to_an_old_address_cancelled(client, trainer, cohort):
    participant = ParticipantFactory(cohort=cohort)
    old = participant.email
    session = add_session(sign_in(client, trainer), cohort, 10)
    client.post(
        reverse("trainings:participant_edit", args=[participant.pk]),
        participant_data(participant, email="uusi@example.fi"),
    )
    move_session(client, session, 12)
    assert links(Status.CANCELLED).get().to_address == old
    assert links().get().to_address == "uusi@example.fi"


@pytest.mark.django_db
def test_a_postponed_round_does_not_send_again_to_someone_removed_since(client, trainer, cohort):
    staying, leaving = ParticipantFactory(cohort=cohort), ParticipantFactory(cohort=cohort)
    session = add_session(sign_in(client, trainer), cohort, -1)
    links().update(status=Status.SENT, sent_at=timezone.now())
    services.remove_participant(participant=leaving, actor=trainer)
    move_session(client, session, 6)
    assert list(links().values_list("to_address", flat=True)) == [staying.email]
    assert links(Status.CANCELLED).get().to_address == leaving.email


@pytest.mark.django_db
def test_a_round_with_answers_stays_when_the_session_moves(client, trainer, cohort):
    session = add_session(sign_in(client, trainer), cohort, -1)
    round_ = Round.objects.get()
    round_.answers.create(answered_on=timezone.localdate())
    opens_at = round_.opens_at
    move_session(client, session, -1, end="13:00")
    round_.refresh_from_db()
    assert round_.opens_at == opens_at


@pytest.mark.django_db
def test_an_opened_round_without_answers_moves_and_its_link_goes_again(client, trainer, cohort):
    ParticipantFactory(cohort=cohort)
    session = add_session(sign_in(client, trainer), cohort, -1)  # postponed after the day
    links().update(status=Status.SENT, sent_at=timezone.now())
    move_session(client, session, 6)
    link = Notification.objects.get(kind=LINK_KIND)
    assert (link.status, link.due_at) == (Status.PENDING, session.ends_at)
    assert Round.objects.get().state() == "future"


@pytest.mark.django_db
def test_a_cancelled_session_takes_its_unanswered_round_with_it(client, trainer, cohort):
    ParticipantFactory(cohort=cohort)
    session = add_session(sign_in(client, trainer), cohort, 10)
    client.post(reverse("trainings:session_cancel", args=[session.pk]))
    assert not Round.objects.exists()
    assert not Notification.objects.filter(kind__startswith="feedback.", status=Status.PENDING).exists()
    assert links(Status.CANCELLED).count() == 1


@pytest.mark.django_db
def test_a_cancelled_session_keeps_a_round_with_answers_but_sends_no_more_links(client, trainer, cohort):
    ParticipantFactory(cohort=cohort)
    session = add_session(sign_in(client, trainer), cohort, -1)
    round_ = Round.objects.get()
    round_.answers.create(answered_on=timezone.localdate())
    client.post(reverse("trainings:session_cancel", args=[session.pk]))
    assert Round.objects.get() == round_
    assert not links().exists()


@pytest.mark.django_db
def test_a_cancelled_sessions_kept_round_gets_no_links_for_new_participants(client, trainer, cohort):
    session = add_session(sign_in(client, trainer), cohort, -1)
    Round.objects.get().answers.create(answered_on=timezone.localdate())
    client.post(reverse("trainings:session_cancel", args=[session.pk]))
    # Even if its times were later set ahead by hand on feedback's page.
    Round.objects.update(opens_at=timezone.now() + timedelta(days=1), closes_at=timezone.now() + timedelta(days=2))
    session_feedback.sync_participant_links(ParticipantFactory(cohort=cohort))
    assert not links().exists()


# --- The link itself ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_sent_link_opens_the_form(client, trainer, cohort, mailoutbox):
    participant = ParticipantFactory(cohort=cohort)
    add_session(sign_in(client, trainer), cohort, -1)  # held yesterday: its link is due
    link = links().get()
    Notification.objects.filter(pk=link.pk).update(status=Status.SENDING)
    assert send_notification(notification_id=link.pk, claim_token="") == "sent"
    code = Round.objects.get().code
    assert mailoutbox[0].to == [participant.email]
    assert f"{settings.SITE_URL}/p/{code}/" in mailoutbox[0].body
    assert client.get(f"/p/{code}/").status_code == 200


# --- The session page ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_session_page_shows_its_round_instead_of_the_start_link(client, trainer, cohort):
    session = add_session(sign_in(client, trainer), cohort, 10)
    round_ = Round.objects.get()
    response = client.get(reverse("trainings:session_detail", args=[session.pk]))
    page = response.content.decode()
    assert round_.code in page and round_.get_absolute_url() in page
    assert "opens " in page and "0 answers" in page
    assert response.context["feedback_url"] is None
    assert "Collect feedback" not in page


@pytest.mark.django_db
def test_the_session_page_tells_an_open_round_and_its_answers(client, trainer, cohort):
    session = add_session(sign_in(client, trainer), cohort, -1)
    Round.objects.get().answers.create(answered_on=timezone.localdate())
    page = client.get(reverse("trainings:session_detail", args=[session.pk])).content.decode()
    assert "open now" in page and "1 answer" in page


@pytest.mark.django_db
def test_a_trainer_of_another_session_sees_the_code_but_no_link_to_the_results(client, trainer, cohort):
    session = add_session(sign_in(client, trainer), cohort, 10)
    other = UserFactory(role="trainer", mfa=True)
    TrainingSession.objects.create(
        cohort=cohort, title="Toinen", starts_at=session.starts_at, ends_at=session.ends_at
    ).trainers.add(other)
    round_ = Round.objects.get()
    page = sign_in(client, other).get(reverse("trainings:session_detail", args=[session.pk])).content.decode()
    assert round_.code in page
    assert round_.get_absolute_url() not in page
