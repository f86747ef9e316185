"""Session feedback in a real browser: a participant answers on a 375 px phone by keyboard only (in
Finnish) and by tapping (in Swedish), and the answer is stored; the round's owner reads the results
below and above the threshold, the series' trend and the QR poster. axe checks every page."""

from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.conf import settings
from playwright.sync_api import expect

from feedback.models import Answer, Item, Series, TextAnswer
from feedback.services import Filled, issue_token, submit_answer
from tests.browser.conftest import BOTH_SIZES, check_page, new_page, sign_in
from tests.factories import AssignmentFactory, RoundFactory, UserFactory

pytestmark = pytest.mark.browser

# The seeded participant form (feedback/seed.py): six star questions, the last with "I cannot say",
# then one free text.
STAR_KEYS = ["mood", "motivation", "content", "inspiration", "time", "trainers"]


def items_by_key(round_) -> dict[str, Item]:
    return {item.key: item for item in round_.version.items.all()}


def stored(round_) -> dict[str, int | str]:
    """The one stored answer's stars by item key ("x" for "I cannot say"): from the per-round tallies
    (feedback.models.Tally) where answers are added up, else from the per-answer item rows."""
    from feedback import models

    if hasattr(models, "Tally"):
        rows = models.Tally.objects.filter(round=round_, item__isnull=False, n__gt=0).select_related("item")
        assert all(row.n == 1 for row in rows)
    else:
        rows = models.ItemAnswer.objects.filter(round=round_).select_related("item")
    return {row.item.key: "x" if row.dont_know else row.value for row in rows if row.item.kind == "scale"}


def star_label(page, item: Item, value: str):
    radio_id = page.locator(f"input[name=item_{item.pk}][value='{value}']").get_attribute("id")
    return page.locator(f"label[for={radio_id}]")


def tab_to(page, selector: str, limit: int = 60) -> None:
    """Press Tab until the focus is on an element that matches `selector`."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def focused_label_outline(page) -> dict:
    """The computed outline of the label of the focused radio, and whether it matches :focus-visible."""
    return page.evaluate(
        """() => {
            const radio = document.activeElement;
            const style = getComputedStyle(document.querySelector(`label[for="${radio.id}"]`));
            return {style: style.outlineStyle, width: parseFloat(style.outlineWidth),
                    visible: radio.matches(":focus-visible")};
        }"""
    )


def assert_focus_is_visible(page) -> None:
    outline = focused_label_outline(page)
    assert outline["visible"] and outline["style"] != "none" and outline["width"] >= 2, outline


def answer(round_, stars: dict[str, int | str], text: str = "") -> None:
    """One participant's answer straight into the database, as the form would store it."""
    items = items_by_key(round_)
    filled = Filled(
        values={items[key].pk: value for key, value in stars.items() if value != "x"},
        dont_know={items[key].pk for key, value in stars.items() if value == "x"},
        texts={items["comment"].pk: text} if text else {},
    )
    assert submit_answer(round_=round_, filled=filled, token=issue_token(round_)) is not None


def test_participant_answers_by_keyboard_on_a_phone_in_finnish(browser, live_server):
    round_ = RoundFactory(title="Vertaisryhmä masennuksesta toipuville, kerta 3")
    items = items_by_key(round_)
    # The first question required, so that an empty form gets an error on a question (not only the
    # form's "answer at least one").
    Item.objects.filter(pk=items["mood"].pk).update(required=True)
    page = new_page(browser, live_server, "phone")
    assert page.goto(round_.answer_url()).status == 200
    assert page.locator("html").get_attribute("lang") == "fi"
    expect(page.locator("h1")).to_have_text(round_.title)
    expect(page.locator(".stars")).to_have_count(len(STAR_KEYS))
    check_page(page, "phone", "participant", "feedback-form")

    # Sent empty, by keyboard: the error summary and the required question's error, nothing stored.
    tab_to(page, "main button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator(".error-summary")).to_be_visible()
    expect(page.locator(f"#question-{items['mood'].pk}.has-error .errorlist")).to_be_visible()
    expect(page.locator(f".error-summary a[href='#question-{items['mood'].pk}']")).to_be_visible()
    assert Answer.objects.count() == 0
    check_page(page, "phone", "participant", "feedback-errors")

    # Tab into each star group (one stop per group), then arrows: from the first star, each arrow
    # press moves to the next star and chooses it. "I cannot say" comes after the fifth star.
    chosen = {"mood": 4, "motivation": 5, "content": 1, "inspiration": 3, "time": 2, "trainers": "x"}
    for key in STAR_KEYS:
        item = items[key]
        tab_to(page, f"input[name=item_{item.pk}]")
        assert page.evaluate("document.activeElement.value") == "1", key  # the group's first star
        assert_focus_is_visible(page)
        value = chosen[key]
        presses = 5 if value == "x" else value - 1
        if presses == 0:
            page.keyboard.press("Space")
        for _ in range(presses):
            page.keyboard.press("ArrowRight")
        if value != "x":
            assert_focus_is_visible(page)
        expect(page.locator(f"input[name=item_{item.pk}]:checked")).to_have_value(str(value))
    tab_to(page, f"textarea[name=item_{items['comment'].pk}]")
    page.keyboard.type("Hyvä kerta, kiitos! Äänet kuuluivat hyvin.")
    tab_to(page, "main button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_url(f"**{round_.answer_url()}kiitos/")
    assert page.locator("html").get_attribute("lang") == "fi"
    check_page(page, "phone", "participant", "feedback-thanks")

    assert Answer.objects.get().round == round_
    assert stored(round_) == chosen
    assert list(TextAnswer.objects.values_list("round", "text")) == [
        (round_.pk, "Hyvä kerta, kiitos! Äänet kuuluivat hyvin.")
    ]
    # The same device again: a thank-you, not a second form.
    page.goto(round_.answer_url())
    expect(page.locator("main form")).to_have_count(0)
    assert Answer.objects.count() == 1
    page.context.close()


def test_participant_taps_through_the_form_on_a_phone_in_swedish(browser, live_server):
    round_ = RoundFactory(title="Kamratgrupp, träff 2")
    items = items_by_key(round_)
    page = new_page(browser, live_server, "phone", touch=True)
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "sv", "url": live_server.url}])
    assert page.goto(round_.answer_url()).status == 200
    assert page.locator("html").get_attribute("lang") == "sv"
    # The form's own content in Swedish (modeltranslation), not the interface's strings.
    expect(page.locator(f"#question-{items['mood'].pk} legend")).to_contain_text("Hur kändes det i dag?")

    # Every star is a target of at least 44 × 44 px on a 375 px screen.
    labels = page.locator(".stars label")
    assert labels.count() == 5 * len(STAR_KEYS)
    for index in range(labels.count()):
        box = labels.nth(index).bounding_box()
        assert box["width"] >= 44 and box["height"] >= 44, (index, box)

    chosen = {"mood": 5, "motivation": 4, "content": 4, "inspiration": 5, "time": 3, "trainers": 5}
    for key, value in chosen.items():
        star_label(page, items[key], str(value)).tap()
        expect(page.locator(f"input[name=item_{items[key].pk}]:checked")).to_have_value(str(value))
    # Tapping another star changes the choice.
    star_label(page, items["time"], "4").tap()
    chosen["time"] = 4
    expect(page.locator(f"input[name=item_{items['time'].pk}]:checked")).to_have_value("4")
    textarea = page.locator(f"textarea[name=item_{items['comment'].pk}]")
    textarea.tap()
    page.keyboard.type("Bra träff, tack!")
    # Back to the last star group from the keyboard: its chosen star's label shows the focus.
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement.name") == f"item_{items['trainers'].pk}"
    assert_focus_is_visible(page)
    check_page(page, "phone", "participant", "feedback-form")

    page.locator("main button[type=submit]").tap()
    page.wait_for_url(f"**{round_.answer_url()}kiitos/")
    assert page.locator("html").get_attribute("lang") == "sv"
    check_page(page, "phone", "participant", "feedback-thanks", screenshot=False)
    assert Answer.objects.get().round == round_
    assert stored(round_) == chosen
    assert list(TextAnswer.objects.values_list("text", flat=True)) == ["Bra träff, tack!"]
    page.context.close()


# Six earlier sessions' answers of a peer group (stars by question, one row per participant): mood
# and motivation rise over the series, the trainers stay high.
def series_answers(session: int) -> list[dict[str, int | str]]:
    rows = []
    for person in range(6):
        lift = (session + person) // 3
        rows.append(
            {
                "mood": min(5, 2 + lift),
                "motivation": min(5, 3 + (session + person) // 4),
                "content": 4 if person % 2 else 5,
                "inspiration": min(5, 3 + session // 2),
                "time": 4,
                "trainers": "x" if person == 5 else 5,
            }
        )
    return rows


# The round read below and above the threshold (5): three answers first, then three more.
FIRST = [
    {"mood": 4, "motivation": 5, "content": 5, "inspiration": 4, "time": 4, "trainers": 5},
    {"mood": 5, "motivation": 4, "content": 4, "inspiration": 5, "time": 3, "trainers": 5},
    {"mood": 3, "motivation": 4, "content": 5, "inspiration": 4, "time": 4, "trainers": "x"},
]
MORE = [
    {"mood": 5, "motivation": 5, "content": 4, "inspiration": 5, "time": 5, "trainers": 5},
    {"mood": 4, "motivation": 4, "content": 5, "inspiration": 5, "time": 4, "trainers": 4},
    {"mood": 2, "motivation": 3, "content": 4, "inspiration": 3, "time": 4, "trainers": 5},
]


@BOTH_SIZES
def test_owner_reads_results_below_and_above_the_threshold(browser, live_server, viewport):
    coordinator = UserFactory(role="coordinator", mfa=True, first_name="Sanna", last_name="Virtanen")
    series = Series.objects.create(name="Vertaisryhmä masennuksesta toipuville, kevät", owner=coordinator)
    for session in range(5):
        days_ago = 7 * (6 - session)
        past = RoundFactory(
            title=f"Vertaisryhmä, kerta {session + 1}",
            series=series,
            target=AssignmentFactory(contact_person=coordinator, starts_in=-timedelta(days=days_ago, hours=3)),
            opens_in=-timedelta(days=days_ago),
        )
        for stars in series_answers(session):
            answer(past, stars)
    round_ = RoundFactory(
        title="Vertaisryhmä, kerta 6",
        series=series,
        target=AssignmentFactory(contact_person=coordinator, starts_in=-timedelta(hours=3)),
    )
    assert round_.owner == coordinator and round_.threshold == 5
    for stars in FIRST:
        answer(round_, stars, text="Hyvä keskustelu.")

    page = new_page(browser, live_server, viewport)
    sign_in(page, live_server, coordinator)

    # Below the threshold: the rule and the count so far, and no figures at all.
    assert page.goto(round_.get_absolute_url()).status == 200
    callout = page.locator("main .callout[role=status]")
    expect(callout).to_be_visible()
    expect(callout).to_contain_text("5")  # results show at 5 answers
    expect(callout).to_contain_text("3")  # 3 so far
    for figures in [".averages", ".result-item", "table.distribution", ".bars", ".free-texts"]:
        expect(page.locator(f"main {figures}")).to_have_count(0)
    check_page(page, viewport, "coordinator", "feedback-results-hidden", screenshot=False)

    # Three more answers: the means, the bars and the same figures as a table, the free texts.
    for stars in MORE:
        answer(round_, stars, text="Aika loppui kesken.")
    page.reload()
    expect(page.locator("main .callout")).to_have_count(0)
    everyone = FIRST + MORE
    averages = page.locator("main .averages .average-value")
    expect(averages).to_have_count(2)  # learning and training
    learning = [row[key] for row in everyone for key in ("mood", "motivation")]
    training = [row[key] for row in everyone for key in ("content", "inspiration", "time", "trainers")]
    training = [value for value in training if value != "x"]
    expect(averages).to_have_text([finnish(learning), finnish(training)])
    items = items_by_key(round_)
    for key in ["mood", "motivation", "content", "inspiration", "time"]:
        section = page.locator(f"main section[aria-labelledby=item-{items[key].pk}]")
        values = [row[key] for row in everyone]
        expect(section.locator("p strong")).to_contain_text(finnish(values))
        expect(section.locator("p strong")).to_contain_text(f"n = {len(values)}")
        rows = section.locator("table.distribution tbody tr")
        expect(rows).to_have_count(5)
        for stars in range(1, 6):
            expect(rows.nth(stars - 1).locator("td").first).to_have_text(str(values.count(stars)))
    # Trainers: one "I cannot say", so five answered the question itself: just at the threshold.
    trainers = page.locator(f"main section[aria-labelledby=item-{items['trainers'].pk}]")
    expect(trainers.locator("p strong")).to_contain_text("n = 5")
    expect(page.locator("main .free-texts li")).to_have_count(6)
    check_page(page, viewport, "coordinator", "feedback-results")

    # The series: a line per question over the six rounds, and the same means as a table.
    page.locator("main .breadcrumb a", has_text=series.name).click()
    page.wait_for_url(f"**{series.get_absolute_url()}")
    expect(page.locator("main .trend svg polyline")).to_have_count(len(STAR_KEYS))
    expect(page.locator("main .trend-table tbody tr")).to_have_count(6)
    check_page(page, viewport, "coordinator", "feedback-series", screenshot=viewport == "desktop")

    # The QR poster: the title, an SVG code, the code to type; one A4 page when printed.
    assert page.goto(f"/palaute/{round_.pk}/juliste/").status == 200
    expect(page.locator("main.poster h1")).to_have_text(round_.title)
    expect(page.locator(".poster-qr svg")).to_be_visible()
    expect(page.locator(".poster-code")).to_have_text(round_.code)
    check_page(page, viewport, "coordinator", "feedback-poster", screenshot=viewport == "desktop")
    if viewport == "desktop":
        # Printed: A4 less the @page margins (15 mm), at 96 CSS pixels per inch: 180 × 267 mm.
        page.emulate_media(media="print")
        page.set_viewport_size({"width": mm(180), "height": mm(267)})
        assert page.locator(".no-print").is_hidden()
        size = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.scrollHeight]")
        assert size[0] <= mm(180) and size[1] <= mm(267), f"the poster needs {size} px, more than one A4 page"
    page.context.close()


def mm(length: float) -> int:
    return int(length / 25.4 * 96)


def finnish(values: list[int]) -> str:
    """Their mean as the page shows it: to two decimals (feedback.results), then one, with a decimal comma."""
    mean = (Decimal(sum(values)) / len(values)).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return str(mean.quantize(Decimal("0.1"), ROUND_HALF_UP)).replace(".", ",")
