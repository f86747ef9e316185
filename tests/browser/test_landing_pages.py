"""Each role signs in through the real login form and reaches its landing pages; axe checks every page.

Every check runs at desktop and at phone size. With KP_SCREENSHOTS=1 each visited page is also saved
as a full-page PNG in docs/screenshots/ (`make screenshots`).
"""

import pytest

from tests.browser.conftest import BOTH_SIZES, check_page, sign_in
from tests.factories import UserFactory

# (screenshot name, path) of each role's landing pages, after the front page.
ROLE_PAGES = {
    "coordinator": [
        ("experts", "/asiantuntijat/"),
        ("hearings", "/kuulemiset/hallinta/"),
        ("trainings", "/valmennukset/"),
        ("feedback", "/palaute/"),
        ("invitations", "/tili/kutsut/"),
    ],
    "expert": [("my-profile", "/asiantuntijat/oma/")],
    "trainer": [("trainings", "/valmennukset/"), ("feedback", "/palaute/")],
    "admin": [("admin", "/admin/")],
}
STAFF_ROLES = {"coordinator", "trainer", "admin"}

pytestmark = pytest.mark.browser


@BOTH_SIZES
def test_public_pages_are_accessible(page, viewport):
    for name, path, status in [
        ("front", "/", 200),
        ("login", "/accounts/login/", 200),
        ("accessibility", "/saavutettavuus/", 200),
        ("privacy", "/tietosuoja/", 200),
        ("hearings", "/kuulemiset/", 200),
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
