"""A coordinator's morning in a real browser, in Finnish: the front page shows the to-do, the to-do
page the expert who accepted, and Confirm there books her; then a gig arranged by phone last week is
recorded afterwards with its kilometres, and the payroll export's CSV carries it. Then the week's
calendar, the month's and the roster to print, and a weekly reception shift made as a recurring
assignment. axe checks each page at 375 and 1280 px; the to-do and the week calendar also in Swedish."""

import csv
import io
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone, translation
from playwright.sync_api import expect

from bookings.filters import iso_week, monday_of
from bookings.models import Assignment, AssignmentStatus, Booking, BookingStatus, ExpenseKind
from bookings.services import answer_invitation, invite_experts
from bookings.views.exports import COLUMNS, _yes_no
from experts.models import TaskType
from tests.browser.conftest import BOTH_SIZES, check_page, new_page, sign_in

# The booking journey's coordinator (Sanna) and experts (Katja, Tuomas), available every day.
from tests.browser.test_booking_journey import coordinator, katja, tuomas  # noqa: F401  (fixtures)
from tests.browser.test_swedish_pages import assert_swedish, in_swedish
from tests.factories import AssignmentFactory, BookingFactory, OrderRequestFactory

pytestmark = pytest.mark.browser

PAST_GIG = "Vertaisryhmä puhelimitse sovittu"
SHIFT = "Vastaanottovuoro Lahden terveyskeskuksessa"


def at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), timezone.get_default_timezone())


@pytest.fixture
def morning(coordinator, katja, tuomas):  # noqa: F811
    """What waits in the morning: Katja accepted a lecture next week (Tuomas has not answered
    his invitation to it), Tuomas's gig of yesterday waits for its outcome, and a unit's order request."""
    next_week, yesterday = timezone.localdate() + timedelta(days=7), timezone.localdate() - timedelta(days=1)
    lecture = AssignmentFactory(
        contact_person=coordinator,
        title="Luento sairaanhoitajaopiskelijoille",
        starts_at=at(next_week, 13),
        ends_at=at(next_week, 15),
    )
    invite_experts(assignment=lecture, profiles=[katja, tuomas], actor=coordinator)
    accepted = Booking.objects.get(assignment=lecture, expert=katja)
    answer_invitation(booking=accepted, accept=True, note="Pääsen mielelläni.")
    BookingFactory(
        expert=tuomas,
        status="confirmed",
        assignment__contact_person=coordinator,
        assignment__starts_at=at(yesterday, 10),
        assignment__ends_at=at(yesterday, 12),
        assignment__status=AssignmentStatus.FILLED,
        assignment__title="Asiakasraati Hollolassa",
    )
    OrderRequestFactory(unit="Lahden terveysasema")
    return accepted


def in_finnish(value) -> str:
    with translation.override("fi"):
        return str(value)


def payroll_rows(path) -> list[dict]:
    """The CSV as Finnish Excel reads it (BOM, semicolons), each row by its column's key."""
    text = path.read_bytes().decode("utf-8-sig")
    header, *rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    keys = {in_finnish(column.label): column.key for column in COLUMNS}
    return [{keys[label]: value for label, value in zip(header, row, strict=True)} for row in rows]


def record_past_gig(page, day, katja) -> None:  # noqa: F811
    page.fill("#id_title", PAST_GIG)
    page.select_option("#id_task_type", str(TaskType.objects.get(slug="luento").pk))
    page.fill("#id_date", day.isoformat())
    page.fill("#id_start_time", "12:00")
    page.fill("#id_end_time", "15:00")
    page.fill("#id_address", "Terveyskeskus, Harjukatu 48, Lahti")
    page.fill("#id_unit", "Lahden terveyskeskus")
    page.select_option("#id_expert", str(katja.pk))
    page.select_option("#id_tariff", index=1)
    page.fill("#id_travel_km", "24")


def create_shift_series(page, day, last_day) -> None:
    page.fill("#id_title", SHIFT)
    page.select_option("#id_task_type", str(TaskType.objects.get(slug="luento").pk))
    page.fill("#id_description", "Kokemusasiantuntija vastaanoton aulassa keskiviikkoisin.")
    page.fill("#id_date", day.isoformat())
    page.fill("#id_start_time", "12:00")
    page.fill("#id_end_time", "16:00")
    page.locator("input[name=repeat][value=weekly]").check()
    page.fill("#id_repeat_until", last_day.isoformat())
    page.fill("#id_address", "Lahden terveyskeskus, Harjukatu 48, Lahti")
    page.fill("#id_unit", "Lahden terveyskeskus")
    page.select_option("#id_tariff", index=1)


@BOTH_SIZES
def test_coordinators_morning_from_the_to_do_to_the_payroll_export(
    browser,
    live_server,
    viewport,
    coordinator,  # noqa: F811
    katja,  # noqa: F811
    morning,
    tmp_path,
):
    accepted = morning
    staff = new_page(browser, live_server, viewport)
    sign_in(staff, live_server, coordinator)

    # The front page is the to-do: Katja waits for confirmation, and the navigation counts the items.
    to_confirm = staff.locator("#todo-to-confirm").locator("xpath=..")
    expect(to_confirm.locator(".todo-item")).to_have_count(1)
    expect(to_confirm).to_contain_text("Katja: Luento sairaanhoitajaopiskelijoille")
    expect(staff.locator("#todo-orders").locator("xpath=..")).to_contain_text("Lahden terveysasema")
    # Five items: Tuomas's invitation, Katja, the outcome, the lecture short of a confirmed expert, the order.
    expect(staff.locator(".main-nav .nav-count")).to_have_text("(5)")
    check_page(staff, viewport, "coordinator", "front-todo")

    # The to-do page; Confirm there books Katja, and the item leaves the list.
    staff.locator(".main-nav a[href='/toimeksiannot/tehtavat/']").click()
    staff.wait_for_url("**/toimeksiannot/tehtavat/")
    expect(staff.locator(".main-nav a[href='/toimeksiannot/tehtavat/']")).to_have_attribute("aria-current", "page")
    to_confirm = staff.locator("#todo-to-confirm").locator("xpath=..")
    expect(to_confirm).to_contain_text("Pääsen mielelläni.")
    expect(staff.locator("#todo-to-record").locator("xpath=..")).to_contain_text("Asiakasraati Hollolassa")
    check_page(staff, viewport, "coordinator", "todo")
    to_confirm.locator(f"form[action='/toimeksiannot/tehtavat/vahvista/{accepted.pk}/'] button").click()
    staff.wait_for_url("**/toimeksiannot/tehtavat/")
    expect(staff.locator(".message").first).to_contain_text("Katja")
    expect(staff.locator("#todo-to-confirm").locator("xpath=..").locator(".todo-item")).to_have_count(0)
    accepted.refresh_from_db()
    assert accepted.status == BookingStatus.CONFIRMED
    assert Booking.objects.get(assignment=accepted.assignment, expert__display_name="Tuomas").status == (
        BookingStatus.NOT_CHOSEN
    )
    check_page(staff, viewport, "coordinator", "todo-confirmed", screenshot=False)

    # A gig arranged by phone last week: recorded afterwards, done, with its kilometres.
    last_week = timezone.localdate() - timedelta(days=7)
    staff.locator("main a[href='/toimeksiannot/kirjaa-jalkikateen/']").first.click()
    staff.wait_for_url("**/toimeksiannot/kirjaa-jalkikateen/")
    record_past_gig(staff, last_week, katja)
    check_page(staff, viewport, "coordinator", "record-past")
    staff.locator("main form.assignment-form button[type=submit]").click()
    gig = Assignment.objects.get(title=PAST_GIG)
    staff.wait_for_url(f"**{gig.get_absolute_url()}")
    expect(staff.locator("h1")).to_have_text(PAST_GIG)
    assert gig.recorded_afterwards
    assert gig.status == AssignmentStatus.DONE
    booking = gig.bookings.get()
    assert (booking.expert, booking.status, booking.hours) == (katja, BookingStatus.COMPLETED, Decimal("3"))
    assert booking.expense_lines.get(kind=ExpenseKind.TRAVEL_KM).quantity == Decimal("24")
    check_page(staff, viewport, "coordinator", "record-past-saved", screenshot=False)

    # The payroll export of a period from last week until today: the CSV has the gig's row.
    staff.goto("/toimeksiannot/palkkiot/")
    staff.fill("#id_start", (last_week - timedelta(days=1)).isoformat())
    staff.fill("#id_end", timezone.localdate().isoformat())
    staff.locator("main form button[type=submit]:not([formaction])").click()
    expect(staff.locator("main [role=status]")).to_contain_text("1")
    check_page(staff, viewport, "coordinator", "payroll-export-week")
    with staff.expect_download() as download:
        staff.locator("main button[formaction$='palkkiot.csv']").click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    (row,) = payroll_rows(path)
    assert row["title"] == PAST_GIG
    assert row["expert"] == "Katja"
    assert row["recorded_afterwards"] == in_finnish(_yes_no(True))
    assert (row["hours"], row["km"]) == ("3,00", "24,00")
    staff.context.close()


@BOTH_SIZES
def test_calendars_roster_and_a_weekly_shift(browser, live_server, viewport, coordinator, morning):  # noqa: F811
    accepted = morning
    lecture_day = timezone.localdate(accepted.assignment.starts_at)
    week, month = iso_week(lecture_day), lecture_day.strftime("%Y-%m")
    # Wednesdays of the lecture's week and the three after it (the Wednesday is still to come).
    first_wednesday = monday_of(lecture_day) + timedelta(days=2)
    staff = new_page(browser, live_server, viewport)
    sign_in(staff, live_server, coordinator)

    # A weekly reception shift: "every Wednesday 12–16 until" the fourth Wednesday makes four dates.
    staff.goto("/toimeksiannot/uusi/")
    create_shift_series(staff, first_wednesday, first_wednesday + timedelta(days=21))
    check_page(staff, viewport, "coordinator", "assignment-new-series")
    staff.locator("main form.assignment-form button[type=submit]").click()
    shifts = list(Assignment.objects.filter(title=SHIFT).order_by("starts_at"))
    assert [timezone.localdate(shift.starts_at) for shift in shifts] == [
        first_wednesday + timedelta(days=7 * n) for n in range(4)
    ]
    assert len({shift.series_id for shift in shifts}) == 1 and shifts[0].series_id is not None
    staff.wait_for_url(f"**{shifts[0].get_absolute_url()}")

    # A date of the series links every date; the second opens with its own page.
    dates = staff.locator("main .series-dates a")
    expect(dates).to_have_count(4)
    expect(dates.first).to_have_attribute("aria-current", "page")
    dates.nth(1).click()
    staff.wait_for_url(f"**{shifts[1].get_absolute_url()}")
    expect(staff.locator("main .series-dates a").nth(1)).to_have_attribute("aria-current", "page")
    check_page(staff, viewport, "coordinator", "series-date")

    # The lecture's week: Katja's lecture (accepted, not yet confirmed) and the first shift.
    assert staff.goto(f"/toimeksiannot/kalenteri/viikko/?week={week}").status == 200
    day = staff.locator(f"#day-{lecture_day.isoformat()}")
    expect(day).to_contain_text("Luento sairaanhoitajaopiskelijoille")
    expect(day).to_contain_text("Katja")
    expect(staff.locator(f"#day-{first_wednesday.isoformat()}")).to_contain_text(SHIFT)
    check_page(staff, viewport, "coordinator", "calendar-week")

    assert staff.goto(f"/toimeksiannot/kalenteri/kuukausi/?month={month}").status == 200
    day = staff.locator(".calendar-month > li").nth(lecture_day.day - 1)
    expect(day).to_contain_text("Luento sairaanhoitajaopiskelijoille")
    check_page(staff, viewport, "coordinator", "calendar-month")

    # The roster lists what takes place; nobody is confirmed for either yet.
    assert staff.goto(f"/toimeksiannot/kalenteri/viikko/tuloste/?week={week}").status == 200
    expect(staff.locator(".roster th[scope=row]", has_text=SHIFT)).to_have_count(1)
    expect(staff.locator(".roster th[scope=row]", has_text="Luento sairaanhoitajaopiskelijoille")).to_have_count(1)
    check_page(staff, viewport, "coordinator", "roster")
    staff.context.close()


@BOTH_SIZES
def test_to_do_and_week_calendar_in_swedish(browser, live_server, viewport, coordinator, morning):  # noqa: F811
    week = iso_week(timezone.localdate(morning.assignment.starts_at))
    page = new_page(browser, live_server, viewport, locale="sv-FI")
    sign_in(page, live_server, in_swedish(coordinator))
    assert page.goto("/toimeksiannot/tehtavat/").status == 200
    assert_swedish(page)
    expect(page.locator("#todo-to-confirm").locator("xpath=..")).to_contain_text("Katja")
    check_page(page, viewport, "coordinator", "todo")
    assert page.goto(f"/toimeksiannot/kalenteri/viikko/?week={week}").status == 200
    assert_swedish(page)
    check_page(page, viewport, "coordinator", "calendar-week")
    page.context.close()
