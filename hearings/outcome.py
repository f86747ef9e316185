"""Closing the loop: the outcome's findings and decisions, publishing "what we heard, what we did",
telling those who asked, and deleting their addresses once told.

Telling goes through the outbox: one row per ContactRequest (its target), at the resident's address
and in their language. The address is needed until the message is sent, so it is not deleted when
the message is scheduled but by sweep_outcome_contacts() (beat, every few minutes), which deletes the
ContactRequest of each sent row and blanks the address kept in the row itself. The same sweep tells
anyone whose request was saved while the outcome was being published (a form sent a moment before
the campaign closed, committed after publish_outcome() read the list).
"""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Max, Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from notifications.kinds import Kind, register
from notifications.models import Notification, Status
from notifications.services import schedule_notification

from .models import Campaign, ContactRequest, Decision, DecisionStatus, Finding

OUTCOME_KIND = "hearings.outcome"
# What a told resident's address becomes in the sent outbox row (the row needs an address or a
# recipient; its object id keeps the key unique).
FORGOTTEN = "(deleted)"


class OutcomeError(Exception):
    """The outcome cannot be published now; the message is translated and shown to the user."""


def skip_reason(contact_request) -> str:
    """Asked when the message is due: nothing to tell if the outcome was taken back meanwhile."""
    if contact_request.campaign.outcome_published_at is None:
        return "the outcome is not published"
    return ""


def register_notification_kinds() -> None:
    register(
        Kind(
            code=OUTCOME_KIND,
            label=gettext_lazy("The outcome of a hearing you answered"),
            template="hearings/email/outcome",
            # Residents have no account and so no preferences: they asked for this one message.
            transactional=True,
            skip_reason=skip_reason,
        )
    )


# --- Findings and decisions ----------------------------------------------------------------------


def next_finding_order(campaign: Campaign) -> int:
    return (campaign.findings.aggregate(last=Max("order"))["last"] or 0) + 1


@transaction.atomic
def move_finding(*, finding: Finding, up: bool) -> None:
    """Swap the finding with its neighbour above or below (no unique order: two rows may share one
    after a deletion, so the list is renumbered 1..n first)."""
    findings = list(Campaign.objects.select_for_update().get(pk=finding.campaign_id).findings.order_by("order", "pk"))
    for position, row in enumerate(findings, start=1):
        row.order = position
    index = next(i for i, row in enumerate(findings) if row.pk == finding.pk)
    other = index - 1 if up else index + 1
    if 0 <= other < len(findings):
        findings[index].order, findings[other].order = findings[other].order, findings[index].order
    Finding.objects.bulk_update(findings, ["order"])


def decision_error(*, status: str, reasons: str) -> str:
    """The form's check of the database's own (decision_not_adopted_has_reasons), worded for people."""
    if status == DecisionStatus.NOT_ADOPTED and not reasons.strip():
        return _("Give the reasons when a finding was not adopted.")
    return ""


# --- Publishing ----------------------------------------------------------------------------------


def publish_problem(campaign: Campaign, now=None) -> str:
    """Why the outcome cannot be published yet, or ""."""
    now = now or timezone.now()
    if not campaign.is_published or campaign.closes_at > now:
        return _("The outcome can be published once the campaign has closed.")
    if not any((campaign.heard_summary_fi, campaign.heard_summary_sv, campaign.heard_summary_en)):
        return _("Write what was heard before publishing the outcome.")
    return ""


@transaction.atomic
def publish_outcome(*, campaign: Campaign) -> bool:
    """Publish the campaign's outcome and tell everyone who asked. Returns False when it was already
    published: a second click (or a second tab) changes nothing and tells no one twice."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.outcome_published_at is not None:
        return False
    problem = publish_problem(campaign)
    if problem:
        raise OutcomeError(problem)
    campaign.outcome_published_at = timezone.now()
    campaign.save(update_fields=["outcome_published_at", "updated_at"])
    tell_those_who_asked(campaign)
    return True


def tell_those_who_asked(campaign: Campaign) -> int:
    """Schedule the outcome message for every request of the campaign not told yet."""
    requests = list(ContactRequest.objects.filter(campaign=campaign).order_by("pk"))
    told = set(
        _outcome_rows().filter(object_id__in=[str(row.pk) for row in requests]).values_list("object_id", flat=True)
    )
    path = campaign.get_absolute_url()
    count = 0
    for request in requests:
        if str(request.pk) in told:
            continue
        schedule_notification(
            kind=OUTCOME_KIND,
            target=request,
            to_address=request.email,
            language=request.language,
            due_at=timezone.now(),
            context={"path": path},
        )
        count += 1
    return count


def _outcome_rows():
    return Notification.objects.filter(
        kind=OUTCOME_KIND, content_type=ContentType.objects.get_for_model(ContactRequest)
    )


def sweep_outcome_contacts() -> tuple[int, int]:
    """Tell late requests of published outcomes, and forget the addresses whose message was sent.
    Returns (told, forgotten)."""
    told = 0
    late = (
        Campaign.objects.filter(outcome_published_at__isnull=False, contact_requests__isnull=False)
        .distinct()
        .order_by("pk")
    )
    for campaign in late:
        with transaction.atomic():
            told += tell_those_who_asked(campaign)
    return told, forget_told_addresses()


@transaction.atomic
def forget_told_addresses() -> int:
    """Delete each ContactRequest whose outcome message was sent, and the address its outbox row
    kept. Only SENT: a failed message may be retried from the admin, which needs the address."""
    rows = list(
        _outcome_rows()
        .filter(status=Status.SENT)
        .exclude(to_address=FORGOTTEN)
        .select_for_update(skip_locked=True)
        .values_list("pk", "object_id")
    )
    if not rows:
        return 0
    ContactRequest.objects.filter(pk__in=[int(object_id) for _pk, object_id in rows]).delete()
    Notification.objects.filter(pk__in=[pk for pk, _object_id in rows]).update(to_address=FORGOTTEN)
    return len(rows)


def decisions_for(campaign: Campaign) -> list[Finding]:
    """The campaign's findings in order, each with its decisions prefetched (the outcome pages)."""
    decisions = Prefetch("decisions", queryset=Decision.objects.order_by("decided_on", "pk"))
    return list(campaign.findings.order_by("order", "pk").prefetch_related(decisions))
