"""User text with a long unbroken word (a pasted URL as an assignment's title, a long unit name or
note) wraps on a 375 px phone instead of making the page scroll sideways (WCAG 1.4.10 Reflow)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.browser.conftest import new_page, sign_in
from tests.factories import AssignmentFactory, BookingFactory, ExpertProfileFactory, UserFactory

pytestmark = pytest.mark.browser

URL = "https://teams.microsoft.com/l/meetup-join/19%3ameeting_NzQ4YjVhZDEtYmM0Ny00ZjU5LWE2OGQtODQ5OWY5"
WORD = "Kokemusasiantuntijatoiminnankehittämisverkostotapaaminen"


def scroll_width(page, path: str) -> int:
    assert page.goto(path).status == 200, path
    return page.evaluate("document.documentElement.scrollWidth")


def test_long_words_in_user_text_wrap_on_a_phone(browser, live_server):
    coordinator = UserFactory(role="coordinator", mfa=True)
    profile = ExpertProfileFactory(display_name=f"Aino-{WORD}", task_types=["luento"])
    long = {"title": URL, "unit": WORD, "address": f"{WORD}katu 1", "contact_person": coordinator}
    invited = BookingFactory(expert=profile, assignment=AssignmentFactory(**long), answer_note=URL)
    coming = BookingFactory(
        expert=profile, status="confirmed", assignment=AssignmentFactory(starts_in=timedelta(days=9), **long)
    )
    BookingFactory(
        expert=profile,
        status="completed",
        with_fee=True,
        fee_note=URL,
        assignment=AssignmentFactory(starts_in=-timedelta(days=3), **long),
    )
    AssignmentFactory(open_to_all=True, starts_in=timedelta(days=11), description=URL, **long)

    expert = new_page(browser, live_server, "phone")
    sign_in(expert, live_server, profile.user)
    for path in ["/toimeksiannot/omat/", invited.get_absolute_url(), coming.get_absolute_url()]:
        assert scroll_width(expert, path) <= 375, path
    expert.context.close()

    staff = new_page(browser, live_server, "phone")
    sign_in(staff, live_server, coordinator)
    month = timezone.localtime(coming.assignment.starts_at).strftime("%Y-%m")
    for path in [
        f"/toimeksiannot/?month={month}",
        coming.assignment.get_absolute_url(),
        invited.assignment.get_absolute_url(),
        f"/asiantuntijat/?for={invited.assignment.pk}",
        f"/asiantuntijat/{profile.pk}/",
        "/asiantuntijat/?q=Aino",
    ]:
        assert scroll_width(staff, path) <= 375, path
    staff.context.close()
