"""A new consent text asks every expert again without silently delisting anyone.

When a text is published (its publication time set in the admin: admin.ConsentTextAdmin), each expert
whose consent is for an older text is told through the outbox, at the publication time. Those on the
version just before it stay listed for the new text's grace period (ConsentText.grace_days, read by
ExpertProfile.objects.consented()) and are reminded REMINDER_BEFORE its end. Consenting again cancels
the reminder; whoever does not answer drops out of search at the deadline by itself, since listing is
a query: no job has to run. Coordinators see who is in the grace period in their to-do list
(ExpertProfile.objects.consent_expiring()).
"""

from datetime import timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from notifications.kinds import Kind, register
from notifications.services import cancel_notifications, schedule_in_bulk

from .models import ConsentText, ExpertProfile, ProfileStatus

RENEWAL = "experts.consent_renewal"
RENEWAL_REMINDER = "experts.consent_renewal_reminder"
KINDS = [RENEWAL, RENEWAL_REMINDER]
REMINDER_BEFORE = timedelta(days=7)


def register_notification_kinds() -> None:
    # Transactional: the consent is the legal ground of the processing, so it is asked of everyone.
    for code, label in [
        (RENEWAL, _("Requests to renew your consent")),
        (RENEWAL_REMINDER, _("Reminders to renew your consent")),
    ]:
        register(Kind(code=code, label=label, template="experts/email/consent_renewal", transactional=True))


@transaction.atomic
def publish_consent_text(*, text: ConsentText) -> int:
    """Ask every expert on an older version to consent to `text` (published now or later), and remind
    those in the grace period before it ends. Returns how many experts are asked.

    Saving the text again (a corrected date, a longer grace period) moves the messages not sent yet
    and adds none: there is one row per text, kind and person, and a sent one stays sent."""
    older = ConsentText.objects.filter(version__lt=text.version)
    if text.published_at is None:  # taken back before it was published
        cancel_notifications(target=text, kinds_=KINDS)
        return 0
    # A request about an older text that has not gone yet would only ask for a consent that no longer lists.
    for superseded in older:
        cancel_notifications(target=superseded, kinds_=KINDS)
    previous = older.filter(published_at__lte=text.published_at).order_by("-version").first()
    profiles = list(
        ExpertProfile.objects.filter(consent_version__lt=text.version, user__is_active=True)
        .exclude(status=ProfileStatus.LEFT)
        .select_related("user")
        .only("consent_version", "user__language", "user__is_active")
    )
    path = reverse("experts:profile_consent")
    grace_version = previous.version if previous else None
    asked = [(p.user, {"path": path, "in_grace": p.consent_version == grace_version}) for p in profiles]
    due = max(text.published_at, timezone.now())
    schedule_in_bulk(kind=RENEWAL, target=text, due_at=due, recipients=asked)
    reminder_due = text.grace_deadline - REMINDER_BEFORE
    if reminder_due > due:
        in_grace = [(user, context) for user, context in asked if context["in_grace"]]
        schedule_in_bulk(kind=RENEWAL_REMINDER, target=text, due_at=reminder_due, recipients=in_grace)
    else:  # a grace period too short for a reminder (or none)
        cancel_notifications(target=text, kinds_=[RENEWAL_REMINDER])
    return len(profiles)


def cancel_renewal_requests(*, user, text: ConsentText | None) -> None:
    """The expert answered (consented to `text`, or withdrew): no more asking about it."""
    if text is not None:
        cancel_notifications(target=text, kinds_=KINDS, recipient=user)
