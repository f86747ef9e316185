"""A resident answers a hearing on a 375 px phone, in Swedish, by keyboard only (Tab, arrows, Space,
Enter): a required question left empty gets an error, then every kind of question is answered and
the thanks page says what happens next. axe checks the campaign page, the form with an error and the
thanks page."""

import pytest
from playwright.sync_api import expect

from hearings.answering import forget_specs
from hearings.models import Answer, Response
from tests.browser.conftest import check_page, new_page
from tests.factories import CampaignFactory, QuestionFactory

pytestmark = pytest.mark.browser


def tab_to(page, selector: str, limit: int = 80) -> None:
    """Press Tab until the focus is on an element that matches `selector`."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def swedish_campaign():
    campaign = CampaignFactory(
        title_sv="Hälsostationernas öppettider",
        summary_sv="Berätta när det passar dig att besöka hälsostationen.",
        plain_summary_fi="Haluamme tietää, milloin käyt terveysasemalla.",
        plain_summary_sv="Vi vill veta när du går till hälsostationen.",
    )
    questions = {
        "text": QuestionFactory(campaign=campaign, order=1, kind="text", text_sv="Vad önskar du?"),
        "single": QuestionFactory(
            campaign=campaign,
            order=2,
            kind="single",
            text_sv="När besöker du oss helst?",
            choices=["Aamulla", "Illalla"],
        ),
        "multiple": QuestionFactory(
            campaign=campaign, order=3, kind="multiple", text_sv="Hur sköter du ärenden?", choices=["Puhelin", "Chat"]
        ),
        "likert": QuestionFactory(
            campaign=campaign,
            order=4,
            kind="likert",
            required=True,
            text_sv="Hur viktigt är kvällsmottagning?",
            low_label_sv="Inte alls",
            high_label_sv="Mycket",
        ),
    }
    for question in questions.values():
        for choice in question.choices.all():
            choice.label_sv = {"Aamulla": "På morgonen", "Illalla": "På kvällen"}.get(choice.label_fi, choice.label_fi)
            choice.save()
    return campaign, questions


def test_a_resident_answers_by_keyboard_on_a_phone_in_swedish(browser, live_server):
    forget_specs()
    campaign, questions = swedish_campaign()
    page = new_page(browser, live_server, "phone", locale="sv-FI")
    assert page.goto(campaign.get_absolute_url()).status == 200
    assert page.locator("html").get_attribute("lang") == "sv"
    expect(page.locator("h1")).to_have_text("Hälsostationernas öppettider")
    expect(page.locator(".plain-language")).to_contain_text("Vi vill veta när du går till hälsostationen.")
    check_page(page, "phone", "resident", "hearing-campaign")

    # Sent empty, by keyboard: the error summary and the required question's error, nothing stored.
    tab_to(page, "main button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    likert = questions["likert"]
    expect(page.locator(".error-summary")).to_be_visible()
    expect(page.locator(f"#question-{likert.pk}.has-error .errorlist")).to_be_visible()
    expect(page.locator(f".error-summary a[href='#question-{likert.pk}']")).to_be_visible()
    assert not Response.objects.exists()
    check_page(page, "phone", "resident", "hearing-form-errors")

    # Back at the top; every answer by keyboard.
    page.locator("body").focus()
    page.evaluate("window.scrollTo(0, 0); document.activeElement.blur()")
    tab_to(page, f"textarea[name=q_{questions['text'].pk}]")
    page.keyboard.type("Kvällsmottagning på torsdagar, tack.")
    tab_to(page, f"input[name=q_{questions['single'].pk}]")
    page.keyboard.press("ArrowDown")  # from the first choice to the second, choosing it
    expect(page.locator(f"input[name=q_{questions['single'].pk}]:checked")).to_have_count(1)
    for _box in range(2):
        tab_to(page, f"input[name=q_{questions['multiple'].pk}]:not(:checked)")
        page.keyboard.press("Space")
    expect(page.locator(f"input[name=q_{questions['multiple'].pk}]:checked")).to_have_count(2)
    tab_to(page, f"input[name=q_{likert.pk}]")
    assert page.evaluate("document.activeElement.value") == "1"
    for _step in range(3):
        page.keyboard.press("ArrowRight")
    expect(page.locator(f"input[name=q_{likert.pk}]:checked")).to_have_value("4")
    tab_to(page, "main button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    expect(page.locator("h1")).to_be_visible()
    assert page.url.endswith(f"/kuulemiset/{campaign.slug}/kiitos/")
    check_page(page, "phone", "resident", "hearing-thanks")
    response = Response.objects.get(campaign=campaign)
    assert response.language == "sv"
    single_choice = questions["single"].choices.get(order=2)
    assert set(Answer.objects.filter(response=response).values_list("question_id", "choice_id", "value", "text")) == {
        (questions["text"].pk, None, None, "Kvällsmottagning på torsdagar, tack."),
        (questions["single"].pk, single_choice.pk, None, ""),
        *(
            (questions["multiple"].pk, pk, None, "")
            for pk in questions["multiple"].choices.values_list("pk", flat=True)
        ),
        (likert.pk, None, 4, ""),
    }
    page.context.close()
