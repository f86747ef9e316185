"""The analysis page: figures worked out by hand (tests/hearings/analysis_setup.py), the filters, the
small-number rule, every channel shown, the access matrix and the query count."""

from decimal import Decimal

import pytest
from django.urls import reverse

from experts.models import Municipality
from hearings.analysis import Filters, analyse, campaign_questions
from tests.factories import AnswerFactory, CampaignFactory, ResponseFactory, UserFactory

from .analysis_setup import seven_responses


@pytest.fixture
def setup(db):
    return seven_responses()


@pytest.fixture
def staff(client, setup):
    client.force_login(UserFactory(role="coordinator", mfa=True))
    client.cookies["kp_language"] = "en"
    return client


def figures(setup, filters=None):
    result = analyse(setup.campaign, filters or Filters(), campaign_questions(setup.campaign))
    return result, {r.question.pk: r for r in result.questions}


def test_single_choice_counts_and_percentages(setup):
    _result, by_question = figures(setup)
    when = by_question[setup.when.pk]
    assert when.n == 7
    assert when.bars() == [("Aamulla", 2, 29), ("Illalla", 4, 57), ("Viikonloppuna", 1, 14)]


def test_multiple_choice_percentages_are_of_the_people_who_answered(setup):
    _result, by_question = figures(setup)
    how = by_question[setup.how.pk]
    # Six people answered (7 did not); Puhelin 3/6, Netti 4/6, Paikan päällä 1/6.
    assert how.n == 6
    assert how.bars() == [("Puhelin", 3, 50), ("Netti", 4, 67), ("Paikan päällä", 1, 17)]


def test_likert_distribution_mean_and_n(setup):
    _result, by_question = figures(setup)
    scale = by_question[setup.scale.pk]
    # 5 + 4 + 4 + 3 + 2 + 5 = 23 over 6 answers.
    assert scale.n == 6
    assert scale.mean == Decimal("3.83")
    assert [count for _label, count, _percent in scale.bars()] == [0, 1, 1, 2, 2]


def test_free_text_is_counted(setup):
    _result, by_question = figures(setup)
    assert by_question[setup.free.pk].texts == 5


def test_every_channel_shows_responses_and_notes(setup):
    result, _ = figures(setup)
    rows = {row.channel: (row.responses, row.notes) for row in result.channels}
    # paper and panel are not among the campaign's channels, but have input: they show too.
    assert rows == {"online": (5, 0), "workshop": (0, 1), "panel": (0, 1), "paper": (2, 0)}
    assert (result.responses, result.notes) == (7, 2)


def test_channel_filter_recomputes_every_figure(setup):
    result, by_question = figures(setup, Filters(channel="online"))
    assert result.responses == 5
    assert by_question[setup.when.pk].bars() == [("Aamulla", 1, 20), ("Illalla", 3, 60), ("Viikonloppuna", 1, 20)]
    # Online: 5, 4, 4, 5.
    assert (by_question[setup.scale.pk].n, by_question[setup.scale.pk].mean) == (4, Decimal("4.50"))
    assert {row.channel: row.notes for row in result.channels}["workshop"] == 0


def test_a_filter_leaving_fewer_than_five_shows_no_figures(setup):
    result, _ = figures(setup, Filters(age_group="18-29"))
    assert result.responses == 2 and result.too_few
    assert result.questions == []


def test_background_filter_leaves_notes_out(setup):
    heinola = Municipality.objects.get(slug="heinola")
    result, _ = figures(setup, Filters(municipality=heinola.pk))
    assert result.notes == 0


def test_fewer_than_five_without_a_filter_still_show(db):
    campaign = CampaignFactory()
    result = analyse(campaign, Filters(), [])
    assert not result.too_few


def test_page_shows_the_figures(staff, setup):
    response = staff.get(reverse("hearings:analysis", args=[setup.campaign.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Mean 3.83 of 5 (n = 6)" in html
    assert "Illalla" in html and "Too few answers" not in html


def test_page_filter_by_age_group_says_too_few(staff, setup):
    response = staff.get(reverse("hearings:analysis", args=[setup.campaign.pk]), {"ika": "75-"})
    html = response.content.decode()
    assert "Too few answers to show." in html
    assert "Illalla" not in html


def test_page_filter_by_municipality_and_channel(staff, setup):
    heinola = Municipality.objects.get(slug="heinola")
    response = staff.get(
        reverse("hearings:analysis", args=[setup.campaign.pk]), {"kanava": "online", "kunta": heinola.pk}
    )
    assert response.context["analysis"].responses == 1
    assert response.context["analysis"].too_few


def test_an_unknown_filter_value_is_a_message_not_an_error(staff, setup):
    response = staff.get(reverse("hearings:analysis", args=[setup.campaign.pk]), {"kanava": "fax", "kunta": "x"})
    assert response.status_code == 200
    assert "is not in use" in response.content.decode()
    assert response.context["analysis"].responses == 7


def test_query_count_does_not_grow_with_answers(staff, setup, django_assert_num_queries):
    url = reverse("hearings:analysis", args=[setup.campaign.pk])
    staff.get(url)  # the first request of a session saves it once (the sign-in's own bookkeeping)
    # session, user (with roles and TOTP); campaign; questions, choices; responses by channel, notes by
    # channel; answers by question/choice/value, people per multiple-choice question; themes; the filter's
    # municipalities.
    with django_assert_num_queries(11):
        staff.get(url)
    for _ in range(5):
        response = ResponseFactory(campaign=setup.campaign)
        AnswerFactory(response=response, question=setup.how, choice=setup.how.choices.first())
        AnswerFactory(response=response, question=setup.free, text="Lisää vastauksia")
    with django_assert_num_queries(11):
        staff.get(url)


PAGES = ["analysis", "analysis_texts", "themes", "report"]


@pytest.mark.parametrize("name", PAGES)
def test_anonymous_is_sent_to_sign_in(client, setup, name):
    response = client.get(reverse(f"hearings:{name}", args=[setup.campaign.pk]))
    assert response.status_code == 302 and "/login/" in response.url


@pytest.mark.parametrize("role", ["expert", "trainer"])
@pytest.mark.parametrize("name", PAGES)
def test_experts_and_trainers_are_refused(client, setup, name, role):
    client.force_login(UserFactory(role=role, mfa=True))
    assert client.get(reverse(f"hearings:{name}", args=[setup.campaign.pk])).status_code == 403


@pytest.mark.parametrize("name", PAGES)
def test_a_coordinator_may_open(staff, setup, name):
    assert staff.get(reverse(f"hearings:{name}", args=[setup.campaign.pk])).status_code == 200


def test_a_campaign_that_does_not_exist_is_404(staff, setup):
    assert staff.get(reverse("hearings:analysis", args=[setup.campaign.pk + 1000])).status_code == 404
