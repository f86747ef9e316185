"""The demo expert's profile (demo/experts.py): complete, consented, listed, and loading twice adds nothing."""

import pytest

from accounts.models import AuditEvent
from demo import accounts as demo_accounts
from demo import experts as demo_experts
from experts.models import BlockedPeriod, ExpertProfile, ProfileExperience, Visibility, WeeklyAvailability


@pytest.mark.django_db
def test_demo_expert_gets_a_complete_listed_profile():
    demo_accounts.load()
    profile = demo_experts.load()
    assert profile.display_name == "Aino" and profile.onboarding_step == 6
    assert dict(profile.experiences.values_list("area__slug", "relation")) == {
        "masennus": "own",
        "paihteet": "close_one",
    }
    assert set(profile.municipalities.values_list("slug", flat=True)) == {"hollola", "lahti"}
    assert list(profile.weekly_slots.values_list("weekday", flat=True)) == [0, 2]
    assert profile.blocked_periods.count() == 1
    assert list(ExpertProfile.objects.listed()) == [profile]
    assert "experience" not in profile.visible_fields(Visibility.PUBLIC)
    profile.refresh_from_db()
    assert "masennus" in profile.search_text


@pytest.mark.django_db
def test_loading_the_demo_twice_changes_nothing():
    demo_accounts.load()
    demo_experts.load()
    counts = [
        model.objects.count()
        for model in (ExpertProfile, ProfileExperience, WeeklyAvailability, BlockedPeriod, AuditEvent)
    ]
    demo_experts.load()
    assert [
        model.objects.count()
        for model in (ExpertProfile, ProfileExperience, WeeklyAvailability, BlockedPeriod, AuditEvent)
    ] == counts
