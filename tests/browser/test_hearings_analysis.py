"""A coordinator on a 375 px phone filters a campaign's analysis by channel, then tags two written
answers at once with a theme; axe checks every page on the way (and the themes page and report)."""

import pytest
from playwright.sync_api import expect

from hearings.models import Answer
from tests.browser.conftest import check_page, new_page, sign_in
from tests.factories import (
    AnswerFactory,
    CampaignFactory,
    NoteFactory,
    QuestionFactory,
    ResponseFactory,
    ThemeFactory,
    UserFactory,
)

pytestmark = pytest.mark.browser

TEXTS = [
    "Pysäköintipaikkoja on terveysaseman pihalla liian vähän.",
    "Iltaisin pitäisi olla auki, töiden jälkeen ei ehdi.",
    "Pysäköinti maksaa liikaa.",
    "Ajanvaraus netissä toimii hyvin.",
    "Bussilla pääsee huonosti perille.",
    "Lauantaisin voisi olla vastaanotto.",
]


@pytest.fixture
def campaign():
    campaign = CampaignFactory(title="Terveysasemien aukioloajat")
    when = QuestionFactory(
        campaign=campaign, kind="single", text="Milloin asioit mieluiten?", choices=["Aamulla", "Illalla"]
    )
    free = QuestionFactory(campaign=campaign, kind="text", text="Mitä muuta haluat sanoa?")
    for number, text in enumerate(TEXTS):
        response = ResponseFactory(campaign=campaign, channel="paper" if number == 5 else "online")
        AnswerFactory(response=response, question=when, choice=when.choices.all()[number % 2])
        AnswerFactory(response=response, question=free, text=text)
    NoteFactory(campaign=campaign, title="Työpaja Heinolassa")
    ThemeFactory(campaign=campaign, name="Pysäköinti")
    return campaign


@pytest.mark.parametrize("viewport", ["phone"])
def test_a_coordinator_filters_and_tags_two_answers_on_a_phone(browser, live_server, viewport, campaign):
    coordinator = UserFactory(role="coordinator", mfa=True)
    page = new_page(browser, live_server, viewport, touch=True)
    sign_in(page, live_server, coordinator)
    page.goto(f"/kuulemiset/hallinta/kampanjat/{campaign.pk}/analyysi/")
    expect(page.locator("h1")).to_contain_text("Terveysasemien aukioloajat")
    check_page(page, viewport, "coordinator", "hearings-analysis")

    page.select_option("select[name=kanava]", "online")
    page.locator("form.analysis-filter button[type=submit]").tap()
    page.wait_for_url("**/analyysi/?kanava=online**")
    # Five online responses: Aamulla 3, Illalla 2 (the paper one is left out).
    expect(page.locator(".chart-table").first).to_contain_text("Aamulla")
    expect(page.locator(".channel-table tfoot")).to_contain_text("5")
    check_page(page, viewport, "coordinator", "hearings-analysis-filtered", screenshot=False)

    page.locator(".analysis-tabs a[href*='/analyysi/tekstit/']").tap()
    page.wait_for_url("**/analyysi/tekstit/?kanava=online")
    check_page(page, viewport, "coordinator", "hearings-texts")
    parking = [Answer.objects.get(text=TEXTS[0]), Answer.objects.get(text=TEXTS[2])]
    for answer in parking:
        box = page.locator(f"label[for=answer-{answer.pk}]").bounding_box()
        assert box["height"] >= 44, f"a {box['height']} px target"
        page.locator(f"label[for=answer-{answer.pk}]").tap()
        expect(page.locator(f"#answer-{answer.pk}")).to_be_checked()
    page.select_option("select[name=theme]", label="Pysäköinti")
    page.locator("button[name=action][value=add]").tap()
    page.wait_for_url("**/analyysi/tekstit/?kanava=online")
    expect(page.locator(".messages")).to_contain_text("2")
    expect(page.locator(f"label[for=answer-{parking[0].pk}] ~ .text-meta")).to_contain_text("Pysäköinti")
    assert set(campaign.themes.get().answers.all()) == set(parking)

    page.locator(".analysis-tabs a[href*='/teemat/']").tap()
    page.wait_for_url("**/teemat/**")
    check_page(page, viewport, "coordinator", "hearings-themes")
    page.goto(f"/kuulemiset/hallinta/kampanjat/{campaign.pk}/raportti/")
    check_page(page, viewport, "coordinator", "hearings-report")
