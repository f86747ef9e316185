"""Each role signs in through the real login form and reaches its landing pages; axe checks every page.

Every check runs at desktop and at phone size. With KP_SCREENSHOTS=1 each visited page is also saved
as a full-page PNG in docs/screenshots/ (`make screenshots`).
"""

import os
import time
from pathlib import Path

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from axe_playwright_python.sync_playwright import Axe

from tests.factories import TEST_PASSWORD, TEST_TOTP_SECRET, UserFactory

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
# (screenshot name, path) of each role's landing pages, after the front page.
ROLE_PAGES = {
    "coordinator": [
        ("experts", "/asiantuntijat/"),
        ("hearings", "/kuulemiset/"),
        ("trainings", "/valmennukset/"),
        ("feedback", "/palaute/"),
        ("invitations", "/tili/kutsut/"),
    ],
    "expert": [("my-profile", "/asiantuntijat/oma/")],
    "trainer": [("trainings", "/valmennukset/"), ("feedback", "/palaute/")],
    "admin": [("admin", "/admin/")],
}
STAFF_ROLES = {"coordinator", "trainer", "admin"}
BOTH_SIZES = pytest.mark.parametrize("viewport", ["desktop", "phone"])

pytestmark = pytest.mark.browser


def check_page(page, viewport: str, who: str, name: str, *, axe: bool = True) -> None:
    """Assert no WCAG 2.1 A/AA violations and no sideways scrolling; save a screenshot if asked."""
    if os.environ.get("KP_SCREENSHOTS") == "1":
        language = page.evaluate("document.documentElement.lang") or "xx"
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SCREENSHOTS / f"{language}-{viewport}-{who}-{name}.png", full_page=True)
    if not axe:
        return
    results = Axe().run(page, options=AXE_OPTIONS)
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"
    width = page.viewport_size["width"]
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, f"{page.url} scrolls sideways: {scroll_width}px content in a {width}px window"


def current_totp_code() -> str:
    # allauth accepts only the current 30-second step: do not type a code that is about to expire.
    if 30 - time.time() % 30 < 2:
        time.sleep(2)
    return format_hotp_value(hotp_value(TEST_TOTP_SECRET, int(time.time()) // 30))


def sign_in(page, live_server, user, *, on_two_factor_page=None) -> None:
    """Fill in the login form (and the code form for staff) as a person would, ending on the front page."""
    page.goto("/accounts/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", TEST_PASSWORD)
    page.press("input[name=password]", "Enter")
    if user.is_staff_role:
        page.wait_for_url("**/accounts/2fa/authenticate/")
        if on_two_factor_page:
            on_two_factor_page()
        page.fill("input[name=code]", current_totp_code())
        page.press("input[name=code]", "Enter")
    page.wait_for_url(f"{live_server.url}/")


@BOTH_SIZES
def test_public_pages_are_accessible(page, viewport):
    for name, path, status in [
        ("front", "/", 200),
        ("login", "/accounts/login/", 200),
        ("accessibility", "/saavutettavuus/", 200),
        ("privacy", "/tietosuoja/", 200),
        ("not-found", "/ei-tallaista-sivua/", 404),
    ]:
        response = page.goto(path)
        assert response.status == status, path
        check_page(page, viewport, "anonymous", name)


@BOTH_SIZES
@pytest.mark.parametrize("role", sorted(ROLE_PAGES))
def test_role_signs_in_and_reaches_accessible_landing_pages(page, live_server, viewport, role):
    user = UserFactory(role=role, mfa=role in STAFF_ROLES)
    sign_in(page, live_server, user, on_two_factor_page=lambda: check_page(page, viewport, role, "two-factor"))
    check_page(page, viewport, role, "front")
    for name, path in ROLE_PAGES[role]:
        response = page.goto(path)
        assert response.status == 200, path
        # Django admin's own templates are not ours to fix; check only that the admin index opens.
        is_admin = path.startswith("/admin/")
        if is_admin:
            assert page.locator("#site-name").inner_text() == "Kokemuspankki"
        check_page(page, viewport, role, name, axe=not is_admin)


def test_front_page_does_not_scroll_sideways_at_320px(page):
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto("/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
