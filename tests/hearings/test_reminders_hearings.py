"""The owner's reminders through the outbox (hearings/reminders.py): before closing, and when the
outcome is late."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from hearings import reminders
from hearings.models import Campaign
from notifications.models import Notification, Status
from notifications.services import claim_due_notifications, send_notification
from tests.factories import CampaignFactory
from tests.hearings.staff_helpers import campaign_data, sign_in

CLOSING, OUTCOME = reminders.CLOSING_REMINDER, reminders.OUTCOME_REMINDER


def rows(kind, status=Status.PENDING):
    return Notification.objects.filter(kind=kind, status=status)


def send_due(now):
    """Claim and send what is due at `now`, as the beat sweep and the worker would."""
    ids, token = claim_due_notifications(batch_size=50, now=now)
    return [send_notification(notification_id=pk, claim_token=str(token)) for pk in ids]


def create(client, coordinator, **changes) -> Campaign:
    sign_in(client, coordinator).post(reverse("hearings:campaign_create"), campaign_data(**changes))
    return Campaign.objects.latest("pk")


@pytest.mark.django_db
def test_publishing_a_campaign_schedules_both_reminders_for_its_owner(client, coordinator, settings):
    settings.KP_HEARING_OUTCOME_WEEKS = 6
    campaign = create(client, coordinator)
    closing, outcome = rows(CLOSING).get(), rows(OUTCOME).get()
    assert closing.recipient == outcome.recipient == coordinator
    assert closing.due_at == campaign.closes_at - timedelta(days=2)
    assert outcome.due_at == campaign.closes_at + timedelta(weeks=6)


@pytest.mark.django_db
def test_a_draft_gets_no_reminders(client, coordinator):
    create(client, coordinator, is_published=None)
    assert not Notification.objects.exists()


@pytest.mark.django_db
def test_moving_the_closing_time_moves_the_reminders(client, coordinator):
    campaign = create(client, coordinator)
    data = campaign_data(closes_on=(timezone.localdate() + timedelta(days=30)).isoformat(), form_key="")
    client.post(reverse("hearings:campaign_edit", args=[campaign.pk]), data)
    campaign.refresh_from_db()
    assert rows(CLOSING).get().due_at == campaign.closes_at - timedelta(days=2)
    assert Notification.objects.filter(kind=CLOSING).count() == 1


@pytest.mark.django_db
def test_unpublishing_cancels_the_reminders(client, coordinator):
    campaign = create(client, coordinator)
    client.post(reverse("hearings:campaign_edit", args=[campaign.pk]), campaign_data(is_published=None, form_key=""))
    assert not Notification.objects.filter(status=Status.PENDING).exists()
    assert Notification.objects.filter(status=Status.CANCELLED).count() == 2


@pytest.mark.django_db
def test_a_campaign_closing_within_two_days_gets_no_closing_reminder(client, coordinator):
    today = timezone.localdate()
    create(client, coordinator, opens_on=today.isoformat(), closes_on=(today + timedelta(days=1)).isoformat())
    assert not rows(CLOSING).exists()
    assert rows(OUTCOME).exists()


@pytest.mark.django_db
def test_the_closing_reminder_is_sent_to_the_owner_in_their_language(coordinator):
    coordinator.language = "sv"
    coordinator.save(update_fields=["language"])
    campaign = CampaignFactory(owner=coordinator)
    reminders.schedule_campaign_reminders(campaign)
    # Time passes: the campaign now closes in two days and the row is due.
    now = timezone.now()
    Campaign.objects.filter(pk=campaign.pk).update(closes_at=now + timedelta(days=2))
    rows(CLOSING).update(due_at=now)
    assert send_due(now) == ["sent"]
    (message,) = mail.outbox
    assert message.to == [coordinator.email]
    assert campaign.title in message.subject
    assert reverse("hearings:campaign_manage", args=[campaign.pk]) in message.body


@pytest.mark.django_db
def test_the_closing_reminder_is_skipped_when_the_campaign_was_unpublished_meanwhile(coordinator):
    campaign = CampaignFactory(owner=coordinator)
    reminders.schedule_campaign_reminders(campaign)
    Campaign.objects.filter(pk=campaign.pk).update(is_published=False)  # e.g. in a shell, not rescheduled
    row = rows(CLOSING).get()
    row.due_at = timezone.now()
    row.save(update_fields=["due_at"])
    send_due(timezone.now())
    row.refresh_from_db()
    assert (row.status, row.last_error) == (Status.CANCELLED, "the campaign is not published")
    assert not mail.outbox


def test_closing_skip_reasons():
    now = timezone.now()
    assert reminders.closing_skip_reason(Campaign(is_published=True, closes_at=now - timedelta(hours=1))) == (
        "the campaign has closed"
    )
    assert reminders.closing_skip_reason(Campaign(is_published=True, closes_at=now + timedelta(days=9))) == (
        "the closing time moved"
    )
    assert reminders.closing_skip_reason(Campaign(is_published=True, closes_at=now + timedelta(days=2))) == ""


def test_outcome_skip_reasons(settings):
    settings.KP_HEARING_OUTCOME_WEEKS = 6
    now = timezone.now()
    closed = now - timedelta(weeks=6, hours=1)
    assert reminders.outcome_skip_reason(Campaign(is_published=True, closes_at=closed, outcome_published_at=now)) == (
        "the outcome is published"
    )
    assert reminders.outcome_skip_reason(Campaign(is_published=True, closes_at=now - timedelta(days=3))) == (
        "the closing time moved"
    )
    assert reminders.outcome_skip_reason(Campaign(is_published=True, closes_at=closed)) == ""


@pytest.mark.django_db
def test_the_outcome_reminder_is_skipped_once_the_outcome_is_published(coordinator, settings):
    settings.KP_HEARING_OUTCOME_WEEKS = 6
    now = timezone.now()
    campaign = CampaignFactory(owner=coordinator, opens_at=now - timedelta(days=20), closes_at=now - timedelta(days=5))
    reminders.schedule_campaign_reminders(campaign)
    Campaign.objects.filter(pk=campaign.pk).update(outcome_published_at=now)
    send_due(campaign.closes_at + timedelta(weeks=6, minutes=1))
    row = Notification.objects.get(kind=OUTCOME)
    assert (row.status, row.last_error) == (Status.CANCELLED, "the outcome is published")


@pytest.mark.django_db
def test_the_outcome_reminder_is_sent_when_the_outcome_is_late(coordinator, settings):
    settings.KP_HEARING_OUTCOME_WEEKS = 6
    now = timezone.now()
    campaign = CampaignFactory(
        owner=coordinator, opens_at=now - timedelta(weeks=9), closes_at=now - timedelta(weeks=6, hours=1)
    )
    reminders.schedule_campaign_reminders(campaign)
    assert not rows(CLOSING).exists()  # long closed
    assert send_due(now) == ["sent"]
    assert campaign.title in mail.outbox[0].subject


@pytest.mark.django_db
def test_the_outcome_weeks_come_from_the_setting(coordinator, settings):
    settings.KP_HEARING_OUTCOME_WEEKS = 2
    campaign = CampaignFactory(owner=coordinator)
    reminders.schedule_campaign_reminders(campaign)
    assert rows(OUTCOME).get().due_at == campaign.closes_at + timedelta(weeks=2)


@pytest.mark.django_db
def test_an_extended_campaign_gets_its_closing_reminder_again(coordinator):
    campaign = CampaignFactory(owner=coordinator)
    reminders.schedule_campaign_reminders(campaign)
    rows(CLOSING).update(status=Status.SENT, sent_at=timezone.now())
    campaign.closes_at += timedelta(days=7)
    campaign.save(update_fields=["closes_at"])
    reminders.schedule_campaign_reminders(campaign, moved=True)
    assert rows(CLOSING).get().due_at == campaign.closes_at - timedelta(days=2)


@pytest.mark.django_db
def test_a_new_owner_takes_over_the_reminders(coordinator):
    from tests.factories import UserFactory

    campaign = CampaignFactory(owner=coordinator)
    reminders.schedule_campaign_reminders(campaign)
    campaign.owner = UserFactory(role="coordinator", mfa=True)
    campaign.save(update_fields=["owner"])
    reminders.schedule_campaign_reminders(campaign)
    assert set(Notification.objects.filter(status=Status.PENDING).values_list("recipient", flat=True)) == {
        campaign.owner.pk
    }
