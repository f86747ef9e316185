"""An expert's profile as others see it: who sees which fields, consent gating, and the audit log."""

from datetime import time

import pytest
from django.urls import reverse

from accounts.models import AuditAction, AuditEvent
from experts.models import VISIBLE_FIELDS, ProfileStatus, WeeklyAvailability
from tests.factories import ExpertProfileFactory, UserFactory

# One marker text per visibility level: the bio is public, the languages are for all staff, the
# experience and the accessibility needs (everything else too) for coordinators only.
PUBLIC_TEXT = "Julkinen esittely"
STAFF_TEXT = "Ruotsi"
COORDINATOR_TEXTS = ["Masennus", "Tarvitsen tulkin"]
STAFF_FIELDS = {"bio", "languages"}


@pytest.fixture
def profile(db):
    return ExpertProfileFactory(
        display_name="Aino",
        bio=PUBLIC_TEXT,
        languages=["ruotsi"],
        experiences=[("masennus", "own")],
        accessibility_needs="Tarvitsen tulkin",
        visibility={"bio": "public", "languages": "staff"},
        is_public=True,
    )


@pytest.fixture
def directory_on(settings):
    settings.KP_PUBLIC_DIRECTORY = True


def url(profile) -> str:
    return reverse("experts:detail", args=[profile.pk])


def shown(response) -> set[str]:
    """Which levels' marker texts the page shows."""
    page = response.content.decode()
    levels = set()
    if PUBLIC_TEXT in page:
        levels.add("public")
    if STAFF_TEXT in page:
        levels.add("staff")
    if all(text in page for text in COORDINATOR_TEXTS):
        levels.add("coordinators")
    return levels


def views_logged():
    return AuditEvent.objects.filter(action=AuditAction.VIEW)


@pytest.mark.django_db
def test_anonymous_is_sent_to_sign_in_without_the_directory(client, profile):
    response = client.get(url(profile))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.django_db
def test_anonymous_sees_only_public_fields_with_the_directory(client, profile, directory_on):
    response = client.get(url(profile))
    assert response.status_code == 200
    assert shown(response) == {"public"}
    assert not views_logged().exists()


@pytest.mark.django_db
def test_anonymous_gets_404_for_a_profile_not_in_the_directory(client, directory_on):
    hidden = ExpertProfileFactory(is_public=False)
    assert client.get(url(hidden)).status_code == 404


@pytest.mark.django_db
def test_another_expert_is_refused_without_the_directory(client, profile, expert):
    client.force_login(expert)
    assert client.get(url(profile)).status_code == 403


@pytest.mark.django_db
def test_another_expert_sees_only_public_fields_with_the_directory(client, profile, directory_on):
    other = ExpertProfileFactory()
    client.force_login(other.user)
    response = client.get(url(profile))
    assert response.status_code == 200
    assert shown(response) == {"public"}


@pytest.mark.django_db
def test_the_expert_is_sent_to_their_own_profile_page(client, profile):
    client.force_login(profile.user)
    response = client.get(url(profile))
    assert response.status_code == 302
    assert response["Location"] == reverse("experts:my_profile")


@pytest.mark.django_db
def test_a_trainer_sees_public_and_all_staff_fields(client, profile, trainer):
    client.force_login(trainer)
    response = client.get(url(profile))
    assert response.status_code == 200
    assert shown(response) == {"public", "staff"}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["coordinator", "admin_user"])
def test_coordinators_and_admins_see_every_field(client, profile, role, request):
    client.force_login(request.getfixturevalue(role))
    response = client.get(url(profile))
    assert response.status_code == 200
    assert shown(response) == {"public", "staff", "coordinators"}
    assert response.context["fields"] == set(VISIBLE_FIELDS)


@pytest.mark.django_db
def test_a_trainer_who_is_also_an_expert_sees_staff_fields_of_others(client, profile):
    trainer_expert = ExpertProfileFactory(user=UserFactory(role="trainer", mfa=True))
    trainer_expert.user.groups.add(*profile.user.groups.all())
    client.force_login(trainer_expert.user)
    assert shown(client.get(url(profile))) == {"public", "staff"}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["coordinator", "admin_user", "trainer"])
def test_an_unconsented_profile_is_404_for_everyone(client, role, request):
    unlisted = ExpertProfileFactory(consent=False)
    client.force_login(request.getfixturevalue(role))
    assert client.get(url(unlisted)).status_code == 404


@pytest.mark.django_db
def test_an_unconsented_profile_is_404_in_the_directory(client, directory_on):
    unlisted = ExpertProfileFactory(consent=False, is_public=True, visibility={"bio": "public"})
    assert client.get(url(unlisted)).status_code == 404


@pytest.mark.django_db
def test_a_profile_that_left_is_404(client, coordinator):
    left = ExpertProfileFactory(status=ProfileStatus.LEFT)
    client.force_login(coordinator)
    assert client.get(url(left)).status_code == 404


@pytest.mark.django_db
def test_an_unknown_profile_is_404(client, coordinator):
    client.force_login(coordinator)
    assert client.get(reverse("experts:detail", args=[999999])).status_code == 404


@pytest.mark.django_db
def test_a_paused_expert_is_marked_paused(client, coordinator):
    paused = ExpertProfileFactory(status=ProfileStatus.PAUSED)
    client.cookies["kp_language"] = "en"
    client.force_login(coordinator)
    assert '<span class="status-badge status-paused">Paused</span>' in client.get(url(paused)).content.decode()


@pytest.mark.django_db
def test_a_paused_expert_is_hidden_from_the_public_directory(client, directory_on):
    paused = ExpertProfileFactory(status=ProfileStatus.PAUSED, is_public=True, visibility={"bio": "public"})
    assert client.get(url(paused)).status_code == 404


@pytest.mark.django_db
def test_coordinators_see_the_weekly_pattern_and_trainers_do_not(client, profile, coordinator, trainer):
    WeeklyAvailability.objects.create(profile=profile, weekday=2, start=time(9), end=time(15))
    client.force_login(coordinator)
    assert "Keskiviikko 09.00–15.00" in client.get(url(profile)).content.decode()
    client.force_login(trainer)
    assert "Keskiviikko" not in client.get(url(profile)).content.decode()


@pytest.mark.django_db
def test_a_coordinators_view_is_audited_with_the_non_public_fields(client, profile, coordinator):
    client.force_login(coordinator)
    client.get(url(profile))
    event = views_logged().get()
    assert event.actor == coordinator
    assert event.subject == profile.user
    assert event.what == "expert profile"
    # With the bookings app's panel for coordinators (experts/profile_panels.py): its data in the same row.
    panel = {"blocked_periods", "bookings", "email", "phone"}
    assert event.fields == sorted(set(VISIBLE_FIELDS) - {"bio"} | panel)


@pytest.mark.django_db
def test_a_trainers_view_is_audited_with_the_staff_fields(client, profile, trainer):
    client.force_login(trainer)
    client.get(url(profile))
    assert views_logged().get().fields == ["languages"]


@pytest.mark.django_db
def test_a_public_only_view_is_not_audited(client, profile, directory_on, expert):
    client.force_login(expert)
    client.get(url(profile))
    assert not views_logged().exists()


@pytest.mark.django_db
def test_a_refused_view_is_not_audited(client, profile, expert):
    client.force_login(expert)
    client.get(url(profile))
    assert not views_logged().exists()


@pytest.mark.django_db
def test_detail_page_queries(client, profile, coordinator, django_assert_num_queries):
    WeeklyAvailability.objects.create(profile=profile, weekday=2, start=time(9), end=time(15))
    client.force_login(coordinator)
    # session, the user with roles, permissions and MFA status (accounts.backends); the profile with its
    # organisation and user (listed: the current consent version is a subquery); experiences with
    # areas, task types, languages, municipalities, weekly slots (prefetch); the bookings app's panel
    # (experts/profile_panels.py): the expert's bookings, their blocked dates to come; the completed
    # trainings; the audit row; then the idle-timeout session save (savepoint, update, release).
    with django_assert_num_queries(15):
        assert client.get(url(profile)).status_code == 200
