"""Staff reminders: before a campaign closes, and when its outcome is not published in time.

Both go to the campaign's owner through the notifications outbox: the due time lives in the row and
beat sends it. A campaign's rows are keyed by (kind, campaign, owner), so scheduling again after an
edit moves a row instead of adding one; services.py calls schedule_campaign_reminders() whenever a
campaign is created, edited or published (and admin does too). When a row falls due, skip_reason()
asks the campaign again, since it may have changed in a way that was not rescheduled.
"""

from datetime import timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from notifications.kinds import Kind, register
from notifications.models import Notification, Status
from notifications.services import schedule_notification

CLOSING_REMINDER = "hearings.campaign_closing"
OUTCOME_REMINDER = "hearings.outcome_due"
REMINDER_KINDS = [CLOSING_REMINDER, OUTCOME_REMINDER]
# Two days before closing: time to push the last channels (a street stand, a reminder in the panel).
CLOSING_BEFORE = timedelta(days=2)
# A row is "for another closing time" when its campaign now closes later than this past the row's
# moment: beat sends a minute or so late, and a few minutes of slack keep the test of it simple.
SLACK = timedelta(minutes=30)


def outcome_after() -> timedelta:
    return timedelta(weeks=settings.KP_HEARING_OUTCOME_WEEKS)


def closing_skip_reason(campaign) -> str:
    """Asked when the closing reminder is due."""
    now = timezone.now()
    if not campaign.is_published:
        return "the campaign is not published"
    if campaign.closes_at <= now:
        return "the campaign has closed"
    if campaign.closes_at - CLOSING_BEFORE > now + SLACK:
        # Moved later without rescheduling (services always reschedule): the new row will come.
        return "the closing time moved"
    return ""


def outcome_skip_reason(campaign) -> str:
    """Asked when the "outcome overdue" reminder is due."""
    if campaign.outcome_published_at is not None:
        return "the outcome is published"
    if not campaign.is_published:
        return "the campaign is not published"
    if campaign.closes_at + outcome_after() > timezone.now() + SLACK:
        return "the closing time moved"
    return ""


def register_notification_kinds() -> None:
    register(
        Kind(
            code=CLOSING_REMINDER,
            label=_("Reminders before your hearing campaigns close"),
            template="hearings/email/reminder_closing",
            skip_reason=closing_skip_reason,
        )
    )
    register(
        Kind(
            code=OUTCOME_REMINDER,
            label=_("Reminders to publish the outcome of your hearing campaigns"),
            template="hearings/email/reminder_outcome",
            skip_reason=outcome_skip_reason,
        )
    )


def schedule_campaign_reminders(campaign, *, moved: bool = False) -> None:
    """(Re)schedule the owner's reminders of `campaign` for its current times and state, and cancel
    the rows that no longer apply (unpublished, too late, outcome published, another owner).
    `moved`: the closing time changed, so a closing reminder already sent goes again for the new time
    (a campaign extended by a week deserves a second "closes in two days")."""
    now = timezone.now()
    keep = []
    context = {"path": reverse("hearings:campaign_manage", args=[campaign.pk])}
    if campaign.is_published:
        closing_due = campaign.closes_at - CLOSING_BEFORE
        if closing_due > now:
            keep.append(_schedule(campaign, CLOSING_REMINDER, closing_due, context, revive_sent=moved))
        if campaign.outcome_published_at is None:
            outcome_due = campaign.closes_at + outcome_after()
            keep.append(_schedule(campaign, OUTCOME_REMINDER, outcome_due, context, revive_sent=moved))
    _pending(campaign).exclude(pk__in=keep).update(status=Status.CANCELLED, claim_token=None, updated_at=timezone.now())


def _schedule(campaign, kind, due_at, context, *, revive_sent: bool) -> int:
    row = schedule_notification(kind=kind, target=campaign, recipient=campaign.owner, due_at=due_at, context=context)
    if revive_sent and row.status == Status.SENT:
        Notification.objects.filter(pk=row.pk).update(
            status=Status.PENDING, due_at=due_at, attempts=0, last_error="", sent_at=None, updated_at=timezone.now()
        )
    return row.pk


def _pending(campaign):
    return Notification.objects.for_target(campaign).filter(
        kind__in=REMINDER_KINDS, status__in=[Status.PENDING, Status.FAILED]
    )
