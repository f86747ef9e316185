"""Who can be booked for an assignment, and the lock that keeps the answer true until commit.

Every check here reads rows that another transaction may be changing: two coordinators confirming the
same expert for two different assignments in the same month both see room under the monthly cap and
the earnings limit. lock_expert() serialises every path that confirms an expert (or moves their
confirmed assignment), so the second one reads the first one's booking.
"""

from datetime import timedelta

from django.db.backends.postgresql.psycopg_any import DateTimeTZRange
from django.utils import timezone
from django.utils.translation import gettext as _

from experts.models import BlockedPeriod, ExpertProfile, ProfileStatus, WeeklyAvailability

from .models import Assignment, Booking


def lock_expert(profile_id: int) -> None:
    """Hold the expert's profile row until the transaction ends. FOR NO KEY UPDATE: it waits for
    another confirmation of the same expert, but not for an invitation being inserted (a foreign
    key takes only a key-share lock)."""
    lock_experts([profile_id])


def lock_experts(profile_ids) -> None:
    """lock_expert() for several experts (moving an assignment with more than one confirmed), in id
    order: two moves that share experts then wait for each other instead of deadlocking."""
    rows = ExpertProfile.objects.select_for_update(no_key=True).filter(pk__in=set(profile_ids)).order_by("pk")
    list(rows.values_list("pk", flat=True))


def unbookable_reason(profile: ExpertProfile, assignment: Assignment, *, ignore: Booking | None = None) -> str:
    """Why `profile` cannot be booked for `assignment` (translated), or "" when they can."""
    if not ExpertProfile.objects.listed().filter(pk=profile.pk).exists():
        if profile.ready_at is None and profile.status != ProfileStatus.LEFT:
            return _("The expert's onboarding is not finished: they cannot be booked yet.")
        return _("The expert has not given the current consent or has left the expert bank.")
    if profile.status == ProfileStatus.LEFT:
        return _("The expert has left the expert bank.")
    day = timezone.localdate(assignment.starts_at)
    if profile.status == ProfileStatus.PAUSED and (profile.paused_until is None or profile.paused_until >= day):
        return _("The expert has paused their assignments.")
    reason = unavailable_reason(profile, assignment, ignore=ignore)
    if reason:
        return reason
    overlapping = Booking.objects.holding().filter(expert=profile, during__overlap=booking_range(assignment))
    if overlapping.exclude(pk=getattr(ignore, "pk", None)).exists():
        return _("The expert already has an assignment at that time.")
    return ""


def unavailable_reason(profile: ExpertProfile, assignment: Assignment, *, ignore: Booking | None = None) -> str:
    """Why `profile` cannot take `assignment` at its time (translated): blocked dates or the monthly
    cap; "" when they can. Also asked for the confirmed experts when an assignment moves
    (services.move_assignment), where a pause is not: it stops new assignments, not the ones agreed.
    The reasons name no health data: a blocked period's note is the expert's own."""
    day = timezone.localdate(assignment.starts_at)
    last_day = timezone.localdate(assignment.ends_at)
    if BlockedPeriod.objects.filter(profile=profile, start__lte=last_day, end__gte=day).exists():
        return _("The expert is not available on that date.")
    if profile.monthly_cap is not None:
        month = Booking.objects.holding().of_expert(profile).in_month(day).exclude(pk=getattr(ignore, "pk", None))
        if month.count() >= profile.monthly_cap:
            return _("The expert's monthly limit of %(cap)s assignments is already reached.") % {
                "cap": profile.monthly_cap
            }
    return ""


def booking_range(assignment: Assignment) -> DateTimeTZRange:
    return DateTimeTZRange(assignment.starts_at, assignment.ends_at, "[)")


def experts_busy_between(starts, ends):
    """The ids of experts whose confirmed or completed bookings overlap starts–ends, for the search's
    "available on a date" with a time range (experts/workload.py). The exclusion constraint's GiST
    index (partial on the same statuses) answers the overlap."""
    return Booking.objects.holding().filter(during__overlap=DateTimeTZRange(starts, ends, "[)")).values("expert")


def outside_hours(profile: ExpertProfile, assignment: Assignment, *, slots=None) -> bool:
    """Whether the assignment's time (Helsinki) is outside the weekly hours the expert gave: not
    within their slots on its weekday, slots that touch (9–12, 12–15) counting as one. A warning,
    never a refusal: the expert may still say yes. An expert with no weekly pattern gave no hours,
    so nothing is outside them. Blocked dates refuse instead (unavailable_reason).

    `slots`: the expert's WeeklyAvailability rows when the caller read them for many experts at once
    (weekly_slots_of()); otherwise they are read here (one query, or the prefetched weekly_slots)."""
    if slots is None:
        slots = list(profile.weekly_slots.all())
    return outside_slots(slots, assignment.starts_at, assignment.ends_at)


def outside_slots(slots, starts_at, ends_at) -> bool:
    """outside_hours() of the time starts_at–ends_at, given the expert's weekly slots."""
    if not slots:
        return False
    starts, ends = timezone.localtime(starts_at), timezone.localtime(ends_at)
    day = starts.date()
    if ends.date() == day:
        end_minute = _minute(ends)
    elif ends.date() == day + timedelta(days=1) and _minute(ends) == 0:
        end_minute = 24 * 60  # until midnight
    else:
        return True  # past midnight: no slot of one weekday covers it
    start_minute = _minute(starts)
    for slot_start, slot_end in _joined(slot for slot in slots if slot.weekday == day.weekday()):
        if slot_start <= start_minute and end_minute <= slot_end:
            return False
    return True


def weekly_slots_of(profile_ids) -> dict[int, list[WeeklyAvailability]]:
    """{profile id: its weekly slots} for several experts in one query (a page of them); an expert
    without a weekly pattern has no key, which outside_hours() reads as "no hours given"."""
    slots: dict[int, list[WeeklyAvailability]] = {}
    for slot in WeeklyAvailability.objects.filter(profile_id__in=set(profile_ids)).order_by("profile_id", "start"):
        slots.setdefault(slot.profile_id, []).append(slot)
    return slots


def _minute(moment) -> int:
    return moment.hour * 60 + moment.minute


def _joined(slots) -> list[tuple[int, int]]:
    """The slots of one weekday as (start, end) minutes, those that touch or overlap joined."""
    joined: list[list[int]] = []
    for start, end in sorted((_minute(slot.start), _minute(slot.end)) for slot in slots):
        if joined and start <= joined[-1][1]:
            joined[-1][1] = max(joined[-1][1], end)
        else:
            joined.append([start, end])
    return [(start, end) for start, end in joined]
