"""Booking in a real browser, in Finnish: a coordinator creates an assignment, finds experts for it
and invites two; one accepts; the coordinator confirms and, after the assignment, marks it completed
with a fee and travel; the expert sees it done and the fee in their earnings. axe checks each page."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from bookings.eligibility import booking_range
from bookings.models import Assignment, Booking, BookingStatus
from experts.models import TaskType, WeeklyAvailability
from tests.browser.conftest import BOTH_SIZES, check_page, new_page, sign_in
from tests.factories import AssignmentFactory, ExpertProfileFactory, UserFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def coordinator():
    return UserFactory(role="coordinator", mfa=True, first_name="Sanna", last_name="Virtanen")


@pytest.fixture
def katja():
    return available_every_day(
        ExpertProfileFactory(
            display_name="Katja",
            experiences=[("masennus", "own")],
            task_types=["luento"],
            municipalities=["lahti"],
            bio="Kerron toipumisestani masennuksesta.",
        )
    )


@pytest.fixture
def tuomas():
    return available_every_day(
        ExpertProfileFactory(display_name="Tuomas", experiences=[("masennus", "close_one")], task_types=["luento"])
    )


def available_every_day(profile):
    from datetime import time

    from experts.services import refresh_search_document

    for weekday in range(7):
        WeeklyAvailability.objects.create(profile=profile, weekday=weekday, start=time(8), end=time(20))
    refresh_search_document(profile)
    return profile


def create_assignment(page, day) -> None:
    page.goto("/toimeksiannot/uusi/")
    page.fill("#id_title", "Luento sairaanhoitajaopiskelijoille")
    page.select_option("#id_task_type", str(TaskType.objects.get(slug="luento").pk))
    page.fill("#id_description", "Kokemuspuheenvuoro masennuksesta toipumisesta, 45 min ja keskustelu.")
    page.fill("#id_date", day.isoformat())
    page.fill("#id_start_time", "13:00")
    page.fill("#id_end_time", "15:00")
    page.fill("#id_address", "Mukkulankatu 19, Lahti")
    page.fill("#id_unit", "Aikuisten mielenterveyspalvelut")
    page.select_option("#id_tariff", index=1)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url("**/toimeksiannot/*/")


@BOTH_SIZES
def test_coordinator_books_an_expert_from_search_to_a_paid_completion(
    browser, live_server, viewport, coordinator, katja, tuomas
):
    staff = new_page(browser, live_server, viewport)
    sign_in(staff, live_server, coordinator)
    create_assignment(staff, timezone.localdate() + timedelta(days=7))
    assignment = Assignment.objects.get()
    expect(staff.locator("h1")).to_have_text("Luento sairaanhoitajaopiskelijoille")

    # Find experts for it: the search opens with the assignment's task and date as conditions; add
    # free text, then invite both from their cards.
    staff.locator(f"a[href*='for={assignment.pk}']").first.click()
    staff.locator("summary", has_text="Tehtävä").click()
    expect(staff.get_by_label("Luento tai puheenvuoro")).to_be_checked()
    staff.fill("#id_q", "masennus")
    staff.press("#id_q", "Enter")
    expect(staff.locator("#results h3")).to_have_count(2)
    for name in ["Katja", "Tuomas"]:
        card = staff.locator("#results li.expert-card", has=staff.locator("h3", has_text=name))
        card.locator("form[action$='/kutsu/'] button").click()
        expect(staff.locator(".message").first).to_be_visible()
    check_page(staff, viewport, "coordinator", "search-for-assignment")
    assert set(Booking.objects.values_list("expert__display_name", "status")) == {
        ("Katja", BookingStatus.INVITED),
        ("Tuomas", BookingStatus.INVITED),
    }

    # Katja accepts on her own page.
    expert = new_page(browser, live_server, viewport)
    sign_in(expert, live_server, katja.user)
    expert.goto("/toimeksiannot/omat/")
    expert.get_by_role("link", name="Luento sairaanhoitajaopiskelijoille").first.click()
    check_page(expert, viewport, "expert", "invitation-accept")
    expert.locator("input[name=answer][value=accept]").check()
    expert.fill("textarea[name=note]", "Pääsen mielelläni.")
    expert.locator("form[action$='/vastaa/'] button[type=submit]").click()
    expect(expert.locator(".booking-status")).to_have_class("booking-status status-accepted")

    # The coordinator confirms Katja; Tuomas is told it is filled.
    staff.goto(assignment.get_absolute_url())
    katja_row = staff.locator("tr", has=staff.locator("th", has_text="Katja"))
    expect(katja_row).to_contain_text("Pääsen mielelläni.")
    katja_row.locator("form[action$='/vahvista/'] button").click()
    expect(staff.locator("tr", has=staff.locator("th", has_text="Katja"))).to_contain_text("Vahvistettu")
    check_page(staff, viewport, "coordinator", "assignment-detail")
    assert dict(Booking.objects.values_list("expert__display_name", "status")) == {
        "Katja": BookingStatus.CONFIRMED,
        "Tuomas": BookingStatus.NOT_CHOSEN,
    }

    # The assignment takes place (the clock moves: it ended a minute ago; only then can it be recorded).
    starts = timezone.now() - timedelta(hours=2, minutes=1)
    Assignment.objects.filter(pk=assignment.pk).update(starts_at=starts, ends_at=starts + timedelta(hours=2))
    assignment.refresh_from_db()
    Booking.objects.filter(assignment=assignment).update(during=booking_range(assignment))

    staff.goto(assignment.get_absolute_url())
    staff.locator("a[href$='/kuittaa/']").click()
    staff.fill("input[name=travel_km]", "14")
    check_page(staff, viewport, "coordinator", "booking-complete")
    staff.locator("main form button[type=submit]").first.click()
    staff.wait_for_url(f"**{assignment.get_absolute_url()}")
    booking = Booking.objects.get(expert=katja)
    assert booking.status == BookingStatus.COMPLETED
    assert booking.fee == booking.fee_computed == assignment.expected_fee() > 0
    assert booking.expense_lines.get().quantity == Decimal("14")

    # Katja sees the assignment done and its fee in this month's earnings.
    expert.goto("/toimeksiannot/omat/")
    fee = f"{booking.fee:.2f}".replace(".", ",")
    expect(expert.locator("section[aria-labelledby=earnings-title]")).to_contain_text(f"{fee} €")
    expect(expert.locator("main")).to_contain_text("Luento sairaanhoitajaopiskelijoille")
    check_page(expert, viewport, "expert", "my-assignments-completed")
    staff.context.close()
    expert.context.close()


@pytest.fixture
def booked(coordinator, katja):
    """An assignment with Katja confirmed, one with an open invitation, and a completed one."""
    from bookings import services as booking_services

    coming = AssignmentFactory(contact_person=coordinator, title="Vastaanottovuoro Hollolan sote-keskuksessa")
    invited = AssignmentFactory(
        contact_person=coordinator, starts_in=timedelta(days=9), title="Henkilöstöinfo masennuksesta"
    )
    for assignment in (coming, invited):
        booking_services.invite_experts(assignment=assignment, profiles=[katja], actor=coordinator)
    booking = Booking.objects.get(assignment=coming)
    booking_services.answer_invitation(booking=booking, accept=True, note="Sopii hyvin.")
    booking_services.confirm_booking(booking=booking, actor=coordinator)
    # An open lecture whose fee (50 €) alone is over Katja's monthly limit: its card warns.
    AssignmentFactory(
        contact_person=coordinator,
        starts_in=timedelta(days=12),
        title="Mielenterveysviikon yleisöluento",
        open_to_all=True,
    )
    katja.monthly_earnings_limit = Decimal("40")
    katja.save(update_fields=["monthly_earnings_limit"])
    return coming, Booking.objects.get(assignment=invited)


@BOTH_SIZES
def test_booking_pages_are_accessible(browser, live_server, viewport, coordinator, katja, booked):
    coming, invitation = booked
    staff = new_page(browser, live_server, viewport)
    sign_in(staff, live_server, coordinator)
    for name, path in [
        ("assignments", "/toimeksiannot/"),
        ("assignment-new", "/toimeksiannot/uusi/"),
        ("assignment", coming.get_absolute_url()),
        ("assignment-move", f"/toimeksiannot/{coming.pk}/muuta-aikaa/"),
        ("assignment-cancel", f"/toimeksiannot/{coming.pk}/peru/"),
        ("payroll-export", "/toimeksiannot/palkkiot/"),
        ("calendar-feed", "/toimeksiannot/kalenteri/"),
    ]:
        assert staff.goto(path).status == 200, path
        check_page(staff, viewport, "coordinator", name)
    staff.context.close()

    expert = new_page(browser, live_server, viewport)
    sign_in(expert, live_server, katja.user)
    for name, path in [
        ("my-assignments", "/toimeksiannot/omat/"),
        ("invitation", invitation.get_absolute_url()),
        ("booking", Booking.objects.get(assignment=coming).get_absolute_url()),
        ("earnings-limits", "/toimeksiannot/omat/ansiot/"),
    ]:
        assert expert.goto(path).status == 200, path
        if name == "my-assignments":
            card = expert.locator(".assignment-card", has_text="Mielenterveysviikon yleisöluento")
            expect(card.locator(".earnings-warning")).to_be_visible()
        check_page(expert, viewport, "expert", name)
    # An answer without a choice: the error summary is accessible too.
    expert.goto(invitation.get_absolute_url())
    expert.locator("form[action$='/vastaa/'] button[type=submit]").click()
    expect(expert.locator(".error-summary, [role=alert]").first).to_be_visible()
    check_page(expert, viewport, "expert", "invitation-error")
    expert.context.close()
