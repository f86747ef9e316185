"""A resident answers a campaign's online form: no account, no session, what a response row stores,
one response per form sent, every kind of bad input refused with a message and the answers kept,
the honeypot and the rate limit refusing without losing what was typed."""

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.core import signing
from django.urls import reverse

from hearings import answering
from hearings.answering import forget_specs, issue_token
from hearings.models import Answer, Channel, ContactRequest, Receipt, Response
from tests.hearings.public_helpers import campaign_with_questions, filled, municipality, post

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_specs():
    forget_specs()


@pytest.fixture
def setup():
    return campaign_with_questions()


def answers_of(campaign):
    return set(
        Answer.objects.filter(response__campaign=campaign).values_list("question_id", "choice_id", "value", "text")
    )


def test_the_form_shows_each_kind_of_question_as_its_own_group(client, setup):
    campaign, questions = setup
    client.cookies["kp_language"] = "fi"
    page = client.get(campaign.get_absolute_url()).content.decode()
    assert page.count(f'type="radio" name="q_{questions["likert"].pk}"') == 5
    assert page.count(f'type="radio" name="q_{questions["single"].pk}"') == 2
    assert page.count(f'type="checkbox" name="q_{questions["multiple"].pk}"') == 3
    assert f'<textarea name="q_{questions["text"].pk}"' in page
    assert page.count("<legend>") >= 6  # four questions, the background ones, the address
    assert "1 tähti: Ei lainkaan" in page and "5 tähteä: Erittäin" in page
    assert "(pakollinen)" in page or "(required)" in page


def test_an_answer_is_stored_with_each_kind_of_answer(client, setup):
    campaign, questions = setup
    place = municipality()
    client.cookies["kp_language"] = "sv"
    response = post(client, campaign, filled(campaign, questions, age_group="30-44", municipality=str(place.pk)))
    assert response.status_code == 302
    assert response.url == reverse("hearings:thanks", args=[campaign.slug])
    stored = Response.objects.get(campaign=campaign)
    assert (stored.channel, stored.language, stored.age_group, stored.municipality) == (
        Channel.ONLINE,
        "sv",
        "30-44",
        place,
    )
    single, multiple = questions["single"], questions["multiple"]
    assert answers_of(campaign) == {
        (questions["text"].pk, None, None, "Iltavastaanottoja useammin."),
        (single.pk, single.choices.get(order=2).pk, None, ""),
        *((multiple.pk, choice.pk, None, "") for choice in multiple.choices.filter(order__lte=2)),
        (questions["likert"].pk, None, 4, ""),
    }


def test_a_response_row_has_no_identifying_column_and_only_a_date():
    names = {field.name for field in Response._meta.get_fields() if field.concrete}
    assert names == {"id", "campaign", "channel", "answered_on", "language", "age_group", "municipality"}
    assert Response._meta.get_field("answered_on").get_internal_type() == "DateField"
    assert {field.name for field in Receipt._meta.get_fields() if field.concrete} == {"token_hash", "campaign"}
    # The address to be told the outcome has no link to a response.
    assert {field.name for field in ContactRequest._meta.get_fields() if field.concrete} == {
        "id",
        "campaign",
        "email",
        "language",
        "consented_at",
    }


def test_an_anonymous_resident_gets_no_session(client, setup):
    campaign, questions = setup
    client.get(campaign.get_absolute_url())
    response = post(client, campaign, filled(campaign, questions))
    client.get(response.url)
    assert Session.objects.count() == 0
    assert "sessionid" not in client.cookies


def test_the_form_needs_no_csrf_cookie(setup):
    from django.test import Client

    campaign, questions = setup
    strict = Client(enforce_csrf_checks=True)
    assert post(strict, campaign, filled(campaign, questions)).status_code == 302
    assert Response.objects.filter(campaign=campaign).count() == 1


def test_a_double_submit_stores_one_response(client, setup):
    campaign, questions = setup
    data = filled(campaign, questions)
    first, second = post(client, campaign, data), post(client, campaign, data)
    assert first.status_code == second.status_code == 302
    assert Response.objects.filter(campaign=campaign).count() == 1
    assert Answer.objects.filter(response__campaign=campaign).count() == 5


def test_an_expired_form_is_shown_again_with_the_answers_and_a_fresh_token(client, setup, monkeypatch):
    campaign, questions = setup
    client.cookies["kp_language"] = "en"
    long_answer = "Pitkä vastaus. " * 200
    data = filled(campaign, questions, **{f"q_{questions['text'].pk}": long_answer})
    monkeypatch.setattr(answering, "TOKEN_MAX_AGE", -1)  # as if the form had been open for over a day
    response = post(client, campaign, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Your answers are still here: send them again." in page
    assert long_answer.strip() in page
    assert not Response.objects.exists()
    monkeypatch.setattr(answering, "TOKEN_MAX_AGE", 24 * 3600)
    fresh = response.context["form"].data["token"]
    assert fresh != data["token"]
    assert post(client, campaign, {**data, "token": fresh}).status_code == 302
    assert Response.objects.filter(campaign=campaign).count() == 1


def test_a_forged_or_foreign_token_is_refused_with_the_answers_kept(client, setup):
    campaign, questions = setup
    other, _questions = campaign_with_questions()
    for token in ("1.abc:forged", issue_token(other.pk)):
        response = post(client, campaign, filled(campaign, questions, token=token))
        assert response.status_code == 400
        assert "Iltavastaanottoja useammin." in response.content.decode()
    assert not Response.objects.exists()


def test_the_honeypot_refuses_with_the_answers_kept_and_emptied_for_a_second_send(client, setup):
    campaign, questions = setup
    client.cookies["kp_language"] = "en"
    response = post(client, campaign, filled(campaign, questions, homepage="http://spam.example"))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Check your answers and send them again." in page
    assert "Iltavastaanottoja useammin." in page
    assert "spam.example" not in page  # a person whose browser filled it can simply send again
    assert not Response.objects.exists()
    again = post(client, campaign, dict(response.context["form"].data.lists()))
    assert again.status_code == 302
    assert Response.objects.filter(campaign=campaign).count() == 1


def test_the_honeypot_is_hidden_from_people_and_assistive_technology(client, setup):
    campaign, _questions = setup
    page = client.get(campaign.get_absolute_url()).content.decode()
    assert '<div class="hp" aria-hidden="true">' in page
    assert 'name="homepage"' in page and 'tabindex="-1"' in page


def test_the_rate_limit_refuses_with_the_answers_kept(client, setup, settings):
    campaign, questions = setup
    settings.KP_HEARINGS_RATE_LIMIT = 2
    client.cookies["kp_language"] = "en"
    for _n in range(2):
        assert post(client, campaign, filled(campaign, questions)).status_code == 302
    response = post(client, campaign, filled(campaign, questions))
    assert response.status_code == 429
    page = response.content.decode()
    assert "Wait a moment and send again." in page
    assert "Iltavastaanottoja useammin." in page
    assert Response.objects.filter(campaign=campaign).count() == 2


def test_the_rate_limit_is_per_client_and_campaign(client, setup, settings):
    campaign, questions = setup
    other, other_questions = campaign_with_questions()
    settings.KP_HEARINGS_RATE_LIMIT = 1
    assert post(client, campaign, filled(campaign, questions)).status_code == 302
    assert post(client, other, filled(other, other_questions)).status_code == 302
    assert post(client, campaign, filled(campaign, questions), REMOTE_ADDR="10.0.0.9").status_code == 302
    assert post(client, campaign, filled(campaign, questions)).status_code == 429


@pytest.mark.parametrize(
    "kind, bad, message",
    [
        ("text", None, "Write an answer to this question."),
        ("likert", None, "Choose an answer to this question."),
        ("likert", "0", "Choose from 1 to 5 stars."),
        ("likert", "6", "Choose from 1 to 5 stars."),
        ("likert", "x", "Choose from 1 to 5 stars."),
        ("single", "999999", "Choose one of the answers shown."),
        ("single", "kolmas", "Choose one of the answers shown."),
        ("multiple", ["999999"], "Choose from the answers shown."),
        ("text", "a" * 4001, "Write at most 4000 characters (now 4001)."),
        ("text", "Hyvä\x00vastaus", "cannot be stored (null characters)"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_saved(client, setup, kind, bad, message):
    campaign, questions = setup
    client.cookies["kp_language"] = "en"
    question = questions[kind]
    data = filled(campaign, questions, **{f"q_{question.pk}": bad})
    data[f"q_{question.pk}"] = bad if bad is not None else ""
    response = post(client, campaign, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert f'href="#question-{question.pk}"' in page  # the error summary links to the question
    assert f'id="id_q_{question.pk}_error"' in page  # and the error is beside it
    assert not Response.objects.exists() and not Answer.objects.exists()


def test_a_wrong_choice_of_another_question_is_refused(client, setup):
    campaign, questions = setup
    elsewhere = questions["multiple"].choices.first().pk
    response = post(client, campaign, filled(campaign, questions, **{f"q_{questions['single'].pk}": str(elsewhere)}))
    assert response.status_code == 400
    assert not Response.objects.exists()


def test_a_wrong_background_answer_is_refused(client, setup):
    campaign, questions = setup
    client.cookies["kp_language"] = "en"
    response = post(client, campaign, filled(campaign, questions, age_group="200-300", municipality="abc"))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Choose one of the age groups shown." in page and "Choose one of the municipalities shown." in page


def test_html_is_stored_as_text_and_escaped_when_shown(client, setup):
    campaign, questions = setup
    html = '<script>alert("x")</script><b>lihava</b>'
    assert post(client, campaign, filled(campaign, questions, **{f"q_{questions['text'].pk}": html})).status_code == 302
    assert Answer.objects.get(question=questions["text"]).text == html
    shown = post(client, campaign, filled(campaign, questions, **{f"q_{questions['text'].pk}": html}, homepage="x"))
    page = shown.content.decode()
    assert "<script>alert" not in page and "&lt;script&gt;alert" in page


def test_an_empty_form_asks_for_an_answer(client):
    from tests.factories import CampaignFactory, QuestionFactory

    campaign = CampaignFactory()
    QuestionFactory(campaign=campaign)
    client.cookies["kp_language"] = "en"
    response = post(client, campaign, {"token": issue_token(campaign.pk)})
    assert response.status_code == 400
    assert b"Answer at least one question before sending." in response.content


def test_an_address_with_consent_is_stored_apart_and_a_second_request_is_fine(client, setup):
    campaign, questions = setup
    for email in ("Asukas@Example.fi", "asukas@example.fi"):
        response = post(client, campaign, filled(campaign, questions, email=email, consent="on"))
        assert response.status_code == 302
    assert list(ContactRequest.objects.filter(campaign=campaign).values_list("email", flat=True)) == [
        "asukas@example.fi"
    ]
    assert Response.objects.filter(campaign=campaign).count() == 2


def test_an_address_without_consent_or_consent_without_an_address_is_asked_about(client, setup):
    campaign, questions = setup
    client.cookies["kp_language"] = "en"
    no_consent = post(client, campaign, filled(campaign, questions, email="asukas@example.fi"))
    assert no_consent.status_code == 400 and b"tick this box" in no_consent.content
    no_address = post(client, campaign, filled(campaign, questions, consent="on"))
    assert no_address.status_code == 400 and b"Write the address the outcome is sent to" in no_address.content
    bad = post(client, campaign, filled(campaign, questions, email="ei-osoite", consent="on"))
    assert bad.status_code == 400 and b"Check the email address" in bad.content
    assert not ContactRequest.objects.exists() and not Response.objects.exists()


def test_an_answer_to_a_closed_campaign_is_not_stored(client, setup):
    campaign, questions = setup
    data = filled(campaign, questions)
    campaign.closes_at = campaign.opens_at + timedelta(seconds=1)
    campaign.save()
    response = post(client, campaign, data)
    assert response.status_code == 409
    assert not Response.objects.exists()


def test_a_campaign_closing_between_the_page_and_the_statement_stores_nothing(setup):
    campaign, questions = setup
    token = issue_token(campaign.pk)
    campaign.closes_at = campaign.opens_at + timedelta(seconds=1)
    campaign.save()
    filled_ = answering.Filled(rows=[(questions["likert"].pk, None, 5, "")])
    assert not answering.submit_response(campaign_id=campaign.pk, filled=filled_, token=token, language="fi")
    assert not Response.objects.exists() and not Receipt.objects.exists()


def test_the_token_is_signed_and_timestamped(setup):
    campaign, _questions = setup
    token = issue_token(campaign.pk)
    assert answering.read_token(token) == (campaign.pk, False)
    with pytest.raises(signing.BadSignature):
        signing.TimestampSigner(salt="another").unsign(token)
