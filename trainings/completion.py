"""Completion of a cohort: who has met the programme's rules, recording it (with the certificate's
number), undoing a mistaken completion, and the path into the expert bank.

The rules (compute_statuses, pure so that the edge cases are tested without a database):

- Only the cohort's sessions that are over and not cancelled count ("held"): a session still to come
  cannot be missed yet, and a cancelled one was never held.
- Attended means marked present. An excused absence does not count as attended: the rule asks how
  much of the training the person took part in, not whether their absences were justified.
- The share is attended / held, compared as integers (attended × 100 ≥ threshold × held), so 8 of 10
  at 80 % is exactly enough and no rounding decides it.
- Every required module must have been attended at least once: present at any held session of it.
- Removed participants are left out; with no sessions held yet nobody is eligible.
"""

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.signals import post_save
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Invitation
from accounts.services import invite_expert
from experts.models import CompletedTraining, CompletedTrainingSource, ExpertProfile
from experts.services import record_profile_change

from .models import Attendance, AttendanceStatus, Cohort, Module, Participant, TrainingSession

# "KK-2026-0007": KK for koulutus (training), the year of completion, a running number of the cohort.
CERTIFICATE_PREFIX = "KK"
CERTIFICATE_NUMBER = re.compile(r"^[A-Z]+-\d{4}-(\d+)$")


@dataclass
class CompletionStatus:
    participant: Participant
    attended: int
    held: int
    missing_modules: list[Module] = field(default_factory=list)
    eligible: bool = False

    @property
    def share(self) -> int | None:
        """Attendance in whole per cent (rounded down, as the rule compares), None before any session."""
        return self.attended * 100 // self.held if self.held else None


def compute_statuses(
    *,
    participants: Iterable[Participant],
    sessions: Iterable[TrainingSession],
    required_modules: Iterable[Module],
    present: set[tuple[int, int]],
    threshold: int,
    now,
) -> list[CompletionStatus]:
    """Each current participant's completion status. `present` holds (session id, participant id)
    pairs marked present; `threshold` is Programme.completion_attendance in per cent."""
    held = [s for s in sessions if not s.cancelled and s.ends_at <= now]
    sessions_of_module: dict[int, list[int]] = {}
    for session in held:
        if session.module_id is not None:
            sessions_of_module.setdefault(session.module_id, []).append(session.pk)
    statuses = []
    for participant in participants:
        if participant.removed_at is not None:
            continue
        attended = sum(1 for s in held if (s.pk, participant.pk) in present)
        missing = [
            module
            for module in required_modules
            if not any((pk, participant.pk) in present for pk in sessions_of_module.get(module.pk, []))
        ]
        eligible = bool(held) and attended * 100 >= threshold * len(held) and not missing
        statuses.append(CompletionStatus(participant, attended, len(held), missing, eligible))
    return statuses


def cohort_statuses(cohort: Cohort, now=None) -> list[CompletionStatus]:
    """compute_statuses for `cohort` from the database. Queries: participants, sessions, required
    modules, present marks (4)."""
    return compute_statuses(
        participants=cohort.participants.current().select_related("bank_invitation").order_by("name", "pk"),
        sessions=cohort.sessions.all(),
        required_modules=cohort.programme.modules.filter(is_required=True).order_by("order", "pk"),
        present=set(
            Attendance.objects.filter(session__cohort=cohort, status=AttendanceStatus.PRESENT).values_list(
                "session_id", "participant_id"
            )
        ),
        threshold=cohort.programme.completion_attendance,
        now=now or timezone.now(),
    )


def organiser_name() -> str:
    """Who runs the trainings, for certificates and completed-training records: the county's name
    when settings give one (KP_ORGANISER_NAME), else a general name."""
    # Lazy: a bilingual certificate shows the general name in each of its languages.
    return settings.KP_ORGANISER_NAME or gettext_lazy("Wellbeing services county")


def attended_modules(participant: Participant):
    """The modules the certificate lists: those the participant was present at a held session of."""
    return (
        Module.objects.filter(
            sessions__attendance__participant=participant,
            sessions__attendance__status=AttendanceStatus.PRESENT,
            sessions__cancelled=False,
        )
        .distinct()
        .order_by("order", "pk")
    )


def _next_number(year: int, used: set[str]) -> str:
    numbers = [int(m.group(1)) for number in used if (m := CERTIFICATE_NUMBER.match(number))]
    return f"{CERTIFICATE_PREFIX}-{year}-{max(numbers, default=0) + 1:04d}"


@transaction.atomic
def record_completions(*, cohort: Cohort, participant_ids: Iterable[int], by, on: date | None = None) -> list:
    """Mark the given participants completed if they are eligible and not completed yet, giving each
    a certificate number. Returns the participants completed now (none on a double submit).

    The cohort row is locked first: two coordinators recording at once run one after the other, so
    the running number is never given twice (the unique constraint would refuse it anyway)."""
    on = on or timezone.localdate()
    Cohort.objects.select_for_update().filter(pk=cohort.pk).first()
    wanted = set(participant_ids)
    chosen = [
        status.participant
        for status in cohort_statuses(cohort)
        if status.eligible and status.participant.pk in wanted and status.participant.completed_on is None
    ]
    used = set(cohort.participants.exclude(certificate_number="").values_list("certificate_number", flat=True))
    for participant in chosen:
        # A completion undone and recorded again keeps its number: a certificate already printed
        # with it stays the same person's.
        if not participant.certificate_number:
            participant.certificate_number = _next_number(on.year, used)
            used.add(participant.certificate_number)
        participant.completed_on, participant.completed_by = on, by
        participant.save(update_fields=["completed_on", "completed_by", "certificate_number"])
    return chosen


@transaction.atomic
def undo_completion(*, participant: Participant, by, reason: str) -> None:
    """Undo a mistaken completion; the reason goes to the participant's history (Django admin's log).

    Refused once the completion has gone into the expert bank (an invitation or a profile's record):
    that is corrected in the bank, not here, so the two never disagree silently."""
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    if participant.completed_on is None:
        return
    if participant.bank_invitation_id or participant.expert_profile_id:
        raise ValidationError(
            _("The completion has already been passed to the expert bank. Ask an administrator to correct it."),
            code="in_bank",
        )
    participant.completed_on, participant.completed_by = None, None
    participant.save(update_fields=["completed_on", "completed_by"])
    LogEntry.objects.create(
        user=by,
        content_type=ContentType.objects.get_for_model(Participant),
        object_id=str(participant.pk),
        object_repr=str(participant)[:200],
        action_flag=CHANGE,
        change_message=json.dumps([{"changed": {"fields": ["completed"]}}, {"reason": reason}], ensure_ascii=False),
    )


# --- The path into the expert bank


def record_key(participant: Participant) -> str:
    return f"trainings.participant:{participant.pk}"


@transaction.atomic
def invite_to_bank(*, participant: Participant, by) -> str:
    """Offer a completed participant the expert bank. Returns "recorded" when they already have a
    profile (the training is written into it at once) or "invited" (an invitation is mailed through
    accounts; accepting it creates a draft profile with the training, see on_invitation_saved).

    Raises ValidationError for someone not completed, without an email address, or whose address
    already has an account without a profile (they add their profile themselves; the record follows
    when they do, on_profile_saved)."""
    participant = (
        Participant.objects.select_for_update(of=("self",)).select_related("cohort__programme").get(pk=participant.pk)
    )
    if participant.completed_on is None:
        raise ValidationError(_("Only a participant who has completed the training can be invited."), code="not_done")
    profile = ExpertProfile.objects.filter(user=participant.user_id).first() if participant.user_id else None
    if profile is not None:
        add_training_record(participant=participant, profile=profile, actor=by)
        return "recorded"
    if not participant.email:
        raise ValidationError(_("Add the participant's email address first."), code="no_email")
    invitation = invite_expert(email=participant.email, invited_by=by, language=participant.language)
    participant.bank_invitation = invitation
    participant.save(update_fields=["bank_invitation"])
    return "invited"


def add_training_record(*, participant: Participant, profile: ExpertProfile, actor) -> None:
    """Write the completed training into `profile` (once: the record key is unique per profile) and
    let it set the training level, which the expert then no longer changes themselves."""
    programme = participant.cohort.programme
    with translation.override(participant.language):  # the names in the person's language
        title, provider = programme.name, str(organiser_name())
    _row, created = CompletedTraining.objects.get_or_create(
        profile=profile,
        record_key=record_key(participant),
        defaults={
            "title": title,
            "provider": provider,
            "completed_on": participant.completed_on,
            "source": CompletedTrainingSource.RECORD,
        },
    )
    fields = ["completed_trainings"] if created else []
    if profile.training_level != programme.training_level or profile.training_level_source != "record":
        profile.training_level, profile.training_level_source = programme.training_level, "record"
        profile.save(update_fields=["training_level", "training_level_source"])
        fields.append("training_level")
    if participant.expert_profile_id != profile.pk or participant.user_id != profile.user_id:
        participant.expert_profile, participant.user = profile, profile.user
        participant.save(update_fields=["expert_profile", "user"])
    record_profile_change(profile=profile, actor=actor, fields=fields)


def on_invitation_saved(sender, instance: Invitation, **kwargs) -> None:
    """An accepted bank invitation of a participant: a draft profile with the training filled in.

    accounts cannot import trainings, so this listens to the invitation's save. The draft has no
    consent and is not ready to be booked: the person finishes it in the guided profile form, and a
    coordinator marks them ready after onboarding."""
    if instance.accepted_user_id is None:
        return
    participant = Participant.objects.select_related("cohort__programme").filter(bank_invitation=instance).first()
    if participant is None or participant.expert_profile_id:
        return
    user = instance.accepted_user
    profile, _created = ExpertProfile.objects.get_or_create(
        user=user, defaults={"display_name": (user.first_name or participant.name.split(" ")[0])[:80]}
    )
    add_training_record(participant=participant, profile=profile, actor=user)


def on_profile_saved(sender, instance: ExpertProfile, created: bool, **kwargs) -> None:
    """A profile created by someone who completed a cohort as a participant with an account: their
    trainings' records go into it."""
    if not created:
        return
    completed = Participant.objects.select_related("cohort__programme").filter(
        user=instance.user_id, completed_on__isnull=False, expert_profile__isnull=True
    )
    for participant in completed:
        add_training_record(participant=participant, profile=instance, actor=instance.user)


def connect_bank_signals() -> None:
    post_save.connect(on_invitation_saved, sender=Invitation, dispatch_uid="trainings.invitation_saved")
    post_save.connect(on_profile_saved, sender=ExpertProfile, dispatch_uid="trainings.profile_saved")


# Shown in the completion list for each participant's bank state.
BANK_STATES = {
    "recorded": gettext_lazy("In the expert bank"),
    "invited": gettext_lazy("Invited to the expert bank"),
}
