"""Availability: a weekly pattern (formset), blocked date ranges and the monthly cap."""

from datetime import time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from experts.models import BlockedPeriod, WeeklyAvailability
from tests.factories import ExpertProfileFactory

AVAILABILITY = reverse("experts:availability")
ADD_BLOCK = reverse("experts:blocked_period_add")


def weekly(rows: list[tuple[int, str, str]], monthly_cap="") -> dict:
    """Post data of the weekly form: one row per weekday (Mon–Sun) unless `rows` add more."""
    rows = rows + [(day, "", "") for day in range(7) if day not in {row[0] for row in rows}]
    data = {
        "slots-TOTAL_FORMS": len(rows),
        "slots-INITIAL_FORMS": len(rows),
        "slots-MIN_NUM_FORMS": 0,
        "slots-MAX_NUM_FORMS": 35,
        "monthly_cap": monthly_cap,
    }
    for index, (day, start, end) in enumerate(rows):
        data |= {f"slots-{index}-weekday": day, f"slots-{index}-start": start, f"slots-{index}-end": end}
    return data


def block(start, end, note="") -> dict:
    return {"start": start.isoformat(), "end": end.isoformat(), "note": note}


@pytest.mark.django_db
def test_page_shows_a_row_for_each_weekday(signed_in, profile):
    body = signed_in.get(AVAILABILITY).content.decode()
    for day in ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]:
        assert f"{day}, from" in body


@pytest.mark.django_db
def test_weekly_pattern_and_cap_are_saved(signed_in, profile):
    response = signed_in.post(AVAILABILITY, weekly([(0, "09:00", "15:00"), (2, "12:00", "16:30")], monthly_cap="4"))
    assert response.url == AVAILABILITY
    assert list(profile.weekly_slots.values_list("weekday", "start", "end")) == [
        (0, time(9), time(15)),
        (2, time(12), time(16, 30)),
    ]
    profile.refresh_from_db()
    assert profile.monthly_cap == 4


@pytest.mark.django_db
def test_two_slots_on_one_day(signed_in, profile):
    signed_in.post(AVAILABILITY, weekly([(0, "09:00", "11:00"), (0, "13:00", "15:00")]))
    assert profile.weekly_slots.filter(weekday=0).count() == 2


@pytest.mark.django_db
def test_saving_the_same_pattern_twice_stores_it_once(signed_in, profile):
    signed_in.post(AVAILABILITY, weekly([(0, "09:00", "15:00")]))
    signed_in.post(AVAILABILITY, weekly([(0, "09:00", "15:00")]))
    assert WeeklyAvailability.objects.filter(profile=profile).count() == 1


@pytest.mark.django_db
def test_emptying_a_day_removes_its_times(signed_in, profile):
    WeeklyAvailability.objects.create(profile=profile, weekday=4, start=time(9), end=time(12))
    signed_in.post(AVAILABILITY, weekly([]))
    assert not profile.weekly_slots.exists()


@pytest.mark.django_db
def test_end_before_start_is_refused_and_the_input_kept(signed_in, profile):
    response = signed_in.post(AVAILABILITY, weekly([(0, "15:00", "09:00"), (1, "10:00", "12:00")]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "The end time must be after the start time." in body
    assert 'value="10:00"' in body  # Tuesday's valid row is kept in the form
    assert not profile.weekly_slots.exists()


@pytest.mark.django_db
def test_overlapping_slots_are_refused(signed_in, profile):
    response = signed_in.post(AVAILABILITY, weekly([(0, "09:00", "12:00"), (0, "11:00", "14:00")]))
    assert response.status_code == 200
    assert "This time overlaps another time on the same day." in response.content.decode()
    assert not profile.weekly_slots.exists()


@pytest.mark.django_db
def test_a_half_filled_row_is_refused(signed_in, profile):
    response = signed_in.post(AVAILABILITY, weekly([(3, "09:00", "")]))
    assert "Give both the start and the end time." in response.content.decode()


@pytest.mark.django_db
def test_a_cap_out_of_range_is_refused(signed_in, profile):
    response = signed_in.post(AVAILABILITY, weekly([(0, "09:00", "15:00")], monthly_cap="0"))
    assert response.status_code == 200
    assert "greater than or equal to 1" in response.content.decode()
    assert not profile.weekly_slots.exists()


@pytest.mark.django_db
def test_blocking_dates(signed_in, profile):
    start = timezone.localdate() + timedelta(days=7)
    response = signed_in.post(ADD_BLOCK, block(start, start + timedelta(days=6), note="Lomaviikko"))
    assert response.url == AVAILABILITY
    period = BlockedPeriod.objects.get(profile=profile)
    assert (period.start, period.end, period.note) == (start, start + timedelta(days=6), "Lomaviikko")
    assert "Lomaviikko" in signed_in.get(AVAILABILITY).content.decode()


@pytest.mark.django_db
def test_the_same_block_twice_is_stored_once(signed_in, profile):
    start = timezone.localdate() + timedelta(days=7)
    signed_in.post(ADD_BLOCK, block(start, start + timedelta(days=2)))
    response = signed_in.post(ADD_BLOCK, block(start, start + timedelta(days=2)))
    assert response.status_code == 302
    assert BlockedPeriod.objects.filter(profile=profile).count() == 1


@pytest.mark.django_db
def test_a_block_ending_before_it_starts_is_refused(signed_in, profile):
    start = timezone.localdate() + timedelta(days=7)
    response = signed_in.post(ADD_BLOCK, block(start, start - timedelta(days=1), note="Jää talteen"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "The end date must be on or after the start date." in body
    assert "Jää talteen" in body
    assert not BlockedPeriod.objects.exists()


@pytest.mark.django_db
def test_a_block_in_the_past_is_refused(signed_in, profile):
    past = timezone.localdate() - timedelta(days=10)
    response = signed_in.post(ADD_BLOCK, block(past, past + timedelta(days=2)))
    assert "The period has already ended." in response.content.decode()


@pytest.mark.django_db
def test_an_overlapping_block_is_refused(signed_in, profile):
    start = timezone.localdate() + timedelta(days=7)
    BlockedPeriod.objects.create(profile=profile, start=start, end=start + timedelta(days=6))
    response = signed_in.post(ADD_BLOCK, block(start + timedelta(days=3), start + timedelta(days=10)))
    assert "overlaps a period you have already blocked" in response.content.decode()
    assert BlockedPeriod.objects.count() == 1


@pytest.mark.django_db
def test_an_invalid_date_is_refused(signed_in, profile):
    response = signed_in.post(ADD_BLOCK, {"start": "31.2.2026", "end": "", "note": ""})
    assert response.status_code == 200
    assert "Enter a valid date." in response.content.decode()


@pytest.mark.django_db
def test_removing_a_block(signed_in, profile):
    start = timezone.localdate() + timedelta(days=7)
    period = BlockedPeriod.objects.create(profile=profile, start=start, end=start)
    response = signed_in.post(reverse("experts:blocked_period_delete", args=[period.pk]))
    assert response.url == AVAILABILITY
    assert not BlockedPeriod.objects.exists()


@pytest.mark.django_db
def test_another_experts_block_cannot_be_removed(signed_in, profile):
    other = ExpertProfileFactory()
    start = timezone.localdate() + timedelta(days=7)
    period = BlockedPeriod.objects.create(profile=other, start=start, end=start)
    response = signed_in.post(reverse("experts:blocked_period_delete", args=[period.pk]))
    assert response.status_code == 404
    assert BlockedPeriod.objects.filter(pk=period.pk).exists()


@pytest.mark.django_db
def test_in_finnish_times_and_dates_use_the_browser_format(client, expert, profile):
    # The Finnish formats "9.00" and "14.12.2026" would show as empty time and date pickers.
    client.force_login(expert)
    WeeklyAvailability.objects.create(profile=profile, weekday=0, start=time(9), end=time(15))
    assert 'value="09:00"' in client.get(AVAILABILITY).content.decode()
    start = timezone.localdate() + timedelta(days=7)
    assert client.post(ADD_BLOCK, block(start, start)).status_code == 302
    response = client.post(AVAILABILITY, weekly([(0, "09:00", "15:00"), (4, "08:30", "12:00")]))
    assert response.status_code == 302
    assert profile.weekly_slots.count() == 2
