"""Offline channels: notes of workshops and panels, and paper answers typed in by staff."""

from datetime import date

import pytest
from django.urls import reverse

from hearings.models import Answer, Note, Response
from tests.factories import CampaignFactory, QuestionFactory
from tests.hearings.staff_helpers import form_key, sign_in


@pytest.fixture
def campaign(db):
    campaign = CampaignFactory()
    QuestionFactory(campaign=campaign, order=1, kind="text", required=True, text="Mitä toivot?")
    QuestionFactory(campaign=campaign, order=2, kind="single", text="Milloin?", choices=["Aamulla", "Illalla"])
    QuestionFactory(campaign=campaign, order=3, kind="multiple", text="Miten?", choices=["Puhelin", "Chat"])
    QuestionFactory(campaign=campaign, order=4, kind="likert", text="Kuinka tärkeää?")
    return campaign


def paper(campaign, **changes):
    questions = {q.kind: q for q in campaign.questions.all()}
    data = {
        "form_key": form_key(),
        "answered_on": "12.11.2026",
        "language": "sv",
        "age_group": "65-74",
        f"q{questions['text'].pk}": "Fler kvällstider.",
        f"q{questions['single'].pk}": str(questions["single"].choices.get(label="Illalla").pk),
        f"q{questions['multiple'].pk}": [str(c.pk) for c in questions["multiple"].choices.all()],
        f"q{questions['likert'].pk}": "4",
    }
    data.update(changes)
    return data, questions


@pytest.mark.django_db
def test_a_workshops_notes_are_saved_with_their_channel(client, coordinator, campaign):
    data = {
        "form_key": form_key(),
        "channel": "workshop",
        "title": "Työpaja Heinolassa",
        "held_on": "5.11.2026",
        "participants": "14",
        "text": "Toiveena iltavastaanotot.",
    }
    response = sign_in(client, coordinator).post(reverse("hearings:note_create", args=[campaign.pk]), data)
    assert response.status_code == 302
    note = Note.objects.get()
    assert (note.channel, note.held_on, note.participants, note.entered_by) == (
        "workshop",
        date(2026, 11, 5),
        14,
        coordinator,
    )


@pytest.mark.django_db
def test_a_double_submitted_note_is_saved_once(client, coordinator, campaign):
    data = {"form_key": form_key(), "channel": "panel", "title": "Raati", "held_on": "2026-11-05", "text": "Tekstiä"}
    sign_in(client, coordinator)
    client.post(reverse("hearings:note_create", args=[campaign.pk]), data)
    client.post(reverse("hearings:note_create", args=[campaign.pk]), data)
    assert Note.objects.count() == 1


@pytest.mark.django_db
def test_a_note_cannot_claim_the_online_channel(client, coordinator, campaign):
    data = {"form_key": form_key(), "channel": "online", "title": "X", "held_on": "2026-11-05", "text": "Y"}
    response = sign_in(client, coordinator).post(reverse("hearings:note_create", args=[campaign.pk]), data)
    assert "channel" in response.context["form"].errors
    assert not Note.objects.exists()


@pytest.mark.django_db
def test_a_paper_answer_is_stored_as_a_response_of_the_paper_channel(client, coordinator, campaign):
    data, questions = paper(campaign)
    response = sign_in(client, coordinator).post(reverse("hearings:paper_create", args=[campaign.pk]), data)
    assert response.status_code == 302
    stored = Response.objects.get()
    assert (stored.channel, stored.answered_on, stored.language, stored.age_group) == (
        "paper",
        date(2026, 11, 12),
        "sv",
        "65-74",
    )
    answers = Answer.objects.filter(response=stored)
    assert answers.get(question=questions["text"]).text == "Fler kvällstider."
    assert answers.get(question=questions["likert"]).value == 4
    assert answers.filter(question=questions["multiple"]).count() == 2


@pytest.mark.django_db
def test_a_paper_answer_shows_in_the_campaigns_counts(client, coordinator, campaign):
    data, _questions = paper(campaign)
    sign_in(client, coordinator).post(reverse("hearings:paper_create", args=[campaign.pk]), data)
    page = client.get(reverse("hearings:campaign_manage", args=[campaign.pk]))
    assert dict((label, n) for label, n, _notes in page.context["channels"])["Paper or street"] == 1


@pytest.mark.django_db
def test_a_double_submitted_paper_answer_is_stored_once(client, coordinator, campaign):
    data, _questions = paper(campaign)
    sign_in(client, coordinator)
    client.post(reverse("hearings:paper_create", args=[campaign.pk]), data)
    client.post(reverse("hearings:paper_create", args=[campaign.pk]), data)
    assert Response.objects.count() == 1


@pytest.mark.django_db
def test_a_paper_answer_with_a_wrong_choice_or_value_is_refused_and_kept(client, coordinator, campaign):
    data, questions = paper(campaign)
    data[f"q{questions['single'].pk}"] = "999999"
    data[f"q{questions['likert'].pk}"] = "6"
    response = sign_in(client, coordinator).post(reverse("hearings:paper_create", args=[campaign.pk]), data)
    errors = response.context["form"].errors
    assert {f"q{questions['single'].pk}", f"q{questions['likert'].pk}"} <= set(errors)
    assert "Fler kvällstider." in response.content.decode()
    assert not Response.objects.exists()


@pytest.mark.django_db
def test_an_empty_paper_answer_is_refused(client, coordinator):
    campaign = CampaignFactory()
    QuestionFactory(campaign=campaign, kind="text")
    data = {"form_key": form_key(), "answered_on": "2026-11-12", "language": "fi"}
    response = sign_in(client, coordinator).post(reverse("hearings:paper_create", args=[campaign.pk]), data)
    assert "The form has no answers" in response.content.decode()
    assert not Response.objects.exists()


@pytest.mark.django_db
def test_save_and_type_the_next_returns_to_an_empty_form(client, coordinator, campaign):
    data, _questions = paper(campaign, add_another="1")
    response = sign_in(client, coordinator).post(reverse("hearings:paper_create", args=[campaign.pk]), data)
    assert response["Location"] == reverse("hearings:paper_create", args=[campaign.pk])
