"""The feedback round after each training session, made and kept right without anyone starting it.

A session of a programme with a feedback form gets its round when the session is created: it opens
when the session ends and stays open KP_FEEDBACK_OPEN_DAYS days; its link goes to the cohort's
participants who agreed to be contacted (reminders.register_feedback_target). The links are
feedback's own outbox rows (feedback.services.LINK_KIND), one per round and address: the outbox's
unique key (kind, target, recipient, to_address, channel) makes scheduling the same address again
move its row, never add a second, and a row already sent stays sent. Until a round opens its link
rows follow the cohort's participants (sync_participant_links); the round follows its session's time
(move_session_rounds) and goes with it when the session is cancelled (cancel_session_rounds).
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from feedback import targets
from feedback.models import Round, Series
from feedback.services import LINK_KIND, change_round_times, create_round
from notifications.models import Notification, Status
from notifications.services import cancel_notifications, reschedule_notifications, schedule_notification

from .models import Cohort, Participant, TrainingSession
from .reminders import contactable

TITLE_MAX = Round._meta.get_field("title").max_length
SERIES_NAME_MAX = Series._meta.get_field("name").max_length


def rounds_of(session: TrainingSession):
    return Round.objects.filter(
        target_type=ContentType.objects.get_for_model(TrainingSession), target_id=session.pk
    ).order_by("pk")


def create_session_round(session: TrainingSession) -> Round | None:
    """The session's round on its programme's form, made now unless the session has one already
    (made here, or started by hand on the session page): never two. None when there is no form
    to use, the session was cancelled, or its round would be closed already.

    Call inside a transaction: the session's row lock makes two callers take turns, so the second
    finds the first one's round."""
    session = (
        TrainingSession.objects.select_for_update(of=("self",))
        .select_related("cohort__programme__feedback_template", "module")
        .get(pk=session.pk)
    )
    template = session.cohort.programme.feedback_template
    # A form taken out of use is not offered for new rounds by feedback either (round_create).
    version = template.latest_version() if template is not None and template.is_active else None
    opens_at = session.ends_at
    closes_at = opens_at + timedelta(days=settings.KP_FEEDBACK_OPEN_DAYS)
    # A session entered long after it was held: a round closed from the start would only send links
    # to a closed form. Staff can still start one by hand to type in paper answers.
    if version is None or session.cancelled or closes_at <= timezone.now():
        return None
    existing = rounds_of(session).first()
    if existing is not None:
        return existing
    return create_round(
        target=session,
        version=version,
        owner=session.cohort.coordinator,
        title=f"{session.cohort.name}: {session}"[:TITLE_MAX],
        opens_at=opens_at,
        closes_at=closes_at,
        series=cohort_series(session.cohort),
        participants=list(targets.kind_of(TrainingSession).participants(session)),
    )


def cohort_series(cohort: Cohort) -> Series:
    """The cohort's series of rounds (feedback's trend page over its sessions), made with its first
    round. The cohort's row lock makes two sessions created at once share one series."""
    cohort = Cohort.objects.select_for_update().only("pk", "name", "coordinator", "feedback_series").get(pk=cohort.pk)
    if cohort.feedback_series_id is None:
        cohort.feedback_series = Series.objects.create(name=cohort.name[:SERIES_NAME_MAX], owner=cohort.coordinator)
        cohort.save(update_fields=["feedback_series"])
    return cohort.feedback_series


def schedule_link(round_: Round, *, email: str, language: str) -> Notification:
    """One participant's link, exactly as feedback.services.create_round schedules it."""
    return schedule_notification(
        kind=LINK_KIND,
        target=round_,
        to_address=email,
        language=language,
        due_at=round_.opens_at,
        context={"path": round_.answer_url()},  # the form, not the results (notifications.emails)
    )


def _pending_links(round_: Round):
    return Notification.objects.for_target(round_).filter(kind=LINK_KIND, status__in=[Status.PENDING, Status.FAILED])


def sync_participant_links(participant: Participant, *, old_email: str = "") -> None:
    """After a participant was added, changed or removed: their links to the cohort's rounds that
    have not opened yet exist exactly when they should, at their current address and in their
    language. A round already open keeps its recipients: its links went when it opened."""
    now = timezone.now()
    sessions = TrainingSession.objects.filter(cohort_id=participant.cohort_id, cancelled=False)
    rounds = Round.objects.filter(
        target_type=ContentType.objects.get_for_model(TrainingSession),
        target_id__in=sessions.values("pk"),
        opens_at__gt=now,
    )
    wanted = contactable(Participant.objects.filter(pk=participant.pk)).exists()
    addresses = {address for address in (old_email, participant.email) if address}
    for round_ in rounds:
        stale = _pending_links(round_).filter(to_address__in=addresses)
        if wanted:
            stale = stale.exclude(to_address=participant.email)
            schedule_link(round_, email=participant.email, language=participant.language)
        stale.update(status=Status.CANCELLED, claim_token=None, updated_at=now)


def move_session_rounds(session: TrainingSession, *, old_ends_at: datetime) -> list[Round]:
    """The session's end moved: its rounds move by as much, keeping their length, and a session that
    has no round yet (its programme got a form later) gets one. Returns the rounds moved.

    Moved: a round without answers, whether it has opened or not; nothing anyone said is lost, and a
    round that opened for a session which was then moved (postponed on the day) should open again
    after the session is held. Not moved: a round with answers; they were given about the session
    as it was, and moving the round could close the form under someone answering (staff can still
    change its times on feedback's page)."""
    shift = session.ends_at - old_ends_at
    moved = []
    if shift and not session.cancelled:
        # The row lock first: an answer's insert (feedback.services.submit_answer) waits for it, so
        # none slips in between the check and the move.
        for round_ in rounds_of(session).select_for_update():
            if not round_.answers.exists():
                _move_round(round_, session, shift)
                moved.append(round_)
    create_session_round(session)
    return moved


def _move_round(round_: Round, session: TrainingSession, shift: timedelta) -> None:
    now = timezone.now()
    was_open = round_.opens_at <= now
    links = Notification.objects.for_target(round_).filter(kind=LINK_KIND)
    # reschedule_notifications() (in change_round_times) revives cancelled rows: a link cancelled for
    # a removed participant, a withdrawn consent or an old address must stay cancelled.
    cancelled = list(links.filter(status=Status.CANCELLED).values_list("pk", flat=True))
    change_round_times(round_=round_, opens_at=round_.opens_at + shift, closes_at=round_.closes_at + shift)
    if was_open and round_.opens_at > now:
        # The link they got leads to a form that is closed again until then: it goes again.
        reschedule_notifications(target=round_, kind=LINK_KIND, due_at=round_.opens_at, include_sent=True)
    links.filter(pk__in=cancelled).update(status=Status.CANCELLED, claim_token=None, updated_at=now)
    if round_.closes_at <= now:
        cancel_notifications(target=round_, kinds_=[LINK_KIND])  # moved into the past: closed, no links
    elif round_.opens_at > now:
        # Not open yet, so its links follow the cohort as it is now (sync_participant_links): someone
        # added while it was open gets one, someone removed since it went does not get it again.
        people = session.cohort.participants.all()
        wanted = list(contactable(people))
        for participant in wanted:
            schedule_link(round_, email=participant.email, language=participant.language)
        gone = people.exclude(email="").exclude(email__in=[p.email for p in wanted]).values("email")
        _pending_links(round_).filter(to_address__in=gone).update(
            status=Status.CANCELLED, claim_token=None, updated_at=now
        )


def cancel_session_rounds(session: TrainingSession) -> int:
    """A cancelled session: its rounds' links that have not gone are cancelled, and a round nobody
    has answered is deleted (with its outbox rows cancelled, so the outbox keeps the record). A
    round with answers stays, for its answers. Returns how many rounds were deleted."""
    deleted = 0
    # Locked before the check, as in move_session_rounds: no answer arrives between it and the delete.
    for round_ in rounds_of(session).select_for_update():
        cancel_notifications(target=round_, kinds_=[LINK_KIND])
        if not round_.answers.exists():
            cancel_notifications(target=round_)
            round_.delete()
            deleted += 1
    return deleted
