"""Session reminders to participants and trainers, and the feedback round after each session.

Reminders are outbox rows (notifications/): the due time lives in the row, beat sends it. A session's
rows are keyed by (kind, session, recipient or address), so scheduling again moves a row instead of
adding one. Participants have no account: their rows carry the address and the language of the
participant, and exist only while the participant is in the cohort, agreed to be contacted and gave
an email address; sync_participant_reminders() keeps that true when any of it changes.
"""

from datetime import timedelta

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from notifications.kinds import Kind, register
from notifications.models import Notification, Status
from notifications.services import schedule_notification

PARTICIPANT_REMINDER = "trainings.session_reminder"
TRAINER_REMINDER = "trainings.session_reminder_trainer"
REMINDER_KINDS = [PARTICIPANT_REMINDER, TRAINER_REMINDER]
# How long before a session its reminders go: two days, time to arrange a ride or a day off.
REMINDER_BEFORE = timedelta(days=2)


def skip_reason(session) -> str:
    """Asked when a reminder is due: a cancelled or already started session gets none."""
    if session.cancelled:
        return "the session was cancelled"
    if session.starts_at <= timezone.now():
        return "the session has begun"
    return ""


def register_notification_kinds() -> None:
    register(
        Kind(
            code=PARTICIPANT_REMINDER,
            label=_("Reminders of training sessions (to participants)"),
            template="trainings/email/session_reminder",
            # Participants have no account and so no preferences: their consent decides (services).
            transactional=True,
            skip_reason=skip_reason,
        )
    )
    register(
        Kind(
            code=TRAINER_REMINDER,
            label=_("Reminders of the training sessions you train"),
            template="trainings/email/session_reminder",
            skip_reason=skip_reason,
        )
    )


def reminder_due(session):
    return session.starts_at - REMINDER_BEFORE


def contactable(participants):
    """Participants who get messages: in the cohort, agreed to be contacted, with an email address."""
    return participants.current().filter(contact_consent=True).exclude(email="")


def session_trainers(session):
    """Who trains a session: its own trainers, or the cohort's when the session names none."""
    from accounts.models import User

    own = User.objects.filter(trained_sessions=session, is_active=True)
    if own.exists():
        return own
    return User.objects.filter(trained_cohorts=session.cohort_id, is_active=True)


def schedule_session_reminders(session, *, moved: bool = False) -> None:
    """(Re)schedule the reminders of `session` for everyone who should get one now, and cancel the
    rows of anyone who no longer should (removed, no consent, a trainer taken off). `moved`: the
    time changed, so a reminder already sent goes again for the new time."""
    due = reminder_due(session)
    if session.cancelled or due <= timezone.now():
        # Too late for a reminder two days ahead (a session added or moved to tomorrow): none at all
        # rather than one saying "in two days" tomorrow.
        cancel_session_reminders(session)
        return
    keep = []
    for participant in contactable(session.cohort.participants.all()):
        keep.append(
            schedule_notification(
                kind=PARTICIPANT_REMINDER,
                target=session,
                to_address=participant.email,
                language=participant.language,
                due_at=due,
                context={"to_participant": True},
            ).pk
        )
    for trainer in session_trainers(session):
        keep.append(schedule_notification(kind=TRAINER_REMINDER, target=session, recipient=trainer, due_at=due).pk)
    if moved:
        # Only the rows kept above: reschedule_notifications() would also revive cancelled ones.
        Notification.objects.filter(pk__in=keep, status=Status.SENT).update(
            status=Status.PENDING, due_at=due, attempts=0, last_error="", sent_at=None, updated_at=timezone.now()
        )
    _pending(session).exclude(pk__in=keep).update(status=Status.CANCELLED, claim_token=None, updated_at=timezone.now())


def cancel_session_reminders(session) -> int:
    return _pending(session).update(status=Status.CANCELLED, claim_token=None, updated_at=timezone.now())


def _pending(session):
    return Notification.objects.for_target(session).filter(
        kind__in=REMINDER_KINDS, status__in=[Status.PENDING, Status.FAILED]
    )


def sync_participant_reminders(participant, *, old_email: str = "") -> None:
    """After a participant was added, changed or removed: their reminders of the cohort's coming
    sessions exist exactly when they should, at their current address and in their language."""
    from .models import TrainingSession

    now = timezone.now()
    sessions = TrainingSession.objects.filter(
        cohort_id=participant.cohort_id, cancelled=False, starts_at__gt=now + REMINDER_BEFORE
    )
    wanted = contactable(type(participant).objects.filter(pk=participant.pk)).exists()
    addresses = {address for address in (old_email, participant.email) if address}
    for session in sessions:
        stale = Notification.objects.for_target(session).filter(
            kind=PARTICIPANT_REMINDER, status__in=[Status.PENDING, Status.FAILED], to_address__in=addresses
        )
        if wanted:
            stale = stale.filter(~Q(to_address=participant.email))
            schedule_notification(
                kind=PARTICIPANT_REMINDER,
                target=session,
                to_address=participant.email,
                language=participant.language,
                due_at=reminder_due(session),
                context={"to_participant": True},
            )
        stale.update(status=Status.CANCELLED, claim_token=None, updated_at=now)


def register_feedback_target() -> None:
    """Feedback can be collected on a session (feedback imports no app: feedback/targets.py). Its
    results are for the coordinators and the session's trainers, and the link goes to the cohort's
    participants who agreed to be contacted."""
    from feedback.targets import TargetKind, register

    from .models import TrainingSession

    def participants(session):
        return [(p.email, p.language) for p in contactable(session.cohort.participants.all()).order_by("pk")]

    register(
        TargetKind(
            model=TrainingSession,
            readable_by=TrainingSession.objects.attendance_takers,
            manageable_by=TrainingSession.objects.attendance_takers,
            times=lambda session: (session.starts_at, session.ends_at),
            participants=participants,
        )
    )
