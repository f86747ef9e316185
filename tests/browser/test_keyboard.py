"""Keyboard use of the page frame."""

import pytest

pytestmark = pytest.mark.browser


def test_first_tab_focuses_skip_link_that_moves_focus_to_main(page):
    page.goto("/")

    page.keyboard.press("Tab")
    skip_link = page.locator(":focus")
    assert skip_link.get_attribute("href") == "#main"
    # Hidden off-screen until focused: a sighted keyboard user must see it.
    box = skip_link.bounding_box()
    assert box is not None and box["y"] >= 0

    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
