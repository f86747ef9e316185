"""Hearings in admin: every registered model's list and form open, a campaign's questions and a
panel's members and meetings are inlines, and the anonymous answers are not there."""

from datetime import timedelta

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone

from hearings.models import (
    Answer,
    ContactRequest,
    Decision,
    Finding,
    Note,
    PanelMeeting,
    PanelMember,
    Response,
    Theme,
)
from notifications.models import Notification
from tests.factories import CampaignFactory, PanelFactory, QuestionFactory, TopicFactory

MODELS = [
    "topic",
    "campaign",
    "question",
    "choice",
    "theme",
    "note",
    "finding",
    "decision",
    "panel",
    "panelmember",
    "panelmeeting",
]


@pytest.fixture
def rows(db):
    campaign = CampaignFactory()
    QuestionFactory(campaign=campaign, kind="single", choices=["Kyllä", "Ei"])
    TopicFactory(campaign=campaign)
    Theme.objects.create(campaign=campaign, name="Aukioloajat")
    Note.objects.create(campaign=campaign, title="Työpaja", text="Tekstiä")
    finding = Finding.objects.create(campaign=campaign, text="Iltavastaanottoja toivotaan")
    Decision.objects.create(finding=finding, body="Hyvinvointialueen hallitus", reference="§ 87")
    panel = PanelFactory()
    PanelMember.objects.create(panel=panel, name="Äijälä Åsa", term_starts=timezone.localdate())
    now = timezone.now()
    PanelMeeting.objects.create(panel=panel, starts_at=now, ends_at=now + timedelta(hours=2))
    return {"campaign": campaign, "panel": panel}


@pytest.mark.django_db
@pytest.mark.parametrize("model", MODELS)
def test_changelist_opens_with_search(client, admin_user, rows, model):
    client.force_login(admin_user)
    assert client.get(reverse(f"admin:hearings_{model}_changelist"), {"q": "ä"}).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("model", MODELS)
def test_add_form_opens(client, admin_user, rows, model):
    client.force_login(admin_user)
    assert client.get(reverse(f"admin:hearings_{model}_add")).status_code == 200


@pytest.mark.django_db
def test_campaign_change_form_has_its_questions(client, admin_user, rows):
    client.force_login(admin_user)
    html = client.get(reverse("admin:hearings_campaign_change", args=[rows["campaign"].pk])).content.decode()
    assert 'id="questions-group"' in html


@pytest.mark.django_db
def test_question_change_form_has_its_choices(client, admin_user, rows):
    client.force_login(admin_user)
    question = rows["campaign"].questions.get()
    html = client.get(reverse("admin:hearings_question_change", args=[question.pk])).content.decode()
    assert 'id="choices-group"' in html


@pytest.mark.django_db
def test_panel_change_form_has_members_and_meetings(client, admin_user, rows):
    client.force_login(admin_user)
    html = client.get(reverse("admin:hearings_panel_change", args=[rows["panel"].pk])).content.decode()
    assert 'id="members-group"' in html and 'id="meetings-group"' in html


def test_anonymous_answers_and_addresses_are_not_in_admin():
    for model in (Response, Answer, ContactRequest):
        assert model not in admin.site._registry


@pytest.mark.django_db
def test_publishing_in_admin_schedules_the_owners_reminders(client, admin_user):
    campaign = CampaignFactory(is_published=False)
    client.force_login(admin_user)
    url = reverse("admin:hearings_campaign_change", args=[campaign.pk])
    data = client.get(url).context["adminform"].form.initial
    assert not Notification.objects.exists()
    form = {
        key: value
        for key, value in data.items()
        if value is not None and not isinstance(value, (list,)) and key not in ("opens_at", "closes_at")
    }
    opens, closes = timezone.localtime(campaign.opens_at), timezone.localtime(campaign.closes_at)
    form.update(
        {
            "is_published": "on",
            "owner": campaign.owner.pk,
            "channels": "online",
            "languages": "fi",
            "opens_at_0": opens.strftime("%Y-%m-%d"),
            "opens_at_1": opens.strftime("%H:%M:%S"),
            "closes_at_0": closes.strftime("%Y-%m-%d"),
            "closes_at_1": closes.strftime("%H:%M:%S"),
            "questions-TOTAL_FORMS": "0",
            "questions-INITIAL_FORMS": "0",
        }
    )
    response = client.post(url, form)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    assert Notification.objects.filter(recipient=campaign.owner).count() == 2


@pytest.mark.django_db
def test_admin_refuses_the_short_name_hallinta(client, admin_user):
    from django.forms import modelform_factory

    from hearings.admin import CampaignAdminForm
    from hearings.models import Campaign

    form = modelform_factory(Campaign, form=CampaignAdminForm, fields=["slug"])(data={"slug": "hallinta"})
    assert not form.is_valid()
    assert "slug" in form.errors
