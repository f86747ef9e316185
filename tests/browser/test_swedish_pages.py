"""The main pages in Swedish, for Swedish-speaking users (Finland is bilingual): the front page signed
out, the coordinator's front page, the assignments of the month, an assignment with its experts, a
feedback round's results, and the expert's "my profile" and "my assignments". Users whose saved
language is Swedish sign in (the login sets the language cookie to it), with the data the Finnish
tests build; axe checks every page at desktop and phone size, and KP_SCREENSHOTS=1 saves them as
sv-<size>-<role>-<page>.png for README."""

from datetime import timedelta

import pytest
from django.conf import settings
from playwright.sync_api import expect

from bookings.models import Booking
from tests.browser.conftest import BOTH_SIZES, check_page, new_page, sign_in

# The booking tests' coordinator, expert (Katja) and bookings: the same pages, read in Swedish.
from tests.browser.test_booking_journey import booked, coordinator, katja  # noqa: F401  (fixtures)
from tests.browser.test_feedback import FIRST, MORE, answer
from tests.factories import AssignmentFactory, RoundFactory

pytestmark = pytest.mark.browser


def in_swedish(user):
    """The user's saved language: signing in sets the interface to it."""
    user.language = "sv"
    user.save(update_fields=["language"])
    return user


def assert_swedish(page) -> None:
    assert page.locator("html").get_attribute("lang") == "sv"
    expect(page.locator(".lang-switch button[value=sv]")).to_have_attribute("aria-current", "true")


@BOTH_SIZES
def test_front_page_signed_out_in_swedish(browser, live_server, viewport):
    page = new_page(browser, live_server, viewport, locale="sv-FI")
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "sv", "url": live_server.url}])
    assert page.goto("/").status == 200
    assert_swedish(page)
    check_page(page, viewport, "anonymous", "front")
    page.context.close()


@BOTH_SIZES
def test_coordinator_pages_in_swedish(browser, live_server, viewport, coordinator, booked):  # noqa: F811
    coming, _ = booked
    # A peer-support group's round with six answers, over the threshold (5): the results show.
    round_ = RoundFactory(
        title="Kamratstödsgrupp, träff 6",
        target=AssignmentFactory(contact_person=coordinator, starts_in=-timedelta(hours=3)),
    )
    for stars in FIRST:
        answer(round_, stars, text="Bra diskussion.")
    for stars in MORE:
        answer(round_, stars, text="Tiden tog slut för tidigt.")

    page = new_page(browser, live_server, viewport, locale="sv-FI")
    sign_in(page, live_server, in_swedish(coordinator))
    assert_swedish(page)
    check_page(page, viewport, "coordinator", "front")
    for name, path in [("assignments", "/toimeksiannot/"), ("assignment", coming.get_absolute_url())]:
        assert page.goto(path).status == 200, path
        assert_swedish(page)
        if name == "assignment":
            expect(page.locator("tr", has=page.locator("th", has_text="Katja"))).to_be_visible()
        check_page(page, viewport, "coordinator", name)

    assert page.goto(round_.get_absolute_url()).status == 200
    assert_swedish(page)
    expect(page.locator("main .averages .average-value")).to_have_count(2)
    expect(page.locator("main .free-texts li")).to_have_count(6)
    check_page(page, viewport, "coordinator", "feedback-results")
    page.context.close()


@BOTH_SIZES
def test_expert_pages_in_swedish(browser, live_server, viewport, katja, booked):  # noqa: F811
    katja.onboarding_step = 6  # the guided form is done: "my profile" shows the whole profile
    katja.save(update_fields=["onboarding_step"])
    page = new_page(browser, live_server, viewport, locale="sv-FI")
    sign_in(page, live_server, in_swedish(katja.user))
    assert_swedish(page)

    assert page.goto("/asiantuntijat/oma/").status == 200
    assert_swedish(page)
    check_page(page, viewport, "expert", "my-profile")

    assert page.goto("/toimeksiannot/omat/").status == 200
    assert_swedish(page)
    assert Booking.objects.filter(expert=katja).count() == 2
    card = page.locator(".assignment-card", has_text="Mielenterveysviikon yleisöluento")
    expect(card.locator(".earnings-warning")).to_be_visible()
    check_page(page, viewport, "expert", "my-assignments")
    page.context.close()
