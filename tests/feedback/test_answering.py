"""A participant answers a round through its short link: no account, no session, one answer per
device and per form sent, and bad input that gets a translated error with nothing half-saved."""

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.db.models import Sum
from django.urls import reverse

from feedback.models import Answer, Channel, ItemKind, Receipt, Tally, TextAnswer
from feedback.services import issue_token
from feedback.views import ANSWERED_COOKIE
from tests.factories import RoundFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def round_():
    return RoundFactory()


def items(round_, kind=None):
    found = list(round_.version.items.order_by("order"))
    return [item for item in found if kind is None or item.kind == kind]


def filled(round_, stars=4, text="Hyvä kerta, kiitos!", **overrides) -> dict:
    """A complete answer to the seeded participant form."""
    data = {"token": issue_token(round_)}
    for item in items(round_):
        if item.kind == ItemKind.SCALE:
            data[f"item_{item.pk}"] = str(stars)
        elif item.kind == ItemKind.TEXT:
            data[f"item_{item.pk}"] = text
    data.update(overrides)
    return data


def post(client, round_, data, **extra):
    return client.post(reverse("feedback:answer", args=[round_.code]), data, **extra)


def test_the_form_shows_stars_as_a_radio_group_with_labelled_ends(client, round_):
    client.cookies["kp_language"] = "fi"
    page = client.get(reverse("feedback:answer", args=[round_.code])).content.decode()
    mood = items(round_)[0]
    assert page.count(f'type="radio" name="item_{mood.pk}"') == 5
    assert "1 tähti: Huono" in page and "5 tähteä: Erinomainen" in page
    assert "Millainen fiilis sinulla oli tänään?" in page
    assert "En osaa sanoa" in page  # the trainers' item offers it


def test_the_form_is_in_swedish_for_a_swedish_reader(client, round_):
    client.cookies["kp_language"] = "sv"
    page = client.get(reverse("feedback:answer", args=[round_.code])).content.decode()
    assert "Hur kändes det i dag?" in page
    assert "Skicka respons" in page


def test_an_answer_is_stored_once_with_its_items_and_text_apart(client, round_):
    response = post(client, round_, filled(round_))
    assert response.status_code == 302
    assert response.url == reverse("feedback:thanks", args=[round_.code])
    answer = Answer.objects.get(round=round_)
    assert answer.channel == Channel.ONLINE
    scale = items(round_, ItemKind.SCALE)
    # Each star answer is added to its tally; the answer itself to the channel's.
    assert set(Tally.objects.filter(round=round_, item__isnull=False).values_list("item_id", "value", "n")) == {
        (item.pk, 4, 1) for item in scale
    }
    assert Tally.objects.filter(round=round_, item=None).values_list("channel", "n").get() == (Channel.ONLINE, 1)
    assert list(TextAnswer.objects.filter(round=round_).values_list("text", flat=True)) == ["Hyvä kerta, kiitos!"]


def test_a_double_submit_stores_one_answer(client, round_):
    data = filled(round_)
    first = post(client, round_, data)
    client.cookies.pop(ANSWERED_COOKIE)  # as if the same form were sent from another tab without the cookie
    second = post(client, round_, data)
    assert first.status_code == second.status_code == 302
    assert Answer.objects.filter(round=round_).count() == 1
    assert Receipt.objects.count() == 1
    assert Tally.objects.filter(round=round_).aggregate(n=Sum("n"))["n"] == 1 + len(items(round_, ItemKind.SCALE))


def test_the_device_that_answered_is_thanked_instead_of_asked_again(client, round_):
    post(client, round_, filled(round_))
    page = client.get(reverse("feedback:answer", args=[round_.code]))
    assert page.status_code == 200
    assert b"already answered" in page.content or "jo vastannut" in page.content.decode()
    assert b'type="radio"' not in page.content


def test_an_anonymous_participant_gets_no_session(client, round_):
    client.get(reverse("feedback:answer", args=[round_.code]))
    response = post(client, round_, filled(round_))
    client.get(response.url)
    assert Session.objects.count() == 0
    assert "sessionid" not in client.cookies


def test_a_stored_answer_has_no_identifying_column_and_only_a_date():
    names = {field.name for field in Answer._meta.get_fields() if field.concrete}
    assert names == {"id", "round", "answered_on", "channel"}
    assert Answer._meta.get_field("answered_on").get_internal_type() == "DateField"
    # Stars and choices are counts per round, item and value, not rows of a person's answers.
    tally_columns = {field.name for field in Tally._meta.get_fields() if field.concrete}
    assert tally_columns == {"id", "round", "item", "value", "dont_know", "choice", "channel", "shard", "n"}
    text_columns = {field.name for field in TextAnswer._meta.get_fields() if field.concrete}
    assert text_columns == {"id", "round", "item", "text", "answered_on"}  # no link to the answer
    assert {field.name for field in Receipt._meta.get_fields() if field.concrete} == {"token_hash", "round"}


@pytest.mark.parametrize(
    "bad, message",
    [
        ("6", "Valitse 1–5 tähteä."),
        ("0", "Valitse 1–5 tähteä."),
        ("x", "Valitse 1–5 tähteä."),  # "I cannot say" where the item does not offer it
        ("neljä", "Valitse 1–5 tähteä."),
    ],
)
def test_a_star_value_out_of_range_is_refused_with_nothing_saved(client, round_, bad, message):
    client.cookies["kp_language"] = "fi"
    mood = items(round_)[0]
    response = post(client, round_, filled(round_, **{f"item_{mood.pk}": bad}))
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert "Hyvä kerta, kiitos!" in page  # what was written is still in the form
    assert not Answer.objects.exists() and not TextAnswer.objects.exists()


def test_an_empty_form_asks_for_at_least_one_answer(client, round_):
    client.cookies["kp_language"] = "en"
    response = post(client, round_, {"token": issue_token(round_)})
    assert response.status_code == 400
    assert b"Answer at least one question" in response.content
    assert not Answer.objects.exists()


def test_a_nul_byte_in_the_text_is_refused(client, round_):
    client.cookies["kp_language"] = "en"
    response = post(client, round_, filled(round_, text="hyvä\x00kerta"))
    assert response.status_code == 400
    assert b"Null characters are not allowed" in response.content
    assert not Answer.objects.exists()


def test_ten_megabytes_of_text_get_a_translated_error_not_a_crash(client, round_):
    client.cookies["kp_language"] = "fi"
    response = post(client, round_, filled(round_, text="a" * (10 * 1024 * 1024)))
    assert response.status_code == 400
    assert "Vastaus oli liian pitkä" in response.content.decode()
    assert not Answer.objects.exists()


def test_text_over_the_limit_is_refused_and_kept(client, round_):
    client.cookies["kp_language"] = "en"
    response = post(client, round_, filled(round_, text="b" * 4001))
    assert response.status_code == 400
    assert b"at most 4000 characters" in response.content
    assert not Answer.objects.exists()


def test_a_forged_token_keeps_the_answers_and_asks_to_send_again(client, round_):
    client.cookies["kp_language"] = "en"
    response = post(client, round_, filled(round_, token="1.forged:signature"))
    assert response.status_code == 400
    assert b"send them again" in response.content
    assert "Hyvä kerta, kiitos!" in response.content.decode()
    assert not Answer.objects.exists()


def test_a_token_of_another_round_is_refused(client, round_):
    other = RoundFactory()
    response = post(client, round_, filled(round_, token=issue_token(other)))
    assert response.status_code == 400
    assert not Answer.objects.exists()


@pytest.mark.parametrize("opens_in, text", [(timedelta(days=2), b"opens on"), (timedelta(days=-30), b"has closed")])
def test_a_round_not_open_says_so_and_stores_nothing(client, opens_in, text):
    client.cookies["kp_language"] = "en"
    round_ = RoundFactory(opens_in=opens_in)
    page = client.get(reverse("feedback:answer", args=[round_.code]))
    assert page.status_code == 200 and text in page.content
    response = post(client, round_, filled(round_))
    assert text in response.content
    assert not Answer.objects.exists()


def test_a_code_typed_in_lower_case_or_with_a_dash_finds_the_round(client, round_):
    typed = f"{round_.code[:3].lower()}-{round_.code[3:].lower()}"
    response = client.get(reverse("feedback:start"), {"code": typed})
    assert response.status_code == 302 and response.url == reverse("feedback:answer", args=[round_.code])
    response = client.get(reverse("feedback:answer", args=[round_.code.lower()]))
    assert response.status_code == 302 and response.url == reverse("feedback:answer", args=[round_.code])


@pytest.mark.parametrize("code", ["ZZZZZZ", "0000", "<script>", "a" * 20])
def test_an_unknown_code_gets_a_clear_message(client, code):
    client.cookies["kp_language"] = "en"
    response = client.get(reverse("feedback:start"), {"code": code})
    assert response.status_code == 404
    assert b"No feedback form has this code" in response.content


def test_the_answer_page_reads_few_queries(client, round_, django_assert_num_queries):
    from feedback import views

    views._items.clear()
    views._questions.clear()
    views._pages.clear()
    # The round's code, times and version (one plain statement); then, rendering the page once for the
    # process: the round with its version, its items and their choices.
    with django_assert_num_queries(4):
        assert client.get(reverse("feedback:answer", args=[round_.code])).status_code == 200
    # The round's code, times and version only: the page comes from the process's cache.
    with django_assert_num_queries(1):
        assert client.get(reverse("feedback:answer", args=[round_.code])).status_code == 200
    # The round; then one statement with the receipt, the answer, the tallies and the texts.
    data = filled(round_)
    with django_assert_num_queries(2):
        assert post(client, round_, data).status_code == 302


def test_an_edited_question_shows_at_once_on_the_cached_form(client, round_):
    client.cookies["kp_language"] = "fi"
    url = reverse("feedback:answer", args=[round_.code])
    assert "Millainen fiilis" in client.get(url).content.decode()
    mood = items(round_)[0]
    mood.text_fi = "Miltä sinusta tuntui tänään?"
    mood.save()
    page = client.get(url).content.decode()
    assert "Miltä sinusta tuntui tänään?" in page and "Millainen fiilis" not in page


def staff_form_items():
    from tests.factories import seeded_form

    return list(seeded_form("staff").items.prefetch_related("choices").order_by("order"))


@pytest.mark.parametrize(
    "change",
    [
        {},
        {"stars": "5"},
        {"stars": "x"},
        {"stars": "6"},
        {"stars": " 3"},
        {"stars": ""},
        {"choice": "first"},
        {"choice": "0first"},
        {"choice": "999999"},
        {"text": "  hyvä  "},
        {"text": "a\x00b"},
        {"text": "c" * 4000},
        {"text": " " + "c" * 4000 + " "},
        {"text": "c" * 4001},
        {"token": ""},
        {"token": "t" * 201},
        {"nothing": True},
    ],
)
def test_the_quick_check_accepts_only_what_the_form_accepts(change):
    from django.http import QueryDict

    from feedback.forms import AnswerForm, quick_filled

    items = staff_form_items()
    scale = [item for item in items if item.kind == ItemKind.SCALE]
    choice = next(item for item in items if item.kind == ItemKind.CHOICE)
    text = next(item for item in items if item.kind == ItemKind.TEXT)
    data = QueryDict(mutable=True)
    data["token"] = change.get("token", "1.abc:def")
    if not change.get("nothing"):
        data[f"item_{scale[0].pk}"] = change.get("stars", "4")
        data[f"item_{scale[1].pk}"] = "2"
        first = str(choice.choices.first().pk)
        wanted = change.get("choice", "first")
        data[f"item_{choice.pk}"] = {"first": first, "0first": "0" + first}.get(wanted, wanted)
        data[f"item_{text.pk}"] = change.get("text", "Kiitos")
    quick = quick_filled(data, items)
    form = AnswerForm(data, items=items)
    if change in ({}, {"stars": "x"}, {"text": "  hyvä  "}, {"text": "c" * 4000}):
        assert quick is not None  # a plain answer takes the quick way
    if quick is not None:
        assert form.is_valid(), form.errors
        assert quick == form.filled()
    elif change in ({"stars": "6"}, {"text": "a\x00b"}, {"text": "c" * 4001}, {"token": ""}, {"nothing": True}):
        assert not form.is_valid()


def test_an_answer_sent_after_the_round_closed_is_not_stored(client, round_):
    client.cookies["kp_language"] = "en"
    data = filled(round_)
    post(client, round_, filled(round_))  # the round is now among the process's recent ones
    round_.closes_at = round_.opens_at + timedelta(minutes=1)
    round_.save(update_fields=["closes_at"])
    response = post(client, round_, data)
    assert b"has closed" in response.content
    assert Answer.objects.filter(round=round_).count() == 1


@pytest.mark.parametrize("cookie", ["", "12.13", "12.13:0000", "x:y", ":", "999999999999999999999:abc"])
def test_a_forged_or_broken_answered_cookie_is_ignored(client, round_, cookie):
    client.cookies[ANSWERED_COOKIE] = cookie.replace("12", str(round_.pk))
    page = client.get(reverse("feedback:answer", args=[round_.code]))
    assert page.status_code == 200 and b'type="radio"' in page.content
