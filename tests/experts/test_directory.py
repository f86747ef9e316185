"""The public directory: off unless the county turns it on; public details of consenting experts only."""

import pytest
from django.urls import reverse

from accounts.models import AuditAction, AuditEvent
from experts.models import ExpertProfile, ProfileStatus
from tests.factories import ExpertProfileFactory

URL = reverse("experts:directory")


@pytest.fixture
def directory_on(settings):
    settings.KP_PUBLIC_DIRECTORY = True


def public_profile(**kwargs):
    return ExpertProfileFactory(is_public=True, visibility={"bio": "public", "languages": "public"}, **kwargs)


def names(response) -> list[str]:
    return [card.profile.display_name for card in response.context["cards"]]


@pytest.mark.django_db
def test_the_directory_is_404_until_turned_on(client):
    public_profile()
    assert client.get(URL).status_code == 404


@pytest.mark.django_db
def test_the_directory_needs_no_sign_in(client, directory_on):
    public_profile(display_name="Aino")
    response = client.get(URL)
    assert response.status_code == 200
    assert names(response) == ["Aino"]


@pytest.mark.django_db
def test_only_listed_active_experts_who_chose_the_directory_appear(client, directory_on):
    public_profile(display_name="Mukana")
    ExpertProfileFactory(display_name="Ei valinnut", is_public=False)
    public_profile(display_name="Ei suostumusta", consent=False)
    public_profile(display_name="Tauolla", status=ProfileStatus.PAUSED)
    public_profile(display_name="Lopettanut", status=ProfileStatus.LEFT)
    assert names(client.get(URL)) == ["Mukana"]


@pytest.mark.django_db
def test_only_public_fields_are_shown(client, directory_on):
    public_profile(
        bio="Julkinen esittely",
        languages=["ruotsi"],
        municipalities=["lahti"],
        experiences=[("masennus", "own")],
    )
    page = client.get(URL).content.decode()
    assert "Julkinen esittely" in page
    assert "Ruotsi" in page
    assert "Lahti" not in page  # municipalities are for coordinators only (the default)
    assert "Masennus" not in page


@pytest.mark.django_db
def test_health_details_stay_hidden_even_if_marked_public(client, directory_on):
    # The form never offers "public" for them, and a stored value is read as "all staff".
    profile = public_profile(experiences=[("masennus", "own")], accessibility_needs="Tarvitsen tulkin")
    ExpertProfile.objects.filter(pk=profile.pk).update(
        visibility={"experience": "public", "accessibility_needs": "public", "bio": "public"}
    )
    page = client.get(URL).content.decode()
    assert "Masennus" not in page
    assert "Tarvitsen tulkin" not in page


@pytest.mark.django_db
def test_viewing_the_directory_is_not_audited(client, directory_on):
    public_profile()
    client.get(URL)
    assert not AuditEvent.objects.filter(action=AuditAction.VIEW).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("count", [3, 30])
def test_directory_queries_do_not_grow_with_experts(client, directory_on, django_assert_num_queries, count):
    for _n in range(count):
        public_profile(task_types=["luento"], languages=["suomi"], municipalities=["lahti"])
    # Count (listed: the current consent version is a subquery); the page of profiles with
    # organisations; task types, languages, municipalities (prefetch). No experiences: they are never
    # public, so not even read.
    with django_assert_num_queries(5):
        response = client.get(URL)
    assert len(response.context["cards"]) == min(count, 25)
