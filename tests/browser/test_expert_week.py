"""An expert's week in a real browser, in Finnish: after a completed lecture the expert claims her
travel and tickets with a photo of the receipt; a coordinator opens the claim from the to-do, sees
the receipt and approves it into the payroll; the expert's booking shows the approved expenses. An
invitation outside the weekly hours she gave says so on her page. axe checks each page at 375 and
1280 px."""

from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from PIL import Image, ImageDraw, ImageFont
from playwright.sync_api import expect

from bookings.models import Booking, ClaimStatus, ExpenseClaim, ExpenseKind
from bookings.services import invite_experts
from tests.browser.conftest import BOTH_SIZES, check_page, new_page, sign_in
from tests.browser.test_booking_journey import coordinator  # noqa: F401  (fixture)
from tests.factories import AssignmentFactory, BookingFactory, ExpertProfileFactory

pytestmark = pytest.mark.browser

MONDAY = 0


def at(day, hour: int) -> datetime:
    return datetime.combine(day, time(hour), timezone.get_default_timezone())


@pytest.fixture(autouse=True)
def receipts_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def katja():
    """An expert who gave Mondays 9–15 as her weekly hours."""
    return ExpertProfileFactory(
        display_name="Katja", task_types=["luento"], weekdays=[MONDAY], weekdays__start=time(9), weekdays__end=time(15)
    )


@pytest.fixture
def completed(coordinator, katja):  # noqa: F811
    """Katja's lecture of two days ago, marked completed with the tariff's fee."""
    two_days_ago = timezone.localdate() - timedelta(days=2)
    return BookingFactory(
        expert=katja,
        status="completed",
        with_fee=True,
        assignment__contact_person=coordinator,
        assignment__starts_at=at(two_days_ago, 13),
        assignment__ends_at=at(two_days_ago, 15),
        assignment__title="Luento sairaanhoitajaopiskelijoille",
    )


def receipt_photo(path):
    """A bus ticket photographed: a PNG, as a phone's screenshot of a mobile ticket would be."""
    image = Image.new("RGB", (600, 900), (250, 250, 245))
    draw = ImageDraw.Draw(image)
    draw.rectangle((40, 40, 560, 860), outline=(40, 40, 40), width=4)
    font = ImageFont.load_default(size=40)
    for line, text in enumerate(["KUITTI", "Bussilippu", "Heinola - Lahti", "3.12.", "12,50 EUR"]):
        draw.text((80, 100 + 90 * line), text, fill=(0, 0, 0), font=font)
    image.save(path, format="PNG")
    return path


@BOTH_SIZES
def test_expert_claims_travel_with_a_receipt_and_the_coordinator_approves_it(
    browser,
    live_server,
    viewport,
    coordinator,  # noqa: F811
    katja,
    completed,
    tmp_path,
):
    expert = new_page(browser, live_server, viewport)
    sign_in(expert, live_server, katja.user)
    expert.goto(completed.get_absolute_url())
    expert.locator(f"main a[href='/toimeksiannot/omat/{completed.pk}/kulut/']").click()
    expert.wait_for_url(f"**/toimeksiannot/omat/{completed.pk}/kulut/")
    expert.fill("#id_kilometres", "36")
    expert.fill("#id_tickets", "12,50")
    expert.set_input_files("#id_receipt", str(receipt_photo(tmp_path / "bussilippu.png")))
    expert.fill("#id_note", "Omalla autolla Heinolaan, bussilla takaisin.")
    check_page(expert, viewport, "expert", "expense-claim")
    expert.locator("main form button[type=submit]").click()
    expect(expert.locator("#claim-title")).to_be_visible()
    expect(expert.locator("main .claim-panel .booking-status")).to_have_class("booking-status status-submitted")
    claim = ExpenseClaim.objects.get()
    assert (claim.booking, claim.status) == (completed, ClaimStatus.SUBMITTED)
    assert (claim.kilometres, claim.tickets) == (Decimal("36"), Decimal("12.50"))
    assert claim.receipt.name.endswith(".png")
    check_page(expert, viewport, "expert", "expense-claim-sent", screenshot=False)

    # The coordinator opens it from the to-do, sees the photo of the receipt and approves the claim.
    staff = new_page(browser, live_server, viewport)
    sign_in(staff, live_server, coordinator)
    staff.goto("/toimeksiannot/tehtavat/")
    claims = staff.locator("#todo-claims").locator("xpath=..")
    expect(claims).to_contain_text("Katja: Luento sairaanhoitajaopiskelijoille")
    claims.locator(f"a[href='/toimeksiannot/kulut/{claim.pk}/']").click()
    staff.wait_for_url(f"**/toimeksiannot/kulut/{claim.pk}/")
    receipt = staff.locator("main .receipt-preview img")
    expect(receipt).to_be_visible()
    assert receipt.evaluate("image => image.complete && image.naturalWidth") == 600
    check_page(staff, viewport, "coordinator", "claim-review")
    staff.locator("main form:has(input[name=action][value=approve]) button").click()
    staff.wait_for_url(f"**/toimeksiannot/kulut/{claim.pk}/")
    expect(staff.locator("main h1 + p .booking-status")).to_have_class("booking-status status-approved")
    claim.refresh_from_db()
    assert (claim.status, claim.decided_by) == (ClaimStatus.APPROVED, coordinator)
    lines = {line.kind: line for line in completed.expense_lines.all()}
    assert lines[ExpenseKind.TRAVEL_KM].quantity == Decimal("36")
    assert lines[ExpenseKind.TICKET].amount == Decimal("12.50")
    check_page(staff, viewport, "coordinator", "claim-approved", screenshot=False)
    staff.context.close()

    # The expert's booking shows the approved expenses, and the claim page says approved.
    expert.goto(completed.get_absolute_url())
    expect(expert.locator("main")).to_contain_text("12,50 €")
    check_page(expert, viewport, "expert", "booking-claim-approved", screenshot=False)
    expert.goto(f"/toimeksiannot/omat/{completed.pk}/kulut/")
    expect(expert.locator("main .claim-panel .booking-status")).to_have_class("booking-status status-approved")
    expect(expert.locator("main form")).to_have_count(0)
    check_page(expert, viewport, "expert", "expense-claim-approved", screenshot=False)
    expert.context.close()


def monday_in_two_weeks(hour: int) -> datetime:
    today = timezone.localdate()
    return at(today + timedelta(days=(7 - today.weekday()) % 7 + 14), hour)


@BOTH_SIZES
def test_invitation_outside_the_hours_the_expert_gave_says_so(
    browser,
    live_server,
    viewport,
    coordinator,  # noqa: F811
    katja,
):
    evening = AssignmentFactory(
        contact_person=coordinator,
        title="Iltaluento omaisille",
        starts_at=monday_in_two_weeks(17),
        ends_at=monday_in_two_weeks(19),
    )
    morning = AssignmentFactory(
        contact_person=coordinator,
        title="Aamupäivän vertaisryhmä",
        starts_at=monday_in_two_weeks(10),
        ends_at=monday_in_two_weeks(12),
    )
    invite_experts(assignment=evening, profiles=[katja], actor=coordinator)
    invite_experts(assignment=morning, profiles=[katja], actor=coordinator)
    outside, inside = (Booking.objects.get(assignment=assignment) for assignment in (evening, morning))

    expert = new_page(browser, live_server, viewport)
    sign_in(expert, live_server, katja.user)
    expert.goto(outside.get_absolute_url())
    warning = expert.locator("main .my-assignment > .message.warning:not(.earnings-warning)")
    expect(warning).to_have_count(1)
    expect(expert.locator("form[action$='/vastaa/']")).to_be_visible()
    check_page(expert, viewport, "expert", "my-invitation-outside-hours")
    # Within her Monday hours: no such warning.
    expert.goto(inside.get_absolute_url())
    expect(expert.locator("form[action$='/vastaa/']")).to_be_visible()
    expect(warning).to_have_count(0)
    expert.context.close()
