"""Overdue onboarding steps remind the responsible coordinators through the outbox, exactly once,
and not at all once the step is done or the expert is ready."""

from datetime import datetime, time, timedelta

import pytest
from django.core import mail
from django.utils import timezone

from accounts.models import Invitation
from notifications.models import Notification, Status
from notifications.services import send_notification, sweep_due_notifications
from tests.factories import ExpertProfileFactory, OnboardingStepFactory, UserFactory
from trainings import onboarding
from trainings.models import OnboardingItem
from trainings.onboarding import OVERDUE_KIND, overdue_skip_reason, schedule_reminders

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def steps(db):
    return [
        OnboardingStepFactory(name="Vaitiolositoumus", due_days=7),
        OnboardingStepFactory(name="Perehdytyskeskustelu", due_days=30),
        OnboardingStepFactory(name="Mentorin tapaaminen", due_days=60, required=False),
    ]


def reminders():
    return Notification.objects.filter(kind=OVERDUE_KIND).order_by("due_at", "recipient_id")


def morning_after(profile, days: int) -> datetime:
    day = timezone.localdate(profile.created_at) + timedelta(days=days + 1)
    return timezone.make_aware(datetime.combine(day, time(9)))


def send_due(now: datetime) -> list[str]:
    """One sweep at `now` (a clock moved forward) and the send of each row it claimed."""
    claimed = []
    # In English, to assert the msgids: a row keeps its recipient's language (Finnish by default).
    Notification.objects.update(language="en")
    sweep_due_notifications(enqueue=lambda nid, token: claimed.append((nid, token)), now=now)
    return [send_notification(notification_id=nid, claim_token=token) for nid, token in claimed]


@pytest.mark.django_db
def test_a_new_expert_gets_a_reminder_per_required_step_and_coordinator(steps, coordinator):
    other = UserFactory(role="admin", mfa=True)
    UserFactory(role="trainer", mfa=True)  # trainers do not manage onboarding

    profile = ExpertProfileFactory(ready_at=None)

    rows = list(reminders())
    assert len(rows) == 4  # two required steps × the coordinator and the admin
    assert {row.recipient for row in rows} == {coordinator, other}
    assert {row.target.step for row in rows} == {steps[0], steps[1]}
    assert {row.due_at for row in rows if row.target.step == steps[0]} == {morning_after(profile, 7)}
    assert {row.due_at for row in rows if row.target.step == steps[1]} == {morning_after(profile, 30)}
    assert all(row.context == {"path": f"/valmennukset/perehdytys/{profile.pk}/"} for row in rows)


@pytest.mark.django_db
def test_an_expert_ready_from_the_start_gets_none(steps, coordinator):
    ExpertProfileFactory()
    assert not reminders().exists()
    assert not OnboardingItem.objects.exists()


@pytest.mark.django_db
def test_scheduling_again_adds_no_rows(steps, coordinator):
    profile = ExpertProfileFactory(ready_at=None)

    schedule_reminders(profile=profile)
    schedule_reminders(profile=profile)

    assert reminders().count() == 2
    assert OnboardingItem.objects.filter(profile=profile).count() == 2


@pytest.mark.django_db
def test_the_inviting_coordinator_alone_is_reminded(steps, coordinator):
    inviter = UserFactory(role="coordinator", mfa=True)
    expert = UserFactory(role="expert")
    Invitation.objects.create(
        email=expert.email,
        invited_by=inviter,
        token_hash="x" * 64,
        expires_at=timezone.now() + timedelta(days=7),
        accepted_at=timezone.now(),
        accepted_user=expert,
    )

    ExpertProfileFactory(user=expert, ready_at=None)

    assert {row.recipient for row in reminders()} == {inviter}


@pytest.mark.django_db
def test_a_required_step_added_later_is_reminded_for_those_onboarding(steps, coordinator):
    onboarding_now = ExpertProfileFactory(ready_at=None)
    ExpertProfileFactory()  # ready: nothing

    added = OnboardingStepFactory(name="Tietoturvakoulutus", due_days=14)

    rows = [row for row in reminders() if row.target.step == added]
    assert [(row.target.profile, row.due_at) for row in rows] == [(onboarding_now, morning_after(onboarding_now, 14))]


@pytest.mark.django_db
def test_an_overdue_step_is_sent_to_the_coordinator_on_its_day(steps, coordinator):
    profile = ExpertProfileFactory(display_name="Uusi Ursula", ready_at=None)

    assert send_due(morning_after(profile, 7) - timedelta(minutes=1)) == []
    assert send_due(morning_after(profile, 7)) == ["sent"]

    [message] = mail.outbox
    assert message.to == [coordinator.email]
    assert message.subject == "Onboarding step overdue: Vaitiolositoumus (Uusi Ursula)"
    assert f"/valmennukset/perehdytys/{profile.pk}/" in message.body


@pytest.mark.django_db
def test_a_step_done_in_time_is_not_reminded(steps, coordinator):
    profile = ExpertProfileFactory(ready_at=None)
    onboarding.mark_step_done(profile=profile, step=steps[0], actor=coordinator)

    assert send_due(morning_after(profile, 7)) == ["cancelled"]

    assert mail.outbox == []
    row = reminders().get(status=Status.CANCELLED)
    assert row.last_error == "the step is done"


@pytest.mark.django_db
def test_an_expert_made_ready_is_not_reminded(steps, coordinator):
    profile = ExpertProfileFactory(ready_at=None)
    for step in steps[:2]:
        onboarding.mark_step_done(profile=profile, step=step, actor=coordinator)
    onboarding.mark_ready(profile=profile, actor=coordinator)
    mail.outbox.clear()

    send_due(morning_after(profile, 30))

    assert [message.to for message in mail.outbox] == [[profile.user.email]]  # "you can be booked" only
    assert set(reminders().values_list("status", flat=True)) == {Status.CANCELLED}


@pytest.mark.django_db
def test_skip_reason_says_why_or_nothing(steps, coordinator):
    profile = ExpertProfileFactory(ready_at=None)
    item = OnboardingItem.objects.get(profile=profile, step=steps[0])
    assert overdue_skip_reason(item) == ""

    steps[0].required = False
    steps[0].save()
    item.refresh_from_db()
    assert overdue_skip_reason(item) == "the step is no longer required"

    type(profile).objects.filter(pk=profile.pk).update(status="left")
    item = OnboardingItem.objects.get(profile=profile, step=steps[1])
    assert overdue_skip_reason(item) == "the expert has left"


@pytest.mark.django_db
def test_undoing_a_step_whose_reminder_was_skipped_reminds_again(steps, coordinator):
    profile = ExpertProfileFactory(ready_at=None)
    onboarding.mark_step_done(profile=profile, step=steps[0], actor=coordinator)
    send_due(morning_after(profile, 7))  # skipped: done

    onboarding.undo_step(profile=profile, step=steps[0], actor=coordinator)

    assert send_due(morning_after(profile, 8)) == ["sent"]
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_the_ready_message_tells_the_expert_they_can_be_booked(steps, coordinator):
    profile = ExpertProfileFactory(ready_at=None)
    for step in steps[:2]:
        onboarding.mark_step_done(profile=profile, step=step, actor=coordinator)
    onboarding.mark_ready(profile=profile, actor=coordinator)

    assert send_due(timezone.now()) == ["sent"]

    [message] = mail.outbox
    assert message.to == [profile.user.email]
    assert message.subject == "You can now be booked for assignments"
    assert "/asiantuntijat/oma/" in message.body
