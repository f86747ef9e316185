"""A coordinator fills in or updates a profile on behalf of an expert with weak digital skills, and
records a consent signed on paper: who may, what is stored and logged, and what the expert sees."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditAction, AuditEvent
from experts.models import Consent, ConsentText, ExpertProfile, ProfileStatus
from tests.factories import ExpertProfileFactory, UserFactory


@pytest.fixture
def unconsented(db):
    """An expert who got as far as the last step of the guided form, but not to consenting online."""
    return ExpertProfileFactory(consent=False, onboarding_step=5, display_name="Veikko")


@pytest.fixture
def staff_client(client, coordinator):
    client.force_login(coordinator)
    client.cookies["kp_language"] = "en"
    return client


def overview(profile):
    return reverse("experts:on_behalf", args=[profile.pk])


def section(profile, slug="tarpeet"):
    return reverse("experts:on_behalf_section", args=[profile.pk, slug])


def paper(profile):
    return reverse("experts:paper_consent", args=[profile.pk])


def signed(days_ago=0, **extra):
    return {"signed_on": (timezone.localdate() - timedelta(days=days_ago)).isoformat(), "confirm": "on", **extra}


# --- Who may ---------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_anonymous_is_sent_to_sign_in(client, unconsented):
    response = client.get(overview(unconsented))
    assert response.status_code == 302 and "/accounts/login/" in response.url


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["expert", "trainer"])
def test_an_expert_cannot_edit_another_and_other_staff_cannot_either(client, unconsented, who, request):
    client.force_login(request.getfixturevalue(who))
    for url in [overview(unconsented), section(unconsented), paper(unconsented)]:
        assert client.get(url).status_code == 403
    assert client.post(section(unconsented), {"accessibility_needs": "Muutettu"}).status_code == 403
    assert client.post(paper(unconsented), signed()).status_code == 403
    unconsented.refresh_from_db()
    assert unconsented.accessibility_needs == "" and unconsented.consent_version is None


@pytest.mark.django_db
def test_an_expert_cannot_edit_their_own_through_these_pages_either(client, unconsented):
    client.force_login(unconsented.user)
    assert client.get(overview(unconsented)).status_code == 403


@pytest.mark.django_db
def test_a_coordinator_opens_any_profile_but_not_one_who_left(staff_client, unconsented):
    assert staff_client.get(overview(unconsented)).status_code == 200
    assert staff_client.get(reverse("experts:on_behalf", args=[unconsented.pk + 999])).status_code == 404
    ExpertProfile.objects.filter(pk=unconsented.pk).update(status=ProfileStatus.LEFT)
    assert staff_client.get(overview(unconsented)).status_code == 404
    assert staff_client.get(section(unconsented)).status_code == 404


@pytest.mark.django_db
def test_an_unknown_section_is_not_found(staff_client, unconsented):
    assert staff_client.get(section(unconsented, "olematon")).status_code == 404


# --- Editing ---------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_coordinator_edits_with_the_experts_own_form_and_each_change_is_audited(
    staff_client, unconsented, coordinator
):
    body = staff_client.get(section(unconsented)).content.decode()
    assert "You are filling in the profile on behalf of Veikko." in body
    assert 'name="accessibility_needs"' in body
    response = staff_client.post(section(unconsented), {"accessibility_needs": "Tarvitsen tulkin"})
    assert response.status_code == 302 and response.url == overview(unconsented)
    unconsented.refresh_from_db()
    assert unconsented.accessibility_needs == "Tarvitsen tulkin"
    events = AuditEvent.objects.filter(subject=unconsented.user, actor=coordinator).order_by("at")
    assert [(e.action, e.what, e.fields) for e in events] == [
        (AuditAction.VIEW, "expert profile", ["accessibility_needs"]),
        (AuditAction.CHANGE, "expert profile", ["accessibility_needs"]),
    ]
    assert "Tarvitsen tulkin" not in str(list(events.values_list("fields", flat=True)))  # names, not values


@pytest.mark.django_db
def test_bad_input_is_a_form_error_and_nothing_is_saved(staff_client, unconsented):
    response = staff_client.post(section(unconsented, "perustiedot"), {"display_name": "  ", "bio": ""})
    assert response.status_code == 200
    assert "error-summary" in response.content.decode()
    unconsented.refresh_from_db()
    assert unconsented.display_name == "Veikko"


@pytest.mark.django_db
def test_the_guided_forms_progress_moves_on_only_step_by_step(staff_client):
    profile = ExpertProfileFactory(consent=False, onboarding_step=1)
    staff_client.post(section(profile), {"accessibility_needs": "Hiljainen huone"})  # step 4
    profile.refresh_from_db()
    assert profile.onboarding_step == 1
    staff_client.post(section(profile, "kokemus"), {"topics_not_discussed": ""})  # step 2
    profile.refresh_from_db()
    assert profile.onboarding_step == 2


# --- The consent on paper --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_paper_consent_is_recorded_with_who_entered_it_and_lists_the_expert(staff_client, unconsented, coordinator):
    ConsentText.objects.update(published_at=timezone.now() - timedelta(days=30))
    response = staff_client.post(paper(unconsented), signed(days_ago=3))
    assert response.status_code == 302 and response.url == overview(unconsented)
    consent = Consent.objects.get(profile=unconsented)
    assert consent.on_paper and consent.recorded_by == coordinator
    assert timezone.localdate(consent.given_at) == timezone.localdate() - timedelta(days=3)
    assert consent.text == ConsentText.current()
    unconsented.refresh_from_db()
    assert unconsented.consent_version == ConsentText.current().version
    assert unconsented.onboarding_step == 6  # the guided form is complete
    assert list(ExpertProfile.objects.consented()) == [unconsented]
    event = AuditEvent.objects.get(subject=unconsented.user, what="consent")
    assert (event.actor, event.fields) == (coordinator, ["on paper", f"v{consent.text.version}"])


@pytest.mark.django_db
def test_a_paper_consent_entered_twice_is_stored_once(staff_client, unconsented):
    staff_client.post(paper(unconsented), signed())
    staff_client.post(paper(unconsented), signed())
    assert Consent.objects.filter(profile=unconsented).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "error"),
    [
        (signed(days_ago=-1), "The date cannot be in the future."),
        ({"signed_on": timezone.localdate().isoformat()}, "Tick the box to confirm that the expert signed the form."),
        ({"signed_on": "31.2.2025", "confirm": "on"}, "Enter a valid date."),
        ({"signed_on": "9999-01-01", "confirm": "on"}, "Give a date between the years 2000 and 2100."),
    ],
)
def test_a_paper_consent_with_bad_input_is_refused_with_a_clear_error(staff_client, unconsented, data, error):
    response = staff_client.post(paper(unconsented), data)
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not Consent.objects.filter(profile=unconsented).exists()


@pytest.mark.django_db
def test_a_paper_consent_cannot_predate_the_text(staff_client, unconsented):
    text = ConsentText.current()
    ConsentText.objects.filter(pk=text.pk).update(published_at=timezone.now() - timedelta(days=2))
    response = staff_client.post(paper(unconsented), signed(days_ago=10))
    assert "the form cannot have been signed before that" in response.content.decode()


@pytest.mark.django_db
def test_the_overview_shows_the_consent_given_and_offers_no_form_then(staff_client, unconsented, coordinator):
    staff_client.post(paper(unconsented), signed())
    body = staff_client.get(overview(unconsented)).content.decode()
    assert f"given on paper on {timezone.localdate():%-d.%-m.%Y}, entered by {coordinator}" in body
    assert 'name="confirm"' not in body


# --- What the expert sees --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_expert_sees_who_updated_their_profile_and_that_the_consent_came_on_paper(
    client, staff_client, unconsented, coordinator
):
    staff_client.post(section(unconsented), {"accessibility_needs": "Tarvitsen tulkin"})
    staff_client.post(paper(unconsented), signed())
    client.force_login(unconsented.user)
    client.cookies["kp_language"] = "en"
    body = client.get(reverse("experts:my_profile")).content.decode()
    today = f"{timezone.localdate():%-d.%-m.%Y}"
    assert f"Last updated on your behalf by {coordinator} on {today}." in body
    assert f"given on paper on {today}, entered by {coordinator}." in body


@pytest.mark.django_db
def test_once_the_expert_updates_it_themselves_the_note_goes(client, staff_client, unconsented):
    staff_client.post(section(unconsented), {"accessibility_needs": "Tarvitsen tulkin"})
    client.force_login(unconsented.user)
    client.cookies["kp_language"] = "en"
    client.post(reverse("experts:profile_edit", args=["tarpeet"]), {"accessibility_needs": "Ei tarpeita"})
    assert "Last updated on your behalf" not in client.get(reverse("experts:my_profile")).content.decode()


@pytest.mark.django_db
def test_coordinators_find_the_page_from_the_experts_profile(staff_client):
    profile = ExpertProfileFactory()
    body = staff_client.get(reverse("experts:detail", args=[profile.pk])).content.decode()
    assert f'href="{overview(profile)}"' in body


@pytest.mark.django_db
def test_the_photo_on_the_form_is_served_to_the_coordinator(staff_client, unconsented):
    assert staff_client.get(reverse("experts:on_behalf_photo", args=[unconsented.pk])).status_code == 404  # none
    client_expert = UserFactory(role="expert")
    staff_client.force_login(client_expert)
    assert staff_client.get(reverse("experts:on_behalf_photo", args=[unconsented.pk])).status_code == 403


@pytest.mark.django_db
def test_overview_queries(staff_client, unconsented, django_assert_num_queries):
    # session, the user with roles, permissions and MFA status (accounts.backends); the profile with
    # its user; the current consent text; the open consent with its text and who entered it; whether
    # the profile is in search; then the idle-timeout session save (savepoint, update, release).
    with django_assert_num_queries(9):
        assert staff_client.get(overview(unconsented)).status_code == 200
