"""Writes of cohorts' participants, sessions and attendance, with their reminders; booking an expert
trainer through bookings (its own invite → confirm → fee chain, never one of ours)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import AuditAction
from accounts.services import record_audit_event
from bookings import services as booking_services
from bookings.models import Assignment, Booking, BookingStatus
from experts.models import ExpertProfile

from . import reminders, session_feedback
from .models import Attendance, AttendanceChange, Cohort, Participant, TrainingSession


class TrainingError(Exception):
    """An action that is not allowed now; the message is translated and shown to the user."""


# --- Participants --------------------------------------------------------------------------------


def _record_consent(participant: Participant, was_consenting: bool) -> None:
    # The moment of the consent is kept (GDPR: when did they agree); withdrawing it clears it.
    if participant.contact_consent and not was_consenting:
        participant.contact_consent_at = timezone.now()
    elif not participant.contact_consent:
        participant.contact_consent_at = None


@transaction.atomic
def add_participant(*, cohort: Cohort, form, actor) -> Participant:
    participant = form.save(commit=False)
    participant.cohort = cohort
    participant.added_by = actor
    _record_consent(participant, was_consenting=False)
    participant.full_clean()
    participant.save()
    reminders.sync_participant_reminders(participant)
    session_feedback.sync_participant_links(participant)
    return participant


@transaction.atomic
def change_participant(*, participant: Participant, form, actor) -> Participant:
    before = Participant.objects.select_for_update().get(pk=participant.pk)
    participant = form.save(commit=False)
    _record_consent(participant, was_consenting=before.contact_consent)
    participant.full_clean()
    participant.save()
    reminders.sync_participant_reminders(participant, old_email=before.email)
    session_feedback.sync_participant_links(participant, old_email=before.email)
    if participant.user_id:
        record_audit_event(
            actor=actor, subject=participant.user, action=AuditAction.CHANGE, what="training participant changed"
        )
    return participant


@transaction.atomic
def remove_participant(*, participant: Participant, actor, note: str = "") -> Participant:
    """Removed, not deleted: the attendance already taken stays for the cohort's figures. Removing
    twice (a double click) keeps the first removal's time and author."""
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    if participant.removed_at is not None:
        return participant
    participant.removed_at = timezone.now()
    participant.removed_by = actor
    participant.removal_note = note
    participant.save(update_fields=["removed_at", "removed_by", "removal_note"])
    reminders.sync_participant_reminders(participant)
    session_feedback.sync_participant_links(participant)
    return participant


# --- Sessions ------------------------------------------------------------------------------------


@transaction.atomic
def create_session(*, cohort: Cohort, form) -> TrainingSession:
    session = form.save(commit=False)
    session.cohort = cohort
    session.full_clean()
    session.save()
    form.save_m2m()
    reminders.schedule_session_reminders(session)
    # The feedback round after the session, on its programme's form, with its link to the participants.
    session_feedback.create_session_round(session)
    return session


@transaction.atomic
def change_session(*, session: TrainingSession, form) -> TrainingSession:
    """Saves the form; a new time moves the reminders (one already sent goes again for the new
    time) and the feedback round, a change of trainers moves who gets the reminders."""
    before = TrainingSession.objects.select_for_update().get(pk=session.pk)
    session = form.save()
    moved = (before.starts_at, before.ends_at) != (session.starts_at, session.ends_at)
    reminders.schedule_session_reminders(session, moved=moved)
    session_feedback.move_session_rounds(session, old_ends_at=before.ends_at)
    return session


@transaction.atomic
def cancel_session(*, session: TrainingSession) -> TrainingSession:
    session = TrainingSession.objects.select_for_update().get(pk=session.pk)
    if not session.cancelled:
        session.cancelled = True
        session.save(update_fields=["cancelled", "updated_at"])
    reminders.cancel_session_reminders(session)
    session_feedback.cancel_session_rounds(session)
    return session


# --- Attendance ----------------------------------------------------------------------------------


def is_late(session: TrainingSession, now=None) -> bool:
    """Whether a change now is a correction: the session ended on an earlier day (Helsinki time)."""
    now = now or timezone.now()
    return timezone.localdate(session.ends_at) < timezone.localdate(now)


@transaction.atomic
def save_attendance(*, session: TrainingSession, marks: dict[int, str], actor, reason: str = "") -> int:
    """Save the marks {participant id: status} of one session in one upsert; returns how many rows
    changed. A correction after the session's day is logged (who, when, old → new, why).

    The session's row lock makes two posts of the form (a double tap, two trainers) take turns: the
    second sees the first one's rows, changes nothing and logs nothing. The unique constraint with
    ON CONFLICT DO UPDATE keeps one row per person even for a writer that skips the lock."""
    session = TrainingSession.objects.select_for_update().get(pk=session.pk)
    if session.cancelled:
        raise TrainingError(_("The session was cancelled: its attendance cannot be taken."))
    current = set(session.cohort.participants.current().filter(pk__in=marks).values_list("pk", flat=True))
    existing = {row.participant_id: row for row in session.attendance.filter(participant_id__in=current)}
    now, late = timezone.now(), is_late(session)
    changed = [
        Attendance(session=session, participant_id=pk, status=status, marked_by=actor, marked_at=now)
        for pk, status in marks.items()
        if pk in current and (pk not in existing or existing[pk].status != status)
    ]
    Attendance.objects.bulk_create(
        changed,
        update_conflicts=True,
        unique_fields=["session", "participant"],
        update_fields=["status", "marked_by", "marked_at"],
    )
    if late:
        AttendanceChange.objects.bulk_create(
            AttendanceChange(
                attendance=existing[row.participant_id],
                old_status=existing[row.participant_id].status,
                new_status=row.status,
                changed_by=actor,
                changed_at=now,
                reason=reason,
            )
            for row in changed
            if row.participant_id in existing
        )
    return len(changed)


# --- Expert trainers -----------------------------------------------------------------------------

ACTIVE_BOOKINGS = (BookingStatus.INVITED, BookingStatus.ACCEPTED, BookingStatus.CONFIRMED, BookingStatus.COMPLETED)


def trainer_bookings(session: TrainingSession) -> dict[int, Booking]:
    """{expert profile id: their active booking} on the assignments made for `session`."""
    bookings = Booking.objects.filter(
        assignment__in=Assignment.objects.for_purpose(session), status__in=ACTIVE_BOOKINGS
    ).select_related("assignment")
    return {booking.expert_id: booking for booking in bookings}


def expert_trainers(session: TrainingSession) -> list[ExpertProfile]:
    """The session's trainers who are experts of the bank (they are booked and paid through bookings)."""
    return list(
        ExpertProfile.objects.filter(user__in=reminders.session_trainers(session)).select_related("user").order_by("pk")
    )


@transaction.atomic
def book_expert_trainer(*, session: TrainingSession, form, actor) -> Booking:
    """Order the chosen expert trainer for the session as a bookings assignment whose purpose is the
    session, and invite them: bookings takes it from there (acceptance, confirmation, reminders, the
    fee into the payroll export). Asking again for someone already on it returns their booking."""
    session = TrainingSession.objects.select_for_update().select_related("cohort").get(pk=session.pk)
    profile = form.cleaned_data["expert"]
    existing = trainer_bookings(session).get(profile.pk)
    if existing is not None:
        return existing
    if session.cancelled:
        raise TrainingError(_("The session was cancelled."))
    assignment = form.instance
    assignment.title = _("Trainer: %(session)s") % {"session": session}
    assignment.starts_at, assignment.ends_at = session.starts_at, session.ends_at
    assignment.address = session.place or session.cohort.place
    assignment.contact_person = session.cohort.coordinator
    assignment.experts_needed = 1
    assignment = booking_services.create_assignment(form=form, actor=actor, purpose=session)
    invited, refused = booking_services.invite_experts(assignment=assignment, profiles=[profile], actor=actor)
    if not invited:
        # Not bookable (not ready, another assignment then…): undo the assignment with the message.
        raise TrainingError(refused.get(profile.pk) or _("The expert could not be invited."))
    return invited[0]
