"""A unit orders an expert itself, in a real browser, in Finnish: the orderer (unit staff, no access to
the bank and no TOTP) sends a request from "Orders" and sees it waiting; a coordinator finds it in the
to-do, opens it and makes it an assignment; the orderer sees it being arranged. axe checks each page
at 375 and 1280 px."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from bookings.models import Assignment, OrderRequest, OrderStatus
from experts.models import Municipality, TaskType
from tests.browser.conftest import BOTH_SIZES, check_page, new_page, sign_in
from tests.browser.test_booking_journey import coordinator  # noqa: F401  (fixture)
from tests.factories import UserFactory

pytestmark = pytest.mark.browser

UNIT = "Päijät-Hämeen sairaanhoitajakoulutus"
ORDERS = "/toimeksiannot/tilaukset/"


@pytest.fixture
def orderer():
    return UserFactory(role="orderer", first_name="Outi", last_name="Öhman-Tilaaja")


def fill_request(page, day) -> None:
    page.select_option("#id_task_type", str(TaskType.objects.get(slug="luento").pk))
    page.fill("#id_audience", "Noin 25 sairaanhoitajaopiskelijaa")
    page.fill("#id_wishes", "Toipumisesta masennuksesta ja siitä, mikä hoidossa auttoi.")
    page.fill("#id_date", day.isoformat())
    page.fill("#id_start_time", "13:00")
    page.fill("#id_end_time", "14:30")
    page.fill("#id_address", "Mukkulankatu 19, Lahti")
    page.select_option("#id_municipality", str(Municipality.objects.get(slug="lahti").pk))
    page.fill("#id_unit", UNIT)
    page.fill("#id_contact_phone", "044 765 4321")


@BOTH_SIZES
def test_orderer_sends_a_request_that_a_coordinator_makes_an_assignment(
    browser,
    live_server,
    viewport,
    orderer,
    coordinator,  # noqa: F811
):
    unit = new_page(browser, live_server, viewport)
    sign_in(unit, live_server, orderer)
    # The orderer's menu: the front page and Orders, nothing of the bank.
    expect(unit.locator(".main-nav a[href='/asiantuntijat/']")).to_have_count(0)
    expect(unit.locator(".main-nav a[href='/toimeksiannot/']")).to_have_count(0)
    unit.locator(f".main-nav a[href='{ORDERS}']").click()
    unit.wait_for_url(f"**{ORDERS}")
    expect(unit.locator(f".main-nav a[href='{ORDERS}']")).to_have_attribute("aria-current", "page")
    expect(unit.locator("main .order-list")).to_have_count(0)
    check_page(unit, viewport, "orderer", "orders-empty", screenshot=False)

    unit.locator(f"main a[href='{ORDERS}uusi/']").first.click()
    unit.wait_for_url(f"**{ORDERS}uusi/")
    day = timezone.localdate() + timedelta(days=16)
    fill_request(unit, day)
    check_page(unit, viewport, "orderer", "order-new")
    unit.locator("main form.order-form button[type=submit]").click()
    order = OrderRequest.objects.get()
    unit.wait_for_url(f"**{ORDERS}{order.pk}/")
    assert (order.orderer, order.status, order.unit, order.date) == (orderer, OrderStatus.SUBMITTED, UNIT, day)
    expect(unit.locator("main .booking-status")).to_have_class("booking-status status-submitted")
    check_page(unit, viewport, "orderer", "order-detail")
    # The list shows it waiting too.
    unit.goto(ORDERS)
    expect(unit.locator("main .order-list .booking-status")).to_have_class("booking-status status-submitted")
    check_page(unit, viewport, "orderer", "orders")

    # A coordinator finds it in the to-do and makes it an assignment, filled in from the request.
    staff = new_page(browser, live_server, viewport)
    sign_in(staff, live_server, coordinator)
    staff.goto("/toimeksiannot/tehtavat/")
    orders = staff.locator("#todo-orders").locator("xpath=..")
    expect(orders).to_contain_text(UNIT)
    orders.locator(f"a[href='{ORDERS}saapuneet/{order.pk}/']").click()
    staff.wait_for_url(f"**{ORDERS}saapuneet/{order.pk}/")
    expect(staff.locator("main")).to_contain_text("Noin 25 sairaanhoitajaopiskelijaa")
    check_page(staff, viewport, "coordinator", "order-request")
    staff.locator(f"main a[href$='?order={order.pk}']").click()
    staff.wait_for_url(f"**/toimeksiannot/uusi/?order={order.pk}")
    expect(staff.locator("#id_date")).to_have_value(day.isoformat())
    expect(staff.locator("#id_unit")).to_have_value(UNIT)
    staff.select_option("#id_tariff", index=1)
    check_page(staff, viewport, "coordinator", "assignment-from-order", screenshot=False)
    staff.locator("main form.assignment-form button[type=submit]").click()
    assignment = Assignment.objects.get()
    staff.wait_for_url(f"**{assignment.get_absolute_url()}")
    order.refresh_from_db()
    assert (order.status, order.assignment, order.handled_by) == (OrderStatus.ACCEPTED, assignment, coordinator)
    assert (assignment.unit, timezone.localdate(assignment.starts_at)) == (UNIT, day)
    staff.context.close()

    # The orderer sees it being arranged, with the assignment's time.
    unit.goto(f"{ORDERS}{order.pk}/")
    expect(unit.locator("main .booking-status").first).to_have_class("booking-status status-arranging")
    expect(unit.locator("#assignment-title")).to_be_visible()
    check_page(unit, viewport, "orderer", "order-arranging")
    unit.goto(ORDERS)
    expect(unit.locator("main .order-list .booking-status")).to_have_class("booking-status status-arranging")
    unit.context.close()
