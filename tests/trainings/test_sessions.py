"""Sessions: adding, editing (moving), cancelling, the session page, and booking an expert trainer
through bookings (trainings/views/cohorts.py, trainings/services.py)."""

from datetime import datetime, time, timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from bookings.models import Assignment, Booking, BookingStatus
from tests.factories import (
    ExpertProfileFactory,
    ParticipantFactory,
    ProgrammeFactory,
    RoundFactory,
    TrainingSessionFactory,
    UserFactory,
    seeded_form,
)
from tests.trainings.clients import sign_in
from trainings.models import AttendanceChange, TrainingSession

HELSINKI = timezone.get_default_timezone()


pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def session(cohort):
    return TrainingSessionFactory(cohort=cohort, starts_in=timedelta(days=10))


def session_data(day, **changes):
    data = {
        "title": "Oma tarina voimavarana",
        "date": day.strftime("%d.%m.%Y"),
        "start_time": "9.30",
        "end_time": "12.00",
        "place": "Pälkäneen kirjasto",
        "form_key": "s" * 32,
    }
    return {**data, **changes}


# --- Access ----------------------------------------------------------------------------------------

SESSION_PAGES = ["trainings:session_detail", "trainings:session_edit", "trainings:session_cancel"]


@pytest.mark.django_db
@pytest.mark.parametrize("name", SESSION_PAGES)
def test_anonymous_is_sent_to_sign_in(client, session, name):
    response = client.get(reverse(name, args=[session.pk]))
    assert response.status_code == 302
    assert "login" in response.url


@pytest.mark.django_db
@pytest.mark.parametrize("name", [*SESSION_PAGES, "trainings:session_book_trainer"])
def test_an_expert_is_refused(client, expert, session, name):
    assert sign_in(client, expert).get(reverse(name, args=[session.pk])).status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("name", SESSION_PAGES)
def test_another_trainer_does_not_find_the_session(client, session, name):
    other = UserFactory(role="trainer", mfa=True)
    assert sign_in(client, other).get(reverse(name, args=[session.pk])).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("name", [*SESSION_PAGES, "trainings:session_book_trainer"])
def test_a_coordinator_opens_every_session_page(client, coordinator, session, name):
    assert sign_in(client, coordinator).get(reverse(name, args=[session.pk])).status_code == 200


@pytest.mark.django_db
def test_a_session_trainer_sees_but_does_not_edit(client, session):
    session_trainer = UserFactory(role="trainer", mfa=True)
    session.trainers.add(session_trainer)
    sign_in(client, session_trainer)
    assert client.get(reverse("trainings:session_detail", args=[session.pk])).status_code == 200
    assert client.get(reverse("trainings:session_edit", args=[session.pk])).status_code == 404


@pytest.mark.django_db
def test_a_trainer_may_not_book_paid_trainers(client, trainer, session):
    assert sign_in(client, trainer).get(reverse("trainings:session_book_trainer", args=[session.pk])).status_code == 403


# --- Adding, moving, cancelling --------------------------------------------------------------------


@pytest.mark.django_db
def test_a_trainer_adds_a_session_in_helsinki_time(client, trainer, cohort):
    day = timezone.localdate() + timedelta(days=14)
    response = sign_in(client, trainer).post(
        reverse("trainings:session_create", args=[cohort.pk]), session_data(day, trainers=[trainer.pk])
    )
    session = TrainingSession.objects.get()
    assert response.url == session.get_absolute_url()
    assert session.starts_at == datetime.combine(day, time(9, 30), HELSINKI)
    assert list(session.trainers.all()) == [trainer]


@pytest.mark.django_db
def test_a_double_submitted_session_is_added_once(client, trainer, cohort):
    sign_in(client, trainer)
    data = session_data(timezone.localdate() + timedelta(days=14))
    client.post(reverse("trainings:session_create", args=[cohort.pk]), data)
    client.post(reverse("trainings:session_create", args=[cohort.pk]), data)
    assert TrainingSession.objects.count() == 1


@pytest.mark.django_db
def test_a_session_ending_before_it_starts_is_a_form_error(client, trainer, cohort):
    data = session_data(timezone.localdate() + timedelta(days=14), end_time="8.00")
    response = sign_in(client, trainer).post(reverse("trainings:session_create", args=[cohort.pk]), data)
    assert response.status_code == 200
    assert "The end time must be after the start time." in response.content.decode()
    assert not TrainingSession.objects.exists()


@pytest.mark.django_db
def test_a_module_of_another_programme_is_refused(client, trainer, cohort):
    from tests.factories import ModuleFactory

    foreign = ModuleFactory(programme=ProgrammeFactory())
    data = session_data(timezone.localdate() + timedelta(days=14), module=foreign.pk)
    response = sign_in(client, trainer).post(reverse("trainings:session_create", args=[cohort.pk]), data)
    assert response.status_code == 200
    assert not TrainingSession.objects.exists()


@pytest.mark.django_db
def test_moving_a_session_changes_its_time(client, trainer, session):
    day = timezone.localdate() + timedelta(days=20)
    response = sign_in(client, trainer).post(reverse("trainings:session_edit", args=[session.pk]), session_data(day))
    session.refresh_from_db()
    assert response.status_code == 302
    assert timezone.localtime(session.starts_at).date() == day


@pytest.mark.django_db
def test_cancelling_a_session(client, trainer, session):
    response = sign_in(client, trainer).post(reverse("trainings:session_cancel", args=[session.pk]))
    session.refresh_from_db()
    assert response.status_code == 302
    assert session.cancelled


# --- The session page ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_session_page_links_to_feedback_on_the_programmes_form(client, trainer, session):
    template = seeded_form().template
    session.cohort.programme.feedback_template = template
    session.cohort.programme.save()
    page = sign_in(client, trainer).get(reverse("trainings:session_detail", args=[session.pk])).content.decode()
    type_id = ContentType.objects.get_for_model(TrainingSession).pk
    assert f"{reverse('feedback:create', args=[type_id, session.pk])}?template={template.pk}" in page


@pytest.mark.django_db
def test_feedbacks_round_page_starts_on_the_programmes_form(client, trainer, session):
    template = seeded_form("staff").template
    type_id = ContentType.objects.get_for_model(TrainingSession).pk
    url = reverse("feedback:create", args=[type_id, session.pk])
    response = sign_in(client, trainer).get(url, {"template": template.pk})
    assert response.status_code == 200
    assert response.context["form"].initial["template"] == template


@pytest.mark.django_db
def test_session_page_shows_rounds_and_corrections(client, trainer, session):
    round_ = RoundFactory(target=session, owner=trainer)
    participant = ParticipantFactory(cohort=session.cohort)
    attendance = session.attendance.create(participant=participant, status="present")
    AttendanceChange.objects.create(
        attendance=attendance, old_status="absent", new_status="present", changed_by=trainer
    )
    page = sign_in(client, trainer).get(reverse("trainings:session_detail", args=[session.pk])).content.decode()
    assert round_.code in page
    assert "Corrections after the session's day" in page
    assert "Absent → Present" in page


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 5])
def test_session_page_queries_do_not_grow(client, coordinator, session, django_assert_num_queries, count):
    for _number in range(count):
        participant = ParticipantFactory(cohort=session.cohort)
        attendance = session.attendance.create(participant=participant, status="present")
        AttendanceChange.objects.create(attendance=attendance, new_status="present", changed_by=coordinator)
        RoundFactory(target=session, owner=coordinator)
    sign_in(client, coordinator)
    ContentType.objects.get_for_model(TrainingSession)  # cached for the process, as in a running site
    # session, the user with roles, permissions and MFA status; the session with cohort, programme
    # and module; its trainers; may-manage check; attendance with participants; current
    # participants' count; may-take check; corrections; feedback rounds with their answer counts
    # (one query, however many rounds; open/closed from their times); for a coordinator the
    # bookings for the session, whether the session names its own trainers, and their expert
    # profiles (content types cached); then the idle-timeout session save (savepoint, update, release).
    with django_assert_num_queries(16):
        response = client.get(reverse("trainings:session_detail", args=[session.pk]))
    assert len(response.context["attendance"]) == count


# --- Booking an expert trainer ---------------------------------------------------------------------


@pytest.fixture
def expert_trainer(session):
    profile = ExpertProfileFactory(ready_at=timezone.now())
    session.trainers.add(profile.user)
    return profile


def booking_data(profile, **changes):
    from experts.models import TaskType
    from tests.factories import _tariff

    data = {"expert": profile.pk, "tariff": _tariff("hourly").pk, "unit": "Sosiaalinen kuntoutus"}
    return {**data, "task_type": TaskType.objects.get(slug="koulutus").pk, **changes}


@pytest.mark.django_db
def test_booking_an_expert_trainer_invites_them_through_bookings(client, coordinator, session, expert_trainer):
    sign_in(client, coordinator)
    page = client.get(reverse("trainings:session_book_trainer", args=[session.pk]))
    data = booking_data(expert_trainer, task_type=page.context["form"].initial["task_type"])
    response = client.post(reverse("trainings:session_book_trainer", args=[session.pk]), data)
    assignment = Assignment.objects.for_purpose(session).get()
    assert response.status_code == 302
    assert (assignment.starts_at, assignment.ends_at) == (session.starts_at, session.ends_at)
    assert assignment.contact_person == session.cohort.coordinator
    assert Booking.objects.get().expert == expert_trainer
    assert Booking.objects.get().status == BookingStatus.INVITED


@pytest.mark.django_db
def test_booking_the_same_trainer_twice_makes_one_booking(client, coordinator, session, expert_trainer):
    from trainings import services
    from trainings.forms_cohorts import BookTrainerForm

    for _attempt in range(2):
        data = booking_data(expert_trainer)
        form = BookTrainerForm(data, experts=[expert_trainer])
        assert form.is_valid(), form.errors
        services.book_expert_trainer(session=session, form=form, actor=coordinator)
    assert Assignment.objects.for_purpose(session).count() == 1
    assert Booking.objects.count() == 1


@pytest.mark.django_db
def test_an_unbookable_expert_leaves_no_assignment_behind(client, coordinator, session):
    profile = ExpertProfileFactory(consent=False)
    session.trainers.add(profile.user)
    sign_in(client, coordinator)
    data = booking_data(profile)
    response = client.post(reverse("trainings:session_book_trainer", args=[session.pk]), data, follow=True)
    assert response.status_code == 200
    assert not Assignment.objects.exists()
    assert [m.level_tag for m in response.context["messages"]] == ["error"]


@pytest.mark.django_db
def test_session_page_shows_the_trainers_booking_to_coordinators(client, coordinator, session, expert_trainer):
    sign_in(client, coordinator)
    client.post(reverse("trainings:session_book_trainer", args=[session.pk]), booking_data(expert_trainer))
    page = client.get(reverse("trainings:session_detail", args=[session.pk]))
    assert page.context["expert_trainers"][0][1] == Booking.objects.get()
