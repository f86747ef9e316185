"""Taking attendance (trainings/views/attendance.py, services.save_attendance): access, one upsert,
late corrections logged, removed participants, a moved session, concurrent double posts."""

import threading
from datetime import datetime, time, timedelta

import pytest
from django.db import close_old_connections
from django.urls import reverse
from django.utils import timezone

from tests.factories import CohortFactory, ParticipantFactory, TrainingSessionFactory, UserFactory
from tests.trainings.clients import sign_in
from trainings import services
from trainings.models import Attendance, AttendanceChange

HELSINKI = timezone.get_default_timezone()


pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def people(cohort):
    return [ParticipantFactory(cohort=cohort) for _number in range(3)]


def today_at(hour: int) -> datetime:
    return datetime.combine(timezone.localdate(), time(hour), HELSINKI)


@pytest.fixture
def session(cohort):
    """A session that ended earlier today: changes to it now are not late."""
    return TrainingSessionFactory(cohort=cohort, starts_at=today_at(0), ends_at=today_at(0) + timedelta(minutes=30))


@pytest.fixture
def old_session(cohort):
    return TrainingSessionFactory(cohort=cohort, starts_in=timedelta(days=-3))


def url(session):
    return reverse("trainings:attendance", args=[session.pk])


def marks(people, *statuses):
    return {f"p{person.pk}": status for person, status in zip(people, statuses, strict=True)}


# --- Access ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_anonymous_is_sent_to_sign_in(client, session):
    response = client.get(url(session))
    assert response.status_code == 302
    assert "login" in response.url


@pytest.mark.django_db
def test_an_expert_is_refused(client, expert, session):
    assert sign_in(client, expert).get(url(session)).status_code == 403


@pytest.mark.django_db
def test_another_trainer_does_not_find_it(client, session):
    other = UserFactory(role="trainer", mfa=True)
    assert sign_in(client, other).get(url(session)).status_code == 404


@pytest.mark.django_db
def test_a_sessions_own_trainer_takes_it(client, session):
    session_trainer = UserFactory(role="trainer", mfa=True)
    session.trainers.add(session_trainer)
    assert sign_in(client, session_trainer).get(url(session)).status_code == 200


@pytest.mark.django_db
def test_a_coordinator_takes_it(client, coordinator, session):
    assert sign_in(client, coordinator).get(url(session)).status_code == 200


# --- Taking ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_one_post_saves_everyones_attendance(client, trainer, session, people):
    response = sign_in(client, trainer).post(url(session), marks(people, "present", "absent", "excused"))
    assert response.status_code == 302
    saved = dict(Attendance.objects.values_list("participant_id", "status"))
    assert saved == {people[0].pk: "present", people[1].pk: "absent", people[2].pk: "excused"}
    assert set(Attendance.objects.values_list("marked_by", flat=True)) == {trainer.pk}


@pytest.mark.django_db
def test_mark_all_present_is_a_plain_submit(client, trainer, session, people):
    sign_in(client, trainer).post(url(session), {"all_present": "1", **marks(people[:1], "absent")})
    assert list(Attendance.objects.values_list("status", flat=True).distinct()) == ["present"]
    assert Attendance.objects.count() == 3


@pytest.mark.django_db
def test_unmarked_people_stay_unmarked(client, trainer, session, people):
    sign_in(client, trainer).post(url(session), marks(people[:1], "present"))
    assert Attendance.objects.count() == 1


@pytest.mark.django_db
def test_a_made_up_status_is_a_form_error(client, trainer, session, people):
    response = sign_in(client, trainer).post(url(session), marks(people[:1], "sleeping"))
    assert response.status_code == 200
    assert not Attendance.objects.exists()


@pytest.mark.django_db
def test_the_form_shows_the_saved_marks(client, trainer, session, people):
    sign_in(client, trainer).post(url(session), marks(people, "present", "absent", "excused"))
    page = client.get(url(session))
    assert page.context["form"][f"p{people[1].pk}"].initial == "absent"
    assert page.context["marked"] == 3


@pytest.mark.django_db
def test_a_double_post_changes_nothing_the_second_time(client, trainer, session, people):
    sign_in(client, trainer)
    client.post(url(session), marks(people, "present", "present", "absent"))
    client.post(url(session), marks(people, "present", "present", "absent"))
    assert Attendance.objects.count() == 3


@pytest.mark.django_db
def test_a_cancelled_session_takes_no_attendance(client, trainer, session, people):
    session.cancelled = True
    session.save()
    response = sign_in(client, trainer).post(url(session), marks(people[:1], "present"))
    assert response.status_code == 302
    assert not Attendance.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 6])
def test_attendance_page_queries_do_not_grow(client, trainer, session, django_assert_num_queries, count):
    for person in [ParticipantFactory(cohort=session.cohort) for _number in range(count)]:
        Attendance.objects.create(session=session, participant=person, status="present")
    sign_in(client, trainer)
    # session, the user with roles, permissions and MFA status; the session with cohort and module
    # (among those the user may take); current participants; their attendance; then the idle-timeout
    # session save (savepoint, update, release).
    with django_assert_num_queries(8):
        response = client.get(url(session))
    assert len(response.context["form"].participants) == count


# --- Edge cases ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_late_change_is_logged(client, trainer, old_session, people):
    Attendance.objects.create(session=old_session, participant=people[0], status="absent")
    sign_in(client, trainer).post(url(old_session), {**marks(people[:1], "present"), "reason": "Sairaslomatodistus"})
    change = AttendanceChange.objects.get()
    assert (change.old_status, change.new_status, change.changed_by) == ("absent", "present", trainer)
    assert change.reason == "Sairaslomatodistus"
    assert Attendance.objects.get().status == "present"


@pytest.mark.django_db
def test_a_late_first_mark_is_not_a_correction(client, trainer, old_session, people):
    sign_in(client, trainer).post(url(old_session), marks(people[:1], "present"))
    assert Attendance.objects.count() == 1
    assert not AttendanceChange.objects.exists()


@pytest.mark.django_db
def test_a_same_day_change_is_not_logged(client, trainer, session, people):
    Attendance.objects.create(session=session, participant=people[0], status="absent")
    sign_in(client, trainer).post(url(session), marks(people[:1], "present"))
    assert Attendance.objects.get().status == "present"
    assert not AttendanceChange.objects.exists()


@pytest.mark.django_db
def test_an_unchanged_late_mark_is_not_logged(client, trainer, old_session, people):
    Attendance.objects.create(session=old_session, participant=people[0], status="absent")
    sign_in(client, trainer).post(url(old_session), marks(people[:1], "absent"))
    assert not AttendanceChange.objects.exists()


@pytest.mark.django_db
def test_a_removed_participant_is_not_listed_and_their_row_is_kept(client, trainer, old_session, people):
    gone = people[2]
    Attendance.objects.create(session=old_session, participant=gone, status="present")
    services.remove_participant(participant=gone, actor=trainer)
    sign_in(client, trainer)
    page = client.get(url(old_session))
    assert gone not in page.context["form"].participants
    assert gone.name not in page.content.decode().split("<form")[1]
    # A crafted post for them changes nothing.
    client.post(url(old_session), marks([gone], "absent"))
    assert Attendance.objects.get(participant=gone).status == "present"
    assert not AttendanceChange.objects.exists()


@pytest.mark.django_db
def test_a_removed_participant_is_not_counted_on_the_session_page(client, trainer, old_session, people):
    for person, status in zip(people, ["present", "present", "absent"], strict=True):
        Attendance.objects.create(session=old_session, participant=person, status=status)
    services.remove_participant(participant=people[2], actor=trainer)
    page = sign_in(client, trainer).get(reverse("trainings:session_detail", args=[old_session.pk]))
    assert page.context["counts"] == {"present": 2, "absent": 0, "excused": 0}
    assert "removed from the cohort" in page.content.decode()


@pytest.mark.django_db
def test_a_session_moved_to_today_takes_changes_without_logging(client, trainer, old_session, people):
    Attendance.objects.create(session=old_session, participant=people[0], status="absent")
    old_session.starts_at, old_session.ends_at = today_at(0), today_at(0) + timedelta(minutes=30)
    old_session.save()
    sign_in(client, trainer).post(url(old_session), marks(people[:1], "present"))
    assert not AttendanceChange.objects.exists()


@pytest.mark.django_db
def test_a_session_moved_to_an_earlier_day_logs_changes(client, trainer, session, people):
    Attendance.objects.create(session=session, participant=people[0], status="absent")
    session.starts_at -= timedelta(days=2)
    session.ends_at -= timedelta(days=2)
    session.save()
    sign_in(client, trainer).post(url(session), marks(people[:1], "excused"))
    assert AttendanceChange.objects.get().new_status == "excused"


@pytest.mark.django_db(transaction=True)
def test_concurrent_double_posts_give_one_row_per_person_and_one_correction(trainer):
    cohort = CohortFactory()
    people = [ParticipantFactory(cohort=cohort) for _number in range(3)]
    session = TrainingSessionFactory(cohort=cohort, starts_in=timedelta(days=-3))
    Attendance.objects.create(session=session, participant=people[0], status="absent")
    wanted = {person.pk: "present" for person in people}
    barrier, errors = threading.Barrier(4), []

    def post():
        try:
            barrier.wait()
            services.save_attendance(session=session, marks=wanted, actor=trainer)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=post) for _number in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Attendance.objects.filter(session=session).count() == 3
    assert AttendanceChange.objects.count() == 1
