"""The print-ready certificate of a completed participant."""

import pytest
from django.urls import reverse

from accounts.models import AuditEvent
from tests.factories import CohortFactory, UserFactory
from trainings.completion import record_completions
from trainings.models import Module, Participant

from ._completion_setup import finished_cohort


@pytest.fixture
def setup(db):
    cohort, people = finished_cohort()
    record_completions(cohort=cohort, participant_ids=[people["Jari"].pk], by=cohort.coordinator)
    return cohort, people


@pytest.fixture
def cohort(setup):
    return setup[0]


@pytest.fixture
def jari(setup):
    return Participant.objects.get(pk=setup[1]["Jari"].pk)


def url(participant, query=""):
    return reverse("trainings:certificate", args=[participant.cohort_id, participant.pk]) + query


@pytest.fixture
def coordinator_client(client, cohort):
    client.force_login(cohort.coordinator)
    return client


def test_anonymous_is_sent_to_sign_in(client, jari):
    response = client.get(url(jari))
    assert response.status_code == 302 and "/login/" in response.url


def test_an_expert_is_refused(client, jari):
    client.force_login(UserFactory(role="expert"))
    assert client.get(url(jari)).status_code == 403


def test_another_cohorts_trainer_gets_404(client, jari):
    CohortFactory().trainers.add(other := UserFactory(role="trainer", mfa=True))
    client.force_login(other)
    assert client.get(url(jari)).status_code == 404


def test_the_cohorts_trainer_may_print_it(client, cohort, jari):
    cohort.trainers.add(trainer := UserFactory(role="trainer", mfa=True))
    client.force_login(trainer)
    assert client.get(url(jari)).status_code == 200


def test_there_is_none_for_someone_not_completed(coordinator_client, setup):
    assert coordinator_client.get(url(setup[1]["Sari"])).status_code == 404


def test_the_certificate_says_who_what_when_and_its_number(coordinator_client, cohort, jari):
    content = coordinator_client.get(url(jari)).content.decode()
    assert "Jari Testinen" in content
    assert cohort.programme.name in content and cohort.name in content and cohort.place in content
    assert jari.certificate_number in content
    assert jari.completed_on.strftime("%-d.%-m.%Y") in content
    assert cohort.coordinator.get_full_name() in content
    assert "Hyvinvointialue" in content or "Wellbeing services county" in content  # the default organiser


def test_it_lists_the_modules_attended_with_hours(coordinator_client, cohort, jari):
    content = coordinator_client.get(url(jari)).content.decode()
    for module in Module.objects.filter(programme=cohort.programme):
        assert module.name in content
    assert '<td class="number">3</td>' in content


def test_bilingual_in_finnish_and_swedish(coordinator_client, cohort, jari):
    module = cohort.programme.modules.get(order=1)
    module.name_sv = "Min berättelse som resurs"
    module.save(update_fields=["name_sv"])
    content = coordinator_client.get(url(jari, "?kielet=fi,sv")).content.decode()
    assert 'lang="fi"' in content and 'lang="sv"' in content
    assert f"{module.name_fi} / Min berättelse som resurs" in content
    assert "Koordinaattori / Koordinator" in content


def test_unknown_languages_in_the_query_are_ignored(coordinator_client, jari):
    assert coordinator_client.get(url(jari, "?kielet=xx,<b>")).status_code == 200


def test_the_organiser_comes_from_settings_when_given(coordinator_client, jari, settings):
    settings.KP_ORGANISER_NAME = "Pirkanmaan hyvinvointialue"
    assert "Pirkanmaan hyvinvointialue" in coordinator_client.get(url(jari)).content.decode()


def test_the_page_has_its_print_stylesheet(coordinator_client, jari):
    assert "css/certificate.css" in coordinator_client.get(url(jari)).content.decode()


def test_viewing_a_certificate_of_someone_with_an_account_is_audited(coordinator_client, cohort, jari):
    Participant.objects.filter(pk=jari.pk).update(user=(account := UserFactory()))
    coordinator_client.get(url(jari))
    assert AuditEvent.objects.get(subject=account).what == "training certificate"


def test_certificate_queries(coordinator_client, jari, django_assert_num_queries):
    coordinator_client.get(url(jari))
    # session; the user with roles and permissions; the cohort with programme and coordinator; the
    # participant; the modules attended.
    with django_assert_num_queries(5):
        assert coordinator_client.get(url(jari)).status_code == 200
