"""Recurring assignments: "every Wednesday 12–16 at Lahti health centre until 31.5.".

A series is an AssignmentSeries row and one Assignment per date, each an assignment of its own with
its own bookings: the booking state machine (services.py) does not know about series. What a series
adds is doing one thing to many dates at once, all or nothing:
- creating: the form's assignment on its date and on the same weekday every week until the last date;
- moving "this and the following dates": each later date gets the new time of day (and moves by as
  many days as this one did), each through services.move_assignment's rules;
- cancelling "this and the following dates": services.cancel_assignment for each date still on.

Times are Helsinki wall-clock times on every date: 12–16 is 12–16 in winter and in summer time,
so the UTC moments of a series shift by an hour across the clock change.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import matching, services
from .forms import helsinki_time
from .models import Assignment, AssignmentSeries, AssignmentStatus
from .services import BookingError

# A year of weekly dates and some: a longer series is more likely a typing mistake (31.5.2072) than a
# plan, and each date is a row, invitations and reminders of its own.
MAX_SERIES_DATES = 60
CHANGEABLE = (AssignmentStatus.OPEN, AssignmentStatus.FILLED)


class SeriesError(BookingError):
    """The series cannot be made or changed as asked; the message names the dates."""


def weekly_dates(first: date, last: date) -> list[date]:
    """`first` and every date a whole number of weeks after it, up to `last`."""
    if last < first:
        return []
    return [first + timedelta(weeks=week) for week in range((last - first).days // 7 + 1)]


def short_date(day: date) -> str:
    return formats.date_format(day, "SHORT_DATE_FORMAT")


def local_date(moment: datetime) -> date:
    return timezone.localdate(moment)


def check_length(days: list[date]) -> None:
    if len(days) < 2:
        raise SeriesError(_("The last date must be at least a week after the first date."))
    if len(days) > MAX_SERIES_DATES:
        raise SeriesError(
            _("A recurring assignment can have at most %(max)s dates; this one would have %(count)s.")
            % {"max": MAX_SERIES_DATES, "count": len(days)}
        )


def series_times(days: list[date], start: time, end: time) -> list[tuple[datetime, datetime]]:
    """The moments of `start`–`end` on each day. A time the spring clock change skips (3.00–3.59 on
    the last Sunday of March) does not exist on that date: refused, naming the date."""
    times = [(helsinki_time(day, start), helsinki_time(day, end)) for day in days]
    skipped = [short_date(day) for day, (starts, ends) in zip(days, times, strict=True) if not (starts and ends)]
    if skipped:
        raise SeriesError(
            _("The time does not exist on %(dates)s: the clocks go forward that night. Choose another time.")
            % {"dates": ", ".join(skipped)}
        )
    return times


def _copy(template: Assignment, *, starts_at: datetime, ends_at: datetime) -> Assignment:
    """A new assignment with the template's details at another time."""
    fields = {
        field.attname: getattr(template, field.attname)
        for field in Assignment._meta.concrete_fields
        if not field.primary_key and field.attname not in ("created_at", "updated_at")
    }
    return Assignment(**{**fields, "starts_at": starts_at, "ends_at": ends_at})


@transaction.atomic
def create_assignment_series(*, form, last_date: date, actor) -> list[Assignment]:
    """The form's assignment (unsaved, with its first date and times) on that date and every week on
    the same weekday until `last_date`; the assignments, the first first. Raises SeriesError when
    there would be more than MAX_SERIES_DATES dates or a date where the time does not exist."""
    template = form.save(commit=False)
    starts, ends = timezone.localtime(template.starts_at), timezone.localtime(template.ends_at)
    days = weekly_dates(starts.date(), last_date)
    check_length(days)
    times = series_times(days, starts.time(), ends.time())
    series = AssignmentSeries(
        weekday=days[0].weekday(),
        start_time=starts.time(),
        end_time=ends.time(),
        first_date=days[0],
        last_date=days[-1],
        created_by=actor,
    )
    series.full_clean()
    series.save()
    template.created_by, template.series = actor, series
    assignments = [_copy(template, starts_at=starts_at, ends_at=ends_at) for starts_at, ends_at in times]
    # Every date has the same details and the same clock times: validating the first validates them
    # all (foreign keys, lengths, constraints), with a few queries instead of a few per date.
    assignments[0].full_clean()
    Assignment.objects.bulk_create(assignments)
    for assignment in assignments:
        matching.add_to_digests(assignment)
    return assignments


def following(assignment: Assignment):
    """This date and the later ones of its series that can still change (not done or cancelled)."""
    return Assignment.objects.filter(
        series_id=assignment.series_id, starts_at__gte=assignment.starts_at, status__in=CHANGEABLE
    ).order_by("starts_at", "pk")


@transaction.atomic
def move_following(*, assignment: Assignment, starts_at: datetime, ends_at: datetime, actor) -> list[Assignment]:
    """Move this date to `starts_at`–`ends_at` and each later date of the series to the same time of
    day, as many days later or earlier as this one moved. Each goes through services.move_assignment
    (a confirmed expert who cannot come at the new time stops it); if any date cannot move, none
    does, and the SeriesError names those dates with their reasons. The moved dates become a series
    of their own from this date on, so that each part's "every Wednesday 12–16" stays true."""
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.series_id is None or assignment.status not in CHANGEABLE:
        raise BookingError(_("This assignment can no longer be changed."))
    dates = list(following(assignment).select_for_update())
    # The split point: every date from this one on goes to the new part, also the done or cancelled.
    split_ids = list(
        Assignment.objects.filter(series_id=assignment.series_id, starts_at__gte=assignment.starts_at).values_list(
            "pk", flat=True
        )
    )
    shift = local_date(starts_at) - local_date(assignment.starts_at)
    new_start, new_end = timezone.localtime(starts_at).time(), timezone.localtime(ends_at).time()
    days = [local_date(item.starts_at) + shift for item in dates]
    times = series_times(days, new_start, new_end)
    # Latest first when moving later (earliest first when earlier): a date never moves onto a later
    # one of the same series that has not moved yet, where the same expert may be confirmed.
    order = sorted(range(len(dates)), key=lambda index: dates[index].starts_at, reverse=shift.days > 0)
    problems = []
    for index in order:
        item, (item_starts, item_ends) = dates[index], times[index]
        try:
            with transaction.atomic():
                services.move_assignment(assignment=item, starts_at=item_starts, ends_at=item_ends, actor=actor)
        except BookingError as error:
            problems.append((days[index], str(error)))
    if problems:
        problems.sort()
        raise SeriesError(
            " ".join(
                [
                    ngettext(
                        "Nothing was changed: %(count)s date could not be moved.",
                        "Nothing was changed: %(count)s dates could not be moved.",
                        len(problems),
                    )
                    % {"count": len(problems)},
                    *(f"{short_date(day)}: {reason}" for day, reason in problems),
                ]
            )
        )
    _split_series(assignment.series_id, split_ids, days, new_start, new_end, actor)
    return [Assignment.objects.get(pk=item.pk) for item in dates]


def _split_series(series_id: int, split_ids: list[int], days: list[date], start: time, end: time, actor) -> None:
    """The moved part's series (`split_ids`: this date and every later one, `days` the new dates of
    those that moved): the old series rewritten when nothing before them stays in it, else a new
    one, the old one then ending on its last date that stayed."""
    series = AssignmentSeries.objects.select_for_update().get(pk=series_id)
    rule = {"weekday": days[0].weekday(), "start_time": start, "end_time": end}
    rule |= {"first_date": days[0], "last_date": days[-1]}
    stayed = Assignment.objects.filter(series=series).exclude(pk__in=split_ids).order_by("starts_at")
    remaining = [local_date(moment) for moment in stayed.values_list("starts_at", flat=True)]
    if not remaining:
        AssignmentSeries.objects.filter(pk=series.pk).update(**rule)
        return
    new = AssignmentSeries.objects.create(**rule, created_by=actor)
    Assignment.objects.filter(pk__in=split_ids).update(series=new)
    series.first_date, series.last_date = remaining[0], remaining[-1]
    series.save(update_fields=["first_date", "last_date"])


@transaction.atomic
def cancel_following(*, assignment: Assignment, reason: str, note: str = "", actor) -> list[Assignment]:
    """Cancel this date and the later ones of its series (services.cancel_assignment each: every
    invited and confirmed expert is told). Dates already done or cancelled are left as they are.
    All or nothing: a date that cannot be cancelled (it has begun) stops the rest."""
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.series_id is None or assignment.status not in CHANGEABLE:
        raise BookingError(_("This assignment can no longer be cancelled."))
    cancelled = []
    for item in following(assignment):
        try:
            cancelled.append(services.cancel_assignment(assignment=item, reason=reason, note=note, actor=actor))
        except BookingError as error:
            raise SeriesError(f"{short_date(local_date(item.starts_at))}: {error}") from error
    return cancelled


@dataclass
class InviteResult:
    invited: list[Assignment]
    refused: list[tuple[Assignment, str]]


def invite_to_series(*, assignment: Assignment, profiles, actor) -> dict[int, InviteResult]:
    """Invite each of `profiles` to this date and every later open date of the series that has not
    begun: a booking per date, each checked by the usual rules (services.invite_experts). Returns, per
    profile id, the dates they were invited to and the dates refused with the reason; a date they are
    already on is neither. Each date is its own transaction: a refusal on one date invites the others."""
    dates = Assignment.objects.filter(
        series_id=assignment.series_id,
        starts_at__gte=assignment.starts_at,
        starts_at__gt=timezone.now(),
        status=AssignmentStatus.OPEN,
    ).order_by("starts_at", "pk")
    results = {profile.pk: InviteResult([], []) for profile in profiles}
    for item in dates:
        try:
            invited, refused = services.invite_experts(assignment=item, profiles=profiles, actor=actor)
        except BookingError as error:  # filled or cancelled a moment ago
            invited, refused = [], {profile.pk: str(error) for profile in profiles}
        for booking in invited:
            results[booking.expert_id].invited.append(item)
        for profile_id, reason in refused.items():
            results[profile_id].refused.append((item, reason))
    return results


def invite_to_later_dates(*, assignment: Assignment, profile, actor) -> None:
    """The expert of "Book" (already invited to the first date of a new series) invited to the
    others; a date refused raises BookingError naming it, and the view saves nothing (all or nothing,
    as for a single assignment)."""
    later = Assignment.objects.filter(series_id=assignment.series_id, starts_at__gt=assignment.starts_at)
    refused = []
    for item in later.order_by("starts_at", "pk"):
        _invited, reasons = services.invite_experts(assignment=item, profiles=[profile], actor=actor)
        if profile.pk in reasons:
            refused.append(f"{short_date(local_date(item.starts_at))}: {reasons[profile.pk]}")
    if refused:
        raise BookingError(
            " ".join(
                [
                    _("%(name)s could not be invited to every date, so the assignment was not saved.")
                    % {"name": profile.display_name},
                    *refused,
                ]
            )
        )


def saved_message(assignment: Assignment) -> str:
    if assignment.series_id is None:
        return _("The assignment was saved.")
    count = Assignment.objects.filter(series_id=assignment.series_id).count()
    return ngettext(
        "The recurring assignment was saved: %(count)s date.",
        "The recurring assignment was saved: %(count)s dates.",
        count,
    ) % {"count": count}


# --- The assignment page's summary of its series ---------------------------------------------------


@dataclass
class SeriesSummary:
    series: AssignmentSeries
    dates: list[Assignment]  # every date of the series, with pk, times and status only

    @property
    def count(self) -> int:
        return len(self.dates)

    @property
    def first_date(self) -> date:
        return local_date(self.dates[0].starts_at)

    @property
    def last_date(self) -> date:
        return local_date(self.dates[-1].starts_at)


def series_summary(assignment: Assignment) -> SeriesSummary | None:
    """The series of `assignment` (read with it: AssignmentQuerySet.for_detail) and all its dates, in
    one query; None when it is not in a series."""
    if assignment.series_id is None:
        return None
    dates = Assignment.objects.filter(series_id=assignment.series_id).only("pk", "starts_at", "ends_at", "status")
    return SeriesSummary(series=assignment.series, dates=list(dates.order_by("starts_at", "pk")))
