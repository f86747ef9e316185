"""Onboarding of new experts into the bank: the checklist per expert, "ready to be booked".

The checklist's steps are kept by an admin (OnboardingStep: a confidentiality agreement, an
orientation, a first assignment with a mentor...). A new expert's profile starts without `ready_at`:
the expert bank does not offer it in search nor lets it be booked (ExpertProfileQuerySet.listed)
until a coordinator, with every required step done, marks it ready here.

Overdue steps remind the responsible coordinators through the outbox. The reminders are scheduled
when the onboarding starts (a profile created without `ready_at`, or a required step added while
experts are onboarding), one row per step and coordinator, due on the step's last day, and asked at
send time whether they are still needed (skip_reason): marking a step done needs no cancelling, and a
step undone later is reminded of again.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch, Q
from django.db.models.signals import post_save
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import AuditAction, Invitation, User
from accounts.services import record_audit_event
from experts.forms_profile import LAST_STEP
from experts.models import ExpertProfile, ProfileStatus
from experts.onboarding_status import OnboardingStatus, register_onboarding_status_provider
from experts.onboarding_status import OnboardingStep as StepStatus
from notifications.kinds import Kind, register
from notifications.services import schedule_notification

from .models import OnboardingItem, OnboardingStep

OVERDUE_KIND = "trainings.onboarding_overdue"
READY_KIND = "trainings.onboarding_ready"
# Reminders go out in office hours, on the morning after the step's last day.
REMINDER_TIME = time(9)


# --- Reading the checklist --------------------------------------------------------------------


@dataclass
class StepRow:
    step: OnboardingStep
    item: OnboardingItem | None
    due_on: date
    overdue: bool

    @property
    def done(self) -> bool:
        return self.item is not None and self.item.done_on is not None


@dataclass
class Progress:
    """One expert's checklist: a row per active step, in the steps' order."""

    profile: ExpertProfile
    rows: list[StepRow] = field(default_factory=list)

    @property
    def done(self) -> int:
        return sum(1 for row in self.rows if row.done)

    @property
    def total(self) -> int:
        return len(self.rows)

    @property
    def overdue(self) -> int:
        return sum(1 for row in self.rows if row.overdue)

    @property
    def profile_state(self) -> str:
        """How far the expert's own part is: the guided profile form and the consent."""
        if self.profile.onboarding_step < LAST_STEP:
            return _("Profile not finished by the expert")
        if self.profile.consent_version is None:
            return _("No consent given yet")
        return _("Profile finished, consent given")

    @property
    def missing(self) -> list[OnboardingStep]:
        """The required steps not done yet: what stops the expert from being marked ready."""
        return [row.step for row in self.rows if row.step.required and not row.done]


def active_steps() -> list[OnboardingStep]:
    return list(OnboardingStep.objects.filter(is_active=True))


def joined_on(profile: ExpertProfile) -> date:
    """The day the expert joined: their profile's creation, from which each step's days count."""
    return timezone.localdate(profile.created_at)


def progress(profile: ExpertProfile, steps: list[OnboardingStep], items, today: date | None = None) -> Progress:
    """The checklist of `profile` from the active `steps` and the profile's `items` (any iterable)."""
    today = today or timezone.localdate()
    by_step = {item.step_id: item for item in items}
    joined = joined_on(profile)
    rows = []
    for step in steps:
        item = by_step.get(step.pk)
        due_on = joined + timedelta(days=step.due_days)
        done = item is not None and item.done_on is not None
        rows.append(StepRow(step, item, due_on, overdue=not done and due_on < today))
    return Progress(profile, rows)


def waiting_list(limit: int = 200) -> list[Progress]:
    """The experts not yet ready to be booked, newest first, each with their checklist. Three
    queries: the steps, the profiles, their done items. At most `limit`: an expert who never finishes
    stays on the list until a coordinator marks them left, and the newest are the ones to act on."""
    steps = active_steps()
    done = OnboardingItem.objects.filter(done_on__isnull=False)
    profiles = (
        ExpertProfile.objects.onboarding()
        .only("display_name", "created_at", "consent_version", "onboarding_step", "status", "ready_at")
        .order_by("-created_at", "-pk")
        .prefetch_related(Prefetch("onboarding_items", queryset=done, to_attr="done_items"))[:limit]
    )
    today = timezone.localdate()
    return [progress(profile, steps, profile.done_items, today) for profile in profiles]


def recently_ready(days: int = 30, limit: int = 20) -> list[ExpertProfile]:
    since = timezone.now() - timedelta(days=days)
    rows = ExpertProfile.objects.filter(ready_at__gte=since).select_related("ready_by").order_by("-ready_at", "-pk")
    return list(rows.only("display_name", "ready_at", "ready_by__first_name", "ready_by__last_name")[:limit])


def onboarding_status(profile: ExpertProfile) -> OnboardingStatus | None:
    """The expert's own view of their checklist (experts.onboarding_status): step names and done or
    not. Two queries: the active steps and the expert's done items."""
    if profile.ready_at is not None:
        return None
    steps = active_steps()
    done = set(OnboardingItem.objects.filter(profile=profile, done_on__isnull=False).values_list("step_id", flat=True))
    return OnboardingStatus([StepStatus(name=step.name, done=step.pk in done) for step in steps])


# --- Changing it ----------------------------------------------------------------------------------


@transaction.atomic
def mark_step_done(*, profile: ExpertProfile, step: OnboardingStep, actor, note: str = "") -> OnboardingItem:
    """Mark `step` done for `profile` today. Marking a done step again (a second click, another
    coordinator) keeps its first date and who did it; a new note replaces the old one."""
    item, _created = OnboardingItem.objects.select_for_update().get_or_create(profile=profile, step=step)
    changed = []
    if item.done_on is None:
        item.done_on, item.done_by = timezone.localdate(), actor
        changed += ["done_on", "done_by"]
    if note and note != item.note:
        item.note = note
        changed.append("note")
    if changed:
        item.full_clean()
        item.save(update_fields=[*changed, "updated_at"])
        record_audit_event(
            actor=actor, subject=profile.user, action=AuditAction.CHANGE, what="onboarding step", fields=changed
        )
    return item


@transaction.atomic
def undo_step(*, profile: ExpertProfile, step: OnboardingStep, actor) -> None:
    """Mark `step` not done again (a mistaken tick): its overdue reminder is due again too."""
    undone = OnboardingItem.objects.filter(profile=profile, step=step, done_on__isnull=False).update(
        done_on=None, done_by=None, updated_at=timezone.now()
    )
    if undone:
        record_audit_event(
            actor=actor, subject=profile.user, action=AuditAction.CHANGE, what="onboarding step", fields=["undone"]
        )
        if profile.ready_at is None and step.is_active and step.required:
            schedule_reminders(profile=profile, steps=[step])


@transaction.atomic
def mark_ready(*, profile: ExpertProfile, actor) -> bool:
    """Mark the expert ready to be booked, if every required active step is done; tell them through
    the outbox. Returns False when they already were (a double-submitted form): nothing changes.
    Raises ValidationError naming the steps still missing."""
    # The row lock makes a second, concurrent click wait and then find the expert ready.
    profile = ExpertProfile.objects.select_for_update().select_related("user").get(pk=profile.pk)
    if profile.ready_at is not None:
        return False
    missing = progress(profile, active_steps(), profile.onboarding_items.all()).missing
    if missing:
        names = ", ".join(step.name for step in missing)
        raise ValidationError(
            _("The expert cannot be marked ready yet: these required steps are not done: %(steps)s.") % {"steps": names}
        )
    profile.ready_at, profile.ready_by = timezone.now(), actor
    profile.save(update_fields=["ready_at", "ready_by", "updated_at"])
    record_audit_event(
        actor=actor, subject=profile.user, action=AuditAction.CHANGE, what="onboarding", fields=["ready_at"]
    )
    schedule_notification(
        kind=READY_KIND,
        target=profile,
        recipient=profile.user,
        due_at=timezone.now(),
        context={"path": reverse("experts:my_profile")},  # the profile's own URL is the staff page
    )
    return True


# --- Overdue reminders ------------------------------------------------------------------------


def responsible_coordinators(profile: ExpertProfile) -> list[User]:
    """Who is reminded of the expert's overdue steps: the coordinator who invited them, if they may
    still manage onboarding; otherwise everyone who may (a small team, each can turn it off)."""
    invitation = (
        Invitation.objects.filter(accepted_user=profile.user_id, invited_by__is_active=True)
        .select_related("invited_by")
        .order_by("-accepted_at")
        .first()
    )
    if invitation is not None and invitation.invited_by.has_perm("accounts.manage_trainings"):
        return [invitation.invited_by]
    may = Permission.objects.filter(codename="manage_trainings", content_type__app_label="accounts")
    users = User.objects.filter(is_active=True).filter(Q(groups__permissions__in=may) | Q(user_permissions__in=may))
    return list(users.distinct().order_by("pk"))


def reminder_due(profile: ExpertProfile, step: OnboardingStep) -> datetime:
    day = joined_on(profile) + timedelta(days=step.due_days + 1)
    return timezone.make_aware(datetime.combine(day, REMINDER_TIME))


def schedule_reminders(*, profile: ExpertProfile, steps: list[OnboardingStep] | None = None) -> int:
    """Schedule the overdue reminders of `profile`'s required active steps (all of them unless
    `steps`): each step's item (not done) is the reminder's target, so that the outbox's unique key
    (kind, target, recipient) keeps it to one row per step and coordinator however often this runs.
    Returns how many rows were scheduled or moved."""
    if steps is None:
        steps = [step for step in active_steps() if step.required]
    if not steps:
        return 0
    recipients = responsible_coordinators(profile)
    count = 0
    for step in steps:
        item, _created = OnboardingItem.objects.get_or_create(profile=profile, step=step)
        if item.done_on is not None:
            continue
        path = reverse("trainings:onboarding_detail", args=[profile.pk])
        for recipient in recipients:
            schedule_notification(
                kind=OVERDUE_KIND,
                target=item,
                recipient=recipient,
                due_at=reminder_due(profile, step),
                context={"path": path},
            )
            count += 1
    return count


def overdue_skip_reason(item: OnboardingItem) -> str:
    """Asked when a reminder is due: whether it is still needed (not logged with any name)."""
    if item.done_on is not None:
        return "the step is done"
    if not (item.step.is_active and item.step.required):
        return "the step is no longer required"
    profile = item.profile
    if profile.ready_at is not None:
        return "the expert is ready to be booked"
    if profile.status == ProfileStatus.LEFT:
        return "the expert has left"
    return ""


def on_profile_saved(sender, instance: ExpertProfile, created: bool, raw: bool = False, **kwargs) -> None:
    """A new expert (a profile created without ready_at, by the guided form or a training's bank
    invitation) starts onboarding: their reminders are scheduled in the same transaction."""
    if created and not raw and instance.ready_at is None:
        schedule_reminders(profile=instance)


def on_step_saved(sender, instance: OnboardingStep, raw: bool = False, **kwargs) -> None:
    """A required step added (or changed: its days, back in use) while experts are onboarding: their
    reminders of it are scheduled or moved."""
    if raw or not (instance.is_active and instance.required):
        return
    for profile in ExpertProfile.objects.onboarding().select_related("user"):
        schedule_reminders(profile=profile, steps=[instance])


def register_notification_kinds() -> None:
    """The onboarding's two kinds of message; and its hooks: the signals that start a new expert's
    onboarding, and the status the expert's own page shows (experts.onboarding_status)."""
    register(
        Kind(
            code=OVERDUE_KIND,
            label=gettext_lazy("Overdue onboarding steps of new experts (to coordinators)"),
            template="trainings/email/onboarding",
            skip_reason=overdue_skip_reason,
        )
    )
    register(
        Kind(
            code=READY_KIND,
            label=gettext_lazy("Ready to be booked after onboarding"),
            template="trainings/email/onboarding",
            transactional=True,
        )
    )
    post_save.connect(on_profile_saved, sender=ExpertProfile, dispatch_uid="trainings.onboarding_profile_saved")
    post_save.connect(on_step_saved, sender=OnboardingStep, dispatch_uid="trainings.onboarding_step_saved")
    register_onboarding_status_provider(onboarding_status)
