"""The coordinators' calendar (a week, a month) and the week's printable roster: what falls in the span
by the Helsinki clock, the filters, bad input, access and the query counts."""

from datetime import date, datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from bookings.filters import iso_week, monday_of
from bookings.models import AssignmentStatus
from tests.factories import AssignmentFactory, BookingFactory, ExpertProfileFactory, UserFactory

HELSINKI = timezone.get_default_timezone()
WEEK = reverse("bookings:calendar_week")
MONTH = reverse("bookings:calendar_month")
ROSTER = reverse("bookings:roster")


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), HELSINKI)


def assignment_at(starts: datetime, *, hours: float = 1, **fields):
    return AssignmentFactory(starts_at=starts, ends_at=starts + timedelta(hours=hours), **fields)


@pytest.fixture
def signed_in(client, coordinator):
    client.force_login(coordinator)
    client.cookies["kp_language"] = "en"
    return client


def shown(response) -> dict[date, list[str]]:
    """The days of a calendar page and the titles on each."""
    return {day.date: [item.title for item in day.assignments] for day in response.context["days"]}


def titles(response) -> list[str]:
    return [title for day_titles in shown(response).values() for title in day_titles]


# --- Access ----------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("url", [WEEK, MONTH, ROSTER])
def test_anonymous_is_sent_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


@pytest.mark.django_db
@pytest.mark.parametrize("url", [WEEK, MONTH, ROSTER])
@pytest.mark.parametrize("role", ["expert", "orderer", "trainer"])
def test_only_coordinators_see_the_calendar(client, url, role):
    client.force_login(UserFactory(role=role, mfa=True))
    assert client.get(url).status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("url", [WEEK, MONTH, ROSTER])
def test_coordinator_and_admin_see_the_calendar(client, coordinator, admin_user, url):
    for user in (coordinator, admin_user):
        client.force_login(user)
        assert client.get(url).status_code == 200


# --- The week --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_week_holds_what_starts_in_it_by_the_helsinki_clock(signed_in):
    # Week 49 of 2026 runs from Monday 30.11. to Sunday 6.12.: over a month's end.
    assignment_at(at(date(2026, 11, 29), 23, 30), title="Sunnuntai ennen")
    assignment_at(at(date(2026, 11, 30), 0, 30), title="Maanantai heti")  # 22.30 UTC on Sunday
    assignment_at(at(date(2026, 12, 1), 12), title="Joulukuun tiistai")
    assignment_at(at(date(2026, 12, 6), 23, 59), title="Sunnuntai viimeinen")
    assignment_at(at(date(2026, 12, 7), 0, 0), title="Seuraava maanantai")

    response = signed_in.get(WEEK, {"week": "2026-W49"})

    assert response.status_code == 200
    days = shown(response)
    assert list(days) == [date(2026, 11, 30) + timedelta(days=n) for n in range(7)]
    assert days[date(2026, 11, 30)] == ["Maanantai heti"]
    assert days[date(2026, 12, 1)] == ["Joulukuun tiistai"]
    assert days[date(2026, 12, 6)] == ["Sunnuntai viimeinen"]
    assert "Sunnuntai ennen" not in titles(response)
    assert "Seuraava maanantai" not in titles(response)
    page = response.content.decode()
    assert "Week 49" in page
    assert "30.11.–6.12.2026" in page
    assert "?week=2026-W48" in page
    assert "?week=2026-W50" in page


@pytest.mark.django_db
def test_week_53_runs_over_the_new_year(signed_in):
    # 2026 has 53 ISO weeks: week 53 is Monday 28.12.2026 to Sunday 3.1.2027.
    assignment_at(at(date(2027, 1, 1), 10), title="Uudenvuodenpäivä")
    assignment_at(at(date(2027, 1, 4), 10), title="Vuoden 2027 viikko 1")

    response = signed_in.get(WEEK, {"week": "2026-W53"})

    assert response.context["monday"] == date(2026, 12, 28)
    assert shown(response)[date(2027, 1, 1)] == ["Uudenvuodenpäivä"]
    assert "Vuoden 2027 viikko 1" not in titles(response)
    assert response.context["next_week"] == "2027-W01"
    assert response.context["previous_week"] == "2026-W52"


@pytest.mark.django_db
def test_week_of_the_spring_clock_change(signed_in):
    # Summer time begins on Sunday 29.3.2026; the week's end is midnight in summer time.
    assignment_at(at(date(2026, 3, 29), 23, 30), title="Kesäajan sunnuntai")
    assignment_at(at(date(2026, 3, 30), 0, 10), title="Kesäajan maanantai")

    response = signed_in.get(WEEK, {"week": "2026-W13"})

    assert shown(response)[date(2026, 3, 29)] == ["Kesäajan sunnuntai"]
    assert "Kesäajan maanantai" not in titles(response)


@pytest.mark.django_db
def test_week_is_this_week_by_default(signed_in):
    today = timezone.localdate()
    assignment_at(at(today, 12), title="Tämän päivän")

    response = signed_in.get(WEEK)

    assert response.context["monday"] == monday_of(today)
    assert shown(response)[today] == ["Tämän päivän"]
    assert 'aria-current="date"' in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["2026-W49", "2026W49", "2026-49", "49/2026", "49.2026"])
def test_week_can_be_typed_in_several_ways(signed_in, typed):
    assert signed_in.get(WEEK, {"week": typed}).context["monday"] == date(2026, 11, 30)


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["2026-W60", "2027-W53", "2026-W00", "x", "9999-W01", "2026-W4.5", "W49", "٤٩/٢٠٢٦"])
def test_a_wrong_week_is_a_message_and_this_week(signed_in, value):
    response = signed_in.get(WEEK, {"week": value})
    assert response.status_code == 200
    assert "Give the week as 2026-W49 or 49/2026" in response.content.decode()
    assert response.context["monday"] == monday_of(timezone.localdate())


@pytest.mark.django_db
def test_calendar_shows_each_assignment_with_its_experts_and_links_to_it(signed_in):
    assignment = assignment_at(at(date(2026, 12, 2), 9), title="Luento hoitajille", unit="Päijät-Hämeen keskussairaala")
    BookingFactory(assignment=assignment, expert=ExpertProfileFactory(display_name="Äijä-Åsa"), status="confirmed")
    BookingFactory(assignment=assignment, expert=ExpertProfileFactory(display_name="Päivi"), status="invited")

    page = signed_in.get(WEEK, {"week": "2026-W49"}).content.decode()

    assert assignment.get_absolute_url() in page
    assert "Äijä-Åsa: confirmed" in page
    assert "Päivi: invited" in page
    assert "Päijät-Hämeen keskussairaala" in page
    assert reverse("bookings:assignment_list") in page  # back to the list


# --- The month -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_month_holds_what_starts_in_it_by_the_helsinki_clock(signed_in):
    assignment_at(at(date(2026, 11, 30), 23, 59), title="Marraskuun viimeinen")
    assignment_at(at(date(2026, 12, 1), 0, 15), title="Joulukuun ensimmäinen")  # 22.15 UTC on 30.11.
    assignment_at(at(date(2026, 12, 31), 23, 30), title="Uudenvuodenaatto")
    assignment_at(at(date(2027, 1, 1), 0, 0), title="Uusi vuosi")

    response = signed_in.get(MONTH, {"month": "2026-12"})

    assert response.status_code == 200
    days = shown(response)
    assert list(days) == [date(2026, 12, 1) + timedelta(days=n) for n in range(31)]
    assert days[date(2026, 12, 1)] == ["Joulukuun ensimmäinen"]
    assert days[date(2026, 12, 31)] == ["Uudenvuodenaatto"]
    assert "Marraskuun viimeinen" not in titles(response)
    assert "Uusi vuosi" not in titles(response)
    # December 2026 begins on a Tuesday: the grid's first day sits in the second column.
    assert response.context["first_weekday"] == 1
    page = response.content.decode()
    assert "?month=2026-11" in page
    assert "?month=2027-01" in page
    # Each day leads to its week.
    assert f"{WEEK}?week=2026-W49#day-2026-12-01" in page


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["x", "2026-13", "13.2026", "0-0"])
def test_a_wrong_month_is_a_message_and_this_month(signed_in, value):
    response = signed_in.get(MONTH, {"month": value})
    assert response.status_code == 200
    assert "Give the month as 11.2026 or 2026-11." in response.content.decode()
    assert response.context["month"] == timezone.localdate().replace(day=1)


@pytest.mark.django_db
@pytest.mark.parametrize(("url", "key"), [(WEEK, "week"), (MONTH, "month"), (ROSTER, "week")])
def test_null_characters_in_the_span_are_a_message(signed_in, url, key):
    response = signed_in.get(url, {key: "2026\x00"})
    assert response.status_code == 200
    assert "Null characters are not allowed." in response.content.decode()


# --- Filters and one expert's calendar ---------------------------------------------------------------


@pytest.mark.django_db
def test_expert_calendar_shows_only_their_assignments(signed_in):
    expert = ExpertProfileFactory(display_name="Säde Kettu")
    theirs = assignment_at(at(date(2026, 12, 2), 9), title="Säteen luento")
    BookingFactory(assignment=theirs, expert=expert, status="confirmed")
    BookingFactory(assignment=assignment_at(at(date(2026, 12, 3), 9), title="Muiden luento"))

    response = signed_in.get(WEEK, {"week": "2026-W49", "expert": expert.pk})

    assert titles(response) == ["Säteen luento"]
    page = response.content.decode()
    assert "Calendar of Säde Kettu" in page
    assert reverse("experts:detail", args=[expert.pk]) in page
    # The links to other weeks and views keep the expert.
    assert f"?week=2026-W50&amp;expert={expert.pk}" in page
    assert f"?month=2026-12&amp;expert={expert.pk}" in page


@pytest.mark.django_db
def test_month_calendar_filters_by_unit_and_status(signed_in):
    assignment_at(at(date(2026, 12, 2), 9), title="Lahden avoin", unit="Lahden terveyskeskus")
    assignment_at(
        at(date(2026, 12, 3), 9), title="Lahden peruttu", unit="Lahden terveyskeskus", status=AssignmentStatus.CANCELLED
    )
    assignment_at(at(date(2026, 12, 4), 9), title="Hollolan avoin", unit="Hollolan neuvola")

    response = signed_in.get(MONTH, {"month": "2026-12", "unit": "lahden", "status": "open"})

    assert titles(response) == ["Lahden avoin"]
    assert response.context["filters"].active_count == 2


@pytest.mark.django_db
@pytest.mark.parametrize("url", [WEEK, MONTH, ROSTER])
def test_wrong_filters_are_a_message_not_an_error(signed_in, url):
    assignment_at(at(timezone.localdate(), 12))
    response = signed_in.get(url, {"expert": "abc", "task": "ei-ole", "status": "x", "contact_person": "-1"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert titles(response) == []


# --- The roster ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_roster_lists_each_day_with_the_confirmed_experts(signed_in, coordinator):
    coordinator.first_name, coordinator.last_name = "Kaisa", "Koordinaattori"
    coordinator.save()
    assignment = assignment_at(
        at(date(2026, 12, 2), 12),
        hours=4,
        title="Vastaanottovuoro",
        address="Keskussairaalankatu 7, Lahti",
        unit="Psykiatrian poliklinikka",
        contact_person=coordinator,
        contact_phone="044 123 4567",
    )
    BookingFactory(
        assignment=assignment, expert=ExpertProfileFactory(display_name="Vahvistettu Veikko"), status="confirmed"
    )
    BookingFactory(assignment=assignment, expert=ExpertProfileFactory(display_name="Kutsuttu Kaarina"))
    assignment_at(at(date(2026, 12, 3), 12), title="Peruttu tilaisuus", status=AssignmentStatus.CANCELLED)

    response = signed_in.get(ROSTER, {"week": "2026-W49"})

    assert response.status_code == 200
    page = response.content.decode()
    assert "Roster of week 49" in page
    assert "Vastaanottovuoro" in page
    assert "Keskussairaalankatu 7, Lahti" in page
    assert "Psykiatrian poliklinikka" in page
    assert "Kaisa Koordinaattori" in page
    assert "044 123 4567" in page
    assert "Vahvistettu Veikko" in page
    assert "Kutsuttu Kaarina" not in page  # only the confirmed go on the roster
    assert "Peruttu tilaisuus" not in page
    assert [day.date for day in response.context["days"]] == [date(2026, 12, 2)]  # days with something only
    # Printing: a button that the script shows, a hint for the browser's command without it, print CSS.
    assert "data-print hidden" in page
    assert "js/print-button.js" in page
    assert "css/calendar.css" in page


@pytest.mark.django_db
def test_roster_keeps_the_filters_and_names_them(signed_in):
    assignment_at(at(date(2026, 12, 2), 12), title="Hollolan ryhmä", unit="Hollolan neuvola")
    assignment_at(at(date(2026, 12, 2), 14), title="Lahden ryhmä", unit="Lahden terveyskeskus")

    response = signed_in.get(ROSTER, {"week": "2026-W49", "unit": "Hollola"})

    page = response.content.decode()
    assert "Hollolan ryhmä" in page
    assert "Lahden ryhmä" not in page
    assert 'Ordering unit: <span class="user-text">Hollola</span>' in page


@pytest.mark.django_db
def test_week_links_to_its_roster_with_the_filters(signed_in):
    page = signed_in.get(WEEK, {"week": "2026-W49", "unit": "Lahti"}).content.decode()
    assert f"{ROSTER}?week=2026-W49&amp;unit=Lahti" in page


@pytest.mark.django_db
def test_a_wrong_week_on_the_roster_is_a_message(signed_in):
    response = signed_in.get(ROSTER, {"week": "2026-W60"})
    assert response.status_code == 200
    assert "This week is shown instead." in response.content.decode()
    assert response.context["week"] == iso_week(timezone.localdate())


# --- Query counts ----------------------------------------------------------------------------------


def _fill(count: int, first: datetime) -> None:
    """`count` assignments a day apart, each with a confirmed and an invited expert (the same two)."""
    confirmed, invited = ExpertProfileFactory(), ExpertProfileFactory()
    for number in range(count):
        assignment = assignment_at(first + timedelta(days=number % 7, hours=number), hours=1)
        BookingFactory(assignment=assignment, expert=confirmed, status="confirmed")
        BookingFactory(assignment=assignment, expert=invited)


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 6])
def test_week_queries_do_not_grow_with_rows(signed_in, django_assert_num_queries, count):
    _fill(count, at(date(2026, 11, 30), 8))
    # session, the user with roles, permissions and MFA status (accounts.backends); the filters' choices
    # of task, contact person and expert; the units in use; the week's assignments with task, contact
    # person and tariff; their bookings with experts (prefetch); then the idle-timeout session save
    # (savepoint, update, release).
    with django_assert_num_queries(11):
        response = signed_in.get(WEEK, {"week": "2026-W49"})
    assert len(titles(response)) == count


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 6])
def test_month_queries_do_not_grow_with_rows(signed_in, django_assert_num_queries, count):
    _fill(count, at(date(2026, 12, 7), 8))
    # As the week's. Then with an expert chosen: the expert's row, to check the choice, but no session
    # save (the session was renewed less than a minute ago).
    expert = ExpertProfileFactory()
    for assignment_row in range(count):
        BookingFactory(assignment=assignment_at(at(date(2026, 12, 20), 8 + assignment_row)), expert=expert)
    with django_assert_num_queries(11):
        response = signed_in.get(MONTH, {"month": "2026-12"})
    assert len(titles(response)) == 2 * count
    with django_assert_num_queries(9):
        response = signed_in.get(MONTH, {"month": "2026-12", "expert": expert.pk})
    assert len(titles(response)) == count


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 6])
def test_roster_queries_do_not_grow_with_rows(signed_in, django_assert_num_queries, count):
    expert = ExpertProfileFactory()
    for number in range(count):
        assignment = assignment_at(at(date(2026, 11, 30), 8) + timedelta(days=number % 7, hours=number))
        BookingFactory(assignment=assignment, expert=expert, status="confirmed")
        BookingFactory(assignment=assignment)
    # session, the user with roles, permissions and MFA status; the week's assignments that take place
    # with task and contact person; their confirmed and completed bookings with experts; the session
    # save (savepoint, update, release). No form, so no choices. Then with a task and an expert chosen:
    # a row to check each, and no session save (renewed less than a minute ago).
    with django_assert_num_queries(7):
        response = signed_in.get(ROSTER, {"week": "2026-W49"})
    assert sum(len(day.assignments) for day in response.context["days"]) == count
    with django_assert_num_queries(6):
        response = signed_in.get(ROSTER, {"week": "2026-W49", "task": "luento", "expert": expert.pk})
    assert sum(len(day.assignments) for day in response.context["days"]) == count
