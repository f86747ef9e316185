"""A participant's own trainings page (/valmennukset/omat/): their cohorts with an account, sessions
ahead and materials; nobody else's."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import (
    CohortFactory,
    ExpertProfileFactory,
    ParticipantFactory,
    TrainingSessionFactory,
)
from trainings.models import Material

URL = reverse("trainings:my_trainings")


@pytest.fixture
def expert(db):
    return ExpertProfileFactory().user


def link(cohort, title="Diat") -> Material:
    return Material.objects.create(programme=cohort.programme, title=title, url="https://example.fi/diat")


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_a_participant_sees_their_cohort_sessions_ahead_and_materials(client, expert):
    cohort = CohortFactory()
    ParticipantFactory(cohort=cohort, user=expert, name="Tiina Laaksonen")
    ahead = TrainingSessionFactory(cohort=cohort, title="Oma tarina", starts_in=timedelta(days=2))
    TrainingSessionFactory(cohort=cohort, title="Mennyt kerta", starts_in=timedelta(days=-7))
    TrainingSessionFactory(cohort=cohort, title="Peruttu kerta", starts_in=timedelta(days=3), cancelled=True)
    material = link(cohort, "Valmennuksen diat")
    client.force_login(expert)
    html = client.get(URL).content.decode()
    assert cohort.name in html and ahead.title in html
    assert "Mennyt kerta" not in html and "Peruttu kerta" not in html
    assert reverse("trainings:material_download", args=[material.pk]) in html


def test_other_cohorts_and_a_removal_are_not_shown(client, expert):
    mine = CohortFactory(name="Oma ryhmä")
    ParticipantFactory(cohort=mine, user=expert, removed_at=timezone.now())
    other = CohortFactory(name="Toisen ryhmä")
    ParticipantFactory(cohort=other)
    link(other, "Toisen materiaali")
    client.force_login(expert)
    response = client.get(URL)
    html = response.content.decode()
    assert response.context["rows"] == []
    assert "Oma ryhmä" not in html and "Toisen ryhmä" not in html and "Toisen materiaali" not in html


def test_a_completed_participant_sees_the_certificate_number(client, expert):
    participant = ParticipantFactory(user=expert, completed_on=timezone.localdate(), certificate_number="KK-2026-0007")
    client.force_login(expert)
    assert "KK-2026-0007" in client.get(URL).content.decode()
    assert participant.cohort.name in client.get(URL).content.decode()


@pytest.mark.parametrize("count", [1, 3])
def test_queries_do_not_grow_with_participations(client, expert, django_assert_num_queries, count):
    for _n in range(count):
        cohort = CohortFactory()
        ParticipantFactory(cohort=cohort, user=expert)
        TrainingSessionFactory(cohort=cohort)
        link(cohort)
    client.force_login(expert)
    client.get(URL)  # the session's renewal falls in the first request
    # session, the user with roles and permissions; participations with cohort and programme;
    # their sessions ahead with module; their materials with module.
    with django_assert_num_queries(5):
        response = client.get(URL)
    assert len(response.context["rows"]) == count
