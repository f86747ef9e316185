"""The public campaign list and a campaign's page: readable without an account, drafts hidden, the
outcome shown with its findings and decisions, the page in the reader's language."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from hearings.answering import forget_specs
from hearings.models import Decision, DecisionStatus, Finding
from tests.factories import CampaignFactory, TopicFactory
from tests.hearings.public_helpers import campaign_with_questions

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_specs():
    forget_specs()


def past_campaign(**fields):
    now = timezone.now()
    return CampaignFactory(opens_at=now - timedelta(days=30), closes_at=now - timedelta(days=10), **fields)


def test_the_list_shows_open_campaigns_first_then_past_ones_and_no_drafts(client):
    client.cookies["kp_language"] = "en"
    open_ = CampaignFactory(title="Avoin kuuleminen", title_fi="Avoin kuuleminen")
    past = past_campaign(title="Mennyt kuuleminen", title_fi="Mennyt kuuleminen")
    CampaignFactory(title="Luonnos", title_fi="Luonnos", is_published=False)
    page = client.get(reverse("hearings:public_list")).content.decode()
    assert page.index(open_.title) < page.index("Past hearings") < page.index(past.title)
    assert "Luonnos" not in page
    assert "Closes on" in page


def test_a_past_campaign_with_its_outcome_links_to_it(client):
    client.cookies["kp_language"] = "en"
    campaign = past_campaign(outcome_published_at=timezone.now())
    page = client.get(reverse("hearings:public_list")).content.decode()
    assert "Outcome published" in page
    assert f'{campaign.get_absolute_url()}#outcome"' in page


def test_the_list_runs_one_query(client, django_assert_num_queries):
    for _n in range(3):
        CampaignFactory()
        past_campaign()
    # Queries: the published campaigns. No session, no user for an anonymous visitor.
    with django_assert_num_queries(1):
        response = client.get(reverse("hearings:public_list"))
    assert response.status_code == 200


def test_a_draft_campaign_is_not_found(client):
    draft = CampaignFactory(is_published=False)
    assert client.get(reverse("hearings:campaign", args=[draft.slug])).status_code == 404
    assert client.get(reverse("hearings:thanks", args=[draft.slug])).status_code == 404


def test_the_page_shows_the_plain_language_summary_in_its_own_section(client):
    client.cookies["kp_language"] = "en"
    campaign = CampaignFactory(
        plain_summary="Haluamme tietää, milloin käyt terveysasemalla.",
        plain_summary_fi="Haluamme tietää, milloin käyt terveysasemalla.",
        background="Aukioloajat muuttuvat.",
        background_fi="Aukioloajat muuttuvat.",
        target_groups="Kaikki asukkaat",
    )
    page = client.get(campaign.get_absolute_url()).content.decode()
    section = page[page.index('class="plain-language"') :]
    assert section.index("In plain language") < section.index("Haluamme tietää") < section.index("</section>")
    assert "Perusterveydenhuolto" in page and "Kaikki asukkaat" in page
    assert "Online form, Workshop" in page  # the channels
    assert "Finnish, Swedish" in page


def test_campaign_texts_fall_back_to_finnish_and_the_page_follows_the_language(client):
    client.cookies["kp_language"] = "sv"
    campaign = CampaignFactory(title_sv="Hälsostationernas öppettider")
    other = CampaignFactory()  # no Swedish title
    assert "Hälsostationernas öppettider" in client.get(campaign.get_absolute_url()).content.decode()
    page = client.get(other.get_absolute_url()).content.decode()
    assert other.title_fi in page
    assert 'lang="sv"' in page


def test_an_upcoming_campaign_says_when_it_opens_and_shows_no_form(client):
    client.cookies["kp_language"] = "en"
    campaign, _questions = campaign_with_questions(opens_at=timezone.now() + timedelta(days=2))
    page = client.get(campaign.get_absolute_url()).content.decode()
    assert "The questions open on" in page
    assert 'name="token"' not in page


def test_a_closed_campaign_says_so_and_shows_no_form(client):
    client.cookies["kp_language"] = "en"
    campaign = past_campaign()
    page = client.get(campaign.get_absolute_url()).content.decode()
    assert "This hearing closed on" in page
    assert 'name="token"' not in page


def test_the_outcome_shows_findings_with_their_decisions(client):
    client.cookies["kp_language"] = "en"
    campaign = past_campaign(
        outcome_published_at=timezone.now(),
        heard_summary_fi="Iltoja toivottiin.",
        did_summary_fi="Lisäsimme iltavastaanoton.",
    )
    finding = Finding.objects.create(campaign=campaign, order=1, text_fi="Iltavastaanottoa toivottiin.")
    Decision.objects.create(
        finding=finding,
        body="Hyvinvointialuehallitus",
        reference="§ 42",
        url="https://example.fi/paatos/42",
        status=DecisionStatus.ADOPTED,
    )
    Decision.objects.create(
        finding=finding, body="Lautakunta", status=DecisionStatus.NOT_ADOPTED, reasons="Ei rahoitusta."
    )
    page = client.get(campaign.get_absolute_url()).content.decode()
    assert "What we heard" in page and "Iltoja toivottiin." in page and "Lisäsimme iltavastaanoton." in page
    assert "Iltavastaanottoa toivottiin." in page
    assert "Adopted" in page and "§ 42" in page and "https://example.fi/paatos/42" in page
    assert "Not adopted" in page and "Ei rahoitusta." in page


def test_the_outcome_page_runs_three_queries(client, django_assert_num_queries):
    campaign = past_campaign(outcome_published_at=timezone.now())
    for order in (1, 2):
        finding = Finding.objects.create(campaign=campaign, order=order, text_fi=f"Havainto {order}")
        Decision.objects.create(finding=finding, body="Hallitus")
    # Queries: the campaign; its findings; their decisions.
    with django_assert_num_queries(3):
        response = client.get(campaign.get_absolute_url())
    assert response.status_code == 200


def test_the_open_campaign_page_with_its_form_runs_four_queries(client, django_assert_num_queries):
    campaign, _questions = campaign_with_questions()
    # Queries: the campaign; its questions; their choices; the municipalities.
    with django_assert_num_queries(4):
        response = client.get(campaign.get_absolute_url())
    assert response.status_code == 200
    # Within a few seconds the same process reads the questions from its memory: the campaign only.
    with django_assert_num_queries(1):
        client.get(campaign.get_absolute_url())


def test_the_thanks_page_says_when_the_outcome_is_expected(client):
    client.cookies["kp_language"] = "en"
    campaign = CampaignFactory()
    TopicFactory(campaign=campaign, decision_due=timezone.localdate() + timedelta(days=60))
    page = client.get(reverse("hearings:thanks", args=[campaign.slug])).content.decode()
    assert "What happens next" in page
    assert "The decision is expected by" in page
    assert campaign.get_absolute_url() in page


def test_the_thanks_page_runs_two_queries(client, django_assert_num_queries):
    campaign = CampaignFactory()
    # Queries: the campaign; the earliest decision date of the topics it informs.
    with django_assert_num_queries(2):
        response = client.get(reverse("hearings:thanks", args=[campaign.slug]))
    assert response.status_code == 200
