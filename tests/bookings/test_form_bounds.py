"""Input at the edges of the calendar and of the clock gives a clear, translated error, never a 500:
a year such as 9999 in any date field or filter, and the hour Finnish clocks skip or repeat."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from bookings.forms import MoveAssignmentForm, helsinki_time
from bookings.models import Assignment, Tariff
from experts.forms_profile import BlockedPeriodForm, StatusForm
from experts.models import TaskType
from tests.factories import AssignmentFactory, ExpertProfileFactory

HELSINKI = ZoneInfo("Europe/Helsinki")
OUT_OF_RANGE = "Give a date between the years 2000 and 2100."


def last_sunday(year: int, month: int) -> date:
    day = date(year, month + 1, 1) - timedelta(days=1)
    return day - timedelta(days=(day.weekday() + 1) % 7)


# Next year's clock changes: always in the future, so that "cannot start in the past" stays out of it.
SPRING = last_sunday(timezone.localdate().year + 1, 3)
AUTUMN = last_sunday(timezone.localdate().year + 1, 10)


def assignment_data(**changes) -> dict:
    return {
        "form_key": "avain-1234567890abcdef",
        "title": "Kokemuspuheenvuoro",
        "task_type": TaskType.objects.get(slug="luento").pk,
        "date": (timezone.localdate() + timedelta(days=20)).isoformat(),
        "start_time": "14:30",
        "end_time": "16:00",
        "unit": "Psykiatrian poliklinikka",
        "tariff": Tariff.objects.get(kind="hourly").pk,
        "experts_needed": "1",
        **changes,
    }


@pytest.fixture
def coordinator_client(client, coordinator):
    client.force_login(coordinator)
    client.cookies["kp_language"] = "en"
    return client


# --- Years out of range -----------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", ["bookings:assignment_export", "csv", "xlsx"])
@pytest.mark.parametrize("query", [{"start": "9999-12-01"}, {"start": "9999-12-01", "end": "9999-12-31"}])
def test_a_year_9999_in_the_payroll_export_is_an_error_on_the_page(coordinator_client, url_name, query):
    url = reverse(url_name) if ":" in url_name else reverse("bookings:assignment_export_file", args=[url_name])
    response = coordinator_client.get(url, query)
    assert response.status_code in (200, 400)
    assert OUT_OF_RANGE in response.content.decode()


@pytest.mark.django_db
def test_a_year_9999_in_the_expert_search_is_an_error_on_the_page(coordinator_client):
    response = coordinator_client.get(reverse("experts:index"), {"date": "9999-12-31"})
    assert response.status_code == 200
    assert OUT_OF_RANGE in response.content.decode()


@pytest.mark.django_db
def test_an_assignment_cannot_be_dated_31_12_9999(coordinator_client, coordinator):
    data = assignment_data(contact_person=coordinator.pk, date="31.12.9999")
    response = coordinator_client.post(reverse("bookings:assignment_create"), data)
    assert response.status_code == 200
    assert OUT_OF_RANGE in response.content.decode()
    assert not Assignment.objects.exists()


@pytest.mark.django_db
def test_an_assignment_already_dated_31_12_9999_opens_and_its_search_link_works(coordinator_client, coordinator):
    # Saved before the forms were bounded (or through the admin): its pages still open.
    starts = datetime(9999, 12, 31, 10, tzinfo=HELSINKI)
    assignment = AssignmentFactory(contact_person=coordinator, starts_at=starts, ends_at=starts + timedelta(hours=2))
    detail = coordinator_client.get(assignment.get_absolute_url())
    assert detail.status_code == 200
    search = coordinator_client.get(detail.context["search_url"])
    assert search.status_code == 200
    assert OUT_OF_RANGE in search.content.decode()
    move = coordinator_client.post(
        reverse("bookings:assignment_move", args=[assignment.pk]),
        {"date": "9999-12-31", "start_time": "10:00", "end_time": "12:00"},
    )
    assert move.status_code == 200 and OUT_OF_RANGE in move.content.decode()


@pytest.mark.django_db
def test_the_profile_date_fields_refuse_a_year_out_of_range():
    profile = ExpertProfileFactory()
    status = StatusForm({"status": "paused", "paused_until": "9999-12-31"}, instance=profile)
    blocked = BlockedPeriodForm({"start": "1999-12-31", "end": "9999-12-31"}, profile=profile)
    assert status.errors["paused_until"] == [OUT_OF_RANGE]
    assert blocked.errors == {"start": [OUT_OF_RANGE], "end": [OUT_OF_RANGE]}


@pytest.mark.django_db
def test_the_year_error_is_translated(client, expert):
    ExpertProfileFactory(user=expert, onboarding_step=6)
    client.force_login(expert)
    client.cookies["kp_language"] = "fi"
    response = client.post(reverse("experts:profile_status"), {"status": "paused", "paused_until": "9999-12-31"})
    assert "Anna päivämäärä vuosien 2000 ja 2100 väliltä." in response.content.decode()


# --- The hour the clocks skip (spring) or repeat (autumn) -------------------------------------------


@pytest.mark.parametrize("clock", [time(3), time(3, 30), time(3, 59)])
def test_a_time_in_the_spring_gap_does_not_exist(clock):
    assert helsinki_time(SPRING, clock) is None
    assert helsinki_time(SPRING, time(2, 59)) == datetime.combine(SPRING, time(0, 59), UTC)
    assert helsinki_time(SPRING, time(4)) == datetime.combine(SPRING, time(1), UTC)


@pytest.mark.django_db
@pytest.mark.parametrize(("start", "end", "field"), [("02:30", "03:30", "end_time"), ("03:15", "05:00", "start_time")])
def test_creating_an_assignment_in_the_spring_gap_is_a_clear_error(coordinator_client, coordinator, start, end, field):
    data = assignment_data(contact_person=coordinator.pk, date=SPRING.isoformat(), start_time=start, end_time=end)
    response = coordinator_client.post(reverse("bookings:assignment_create"), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == [field]
    assert "does not exist in Finland: the clocks go forward" in errors[field][0]
    assert "constraint" not in response.content.decode().lower()
    assert not Assignment.objects.exists()


@pytest.mark.django_db
def test_moving_an_assignment_into_the_spring_gap_is_a_clear_error_in_finnish(client, coordinator):
    assignment = AssignmentFactory(contact_person=coordinator)
    client.force_login(coordinator)
    client.cookies["kp_language"] = "fi"
    response = client.post(
        reverse("bookings:assignment_move", args=[assignment.pk]),
        {"date": SPRING.strftime("%d.%m.%Y"), "start_time": "2.30", "end_time": "3.30"},
    )
    assert response.status_code == 200
    assert "Tätä kellonaikaa ei ole Suomessa" in response.content.decode()
    before = assignment.starts_at
    assignment.refresh_from_db()
    assert assignment.starts_at == before


def test_the_repeated_autumn_hour_is_read_as_its_first_pass_in_summer_time():
    form = MoveAssignmentForm({"date": AUTUMN.isoformat(), "start_time": "02:30", "end_time": "03:30"})
    assert form.is_valid(), form.errors
    starts_at, ends_at = form.cleaned_data["starts_at"], form.cleaned_data["ends_at"]
    assert timezone.localtime(ends_at).utcoffset() == timedelta(hours=3)  # still summer time (EEST)
    assert ends_at - starts_at == timedelta(hours=1)


def test_an_assignment_across_the_autumn_change_keeps_its_real_length():
    form = MoveAssignmentForm({"date": AUTUMN.isoformat(), "start_time": "02:00", "end_time": "05:00"})
    assert form.is_valid(), form.errors
    # 2.00 summer time to 5.00 winter time: the clock hour 3–4 is lived twice.
    assert form.cleaned_data["ends_at"] - form.cleaned_data["starts_at"] == timedelta(hours=4)
