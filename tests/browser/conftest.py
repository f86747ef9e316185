"""Playwright fixtures: one headless Debian Chromium per session, a fresh context (cookies, viewport) per test."""

import os
import shutil

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from playwright.sync_api import sync_playwright

from accounts.roles import sync_roles
from tests.conftest import skip_or_fail

# Playwright's sync API runs an event loop in this thread, and live_server's tests touch the database
# from the same thread, so Django would raise SynchronousOnlyOperation. Nothing here is really async.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 375, "height": 812}}
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
    context = browser.new_context(viewport=VIEWPORTS[viewport], locale="fi-FI", base_url=live_server.url)
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


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
