"""The search's "available on a date" with a time range: experts whose weekly hours that weekday cover
the time (slots that touch count as one) and who have no assignment then (bookings tells the bank,
experts/workload.py). Without a time the date filter is as before."""

from datetime import date, datetime, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from experts.filters import ExpertFilter
from experts.models import ExpertProfile, WeeklyAvailability
from tests.factories import AssignmentFactory, BookingFactory, ExpertProfileFactory

MONDAY = date(2026, 11, 30)
URL = reverse("experts:index")


def names(data: dict) -> list[str]:
    filters = ExpertFilter(data, queryset=ExpertProfile.objects.listed())
    assert filters.is_valid(), filters.errors
    return [profile.display_name for profile in filters.qs.ranked()]


def on_monday(start: str, end: str) -> dict:
    return {"date": MONDAY.isoformat(), "start_time": start, "end_time": end}


def mondays(name: str, start: int, end: int):
    return ExpertProfileFactory(
        display_name=name, weekdays=[MONDAY.weekday()], weekdays__start=time(start), weekdays__end=time(end)
    )


def booked(profile, start: int, end: int, status: str = "confirmed"):
    zone = timezone.get_default_timezone()
    starts = datetime.combine(MONDAY, time(start), zone)
    assignment = AssignmentFactory(starts_at=starts, ends_at=starts.replace(hour=end))
    return BookingFactory(assignment=assignment, expert=profile, status=status)


@pytest.mark.django_db
def test_only_experts_whose_hours_cover_the_whole_time():
    mondays("Aamu", 8, 12)
    mondays("Koko päivä", 8, 16)
    mondays("Iltapäivä", 12, 18)
    assert names(on_monday("10:00", "14:00")) == ["Koko päivä"]
    assert names(on_monday("08:00", "12:00")) == ["Aamu", "Koko päivä"]
    assert names({"date": MONDAY.isoformat()}) == ["Aamu", "Iltapäivä", "Koko päivä"]


@pytest.mark.django_db
def test_slots_that_touch_cover_the_time_between_them():
    profile = mondays("Kaksi vuoroa", 8, 12)
    WeeklyAvailability.objects.create(profile=profile, weekday=MONDAY.weekday(), start=time(12), end=time(16))
    mondays("Väli", 8, 11)
    assert names(on_monday("10:00", "14:00")) == ["Kaksi vuoroa"]


@pytest.mark.django_db
def test_the_hours_of_another_weekday_do_not_count():
    ExpertProfileFactory(display_name="Tiistaisin", weekdays=[1], weekdays__start=time(8), weekdays__end=time(20))
    mondays("Maanantaisin", 8, 20)
    assert names(on_monday("10:00", "12:00")) == ["Maanantaisin"]


@pytest.mark.django_db
def test_an_expert_with_an_assignment_then_is_left_out():
    busy = mondays("Varattu", 8, 16)
    booked(busy, 10, 12)
    mondays("Vapaa", 8, 16)
    assert names(on_monday("11:00", "13:00")) == ["Vapaa"]
    # Right after the assignment ends, and on the date alone, they are free.
    assert names(on_monday("12:00", "14:00")) == ["Vapaa", "Varattu"]
    assert names({"date": MONDAY.isoformat()}) == ["Vapaa", "Varattu"]


@pytest.mark.django_db
def test_an_invitation_does_not_take_the_time():
    invited = mondays("Kutsuttu", 8, 16)
    booked(invited, 10, 12, status="invited")
    assert names(on_monday("10:00", "12:00")) == ["Kutsuttu"]


@pytest.mark.django_db
def test_without_a_time_range_the_query_has_no_hours_subquery():
    mondays("Aino", 8, 16)
    with CaptureQueriesContext(connection) as captured:
        names({"date": MONDAY.isoformat()})
    assert not any("range_agg" in query["sql"] for query in captured.captured_queries)


# --- The form -------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"start_time": "10:00", "end_time": "12:00"}, "date", "Choose the date of the time range."),
        ({"date": "2026-11-30", "start_time": "10:00"}, "end_time", "Give both the start and the end time."),
        ({"date": "2026-11-30", "end_time": "10:00"}, "start_time", "Give both the start and the end time."),
        (on_monday("12:00", "10:00"), "end_time", "The end time must be after the start time."),
        (on_monday("12:00", "12:00"), "end_time", "The end time must be after the start time."),
        (on_monday("25:00", "26:00"), "start_time", "Enter a valid time."),
    ],
)
def test_a_bad_time_range_is_a_form_error(data, field, message):
    from django.utils import translation

    with translation.override("en"):
        filters = ExpertFilter(data, queryset=ExpertProfile.objects.listed())
        assert not filters.is_valid()
        assert message in filters.errors[field]


@pytest.mark.django_db
def test_a_finnish_time_is_understood():
    mondays("Aino", 8, 16)
    assert names(on_monday("10.00", "14.30")) == ["Aino"]


@pytest.fixture
def coordinator_client(client, coordinator):
    client.force_login(coordinator)
    client.cookies["kp_language"] = "en"
    return client


@pytest.mark.django_db
def test_the_page_has_the_time_fields_and_shows_an_error_without_results(coordinator_client):
    mondays("Aino", 8, 16)
    page = coordinator_client.get(URL).content.decode()
    assert '<input type="time" name="start_time"' in page and '<input type="time" name="end_time"' in page
    assert "Experts who have not given weekly hours are not shown for a date anyway." in page
    response = coordinator_client.get(URL, {"start_time": "10:00", "end_time": "12:00"})
    assert response.context["cards"] == []
    assert "Available on: Choose the date of the time range." in response.content.decode()


@pytest.mark.django_db
def test_the_time_range_costs_no_extra_query(coordinator_client, django_assert_num_queries):
    for number in range(3):
        mondays(f"Asiantuntija {number}", 8, 16)
    booked(mondays("Varattu", 8, 16), 10, 12)
    coordinator_client.get(URL, {"date": MONDAY.isoformat()})  # the lists and the session warmed up alike
    # session, the user with roles, permissions and MFA status (accounts.backends); every admin-kept
    # list; the page's ids in ranked order; the page's profiles (the weekly hours and the busy experts
    # are subqueries of the same statement); the audit rows of the cards: as many as the date alone.
    with django_assert_num_queries(6):
        date_only = coordinator_client.get(URL, {"date": MONDAY.isoformat()})
    with django_assert_num_queries(6):
        with_time = coordinator_client.get(URL, on_monday("10:00", "12:00"))
    assert len(date_only.context["cards"]) == 4
    assert [card.profile.display_name for card in with_time.context["cards"]] == [f"Asiantuntija {n}" for n in range(3)]


@pytest.mark.django_db
def test_the_assignments_search_link_carries_its_time(coordinator_client, coordinator):
    zone = timezone.get_default_timezone()
    starts = datetime.combine(timezone.localdate() + timedelta(days=14), time(13, 30), zone)
    assignment = AssignmentFactory(contact_person=coordinator, starts_at=starts, ends_at=starts + timedelta(minutes=90))
    link = coordinator_client.get(assignment.get_absolute_url()).context["search_url"]
    assert f"date={starts.date().isoformat()}&start_time=13%3A30&end_time=15%3A00" in link
    assert coordinator_client.get(link).context["filters"].is_valid()
