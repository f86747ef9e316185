"""The "My profile" page: overview with edit links, status, consent, previews and availability."""

from datetime import time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from experts.models import BlockedPeriod, WeeklyAvailability
from tests.factories import ExpertProfileFactory

MY_PROFILE = reverse("experts:my_profile")


@pytest.fixture
def profile(expert):
    return ExpertProfileFactory(
        user=expert,
        display_name="Aino",
        experiences=[("masennus", "own"), ("paihteet", "close_one")],
        task_types=["vastaanotto", "luento"],
        languages=["suomi", "selkokieli"],
        municipalities=["hollola", "lahti"],
        onboarding_step=6,
    )


@pytest.mark.django_db
def test_without_a_profile_the_page_offers_to_start(signed_in):
    body = signed_in.get(MY_PROFILE).content.decode()
    assert "Create your expert profile" in body
    assert reverse("experts:profile_step", args=[1]) in body


@pytest.mark.django_db
def test_an_unfinished_profile_offers_to_continue(signed_in, expert):
    ExpertProfileFactory(user=expert, onboarding_step=2, consent=False)
    body = signed_in.get(MY_PROFILE).content.decode()
    assert "Continue from step 3/6" in body
    assert reverse("experts:profile_continue") in body


@pytest.mark.django_db
def test_overview_shows_the_profile_with_edit_links(signed_in, profile):
    body = signed_in.get(MY_PROFILE).content.decode()
    assert "Depression (own experience)" in body and "Substance use (as a close one)" in body
    assert "Reception duty" in body and "Plain language" in body and "Hollola" in body
    for slug in ["perustiedot", "kokemus", "tehtavat", "tarpeet", "nakyvyys"]:
        assert reverse("experts:profile_edit", args=[slug]) in body
    assert "Coordinators only" in body  # who sees each detail


@pytest.mark.django_db
def test_overview_links_previews_availability_and_notifications(signed_in, profile):
    body = signed_in.get(MY_PROFILE).content.decode()
    assert reverse("experts:profile_preview", args=["coordinators"]) in body
    assert reverse("experts:profile_preview", args=["public"]) in body
    assert reverse("experts:availability") in body
    assert reverse("notifications:preferences") in body


@pytest.mark.django_db
def test_edit_section_saves_and_returns_to_my_profile(signed_in, profile):
    response = signed_in.post(
        reverse("experts:profile_edit", args=["tarpeet"]), {"accessibility_needs": "Viittomakielen tulkki"}
    )
    assert response.url == MY_PROFILE
    profile.refresh_from_db()
    assert profile.accessibility_needs == "Viittomakielen tulkki"
    assert profile.onboarding_step == 6


@pytest.mark.django_db
def test_my_profile_has_constant_queries(signed_in, profile, django_assert_num_queries):
    for day in (0, 2):
        WeeklyAvailability.objects.create(profile=profile, weekday=day, start=time(9), end=time(15))
    start = timezone.localdate() + timedelta(days=7)
    BlockedPeriod.objects.create(profile=profile, start=start, end=start + timedelta(days=6))
    # session, the user with roles and permissions (accounts.backends); the profile with
    # organisation, experiences with areas, task types, languages, municipalities, weekly slots, blocked
    # periods to come; the current consent text, the open consent with its text; the last change to
    # the profile (made on the expert's behalf?); the completed trainings; the idle-timeout session
    # save: savepoint, update, release.
    with django_assert_num_queries(16):
        response = signed_in.get(MY_PROFILE)
    assert response.status_code == 200
    assert "Monday 9:00–15:00" in response.content.decode()
