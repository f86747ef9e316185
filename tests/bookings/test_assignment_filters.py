"""The filters of the coordinators' assignment list (bookings/filters.py): each narrows, they combine,
a date range replaces the month, bad input is a message, and the query count stays fixed."""

from datetime import date, datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from bookings.models import AssignmentStatus
from bookings.views import coordinator as coordinator_views
from experts.models import TaskType
from tests.bookings.test_bad_input import JUNK
from tests.factories import AssignmentFactory, BookingFactory, ExpertProfileFactory, UserFactory

HELSINKI = timezone.get_default_timezone()
LIST = reverse("bookings:assignment_list")


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), HELSINKI)


def assignment_at(starts: datetime, **fields):
    return AssignmentFactory(starts_at=starts, ends_at=starts + timedelta(hours=1), **fields)


@pytest.fixture
def signed_in(client, coordinator):
    client.force_login(coordinator)
    client.cookies["kp_language"] = "en"
    return client


def listed(response) -> list[str]:
    return [assignment.title for assignment in response.context["assignments"]]


DECEMBER = {"month": "2026-12"}


@pytest.mark.django_db
def test_unit_matches_any_part_of_the_name_in_any_case(signed_in):
    assignment_at(at(date(2026, 12, 2), 9), title="Neuvolan ryhmä", unit="Hollolan Äitiysneuvola")
    assignment_at(at(date(2026, 12, 3), 9), title="Poliklinikan luento", unit="Psykiatrian poliklinikka")

    response = signed_in.get(LIST, DECEMBER | {"unit": "äitiysNEUVOLA"})

    assert listed(response) == ["Neuvolan ryhmä"]


@pytest.mark.django_db
def test_unit_field_suggests_the_units_in_use(signed_in):
    today = timezone.localdate()
    assignment_at(at(today - timedelta(days=30), 9), unit="Hollolan neuvola")
    assignment_at(at(today, 9), unit="Hollolan neuvola")
    assignment_at(at(today + timedelta(days=90), 9), unit="Lahden terveyskeskus")
    assignment_at(at(today - timedelta(days=3 * 365), 9), unit="Lakkautettu yksikkö")

    response = signed_in.get(LIST)

    assert response.context["unit_suggestions"] == ["Hollolan neuvola", "Lahden terveyskeskus"]
    page = response.content.decode()
    assert 'list="units-in-use"' in page
    assert '<option value="Lahden terveyskeskus">' in page


@pytest.mark.django_db
def test_status_task_and_contact_person_each_narrow(signed_in, coordinator):
    other = UserFactory(role="coordinator", mfa=True, first_name="Toinen", last_name="Koordinaattori")
    assignment_at(at(date(2026, 12, 2), 9), title="Avoin luento", contact_person=coordinator)
    assignment_at(
        at(date(2026, 12, 3), 9), title="Peruttu luento", status=AssignmentStatus.CANCELLED, contact_person=coordinator
    )
    assignment_at(
        at(date(2026, 12, 4), 9),
        title="Toisen vertaisryhmä",
        task_type=TaskType.objects.get(slug="vertaisryhma"),
        contact_person=other,
    )

    assert listed(signed_in.get(LIST, DECEMBER | {"status": "cancelled"})) == ["Peruttu luento"]
    assert listed(signed_in.get(LIST, DECEMBER | {"task": "vertaisryhma"})) == ["Toisen vertaisryhmä"]
    assert listed(signed_in.get(LIST, DECEMBER | {"contact_person": other.pk})) == ["Toisen vertaisryhmä"]
    page = signed_in.get(LIST, DECEMBER).content.decode()
    assert "Toinen Koordinaattori" in page  # offered as a contact person


@pytest.mark.django_db
def test_expert_finds_the_assignments_they_have_a_booking_on(signed_in):
    expert = ExpertProfileFactory(display_name="Åsa Öhman")
    invited = assignment_at(at(date(2026, 12, 2), 9), title="Kutsuttu")
    declined = assignment_at(at(date(2026, 12, 3), 9), title="Kieltäytynyt")
    assignment_at(at(date(2026, 12, 4), 9), title="Ei hänen")
    BookingFactory(assignment=invited, expert=expert)
    BookingFactory(assignment=declined, expert=expert, status="declined")
    BookingFactory(assignment=declined)  # another expert on the same assignment: no second row
    never_booked = ExpertProfileFactory(display_name="Ei varauksia")

    response = signed_in.get(LIST, DECEMBER | {"expert": expert.pk})

    assert listed(response) == ["Kutsuttu", "Kieltäytynyt"]
    page = response.content.decode()
    assert f'<option value="{expert.pk}" selected>Åsa Öhman</option>' in page
    assert never_booked.display_name not in page  # only experts with a booking are offered


@pytest.mark.django_db
def test_a_listed_expert_without_bookings_may_be_asked_for_an_unlisted_one_not(signed_in):
    listed_one = ExpertProfileFactory(display_name="Uusi Asiantuntija")
    unlisted = ExpertProfileFactory(display_name="Ei suostumusta", consent=False)

    response = signed_in.get(LIST, DECEMBER | {"expert": listed_one.pk})
    assert response.context["filters"].is_valid()
    assert f'<option value="{listed_one.pk}" selected>Uusi Asiantuntija</option>' in response.content.decode()

    response = signed_in.get(LIST, DECEMBER | {"expert": unlisted.pk})
    assert "Select a valid choice." in response.content.decode()
    assert "Ei suostumusta" not in response.content.decode()


@pytest.mark.django_db
def test_filters_combine(signed_in):
    expert = ExpertProfileFactory()
    both = assignment_at(at(date(2026, 12, 2), 9), title="Lahti ja asiantuntija", unit="Lahden terveyskeskus")
    unit_only = assignment_at(at(date(2026, 12, 3), 9), title="Vain Lahti", unit="Lahden terveyskeskus")
    expert_only = assignment_at(at(date(2026, 12, 4), 9), title="Vain asiantuntija", unit="Hollolan neuvola")
    for assignment in (both, expert_only):
        BookingFactory(assignment=assignment, expert=expert)
    BookingFactory(assignment=unit_only)

    response = signed_in.get(LIST, DECEMBER | {"unit": "lahden", "expert": expert.pk, "status": "open"})

    assert listed(response) == ["Lahti ja asiantuntija"]
    assert response.context["filters"].active_count == 3
    assert "(3 conditions)" in response.content.decode()


@pytest.mark.django_db
def test_filters_apply_to_this_month_without_a_date_range(signed_in):
    today = timezone.localdate()
    assignment_at(at(today, 12), title="Tämän kuun", unit="Lahden terveyskeskus")
    assignment_at(at(today.replace(day=1) + timedelta(days=40), 12), title="Myöhemmin", unit="Lahden terveyskeskus")

    assert listed(signed_in.get(LIST, {"unit": "Lahden"})) == ["Tämän kuun"]


# --- The date range --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_date_range_replaces_the_month_and_holds_its_whole_last_day(signed_in):
    assignment_at(at(date(2026, 11, 14), 23, 59), title="Ennen")
    assignment_at(at(date(2026, 11, 15), 0, 0), title="Alku")  # 22.00 UTC the day before
    assignment_at(at(date(2026, 12, 10), 23, 30), title="Loppupäivän ilta")
    assignment_at(at(date(2026, 12, 11), 0, 10), title="Jälkeen")

    response = signed_in.get(LIST, {"month": "2026-01", "date_from": "2026-11-15", "date_to": "10.12.2026"})

    assert listed(response) == ["Alku", "Loppupäivän ilta"]
    assert response.context["date_range"] is True
    page = response.content.decode()
    assert "15.11.2026–10.12.2026" in page
    assert "2 assignments in the period" in page


@pytest.mark.django_db
def test_date_range_may_be_open_at_one_end(signed_in):
    assignment_at(at(date(2026, 1, 5), 9), title="Tammikuu")
    assignment_at(at(date(2027, 6, 5), 9), title="Kesäkuu")

    assert listed(signed_in.get(LIST, {"date_from": "2026-02-01"})) == ["Kesäkuu"]
    assert listed(signed_in.get(LIST, {"date_to": "2026-02-01"})) == ["Tammikuu"]
    assert "From 1.2.2026" in signed_in.get(LIST, {"date_from": "2026-02-01"}).content.decode()


@pytest.mark.django_db
def test_a_long_range_shows_the_first_rows_and_says_so(signed_in, monkeypatch):
    monkeypatch.setattr(coordinator_views, "LIST_LIMIT", 2)
    for day in (1, 2, 3):
        assignment_at(at(date(2026, 12, day), 9), title=f"Päivä {day}")

    response = signed_in.get(LIST, {"date_from": "2026-12-01"})

    assert listed(response) == ["Päivä 1", "Päivä 2"]
    assert "Only the first 2 assignments are shown." in response.content.decode()


# --- Bad input -------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"date_from": "2026-02-30"}, "Enter a valid date."),
        ({"date_to": "31.2.2026"}, "Enter a valid date."),
        ({"date_from": "9999-12-31"}, "Give a date between the years 2000 and 2100."),
        ({"date_from": "2026-12-10", "date_to": "2026-12-01"}, "The end of the period cannot be before its start."),
        ({"status": "maybe"}, "Select a valid choice."),
        ({"task": "ei-ole-olemassa"}, "Select a valid choice."),
        ({"contact_person": "abc"}, "Select a valid choice."),
        ({"expert": "99999999"}, "Select a valid choice."),
        ({"expert": "1e400"}, "Select a valid choice."),
        ({"unit": "x" * 201}, "Ensure this value has at most 200 characters"),
        ({"unit": "Lahti\x00"}, "Null characters are not allowed."),
    ],
)
def test_bad_filters_are_a_message_and_no_rows(signed_in, query, message):
    assignment_at(at(date(2026, 12, 2), 9))

    response = signed_in.get(LIST, DECEMBER | query)

    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert 'class="error-summary"' in page
    assert "Correct the conditions above to see the assignments." in page
    assert response.context["assignments"] == []


@pytest.mark.django_db
def test_an_expert_who_does_not_exist_is_not_a_server_error(signed_in):
    response = signed_in.get(LIST, {"expert": "-1", "contact_person": "99999999", "date_from": "0001-01-01"})
    assert response.status_code == 200


# --- Links keep the filters ------------------------------------------------------------------------


@pytest.mark.django_db
def test_month_links_and_views_keep_the_filters(signed_in):
    page = signed_in.get(LIST, DECEMBER | {"unit": "Lahti", "status": "open"}).content.decode()

    assert "?month=2026-11&amp;unit=Lahti&amp;status=open" in page
    assert "?month=2027-01&amp;unit=Lahti&amp;status=open" in page
    # The calendar of the same month and its first week, with the same conditions.
    assert f"{reverse('bookings:calendar_month')}?month=2026-12&amp;unit=Lahti&amp;status=open" in page
    assert f"{reverse('bookings:calendar_week')}?week=2026-W49&amp;unit=Lahti&amp;status=open" in page
    # The month picker carries them as hidden fields, the filter form the month.
    assert '<input type="hidden" name="unit" value="Lahti">' in page
    assert '<input type="hidden" name="month" value="2026-12">' in page


@pytest.mark.django_db
def test_filter_box_is_closed_without_conditions_and_open_with_them(signed_in):
    assert '<details class="assignment-filters">' in signed_in.get(LIST).content.decode()
    assert '<details class="assignment-filters" open>' in signed_in.get(LIST, {"unit": "x"}).content.decode()


# --- Query count -----------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 6])
def test_filtered_list_queries_do_not_grow_with_rows(signed_in, django_assert_num_queries, count):
    expert = ExpertProfileFactory()
    for number in range(count):
        assignment = assignment_at(at(date(2026, 12, 1 + number), 9), unit="Lahden terveyskeskus")
        BookingFactory(assignment=assignment, expert=expert)
        BookingFactory(assignment=assignment)
    query = {"date_from": "2026-12-01", "date_to": "2026-12-31", "unit": "lahden", "task": "luento"}
    query |= {"expert": expert.pk}
    # session, the user with roles, permissions and MFA status (accounts.backends); the task and the
    # expert chosen, to check them; the assignments with task, contact person and tariff; their
    # bookings with experts (prefetch); the units in use; the choices of task, contact person and expert
    # (the form's selects); then the idle-timeout session save (savepoint, update, release).
    with django_assert_num_queries(13):
        response = signed_in.get(LIST, query)
    assert len(response.context["assignments"]) == count


@pytest.mark.django_db
@pytest.mark.parametrize("value", JUNK)
def test_junk_in_any_filter_or_span_is_never_a_server_error(signed_in, value):
    assignment_at(at(timezone.localdate(), 12))
    keys = ["unit", "status", "task", "contact_person", "expert", "date_from", "date_to", "month", "week"]
    for url in (
        LIST,
        reverse("bookings:calendar_week"),
        reverse("bookings:calendar_month"),
        reverse("bookings:roster"),
    ):
        response = signed_in.get(url, dict.fromkeys(keys, value))
        assert response.status_code == 200, (url, value)
