"""A campaign's questions: add, edit, delete, reorder (hearings/views/staff.py, services.py)."""

import pytest
from django.urls import reverse

from hearings.models import Answer, Question, Response
from tests.factories import CampaignFactory, QuestionFactory
from tests.hearings.staff_helpers import question_data, sign_in


@pytest.fixture
def campaign(db):
    return CampaignFactory()


def answer(question, **fields):
    return Answer.objects.create(
        response=Response.objects.create(campaign=question.campaign), question=question, **fields
    )


@pytest.mark.django_db
def test_a_question_is_added_last_with_its_texts(client, coordinator, campaign):
    QuestionFactory(campaign=campaign, order=1)
    response = sign_in(client, coordinator).post(
        reverse("hearings:question_create", args=[campaign.pk]), question_data()
    )
    assert response.status_code == 302
    question = Question.objects.latest("pk")
    assert (question.order, question.text_fi, question.text_sv) == (2, "Mitä toivot kotihoidolta?", "Vad önskar du?")


@pytest.mark.django_db
def test_a_choice_question_gets_its_choices_line_by_line_in_each_language(client, coordinator, campaign):
    data = question_data(kind="single", choices_fi="Aamulla\nIllalla\n", choices_sv="På morgonen\nPå kvällen")
    sign_in(client, coordinator).post(reverse("hearings:question_create", args=[campaign.pk]), data)
    choices = list(Question.objects.get().choices.values_list("order", "label_fi", "label_sv"))
    assert choices == [(1, "Aamulla", "På morgonen"), (2, "Illalla", "På kvällen")]


@pytest.mark.django_db
def test_a_choice_question_needs_two_choices(client, coordinator, campaign):
    data = question_data(kind="multiple", choices_fi="Vain yksi")
    response = sign_in(client, coordinator).post(reverse("hearings:question_create", args=[campaign.pk]), data)
    assert "Give at least two choices, one a line." in response.content.decode()
    assert not Question.objects.exists()


@pytest.mark.django_db
def test_swedish_choices_must_match_the_finnish_ones(client, coordinator, campaign):
    data = question_data(kind="single", choices_fi="Aamulla\nIllalla", choices_sv="På morgonen")
    response = sign_in(client, coordinator).post(reverse("hearings:question_create", args=[campaign.pk]), data)
    assert "choices_sv" in response.context["form"].errors


@pytest.mark.django_db
def test_a_question_text_with_a_null_character_is_refused_with_a_message(client, coordinator, campaign):
    data = question_data(text_fi="Mitä\x00toivot?")
    response = sign_in(client, coordinator).post(reverse("hearings:question_create", args=[campaign.pk]), data)
    assert response.status_code == 200
    assert "text_fi" in response.context["form"].errors


@pytest.mark.django_db
def test_a_double_submitted_question_is_added_once(client, coordinator, campaign):
    data = question_data()
    sign_in(client, coordinator)
    client.post(reverse("hearings:question_create", args=[campaign.pk]), data)
    client.post(reverse("hearings:question_create", args=[campaign.pk]), data)
    assert Question.objects.count() == 1


@pytest.mark.django_db
def test_a_likert_question_keeps_its_end_labels(client, coordinator, campaign):
    data = question_data(kind="likert", low_label_fi="Ei lainkaan tärkeää", high_label_fi="Erittäin tärkeää")
    sign_in(client, coordinator).post(reverse("hearings:question_create", args=[campaign.pk]), data)
    question = Question.objects.get()
    assert (question.kind, question.low_label_fi, question.high_label_fi) == (
        "likert",
        "Ei lainkaan tärkeää",
        "Erittäin tärkeää",
    )


@pytest.mark.django_db
def test_editing_rewords_choices_in_place(client, coordinator, campaign):
    question = QuestionFactory(campaign=campaign, kind="single", choices=["Aamulla", "Illalla"])
    first = question.choices.get(order=1)
    data = question_data(kind="single", text_fi=question.text_fi, choices_fi="Aamupäivällä\nIllalla\nYöllä")
    sign_in(client, coordinator).post(reverse("hearings:question_edit", args=[question.pk]), data)
    assert list(question.choices.values_list("label_fi", flat=True)) == ["Aamupäivällä", "Illalla", "Yöllä"]
    assert question.choices.get(order=1).pk == first.pk


@pytest.mark.django_db
def test_a_question_with_answers_cannot_change_its_kind(client, coordinator, campaign):
    question = QuestionFactory(campaign=campaign, kind="text")
    answer(question, text="Hyvä")
    data = question_data(kind="likert", text_fi="Uusi sanamuoto")
    sign_in(client, coordinator).post(reverse("hearings:question_edit", args=[question.pk]), data)
    question.refresh_from_db()
    assert (question.kind, question.text_fi) == ("text", "Uusi sanamuoto")


@pytest.mark.django_db
def test_a_choice_with_answers_cannot_be_removed(client, coordinator, campaign):
    question = QuestionFactory(campaign=campaign, kind="single", choices=["Aamulla", "Illalla", "Yöllä"])
    answer(question, choice=question.choices.get(label="Yöllä"))
    data = question_data(kind="single", text_fi=question.text_fi, choices_fi="Aamulla\nIllalla")
    response = sign_in(client, coordinator).post(reverse("hearings:question_edit", args=[question.pk]), data)
    assert "“Yöllä” has answers and cannot be removed." in response.content.decode()
    assert question.choices.count() == 3


@pytest.mark.django_db
def test_a_question_without_answers_is_deleted(client, coordinator, campaign):
    question = QuestionFactory(campaign=campaign)
    sign_in(client, coordinator).post(reverse("hearings:question_delete", args=[question.pk]))
    assert not Question.objects.exists()


@pytest.mark.django_db
def test_a_question_with_answers_is_not_deleted_and_the_page_says_why(client, coordinator, campaign):
    question = QuestionFactory(campaign=campaign)
    answer(question, text="Hyvä")
    sign_in(client, coordinator)
    page = client.get(reverse("hearings:question_delete", args=[question.pk])).content.decode()
    assert "This question has answers and cannot be deleted." in page
    response = client.post(reverse("hearings:question_delete", args=[question.pk]), follow=True)
    assert "This question has answers and cannot be deleted." in response.content.decode()
    assert Question.objects.filter(pk=question.pk).exists()


@pytest.mark.django_db
def test_moving_a_question_up_swaps_it_with_the_one_above(client, coordinator, campaign):
    first = QuestionFactory(campaign=campaign, order=1)
    second = QuestionFactory(campaign=campaign, order=2)
    third = QuestionFactory(campaign=campaign, order=3)
    sign_in(client, coordinator).post(reverse("hearings:question_move", args=[third.pk]), {"direction": "up"})
    assert list(campaign.questions.values_list("pk", flat=True)) == [first.pk, third.pk, second.pk]


@pytest.mark.django_db
def test_moving_the_first_question_up_changes_nothing(client, coordinator, campaign):
    first = QuestionFactory(campaign=campaign, order=1)
    second = QuestionFactory(campaign=campaign, order=2)
    sign_in(client, coordinator).post(reverse("hearings:question_move", args=[first.pk]), {"direction": "up"})
    assert list(campaign.questions.values_list("pk", flat=True)) == [first.pk, second.pk]


@pytest.mark.django_db
def test_moving_a_question_down(client, coordinator, campaign):
    first = QuestionFactory(campaign=campaign, order=1)
    second = QuestionFactory(campaign=campaign, order=2)
    sign_in(client, coordinator).post(reverse("hearings:question_move", args=[first.pk]), {"direction": "down"})
    assert list(campaign.questions.values_list("pk", flat=True)) == [second.pk, first.pk]
