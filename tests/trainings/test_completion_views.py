"""The completion list: figures, recording completions (numbers, double submit), undoing one."""

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent
from tests.factories import CohortFactory, UserFactory
from trainings.completion import cohort_statuses, record_completions
from trainings.models import Participant

from ._completion_setup import finished_cohort


@pytest.fixture
def setup(db):
    return finished_cohort()


@pytest.fixture
def cohort(setup):
    return setup[0]


@pytest.fixture
def people(setup):
    return setup[1]


def url(cohort):
    return reverse("trainings:cohort_completion", args=[cohort.pk])


@pytest.fixture
def coordinator_client(client, cohort):
    client.force_login(cohort.coordinator)
    client.cookies["kp_language"] = "en"
    return client


def test_statuses_follow_the_rules(cohort, people):
    by_name = {s.participant.name.split()[0]: s for s in cohort_statuses(cohort)}
    assert set(by_name) == {"Sari", "Jari", "Åsa"}  # Eeva was removed
    assert (by_name["Jari"].attended, by_name["Jari"].held, by_name["Jari"].eligible) == (4, 5, True)
    assert (by_name["Åsa"].attended, by_name["Åsa"].eligible) == (3, False)
    assert by_name["Sari"].eligible


def test_anonymous_is_sent_to_sign_in(client, cohort):
    response = client.get(url(cohort))
    assert response.status_code == 302 and "/login/" in response.url


def test_an_expert_is_refused(client, cohort):
    client.force_login(UserFactory(role="expert"))
    assert client.get(url(cohort)).status_code == 403


def test_another_cohorts_trainer_gets_404(client, cohort):
    CohortFactory().trainers.add(other := UserFactory(role="trainer", mfa=True))
    client.force_login(other)
    assert client.get(url(cohort)).status_code == 404


def test_the_cohorts_trainer_sees_the_list_but_cannot_record(client, cohort, people):
    cohort.trainers.add(trainer := UserFactory(role="trainer", mfa=True))
    client.force_login(trainer)
    assert client.get(url(cohort)).status_code == 200
    assert client.post(url(cohort), {"participants": [people["Sari"].pk]}).status_code == 403
    assert not Participant.objects.filter(completed_on__isnull=False).exists()


def test_the_list_shows_the_figures(coordinator_client, cohort):
    content = coordinator_client.get(url(cohort)).content.decode()
    assert "4 of 5 (80 %)" in content
    assert "3 of 5 (60 %)" in content
    assert "Eeva" not in content


def test_recording_completion_sets_date_recorder_and_numbers(coordinator_client, cohort, people):
    response = coordinator_client.post(url(cohort), {"participants": [people["Sari"].pk, people["Jari"].pk]})
    assert response.status_code == 302 and response.url == url(cohort)
    year = timezone.localdate().year
    sari, jari = (Participant.objects.get(pk=people[name].pk) for name in ("Sari", "Jari"))
    assert sari.completed_on == timezone.localdate() and sari.completed_by == cohort.coordinator
    assert {sari.certificate_number, jari.certificate_number} == {f"KK-{year}-0001", f"KK-{year}-0002"}


def test_a_double_submit_changes_nothing_the_second_time(coordinator_client, cohort, people):
    coordinator_client.post(url(cohort), {"participants": [people["Sari"].pk]})
    before = Participant.objects.get(pk=people["Sari"].pk)
    response = coordinator_client.post(url(cohort), {"participants": [people["Sari"].pk]})
    after = Participant.objects.get(pk=people["Sari"].pk)
    assert response.status_code == 200  # the box is no longer offered: a form error, not a second row
    assert "Select a valid choice" in response.content.decode()
    assert (after.certificate_number, after.completed_on) == (before.certificate_number, before.completed_on)


def test_the_service_skips_the_already_completed_and_the_ineligible(cohort, people):
    assert len(record_completions(cohort=cohort, participant_ids=[people["Sari"].pk], by=cohort.coordinator)) == 1
    done = record_completions(
        cohort=cohort, participant_ids=[people["Sari"].pk, people["Åsa"].pk], by=cohort.coordinator
    )
    assert done == []
    assert Participant.objects.get(pk=people["Åsa"].pk).completed_on is None


def test_an_ineligible_participant_cannot_be_posted(coordinator_client, cohort, people):
    response = coordinator_client.post(url(cohort), {"participants": [people["Åsa"].pk]})
    assert response.status_code == 200
    assert Participant.objects.get(pk=people["Åsa"].pk).completed_on is None


def test_nothing_chosen_is_a_form_error(coordinator_client, cohort):
    response = coordinator_client.post(url(cohort), {})
    assert "Choose at least one participant." in response.content.decode()


def test_numbers_continue_after_the_highest_in_the_cohort(cohort, people):
    Participant.objects.filter(pk=people["Åsa"].pk).update(certificate_number="KK-2025-0007")
    record_completions(cohort=cohort, participant_ids=[people["Sari"].pk], by=cohort.coordinator)
    number = Participant.objects.get(pk=people["Sari"].pk).certificate_number
    assert number.endswith("-0008")


def undo(client, cohort, participant, reason="Kirjattu väärälle henkilölle"):
    return client.post(reverse("trainings:completion_undo", args=[cohort.pk, participant.pk]), {"reason": reason})


def test_undo_clears_the_completion_and_logs_the_reason(coordinator_client, cohort, people):
    record_completions(cohort=cohort, participant_ids=[people["Sari"].pk], by=cohort.coordinator)
    assert undo(coordinator_client, cohort, people["Sari"]).status_code == 302
    sari = Participant.objects.get(pk=people["Sari"].pk)
    assert sari.completed_on is None and sari.completed_by is None
    entry = LogEntry.objects.get(object_id=str(sari.pk))
    assert "Kirjattu väärälle henkilölle" in entry.change_message and entry.user == cohort.coordinator


def test_completing_again_after_undo_keeps_the_number(coordinator_client, cohort, people):
    record_completions(cohort=cohort, participant_ids=[people["Sari"].pk], by=cohort.coordinator)
    number = Participant.objects.get(pk=people["Sari"].pk).certificate_number
    undo(coordinator_client, cohort, people["Sari"])
    record_completions(cohort=cohort, participant_ids=[people["Sari"].pk], by=cohort.coordinator)
    assert Participant.objects.get(pk=people["Sari"].pk).certificate_number == number


def test_undo_without_a_reason_is_a_form_error(coordinator_client, cohort, people):
    record_completions(cohort=cohort, participant_ids=[people["Sari"].pk], by=cohort.coordinator)
    response = undo(coordinator_client, cohort, people["Sari"], reason="")
    assert response.status_code == 200
    assert "Give the reason." in response.content.decode()
    assert Participant.objects.get(pk=people["Sari"].pk).completed_on is not None


def test_a_trainer_cannot_undo(client, cohort, people):
    record_completions(cohort=cohort, participant_ids=[people["Sari"].pk], by=cohort.coordinator)
    cohort.trainers.add(trainer := UserFactory(role="trainer", mfa=True))
    client.force_login(trainer)
    assert undo(client, cohort, people["Sari"]).status_code == 403
    assert Participant.objects.get(pk=people["Sari"].pk).completed_on is not None


def test_viewing_the_list_audits_participants_with_an_account(coordinator_client, cohort, people):
    account = UserFactory()
    Participant.objects.filter(pk=people["Jari"].pk).update(user=account)
    coordinator_client.get(url(cohort))
    event = AuditEvent.objects.get(subject=account)
    assert (event.action, event.what, event.actor) == ("view", "training participant", cohort.coordinator)


def test_completion_list_queries(coordinator_client, cohort, people, django_assert_num_queries):
    Participant.objects.filter(pk=people["Jari"].pk).update(user=UserFactory())
    coordinator_client.get(url(cohort))
    # session; the user with roles and permissions; the cohort with programme and coordinator;
    # participants with their invitations, sessions, required modules, present marks
    # (cohort_statuses); the audit insert.
    with django_assert_num_queries(8):
        assert coordinator_client.get(url(cohort)).status_code == 200
