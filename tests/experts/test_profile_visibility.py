"""Who sees what: defaults, health-related details never public, and previews that show exactly that."""

import pytest
from django.urls import reverse

from experts.models import NEVER_PUBLIC, VISIBLE_FIELDS, ExpertProfile, Visibility
from tests.factories import ExpertProfileFactory

EDIT_VISIBILITY = reverse("experts:profile_edit", args=["nakyvyys"])


def preview_url(level: str) -> str:
    return reverse("experts:profile_preview", args=[level])


@pytest.fixture
def profile(expert):
    return ExpertProfileFactory(
        user=expert,
        display_name="Aino",
        bio="Esittelyteksti",
        topics_not_discussed="Lapsuuteni",
        accessibility_needs="Hiljainen tila",
        experiences=[("masennus", "own")],
        task_types=["luento"],
        languages=["selkokieli"],
        municipalities=["hollola"],
        onboarding_step=6,
    )


@pytest.fixture
def signed_in(client, expert):
    client.force_login(expert)
    client.cookies["kp_language"] = "en"
    return client


def all_at(level: str) -> dict:
    return {f"visibility_{field}": level for field in VISIBLE_FIELDS}


@pytest.mark.django_db
def test_every_detail_defaults_to_coordinators_only(signed_in, profile):
    body = signed_in.get(EDIT_VISIBILITY).content.decode()
    for field in VISIBLE_FIELDS:
        assert f'name="visibility_{field}" value="coordinators" required id="id_visibility_{field}_0" checked' in body
    assert not profile.is_public


@pytest.mark.django_db
def test_public_is_not_offered_for_health_related_details(signed_in, profile):
    body = signed_in.get(EDIT_VISIBILITY).content.decode()
    for field in VISIBLE_FIELDS:
        offered = f'name="visibility_{field}" value="public"' in body
        assert offered == (field not in NEVER_PUBLIC), field


@pytest.mark.django_db
def test_a_forged_public_choice_for_a_health_detail_is_refused(signed_in, profile):
    response = signed_in.post(EDIT_VISIBILITY, {**all_at("staff"), "visibility_experience": "public"})
    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()
    profile.refresh_from_db()
    assert profile.visibility == {}


@pytest.mark.django_db
def test_saved_visibility_is_used(signed_in, profile):
    response = signed_in.post(EDIT_VISIBILITY, {**all_at("staff"), "visibility_bio": "public", "is_public": "on"})
    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.visible_fields(Visibility.PUBLIC) == {"bio"}
    assert profile.visible_fields(Visibility.STAFF) == set(VISIBLE_FIELDS)
    assert profile.is_public


@pytest.mark.django_db
def test_public_preview_shows_only_public_details(signed_in, profile):
    ExpertProfile.objects.filter(pk=profile.pk).update(visibility={"bio": "public", "languages": "public"})
    body = signed_in.get(preview_url("public")).content.decode()
    assert "Aino" in body and "Esittelyteksti" in body and "Plain language" in body
    for private in ["Depression", "Lapsuuteni", "Hiljainen tila", "Lecture or talk", "Hollola"]:
        assert private not in body, private


@pytest.mark.django_db
def test_coordinator_preview_shows_everything_shared_with_coordinators(signed_in, profile):
    body = signed_in.get(preview_url("coordinators")).content.decode()
    for shown in ["Esittelyteksti", "Depression", "Lapsuuteni", "Hiljainen tila", "Lecture or talk", "Hollola"]:
        assert shown in body, shown


@pytest.mark.django_db
def test_staff_preview_hides_what_is_for_coordinators_only(signed_in, profile):
    ExpertProfile.objects.filter(pk=profile.pk).update(visibility={"languages": "staff"})
    body = signed_in.get(preview_url("staff")).content.decode()
    assert "Plain language" in body
    assert "Esittelyteksti" not in body and "Depression" not in body


@pytest.mark.django_db
def test_an_unknown_preview_level_is_not_found(signed_in, profile):
    assert signed_in.get(preview_url("everyone")).status_code == 404


@pytest.mark.django_db
def test_preview_page_has_constant_queries(signed_in, profile, django_assert_num_queries):
    # session, the user with roles and permissions (accounts.backends), the own
    # profile, then the preview's fetch: profile with organisation, experiences with areas, task types,
    # languages, municipalities; the idle-timeout session save: savepoint, update, release.
    with django_assert_num_queries(11):
        response = signed_in.get(preview_url("coordinators"))
    assert response.status_code == 200


@pytest.mark.django_db
def test_public_preview_does_not_even_read_experiences(signed_in, profile, django_assert_num_queries):
    # As above without the experiences query: health-related details are never public.
    with django_assert_num_queries(10):
        response = signed_in.get(preview_url("public"))
    assert response.status_code == 200
