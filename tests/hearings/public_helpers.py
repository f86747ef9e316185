"""Shared set-up of the public side's tests (test_public_*.py, test_answering_*.py): a campaign with
one question of each kind, and a filled form for it."""

from django.urls import reverse

from experts.models import Municipality
from hearings.answering import issue_token
from tests.factories import CampaignFactory, QuestionFactory


def municipality(slug="lahti", name="Lahti") -> Municipality:
    found, _created = Municipality.objects.get_or_create(slug=slug, defaults={"name": name, "name_fi": name})
    return found


def campaign_with_questions(**fields):
    """A published, open campaign with a required free text, a single choice, a multiple choice and a
    required Likert question, in that order."""
    campaign = CampaignFactory(**fields)
    text = QuestionFactory(campaign=campaign, order=1, kind="text", required=True, text="Mitä toivot?")
    single = QuestionFactory(
        campaign=campaign, order=2, kind="single", text="Milloin asioit?", choices=["Aamulla", "Illalla"]
    )
    multiple = QuestionFactory(
        campaign=campaign, order=3, kind="multiple", text="Miten asioit?", choices=["Puhelin", "Chat", "Paikan päällä"]
    )
    likert = QuestionFactory(
        campaign=campaign,
        order=4,
        kind="likert",
        required=True,
        text="Kuinka tärkeää?",
        low_label="Ei lainkaan",
        high_label="Erittäin",
    )
    return campaign, {"text": text, "single": single, "multiple": multiple, "likert": likert}


def filled(campaign, questions, **overrides) -> dict:
    """A complete, valid answer to campaign_with_questions()."""
    data = {
        "token": issue_token(campaign.pk),
        f"q_{questions['text'].pk}": "Iltavastaanottoja useammin.",
        f"q_{questions['single'].pk}": str(questions["single"].choices.get(order=2).pk),
        f"q_{questions['multiple'].pk}": [str(c.pk) for c in questions["multiple"].choices.filter(order__lte=2)],
        f"q_{questions['likert'].pk}": "4",
    }
    data.update(overrides)
    return {name: value for name, value in data.items() if value is not None}


def post(client, campaign, data, **extra):
    return client.post(reverse("hearings:campaign", args=[campaign.slug]), data, **extra)
