"""Open to all matching: who an open assignment matches, and their daily digest of such assignments.

An assignment open to all matches the experts who could take it that day:
- they offer its task;
- they work in its municipality, if it has one (a remote-only assignment, with a meeting link and no
  address, has no place to come to: any municipality), and in the way it is done (remote_ok for a
  remote-only assignment, in_person_ok for the others);
- they speak its language, if it has one;
- they are bookable on its date: listed (consent, onboarding done), not paused then, no blocked period
  on the date, the date's weekday in their weekly pattern if they gave one, their monthly cap not
  reached, and no other confirmed assignment at that time.

They hear of it at most once a day: a MatchDigest row per expert and day collects the day's matching
assignments and is the target of its outbox message ("bookings.open_digest": by email, and by text
message to those who chose that), due at 15.00, or at 8.00 the next morning for an assignment opened
after 15.00. An assignment joins the expert's digest
while it is not sent; after that, the next day's. When the message goes, it lists the assignments
still open (a filled or cancelled one is left out; if none is left, nothing is sent).
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from experts.models import BlockedPeriod, ExpertProfile, Weekday, facet
from experts.workload import full_month_profiles
from notifications.kinds import Kind, register
from notifications.models import Notification, Status
from notifications.services import schedule_for_channels

from .eligibility import booking_range
from .models import Assignment, AssignmentStatus, Booking, MatchDigest

DIGEST_KIND = "bookings.open_digest"
# When the day's digest goes: in the afternoon, so that the morning's new assignments are in it; what
# opens later waits for the next morning rather than reaching someone in the evening.
DIGEST_TIME = time(15)
MORNING_TIME = time(8)


def register_notification_kinds() -> None:
    register(
        Kind(
            code=DIGEST_KIND,
            label=_("Daily digest of new open assignments that match you"),
            template="bookings/email/open_digest",
            sms=True,  # by text message too, to those who chose it (open_digest_sms.txt)
            skip_reason=digest_skip_reason,
        )
    )


# --- Who matches ---------------------------------------------------------------------------------


def is_remote_only(assignment: Assignment) -> bool:
    return bool(assignment.remote_link) and not assignment.address


def matching_experts(assignment: Assignment):
    """The experts `assignment` matches (the module's docstring), not already on it. The task,
    municipality, language and weekday conditions read ExpertProfile.facets, as the search does."""
    day = timezone.localdate(assignment.starts_at)
    wanted = [facet("task", assignment.task_type_id)]
    if assignment.language_id:
        wanted.append(facet("language", assignment.language_id))
    profiles = ExpertProfile.objects.bookable(on=day)
    if is_remote_only(assignment):
        profiles = profiles.filter(remote_ok=True)
    else:
        profiles = profiles.filter(in_person_ok=True)
        if assignment.municipality_id:
            wanted.append(facet("municipality", assignment.municipality_id))
    any_weekday = [facet("weekday", weekday) for weekday in Weekday.values]
    profiles = profiles.filter(facets__contains=wanted).filter(
        Q(facets__contains=[facet("weekday", day.weekday())]) | ~Q(facets__overlap=any_weekday)
    )
    blocked = BlockedPeriod.objects.filter(
        profile=OuterRef("pk"), start__lte=timezone.localdate(assignment.ends_at), end__gte=day
    )
    busy = Booking.objects.holding().filter(expert=OuterRef("pk"), during__overlap=booking_range(assignment))
    profiles = profiles.exclude(Exists(blocked)).exclude(Exists(busy))
    if assignment.pk:
        profiles = profiles.exclude(Exists(Booking.objects.filter(expert=OuterRef("pk"), assignment=assignment)))
    for full in full_month_profiles(day):
        profiles = profiles.exclude(pk__in=full)
    return profiles


def is_matchable(assignment: Assignment, now: datetime) -> bool:
    return assignment.open_to_all and assignment.status == AssignmentStatus.OPEN and assignment.starts_at > now


def matching_count(assignment: Assignment) -> int | None:
    """How many experts the assignment page says are told of it; None when it is not open to all."""
    if not is_matchable(assignment, timezone.now()):
        return None
    return matching_experts(assignment).count()


# --- The digest ----------------------------------------------------------------------------------


def digest_slot(now: datetime) -> tuple[date, datetime]:
    """The day and due time of the digest that an assignment opened at `now` goes into first."""
    local = timezone.localtime(now)
    if local.time() < DIGEST_TIME:
        return local.date(), _at(local.date(), DIGEST_TIME)
    tomorrow = local.date() + timedelta(days=1)
    return tomorrow, _at(tomorrow, MORNING_TIME)


def _at(day: date, clock: time) -> datetime:
    # 8.00 and 15.00 exist on every date (the clocks change at 3.00/4.00).
    return datetime.combine(day, clock, tzinfo=timezone.get_default_timezone())


def add_to_digests(assignment: Assignment, *, now: datetime | None = None) -> int:
    """Put an assignment open to all into the digest of each expert it matches; returns how many.
    Called when an open-to-all assignment is created (services.create_assignment, series.py).

    Set-based: a few queries a round, plus the scheduling of each digest that is new today.

    Races: the sender renders a digest while it holds its outbox row's lock (notifications.services.
    send_notification). Here the digests' rows are locked before their status is read, so an
    assignment either joins a digest before it is rendered, or finds it sent and goes to the next
    day's. The rows are locked in id order: two assignments opened at once wait, never deadlock."""
    now = now or timezone.now()
    if not is_matchable(assignment, now):
        return 0
    profiles = {profile.pk: profile for profile in matching_experts(assignment).select_related("user").order_by("pk")}
    day, due = digest_slot(now)
    waiting = profiles
    # Two rounds at most: a digest already sent today sends the assignment to tomorrow's.
    while waiting:
        sent = _join_digests(assignment, waiting, day, due)
        waiting = {pk: profiles[pk] for pk in sent}
        day += timedelta(days=1)
        due = _at(day, MORNING_TIME)
    return len(profiles)


def _join_digests(assignment: Assignment, profiles: dict[int, ExpertProfile], day: date, due: datetime) -> list[int]:
    """Add `assignment` to the `day` digests of `profiles` not sent yet; returns the profile ids whose
    digest of that day was already sent."""
    MatchDigest.objects.bulk_create([MatchDigest(profile_id=pk, day=day) for pk in profiles], ignore_conflicts=True)
    digests = {digest.pk: digest for digest in MatchDigest.objects.filter(profile_id__in=profiles, day=day)}
    rows = (
        Notification.objects.select_for_update()
        .filter(
            kind=DIGEST_KIND,
            content_type=ContentType.objects.get_for_model(MatchDigest),
            object_id__in=[str(pk) for pk in digests],
        )
        .order_by("pk")
    )
    statuses: dict[int, set[str]] = {}
    for object_id, status in rows.values_list("object_id", "status"):
        statuses.setdefault(int(object_id), set()).add(status)
    sent = {pk for pk, found in statuses.items() if Status.SENT in found}
    joining = [digest for pk, digest in digests.items() if pk not in sent]
    MatchDigest.assignments.through.objects.bulk_create(
        [MatchDigest.assignments.through(matchdigest_id=digest.pk, assignment_id=assignment.pk) for digest in joining],
        ignore_conflicts=True,
    )
    for digest in joining:
        # A new digest gets its message; a pending one keeps its due time. One cancelled when nothing
        # was left open in it (or failed) is due again.
        if not statuses.get(digest.pk, set()) & {Status.PENDING, Status.SENDING}:
            _schedule(digest, profiles[digest.profile_id], due)
    return [digests[pk].profile_id for pk in sent]


def _schedule(digest: MatchDigest, profile: ExpertProfile, due: datetime) -> None:
    """The digest's message by email, and by text message to those who chose that (channels_for)."""
    context = {"path": reverse("bookings:my_assignments") + "#open-title"}
    schedule_for_channels(kind=DIGEST_KIND, target=digest, recipient=profile.user, due_at=due, context=context)


def open_in_digest(digest: MatchDigest) -> list[Assignment]:
    """The digest's assignments as the message lists them: still open to all, not begun, and not
    already the expert's (they volunteered or were invited since)."""
    theirs = Booking.objects.filter(assignment=OuterRef("pk"), expert_id=digest.profile_id)
    return list(
        digest.assignments.filter(status=AssignmentStatus.OPEN, open_to_all=True, starts_at__gt=timezone.now())
        .exclude(Exists(theirs))
        .select_related("task_type")
        .order_by("starts_at", "pk")
    )


@dataclass
class DigestEntry:
    """A line of the digest: an assignment, or the dates of a recurring one (series.py) as one line."""

    dates: list[Assignment]

    @property
    def assignment(self) -> Assignment:
        return self.dates[0]

    @property
    def more(self) -> int:
        return len(self.dates) - 1

    @property
    def last(self) -> Assignment:
        return self.dates[-1]


def digest_entries(assignments: list[Assignment]) -> list[DigestEntry]:
    """open_in_digest()'s assignments with the dates of each series on one line, by the first date."""
    entries: dict[object, DigestEntry] = {}
    for assignment in assignments:
        key = ("series", assignment.series_id) if assignment.series_id else ("one", assignment.pk)
        entries.setdefault(key, DigestEntry([])).dates.append(assignment)
    return list(entries.values())


def digest_skip_reason(digest: MatchDigest) -> str:
    if not open_in_digest(digest):
        return "no assignment in the digest is open any more"
    return ""
