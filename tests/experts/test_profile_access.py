"""Access matrix of the expert's own pages: only the expert role, and only their own profile."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from experts.models import BlockedPeriod, ExpertProfile
from tests.factories import ExpertProfileFactory

# Every page of the expert's own side; none takes a profile id.
OWN_PAGES = [
    reverse("experts:my_profile"),
    reverse("experts:profile_continue"),
    reverse("experts:profile_step", args=[1]),
    reverse("experts:profile_edit", args=["perustiedot"]),
    reverse("experts:profile_status"),
    reverse("experts:profile_consent"),
    reverse("experts:profile_consent_withdraw"),
    reverse("experts:profile_preview", args=["public"]),
    reverse("experts:my_photo"),
    reverse("experts:availability"),
]
OWN_POSTS = [reverse("experts:blocked_period_add"), reverse("experts:blocked_period_delete", args=[1])]


@pytest.mark.django_db
@pytest.mark.parametrize("url", OWN_PAGES + OWN_POSTS)
def test_anonymous_is_sent_to_sign_in(client, url):
    response = client.post(url) if url in OWN_POSTS else client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["coordinator", "trainer"])
@pytest.mark.parametrize("url", OWN_PAGES + OWN_POSTS)
def test_staff_roles_are_refused(client, request, role, url):
    client.force_login(request.getfixturevalue(role))
    response = client.post(url) if url in OWN_POSTS else client.get(url)
    assert response.status_code == 403


@pytest.mark.django_db
def test_staff_cannot_create_a_profile_through_the_guided_form(client, coordinator):
    client.force_login(coordinator)
    response = client.post(reverse("experts:profile_step", args=[1]), {"display_name": "Koordinaattori"})
    assert response.status_code == 403
    assert not ExpertProfile.objects.exists()


@pytest.mark.django_db
def test_pages_needing_a_profile_start_the_guided_form(client, expert):
    client.force_login(expert)
    for url in [reverse("experts:profile_edit", args=["kokemus"]), reverse("experts:availability")]:
        assert client.get(url).url == reverse("experts:profile_step", args=[1])


@pytest.mark.django_db
def test_an_expert_edits_only_their_own_profile(client, expert):
    own = ExpertProfileFactory(user=expert, display_name="Oma", onboarding_step=6)
    other = ExpertProfileFactory(display_name="Toinen", bio="Toisen esittely", onboarding_step=6)
    client.force_login(expert)
    client.post(reverse("experts:profile_edit", args=["perustiedot"]), {"display_name": "Muutettu", "bio": ""})
    own.refresh_from_db()
    other.refresh_from_db()
    assert own.display_name == "Muutettu"
    assert other.display_name == "Toinen" and other.bio == "Toisen esittely"


@pytest.mark.django_db
def test_an_expert_never_sees_another_experts_data(client, expert):
    ExpertProfileFactory(user=expert, display_name="Oma", onboarding_step=6)
    other = ExpertProfileFactory(display_name="Toinen", bio="Toisen esittely", onboarding_step=6)
    BlockedPeriod.objects.create(
        profile=other, start=timezone.localdate(), end=timezone.localdate() + timedelta(days=2), note="Toisen loma"
    )
    client.force_login(expert)
    for url in OWN_PAGES:
        body = client.get(url).content.decode(errors="replace")
        assert "Toisen esittely" not in body and "Toisen loma" not in body, url


@pytest.mark.django_db
def test_an_unknown_section_is_not_found(client, expert):
    ExpertProfileFactory(user=expert, onboarding_step=6)
    client.force_login(expert)
    assert client.get(reverse("experts:profile_edit", args=["suostumus"])).status_code == 404
    assert client.get(reverse("experts:profile_step", args=[7])).status_code == 404
