"""The topic backlog and turning a topic into a campaign (hearings/views/staff.py, services.py)."""

from datetime import date

import pytest
from django.urls import reverse

from hearings.models import Campaign, Topic
from tests.factories import TopicFactory
from tests.hearings.staff_helpers import form_key, sign_in


@pytest.mark.django_db
def test_backlog_lists_the_most_important_and_soonest_decided_first(client, coordinator):
    later = TopicFactory(title="Myöhemmin", priority=3, decision_due=date(2027, 6, 1))
    sooner = TopicFactory(title="Pian", priority=3, decision_due=date(2027, 1, 1))
    low = TopicFactory(title="Vähemmän tärkeä", priority=1, decision_due=date(2026, 12, 1))
    response = sign_in(client, coordinator).get(reverse("hearings:topic_list"))
    assert response.context["topics"] == [sooner, later, low]


@pytest.mark.django_db
def test_backlog_hides_declined_and_done_topics_unless_asked(client, coordinator):
    TopicFactory(title="Hylätty", status="declined")
    shown = TopicFactory(title="Ehdotettu")
    sign_in(client, coordinator)
    assert client.get(reverse("hearings:topic_list")).context["topics"] == [shown]
    declined = client.get(reverse("hearings:topic_list"), {"status": "declined"}).context["topics"]
    assert [topic.title for topic in declined] == ["Hylätty"]


@pytest.mark.django_db
def test_an_unknown_status_filter_shows_the_default_list(client, coordinator):
    TopicFactory()
    response = sign_in(client, coordinator).get(reverse("hearings:topic_list"), {"status": "<script>"})
    assert response.status_code == 200
    assert len(response.context["topics"]) == 1


@pytest.mark.django_db
def test_backlog_queries_are_fixed(client, coordinator, django_assert_num_queries):
    for _ in range(3):
        TopicFactory()
    sign_in(client, coordinator)
    # session, the user with roles, permissions and MFA status; the topics with their campaigns;
    # then the idle-timeout session save (savepoint, update, release).
    with django_assert_num_queries(6):
        assert client.get(reverse("hearings:topic_list")).status_code == 200


@pytest.mark.django_db
def test_a_coordinator_proposes_a_topic_once_even_when_sent_twice(client, coordinator):
    data = {
        "form_key": form_key(),
        "title": "Suun terveydenhuollon ajanvaraus",
        "decision": "Palveluverkkosuunnitelma 2027",
        "decision_due": "1.3.2027",
        "priority": "3",
        "status": "proposed",
    }
    sign_in(client, coordinator)
    client.post(reverse("hearings:topic_create"), data)
    client.post(reverse("hearings:topic_create"), data)
    topic = Topic.objects.get()
    assert (topic.decision_due, topic.proposed_by) == (date(2027, 3, 1), coordinator)


@pytest.mark.django_db
def test_editing_a_topic_saves_it(client, coordinator):
    topic = TopicFactory()
    data = {"title": "Uusi nimi", "priority": "1", "status": "accepted"}
    response = sign_in(client, coordinator).post(reverse("hearings:topic_edit", args=[topic.pk]), data)
    assert response.status_code == 302
    topic.refresh_from_db()
    assert (topic.title, topic.status) == ("Uusi nimi", "accepted")


@pytest.mark.django_db
def test_turning_a_topic_into_a_campaign_makes_a_linked_draft(client, coordinator):
    topic = TopicFactory(description="Ajanvaraus on ruuhkautunut.", proposer="Asiakasraati")
    response = sign_in(client, coordinator).post(reverse("hearings:topic_campaign", args=[topic.pk]))
    campaign = Campaign.objects.get()
    assert response["Location"] == reverse("hearings:campaign_edit", args=[campaign.pk])
    topic.refresh_from_db()
    assert (topic.campaign, topic.status) == (campaign, "campaign")
    assert not campaign.is_published
    assert campaign.title_fi == topic.title
    assert campaign.background_fi == "Ajanvaraus on ruuhkautunut."
    assert "Palveluverkkosuunnitelma 2027" in campaign.summary_fi
    assert campaign.owner == coordinator


@pytest.mark.django_db
def test_turning_a_topic_into_a_campaign_twice_makes_one(client, coordinator):
    topic = TopicFactory()
    sign_in(client, coordinator)
    first = client.post(reverse("hearings:topic_campaign", args=[topic.pk]))
    second = client.post(reverse("hearings:topic_campaign", args=[topic.pk]))
    assert Campaign.objects.count() == 1
    assert first["Location"] == second["Location"]


@pytest.mark.django_db
def test_turning_into_a_campaign_needs_a_post(client, coordinator):
    topic = TopicFactory()
    response = sign_in(client, coordinator).get(reverse("hearings:topic_campaign", args=[topic.pk]))
    assert response.status_code == 405
    assert not Campaign.objects.exists()


@pytest.mark.django_db
def test_experts_cannot_turn_topics_into_campaigns(client, expert):
    topic = TopicFactory()
    assert sign_in(client, expert).post(reverse("hearings:topic_campaign", args=[topic.pk])).status_code == 403
    assert not Campaign.objects.exists()
