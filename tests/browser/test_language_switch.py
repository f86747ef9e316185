"""The header's language switch: a plain POST form, so it works without JavaScript."""

import pytest

pytestmark = pytest.mark.browser


def test_sv_button_reloads_the_page_in_swedish(page, live_server):
    page.goto("/saavutettavuus/")
    assert page.locator("html").get_attribute("lang") == "fi"

    page.locator(".lang-switch button[value=sv]").click()

    page.wait_for_url(f"{live_server.url}/saavutettavuus/")
    assert page.locator("html").get_attribute("lang") == "sv"
    assert page.locator(".lang-switch button[value=sv]").get_attribute("aria-current") == "true"
