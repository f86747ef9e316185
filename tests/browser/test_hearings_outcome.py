"""A coordinator on a 375 px phone closes the loop: adds a finding and its decision to a closed
campaign's outcome, publishes it, and the public campaign page then shows it. axe checks each page;
the client panel pages are checked too."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from hearings.models import Campaign, ContactRequest, Decision
from notifications.models import Notification
from tests.browser.conftest import check_page, new_page, sign_in
from tests.factories import CampaignFactory, PanelFactory, UserFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def coordinator():
    return UserFactory(role="coordinator", mfa=True, first_name="Sanna", last_name="Virtanen")


@pytest.fixture
def closed(coordinator):
    campaign = CampaignFactory(
        title="Terveysasemien aukioloajat ja ajanvaraus",
        opens_at=timezone.now() - timedelta(days=40),
        closes_at=timezone.now() - timedelta(days=5),
        owner=coordinator,
    )
    ContactRequest.objects.create(campaign=campaign, email="aino@example.fi", language="fi")
    return campaign


@pytest.mark.parametrize("viewport", ["phone"])
def test_a_coordinator_publishes_an_outcome_on_a_phone(browser, live_server, viewport, coordinator, closed):
    page = new_page(browser, live_server, viewport)
    sign_in(page, live_server, coordinator)
    page.goto(f"/kuulemiset/hallinta/kampanjat/{closed.pk}/tulos/")
    check_page(page, viewport, "coordinator", "hearings-outcome-edit")

    page.fill("#id_heard_summary_fi", "Puhelinjonot olivat suurin huoli. Iltavastaanottoja toivottiin.")
    page.locator("section[aria-labelledby=texts] button[type=submit]").click()
    page.wait_for_url(f"**/kampanjat/{closed.pk}/tulos/")

    page.locator(f"a[href='/kuulemiset/hallinta/kampanjat/{closed.pk}/tulos/havainto/']").click()
    check_page(page, viewport, "coordinator", "hearings-finding-form", screenshot=False)
    page.fill("#id_text_fi", "Ajanvaraus puhelimella ruuhkautuu aamuisin.")
    page.locator("form.form button[type=submit]").click()
    page.wait_for_url(f"**/kampanjat/{closed.pk}/tulos/#finding-*")

    page.locator("a.button[href$='/paatos/']").first.click()
    page.fill("#id_body", "Hyvinvointialueen hallitus")
    page.fill("#id_reference", "§ 87")
    # "Not adopted" without reasons: a clear form error first, everything else kept.
    page.locator("input[name=status][value=not_adopted]").check()
    page.locator("form.form button[type=submit]").click()
    expect(page.locator(".error-summary")).to_be_visible()
    expect(page.locator("#id_body")).to_have_value("Hyvinvointialueen hallitus")
    check_page(page, viewport, "coordinator", "hearings-decision-form-error", screenshot=False)
    page.locator("input[name=status][value=adopted]").check()
    page.locator("form.form button[type=submit]").click()
    page.wait_for_url(f"**/kampanjat/{closed.pk}/tulos/#finding-*")
    assert Decision.objects.get().reference == "§ 87"

    page.locator("form[action$='/tulos/julkaise/'] button").click()
    page.wait_for_url(f"**/kampanjat/{closed.pk}/tulos/")
    check_page(page, viewport, "coordinator", "hearings-outcome-published", screenshot=False)
    closed.refresh_from_db()
    assert closed.outcome_published_at is not None
    assert Notification.objects.filter(kind="hearings.outcome", to_address="aino@example.fi").count() == 1

    page.goto(Campaign.objects.get(pk=closed.pk).get_absolute_url())
    expect(page.locator("#outcome")).to_contain_text("Ajanvaraus puhelimella ruuhkautuu aamuisin.")
    expect(page.locator("#outcome")).to_contain_text("§ 87")
    check_page(page, viewport, "anonymous", "hearings-campaign-outcome")
    page.context.close()


@pytest.mark.parametrize("viewport", ["phone"])
def test_client_panel_pages_are_accessible(browser, live_server, viewport, coordinator):
    panel = PanelFactory(name="Päijät-Hämeen ikäihmisten asiakasraati", coordinator=coordinator)
    page = new_page(browser, live_server, viewport)
    sign_in(page, live_server, coordinator)
    for url, name in [
        ("/kuulemiset/hallinta/raadit/", "hearings-panel-list"),
        (panel.get_absolute_url(), "hearings-panel-detail"),
        (f"/kuulemiset/hallinta/raadit/{panel.pk}/jasen/", "hearings-panel-member-form"),
        (f"/kuulemiset/hallinta/raadit/{panel.pk}/kokous/", "hearings-panel-meeting-form"),
    ]:
        page.goto(url)
        # Only the panel's own page is in the README's screenshots; the rest are checked with axe.
        check_page(page, viewport, "coordinator", name, screenshot=name == "hearings-panel-detail")
    page.context.close()
