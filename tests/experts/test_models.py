"""Consent gating, status and availability on a date: the rules search and booking rely on."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from experts.models import BlockedPeriod, ConsentText, ExpertProfile, ProfileStatus, Visibility
from experts.services import clean_visibility, give_consent, withdraw_consent
from tests.factories import ExpertProfileFactory

MONDAY = date(2026, 11, 30)


@pytest.mark.django_db
def test_only_consented_profiles_are_listed():
    listed = ExpertProfileFactory()
    ExpertProfileFactory(consent=False)
    assert list(ExpertProfile.objects.listed()) == [listed]


@pytest.mark.django_db
def test_withdrawing_consent_delists_at_once():
    profile = ExpertProfileFactory()
    withdraw_consent(profile=profile)
    assert not ExpertProfile.objects.listed().exists()
    assert profile.consents.get().withdrawn_at is not None


@pytest.mark.django_db
def test_a_new_consent_version_asks_again():
    profile = ExpertProfileFactory()
    # Without a grace period (tests/experts/test_consent_grace.py has one).
    new = ConsentText.objects.create(version=2, text="Uusi teksti", published_at=timezone.now(), grace_days=0)
    assert not ExpertProfile.objects.listed().exists()
    give_consent(profile=profile, text=new)
    assert list(ExpertProfile.objects.listed()) == [profile]


@pytest.mark.django_db
def test_an_unpublished_version_does_not_delist_anyone():
    ExpertProfileFactory()
    ConsentText.objects.create(version=2, text="Luonnos", published_at=None)
    assert ExpertProfile.objects.listed().count() == 1


@pytest.mark.django_db
def test_paused_and_left_are_not_bookable():
    active = ExpertProfileFactory()
    ExpertProfileFactory(status=ProfileStatus.PAUSED, paused_until=MONDAY + timedelta(days=7))
    ExpertProfileFactory(status=ProfileStatus.LEFT)
    assert list(ExpertProfile.objects.bookable(on=MONDAY)) == [active]
    assert ExpertProfile.objects.listed().count() == 2  # paused still appears in search, marked paused


@pytest.mark.django_db
def test_a_pause_ends_on_its_date():
    paused = ExpertProfileFactory(status=ProfileStatus.PAUSED, paused_until=MONDAY - timedelta(days=1))
    assert list(ExpertProfile.objects.bookable(on=MONDAY)) == [paused]


@pytest.mark.django_db
def test_available_on_respects_weekly_pattern_and_blocked_dates():
    mondays = ExpertProfileFactory(weekdays=[0])
    tuesdays = ExpertProfileFactory(weekdays=[1])
    on_holiday = ExpertProfileFactory(weekdays=[0])
    BlockedPeriod.objects.create(profile=on_holiday, start=MONDAY - timedelta(days=3), end=MONDAY)
    assert list(ExpertProfile.objects.available_on(MONDAY)) == [mondays]
    assert list(ExpertProfile.objects.available_on(MONDAY + timedelta(days=1))) == [tuesdays]


@pytest.mark.django_db
def test_fields_are_private_by_default_and_health_details_never_public():
    profile = ExpertProfileFactory(visibility={"bio": "public", "experience": "public", "languages": "staff"})
    assert profile.visible_fields(Visibility.PUBLIC) == {"bio"}
    assert profile.visible_fields(Visibility.STAFF) == {"bio", "languages", "experience"}
    assert "accessibility_needs" in profile.visible_fields(Visibility.COORDINATORS)
    assert profile.visible_fields(None) == set()
    assert clean_visibility({"experience": "public", "bio": "everyone"}) == {
        **{field: "coordinators" for field in clean_visibility({})},
        "experience": "coordinators",
    }


@pytest.mark.django_db
def test_seed_lists_return_after_a_flush_but_edits_are_kept():
    from experts.apps import seed_after_migrate
    from experts.models import ExperienceArea, TaskType

    ExperienceArea.objects.all().delete()  # what a flush between transactional tests does
    TaskType.objects.filter(slug="media").update(name_fi="Media ja some")
    seed_after_migrate(sender=None)
    assert ExperienceArea.objects.count() == 13
    assert ExperienceArea.objects.get(slug="skitsofrenia").name_sv == "Schizofreni"
    assert TaskType.objects.get(slug="media").name_fi == "Media ja some"
