"""The search journey in a real browser: live filtering with htmx, the same search without JavaScript,
and axe on the search, profile and directory pages at desktop and phone size."""

from io import BytesIO

import pytest
from django.core.files.base import ContentFile
from PIL import Image, ImageDraw
from playwright.sync_api import expect

from tests.browser.conftest import BOTH_SIZES, check_page, sign_in
from tests.factories import ExpertProfileFactory, UserFactory

pytestmark = pytest.mark.browser


def portrait() -> ContentFile:
    """A small JPEG portrait: a face-coloured circle on a blue ground."""
    image = Image.new("RGB", (320, 320), (40, 90, 160))
    ImageDraw.Draw(image).ellipse((60, 40, 260, 280), fill=(235, 200, 170))
    buffer = BytesIO()
    image.save(buffer, format="JPEG")
    return ContentFile(buffer.getvalue())


@pytest.fixture
def experts(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    katja = ExpertProfileFactory(
        display_name="Katja",
        experiences=[("masennus", "own")],
        municipalities=["lahti"],
        task_types=["vertaisryhma"],
        bio="Vedän masennusryhmää Lahdessa.",
        visibility={"bio": "public"},
        is_public=True,
    )
    # Shown to coordinators (the default). Only the photo is saved: the factory's instance does not
    # hold the search columns that it filled in the database.
    katja.photo.save("katja.jpg", portrait(), save=False)
    katja.save(update_fields=["photo"])
    return [
        katja,
        ExpertProfileFactory(display_name="Tuomas", experiences=[("skitsofrenia", "own")], municipalities=["sysma"]),
    ]


def result_names(page) -> list[str]:
    return page.locator("#results h3").all_inner_texts()


@BOTH_SIZES
def test_search_profile_and_directory_pages_are_accessible(page, live_server, viewport, experts, settings):
    settings.KP_PUBLIC_DIRECTORY = True
    sign_in(page, live_server, UserFactory(role="coordinator", mfa=True))
    for name, path in [
        ("search", "/asiantuntijat/?area=masennus&municipality=lahti"),
        ("search-no-results", "/asiantuntijat/?q=olematon"),
        ("search-bad-input", "/asiantuntijat/?date=31.2.2026"),
        ("expert", experts[0].get_absolute_url()),
        ("directory", "/asiantuntijat/hakemisto/"),
    ]:
        assert page.goto(path).status == 200, path
        if name == "expert":  # the photo is served to the coordinator, not a broken image
            photo = page.locator("img.profile-photo")
            expect(photo).to_be_visible()
            assert photo.evaluate("image => image.complete && image.naturalWidth") == 320
        check_page(page, viewport, "coordinator", name)


def test_typing_filters_live_and_the_url_follows(page, live_server, experts):
    sign_in(page, live_server, UserFactory(role="coordinator", mfa=True))
    page.goto("/asiantuntijat/")
    assert result_names(page) == ["Katja", "Tuomas"]
    page.evaluate("window.fullLoads = (window.fullLoads || 0) + 1")
    page.fill("#id_q", "skitsofernia")
    expect(page.locator("#results h3")).to_have_count(1)
    assert result_names(page) == ["Tuomas"]
    assert page.locator("#result-count").inner_text() == "Löytyi yksi kokemusasiantuntija."
    assert "q=skitsofernia" in page.url
    # The page was not reloaded: the marker set before typing is still there.
    assert page.evaluate("window.fullLoads") == 1


def test_ticking_a_facet_filters_live(page, live_server, experts):
    sign_in(page, live_server, UserFactory(role="coordinator", mfa=True))
    page.goto("/asiantuntijat/")
    page.locator("summary", has_text="Kunta").click()
    page.get_by_label("Sysmä").check()
    expect(page.locator("#results h3")).to_have_count(1)
    assert result_names(page) == ["Tuomas"]
    assert "municipality=sysma" in page.url


def test_without_javascript_the_form_submits_normally(browser, live_server, experts):
    context = browser.new_context(java_script_enabled=False, locale="fi-FI", base_url=live_server.url)
    page = context.new_page()
    sign_in(page, live_server, UserFactory(role="coordinator", mfa=True))
    page.goto("/asiantuntijat/")
    page.fill("#id_q", "masennus")
    page.get_by_role("button", name="Hae", exact=True).click()
    page.wait_for_url("**/asiantuntijat/?q=masennus*")
    assert result_names(page) == ["Katja"]
    context.close()


@BOTH_SIZES
def test_a_card_says_which_words_found_it(page, live_server, viewport, experts):
    # "masentunut" is a related word of Masennus (the admin-kept synonyms), "Lahti" is in Katja's
    # municipalities and, inflected, in her introduction: the card names the words of its facts and
    # introduction that matched, in Finnish, and axe finds nothing to fix.
    sign_in(page, live_server, UserFactory(role="coordinator", mfa=True))
    assert page.goto("/asiantuntijat/?q=masentunut+lahti").status == 200
    assert result_names(page) == ["Katja"]
    found = page.locator("#results .found")
    expect(found).to_have_text("Löytyi sanoilla: Masennus, Lahti, Lahdessa")
    check_page(page, viewport, "coordinator", "search-found-by")


@BOTH_SIZES
def test_the_search_and_a_profile_in_swedish(page, live_server, viewport, experts):
    # A Swedish-speaking coordinator switches the language once; the search, the card's found-by line
    # and the profile page read in Finland-Swedish, and axe finds nothing to fix.
    sign_in(page, live_server, UserFactory(role="coordinator", mfa=True))
    page.locator(".lang-switch button[value=sv]").click()
    page.wait_for_url(f"{live_server.url}/")
    assert page.goto("/asiantuntijat/?q=masentunut+lahti").status == 200
    assert page.locator("html").get_attribute("lang") == "sv"
    assert result_names(page) == ["Katja"]
    expect(page.locator("#results .found")).to_have_text("Hittades med: Depression, Lahtis, Lahdessa")
    expect(page.locator("label[for=id_date]")).to_have_text("Kan ta uppdrag den")
    check_page(page, viewport, "coordinator", "search-found-by")
    assert page.goto(experts[0].get_absolute_url()).status == 200
    assert page.locator("html").get_attribute("lang") == "sv"
    check_page(page, viewport, "coordinator", "expert")
