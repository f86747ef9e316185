"""Consent from "My profile": withdraw with confirmation, consent again, and a new version asks again."""

import pytest
from django.urls import reverse
from django.utils import timezone

from experts.models import Consent, ConsentText, ExpertProfile

MY_PROFILE = reverse("experts:my_profile")
CONSENT = reverse("experts:profile_consent")
WITHDRAW = reverse("experts:profile_consent_withdraw")


def new_version(grace_days: int = 30) -> ConsentText:
    return ConsentText.objects.create(
        version=2,
        text="Uusi suostumusteksti",
        text_fi="Uusi suostumusteksti",
        text_en="New consent text",
        published_at=timezone.now(),
        grace_days=grace_days,
    )


@pytest.mark.django_db
def test_my_profile_shows_the_consent_given(signed_in, profile):
    body = signed_in.get(MY_PROFILE).content.decode()
    assert "Version 1, given on" in body
    assert f'href="{WITHDRAW}"' in body
    assert "removes you from search at once" in body


@pytest.mark.django_db
def test_withdrawing_asks_for_confirmation_first(signed_in, profile):
    response = signed_in.get(WITHDRAW)
    assert response.status_code == 200
    assert "removed from search at once" in response.content.decode()
    profile.refresh_from_db()
    assert profile.consent_version == 1


@pytest.mark.django_db
def test_confirmed_withdrawal_removes_the_profile_from_search(signed_in, profile):
    response = signed_in.post(WITHDRAW)
    assert response.url == MY_PROFILE
    profile.refresh_from_db()
    assert profile.consent_version is None
    assert not ExpertProfile.objects.listed().exists()
    assert Consent.objects.get(profile=profile).withdrawn_at is not None


@pytest.mark.django_db
def test_consent_can_be_given_again_after_withdrawing(signed_in, profile):
    signed_in.post(WITHDRAW)
    assert "Not given" in signed_in.get(MY_PROFILE).content.decode()
    response = signed_in.post(CONSENT, {"agree": "on"})
    assert response.url == MY_PROFILE
    assert list(ExpertProfile.objects.listed()) == [profile]
    assert Consent.objects.filter(profile=profile).count() == 2  # the history keeps both


@pytest.mark.django_db
def test_consent_page_shows_the_text_in_the_current_language(signed_in, profile):
    new_version()
    assert "New consent text" in signed_in.get(CONSENT).content.decode()
    signed_in.cookies["kp_language"] = "fi"
    assert "Uusi suostumusteksti" in signed_in.get(CONSENT).content.decode()


@pytest.mark.django_db
def test_consent_needs_the_tick(signed_in, profile):
    signed_in.post(WITHDRAW)
    response = signed_in.post(CONSENT, {})
    assert response.status_code == 200
    assert "Tick the box to give your consent." in response.content.decode()
    assert not ExpertProfile.objects.listed().exists()


@pytest.mark.django_db
def test_a_new_version_asks_prominently_for_consent_again(signed_in, profile):
    new_version(grace_days=0)  # the grace period: tests/experts/test_consent_grace.py
    body = signed_in.get(MY_PROFILE).content.decode()
    assert "Please give your consent again" in body
    assert "a new version is waiting for your consent" in body
    assert "your profile is not shown in search" in body
    assert not ExpertProfile.objects.listed().exists()


@pytest.mark.django_db
def test_consenting_to_the_new_version_lists_the_profile_again(signed_in, profile):
    new_version()
    signed_in.post(CONSENT, {"agree": "on"})
    profile.refresh_from_db()
    assert profile.consent_version == 2
    assert list(ExpertProfile.objects.listed()) == [profile]
    assert "Please give your consent again" not in signed_in.get(MY_PROFILE).content.decode()


@pytest.mark.django_db
def test_consent_submitted_twice_is_stored_once(signed_in, profile):
    new_version()
    signed_in.post(CONSENT, {"agree": "on"})
    signed_in.post(CONSENT, {"agree": "on"})
    assert Consent.objects.filter(profile=profile, text__version=2, withdrawn_at__isnull=True).count() == 1
