"""Playwright fixtures: one headless Debian Chromium per session, a fresh context (cookies, viewport) per test;
and the helpers the browser tests share: another window (new_page), signing in (sign_in), and the check of
every page (check_page: axe, no sideways scrolling, a screenshot in docs/screenshots/ when KP_SCREENSHOTS=1)."""

import os
import shutil
import time
from pathlib import Path

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from playwright.sync_api import sync_playwright

from accounts.roles import sync_roles
from tests.conftest import skip_or_fail
from tests.factories import TEST_PASSWORD, TEST_TOTP_SECRET

# Playwright's sync API runs an event loop in this thread, and live_server's tests touch the database
# from the same thread, so Django would raise SynchronousOnlyOperation. Nothing here is really async.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 375, "height": 812}}
BOTH_SIZES = pytest.mark.parametrize("viewport", ["desktop", "phone"])
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
CHROMIUM_ARGS = [
    "--no-sandbox",  # the tests run as root in containers, where Chromium's sandbox cannot start
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    # The same lookup as tests/conftest.py's chromium_path, which is function-scoped and so cannot
    # feed a browser that lives for the whole session.
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        skip_or_fail("Debian's chromium is not installed (apt-get install chromium)")
    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
    yield browser
    browser.close()
    playwright.stop()


@pytest.fixture
def viewport():
    """Tests parametrize this by name ("desktop", "phone") to get another window size."""
    return "desktop"


@pytest.fixture
def page(browser, live_server, viewport):
    # Finnish is the service's default language; Chromium would otherwise ask for en-US.
    page = new_page(browser, live_server, viewport)
    yield page
    page.context.close()


@pytest.fixture(scope="session")
def _role_groups_after_session(django_db_setup, django_db_blocker):
    yield
    # Each live_server test ends by flushing every table, which also empties the role groups that a
    # data migration created. Put them back so that the reused test database (--reuse-db) still has
    # them for the next run's ordinary tests.
    with django_db_blocker.unblock():
        sync_roles(Group, Permission)


@pytest.fixture(autouse=True)
def _fresh_roles_and_cache(_role_groups_after_session, transactional_db):
    # The previous test's flush removed the role groups (permissions come back through post_migrate).
    sync_roles(Group, Permission)
    # The database cache outlives flushes: start without the previous runs' login rate-limit counters.
    cache.clear()


def new_page(browser, live_server, viewport="desktop", **options):
    """Another window of its own (cookies, viewport), in Finnish like the `page` fixture. On a phone
    `touch=True` makes it a touch screen (has_touch, is_mobile), for tap(); `options` go to
    new_context (locale="sv-FI" for Swedish)."""
    touch = options.pop("touch", False)
    if touch:
        options.update(has_touch=True, is_mobile=True)
    options.setdefault("locale", "fi-FI")
    context = browser.new_context(viewport=VIEWPORTS[viewport], base_url=live_server.url, **options)
    context.set_default_timeout(10_000)
    return context.new_page()


def check_page(page, viewport: str, who: str, name: str, *, axe: bool = True, screenshot: bool = True) -> None:
    """Assert no WCAG 2.1 A/AA violations and no sideways scrolling; save a screenshot if asked (and
    `screenshot`: False for a page checked but not shown in README)."""
    if screenshot and os.environ.get("KP_SCREENSHOTS") == "1":
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
