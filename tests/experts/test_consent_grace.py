"""A new consent text does not silently delist anyone: the experts on the previous version stay listed
for the grace period, are told through the outbox once and reminded before the end, the reminder
goes away when they consent, and after the deadline they drop out of search by themselves."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from experts.consent_renewal import RENEWAL, RENEWAL_REMINDER, publish_consent_text
from experts.models import ConsentText, ExpertProfile, ProfileStatus
from experts.services import give_consent, withdraw_consent
from notifications.emails import render_notification
from notifications.models import Notification, Status
from tests.factories import ExpertProfileFactory, UserFactory

MY_PROFILE = reverse("experts:my_profile")


def publish(version=2, *, days_ago=0.0, grace_days=30, notify=True) -> ConsentText:
    text = ConsentText.objects.create(
        version=version,
        text=f"Suostumusteksti {version}",
        text_en=f"Consent text {version}",
        published_at=timezone.now() - timedelta(days=days_ago),
        grace_days=grace_days,
    )
    if notify:
        publish_consent_text(text=text)
    return text


def rows(kind, text=None, status=Status.PENDING):
    found = Notification.objects.filter(kind=kind, status=status)
    return found.for_target(text) if text is not None else found


# --- Listing: a query, so no job has to run at the deadline ---------------------------------------------


@pytest.mark.django_db
def test_experts_on_the_previous_version_stay_listed_during_the_grace_period():
    profile = ExpertProfileFactory()
    text = publish(days_ago=29, notify=False)
    assert list(ExpertProfile.objects.listed()) == [profile]
    (expiring,) = ExpertProfile.objects.consent_expiring()
    assert expiring == profile
    assert expiring.consent_expires_at == text.published_at + timedelta(days=30) == text.grace_deadline


@pytest.mark.django_db
def test_after_the_deadline_they_drop_out_by_themselves():
    ExpertProfileFactory()
    publish(days_ago=30.01, notify=False)
    assert not ExpertProfile.objects.listed().exists()
    assert not ExpertProfile.objects.consent_expiring().exists()


@pytest.mark.django_db
def test_listing_follows_the_clock_it_is_given():
    profile = ExpertProfileFactory()
    text = publish(notify=False)
    deadline = text.grace_deadline
    assert list(ExpertProfile.objects.consented(now=deadline - timedelta(minutes=1))) == [profile]
    assert not ExpertProfile.objects.consented(now=deadline).exists()
    assert not ExpertProfile.objects.consent_expiring(now=deadline + timedelta(days=1)).exists()
    # Before the new text was published, the old consent was simply the current one.
    before = text.published_at - timedelta(seconds=1)
    assert list(ExpertProfile.objects.consented(now=before)) == [profile]
    assert not ExpertProfile.objects.consent_expiring(now=before).exists()


@pytest.mark.django_db
def test_only_the_version_just_before_has_a_grace_period():
    on_first = ExpertProfileFactory()
    text = publish(2, days_ago=60, notify=False)
    on_second = ExpertProfileFactory()
    give_consent(profile=on_second, text=text)
    publish(3, notify=False)
    assert list(ExpertProfile.objects.listed()) == [on_second]
    assert on_first not in ExpertProfile.objects.consent_expiring()


@pytest.mark.django_db
def test_consenting_again_lists_them_for_good_and_leaving_delists_them():
    profile, left = ExpertProfileFactory(), ExpertProfileFactory()
    ExpertProfile.objects.filter(pk=left.pk).update(status=ProfileStatus.LEFT)
    text = publish(days_ago=29, notify=False)
    give_consent(profile=profile, text=text)
    assert not ExpertProfile.objects.consent_expiring().exists()
    assert list(ExpertProfile.objects.consented(now=text.grace_deadline + timedelta(days=1))) == [profile]


@pytest.mark.django_db
def test_no_grace_period_delists_at_publication():
    ExpertProfileFactory()
    publish(grace_days=0, notify=False)
    assert not ExpertProfile.objects.listed().exists()


# --- Telling them ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_publishing_tells_each_expert_on_an_older_version_once():
    profile = ExpertProfileFactory()
    withdrawn, left = ExpertProfileFactory(), ExpertProfileFactory()
    withdraw_consent(profile=withdrawn)
    ExpertProfile.objects.filter(pk=left.pk).update(status=ProfileStatus.LEFT)
    text = publish()
    publish_consent_text(text=text)  # saved again in the admin: nothing new
    (renewal,) = rows(RENEWAL, text)
    assert renewal.recipient == profile.user and renewal.channel == "email"
    assert renewal.context == {"path": reverse("experts:profile_consent"), "in_grace": True}
    assert abs(renewal.due_at - text.published_at) < timedelta(seconds=5)
    (reminder,) = rows(RENEWAL_REMINDER, text)
    assert reminder.recipient == profile.user
    assert reminder.due_at == text.grace_deadline - timedelta(days=7)


@pytest.mark.django_db
def test_a_message_sent_is_not_sent_again_when_the_text_is_saved_again():
    ExpertProfileFactory()
    text = publish()
    rows(RENEWAL, text).update(status=Status.SENT, sent_at=timezone.now())
    publish_consent_text(text=text)
    assert Notification.objects.filter(kind=RENEWAL).count() == 1
    assert rows(RENEWAL, text, Status.SENT).count() == 1


@pytest.mark.django_db
def test_a_text_published_later_tells_them_then_and_moves_with_its_date():
    ExpertProfileFactory()
    text = publish(days_ago=-3)  # published in three days
    assert rows(RENEWAL, text).get().due_at == text.published_at
    text.published_at += timedelta(days=1)
    text.save()
    publish_consent_text(text=text)
    assert rows(RENEWAL, text).get().due_at == text.published_at
    assert rows(RENEWAL_REMINDER, text).get().due_at == text.grace_deadline - timedelta(days=7)


@pytest.mark.django_db
def test_experts_older_than_the_previous_version_are_told_without_a_grace_period():
    ExpertProfileFactory()  # consents to version 1
    second = publish(2, days_ago=60, notify=False)
    on_second = ExpertProfileFactory()
    give_consent(profile=on_second, text=second)
    third = publish(3)
    contexts = {row.recipient_id: row.context["in_grace"] for row in rows(RENEWAL, third)}
    assert contexts == {on_second.user_id: True, ExpertProfile.objects.exclude(pk=on_second.pk).get().user_id: False}
    assert [row.recipient_id for row in rows(RENEWAL_REMINDER, third)] == [on_second.user_id]


@pytest.mark.django_db
def test_a_grace_period_too_short_for_a_reminder_has_none():
    ExpertProfileFactory()
    text = publish(grace_days=5)
    assert rows(RENEWAL, text).count() == 1
    assert not Notification.objects.filter(kind=RENEWAL_REMINDER).exists()


@pytest.mark.django_db
def test_consenting_cancels_only_that_experts_reminder():
    answered, silent = ExpertProfileFactory(), ExpertProfileFactory()
    text = publish()
    give_consent(profile=answered, text=text)
    assert [row.recipient for row in rows(RENEWAL_REMINDER, text)] == [silent.user]
    assert rows(RENEWAL_REMINDER, text, Status.CANCELLED).get().recipient == answered.user


@pytest.mark.django_db
def test_withdrawing_cancels_the_reminders_too():
    profile = ExpertProfileFactory()
    text = publish()
    withdraw_consent(profile=profile)
    assert not rows(RENEWAL_REMINDER, text).exists()
    assert not rows(RENEWAL, text).exists()


@pytest.mark.django_db
def test_a_newer_text_replaces_the_requests_for_an_older_one_not_sent_yet():
    ExpertProfileFactory()
    second = publish(2)
    third = publish(3)
    assert not rows(RENEWAL, second).exists() and not rows(RENEWAL_REMINDER, second).exists()
    assert rows(RENEWAL, third).count() == 1


@pytest.mark.django_db
def test_unpublishing_before_the_date_cancels_the_messages():
    ExpertProfileFactory()
    text = publish(days_ago=-3)
    text.published_at = None
    text.save()
    assert publish_consent_text(text=text) == 0
    assert not Notification.objects.filter(kind__in=[RENEWAL, RENEWAL_REMINDER], status=Status.PENDING).exists()


@pytest.mark.django_db
def test_the_message_names_the_deadline_and_links_to_the_consent_page():
    profile = ExpertProfileFactory(user=UserFactory(role="expert", language="en"))
    text = publish()
    message = render_notification(rows(RENEWAL, text).get())
    deadline = timezone.localtime(text.grace_deadline)
    assert message.subject == "The consent text has been updated: please give your consent again"
    assert f"Your profile stays in search until {deadline.day}.{deadline.month}.{deadline.year}" in message.text
    assert message.text.count(reverse("experts:profile_consent")) == 1
    assert "List-Unsubscribe" not in message.headers  # transactional
    assert profile.display_name.split()[0] not in message.subject


# --- Where it shows ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_my_profile_says_until_when_the_profile_stays_listed(signed_in, profile):
    text = publish()
    body = signed_in.get(MY_PROFILE).content.decode()
    deadline = timezone.localtime(text.grace_deadline)
    assert "Please give your consent again" in body
    assert f"Your profile stays in search until {deadline.day}.{deadline.month}.{deadline.year}" in body


@pytest.mark.django_db
def test_publishing_in_the_admin_asks_the_experts(client, admin_user):
    ExpertProfileFactory()
    client.force_login(admin_user)
    now = timezone.localtime()
    response = client.post(
        reverse("admin:experts_consenttext_add"),
        {
            "version": 2,
            "text_fi": "Uusi teksti",
            "text_sv": "",
            "text_en": "",
            "published_at_0": now.strftime("%d.%m.%Y"),
            "published_at_1": now.strftime("%H:%M:%S"),
            "grace_days": 30,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    text = ConsentText.objects.get(version=2)
    assert rows(RENEWAL, text).count() == 1
    assert rows(RENEWAL_REMINDER, text).count() == 1
