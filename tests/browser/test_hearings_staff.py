"""A coordinator on a 375 px phone creates a hearing campaign with two questions and publishes it:
the landing page, the campaign form (first with its errors), the campaign's staff page and the
question form, each checked with axe."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from hearings.models import Campaign
from tests.browser.conftest import check_page, new_page, sign_in
from tests.factories import UserFactory

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("viewport", ["phone"])
def test_a_coordinator_creates_and_publishes_a_campaign_on_a_phone(browser, live_server, viewport):
    coordinator = UserFactory(role="coordinator", mfa=True, first_name="Kaisa", last_name="Koordinaattori")
    page = new_page(browser, live_server, viewport, touch=True)
    sign_in(page, live_server, coordinator)
    page.goto("/kuulemiset/hallinta/")
    check_page(page, viewport, "coordinator", "hearings-index")

    page.locator("a[href='/kuulemiset/hallinta/kampanjat/uusi/']").tap()
    page.wait_for_url("**/kampanjat/uusi/")
    page.locator("form.form button[type=submit]").first.tap()  # nothing filled in: the errors
    expect(page.locator(".error-summary")).to_be_visible()
    check_page(page, viewport, "coordinator", "hearings-campaign-form-errors", screenshot=False)

    opens = timezone.localdate() + timedelta(days=1)
    page.fill("#id_title_fi", "Ikäihmisten kotihoidon kehittäminen")
    page.fill("#id_summary_fi", "Kerro, mikä kotihoidossa toimii ja mikä ei.")
    page.fill("#id_plain_summary_fi", "Kerro meille kotihoidosta.")
    page.fill("#id_title_sv", "Utveckling av hemvården för äldre")
    page.fill("#id_summary_sv", "Berätta vad som fungerar i hemvården.")
    page.fill("#id_responsible_unit", "Ikääntyneiden palvelut")
    page.fill("#id_opens_on", opens.isoformat())
    page.fill("#id_opens_time", "09:00")
    page.fill("#id_closes_on", (opens + timedelta(days=14)).isoformat())
    page.fill("#id_closes_time", "16:00")
    page.locator("label[for=id_is_published]").tap()
    expect(page.locator("#id_is_published")).to_be_checked()
    page.locator("form.form button[type=submit]").first.tap()

    page.wait_for_url(re.compile(r".*/kuulemiset/hallinta/kampanjat/\d+/$"))
    campaign = Campaign.objects.get()
    check_page(page, viewport, "coordinator", "hearings-campaign-manage")

    page.locator(f"a[href='/kuulemiset/hallinta/kampanjat/{campaign.pk}/kysymykset/uusi/']").first.tap()
    page.wait_for_url("**/kysymykset/uusi/")
    check_page(page, viewport, "coordinator", "hearings-question-form", screenshot=False)
    page.locator("label[for=id_kind_1]").tap()  # one choice
    page.fill("#id_text_fi", "Milloin sinulle sopii asioida?")
    page.fill("#id_choices_fi", "Aamulla\nIltapäivällä\nIllalla")
    page.locator("button[name=add_another]").tap()

    page.wait_for_url("**/kysymykset/uusi/")
    page.locator("label[for=id_kind_3]").tap()  # scale 1–5
    page.fill("#id_text_fi", "Kuinka tyytyväinen olet kotihoitoon?")
    page.fill("#id_low_label_fi", "Erittäin tyytymätön")
    page.fill("#id_high_label_fi", "Erittäin tyytyväinen")
    page.locator("form.form button[type=submit]:not([name])").tap()

    page.wait_for_url("**/kuulemiset/hallinta/kampanjat/*/#questions")
    expect(page.locator(".question-list > li")).to_have_count(2)
    check_page(page, viewport, "coordinator", "hearings-campaign-questions", screenshot=False)
    campaign.refresh_from_db()
    assert campaign.is_published and campaign.owner == coordinator
    assert [(q.kind, q.choices.count()) for q in campaign.questions.all()] == [("single", 3), ("likert", 0)]
    page.context.close()
