"""The expert pauses (optionally until a date) and resumes; bookability follows."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent
from experts.models import ExpertProfile, ProfileStatus

STATUS = reverse("experts:profile_status")


@pytest.mark.django_db
def test_pausing_until_a_date(signed_in, profile):
    until = timezone.localdate() + timedelta(days=30)
    response = signed_in.post(STATUS, {"status": "paused", "paused_until": until.isoformat()})
    assert response.url == reverse("experts:my_profile")
    profile.refresh_from_db()
    assert profile.status == ProfileStatus.PAUSED and profile.paused_until == until
    assert not ExpertProfile.objects.bookable().exists()
    assert ExpertProfile.objects.bookable(on=until + timedelta(days=1)).exists()
    assert AuditEvent.objects.get(subject=profile.user, what="expert profile").fields == ["paused_until", "status"]


@pytest.mark.django_db
def test_pausing_without_a_date(signed_in, profile):
    signed_in.post(STATUS, {"status": "paused", "paused_until": ""})
    profile.refresh_from_db()
    assert profile.status == ProfileStatus.PAUSED and profile.paused_until is None


@pytest.mark.django_db
def test_resuming_clears_the_pause_date(signed_in, profile):
    ExpertProfile.objects.filter(pk=profile.pk).update(
        status=ProfileStatus.PAUSED, paused_until=timezone.localdate() + timedelta(days=9)
    )
    signed_in.post(STATUS, {"status": "active", "paused_until": "2099-01-01"})
    profile.refresh_from_db()
    assert profile.status == ProfileStatus.ACTIVE and profile.paused_until is None
    assert ExpertProfile.objects.bookable().exists()


@pytest.mark.django_db
def test_a_pause_date_in_the_past_is_refused(signed_in, profile):
    yesterday = timezone.localdate() - timedelta(days=1)
    response = signed_in.post(STATUS, {"status": "paused", "paused_until": yesterday.isoformat()})
    assert response.status_code == 200
    body = response.content.decode()
    assert "The date cannot be in the past." in body
    assert f'value="{yesterday.isoformat()}"' in body
    profile.refresh_from_db()
    assert profile.status == ProfileStatus.ACTIVE


@pytest.mark.django_db
def test_my_profile_shows_the_pause(signed_in, profile):
    signed_in.post(STATUS, {"status": "paused", "paused_until": ""})
    body = signed_in.get(reverse("experts:my_profile")).content.decode()
    assert "Paused" in body and "Resume or change status" in body
