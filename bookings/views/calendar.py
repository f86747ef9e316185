"""Coordinators: the calendar of assignments (a week or a month) and the printable roster of a week.

Each page shows the assignments that start in its span by the county's clock, each with its experts
and their booking status, narrowed by the same filters as the list (bookings/filters.py); with
?expert=<profile> it is that expert's calendar. The markup is a list of days with a heading each: a
screen reader and a phone read it as it is, and CSS lays the days side by side on a wide screen.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.shortcuts import render
from django.utils import timezone
from django.utils.http import urlencode

from ..filters import AssignmentFilter, WeekForm, filter_items, filter_query, iso_week, monday_of
from ..forms import MonthForm
from ..models import Assignment, month_of
from .coordinator import coordinator_required

WEEK = timedelta(days=7)


@dataclass
class Day:
    date: date
    assignments: list = field(default_factory=list)

    @property
    def week(self) -> str:
        return iso_week(self.date)


def _days(first: date, end: date, assignments) -> list[Day]:
    """Every day from `first` until `end`, each with the assignments that start on it (local time)."""
    by_day = defaultdict(list)
    for assignment in assignments:
        by_day[timezone.localdate(assignment.starts_at)].append(assignment)
    return [Day(day, by_day[day]) for day in (first + timedelta(days=n) for n in range((end - first).days))]


def _filtered(request, queryset, first: date, end: date) -> tuple[AssignmentFilter, list]:
    """The filters and the assignments they let through in the span. Invalid filters show their
    errors and no assignments rather than assignments that quietly ignore them."""
    filters = AssignmentFilter(request.GET, queryset=queryset)
    if not filters.is_valid():
        return filters, []
    return filters, list(filters.qs.starting_between(first, end))


def _week(request) -> tuple[WeekForm, date]:
    """The week asked for (?week=2026-W49), or this week when none or a wrong one is given."""
    week_form = WeekForm(request.GET)
    monday = week_form.cleaned_data["week"] if week_form.is_valid() else None
    return week_form, monday or monday_of(timezone.localdate())


def _filter_context(request, filters: AssignmentFilter) -> dict:
    """What the filter form and the links that keep its conditions need."""
    return {
        "filters": filters,
        "expert": filters.chosen_expert,
        "unit_suggestions": filters.units_in_use,
        "filter_items": filter_items(request.GET),
        "filter_query": filter_query(request.GET),
        # The same conditions without the expert: everyone's calendar.
        "everyone_query": urlencode([item for item in filter_items(request.GET) if item[0] != "expert"]),
        "today": timezone.localdate(),
    }


@coordinator_required
def calendar_week(request):
    """A week's assignments (this week unless ?week=2026-W49), day by day."""
    week_form, monday = _week(request)
    # Queries: the filters' choices and the units in use; the week's assignments with task, contact
    # person and tariff; their bookings with experts.
    filters, assignments = _filtered(request, Assignment.objects.for_list(), monday, monday + WEEK)
    context = {
        **_filter_context(request, filters),
        "week_form": week_form,
        "week": iso_week(monday),
        "week_number": monday.isocalendar().week,
        "monday": monday,
        "sunday": monday + timedelta(days=6),
        "previous_week": iso_week(monday - WEEK),
        "next_week": iso_week(monday + WEEK),
        # The month of the week's Thursday: the one most of the week is in (as ISO weeks count).
        "month": monday + timedelta(days=3),
        "days": _days(monday, monday + WEEK, assignments),
        "count": len(assignments),
    }
    return render(request, "bookings/calendar_week.html", context)


@coordinator_required
def calendar_month(request):
    """A month's assignments (this month unless ?month=2026-12), day by day."""
    month_form = MonthForm(request.GET)
    month = month_form.cleaned_data["month"] if month_form.is_valid() else None
    first, end = month_of(month or timezone.localdate())
    # Queries: as the week's.
    filters, assignments = _filtered(request, Assignment.objects.for_list(), first, end)
    today = timezone.localdate()
    context = {
        **_filter_context(request, filters),
        "month_form": month_form,
        "month": first,
        "previous_month": month_of(first - timedelta(days=1))[0],
        "next_month": end,
        # This week for this month, otherwise the month's first week.
        "week": iso_week(today if first <= today < end else first),
        "weekdays": [monday_of(first) + timedelta(days=n) for n in range(7)],
        "first_weekday": first.weekday(),  # where the first day sits in a grid of weeks (0: Monday)
        "days": _days(first, end, assignments),
        "count": len(assignments),
    }
    return render(request, "bookings/calendar_month.html", context)


@coordinator_required
def roster(request):
    """A week's assignments to print: time, place, unit, contact person and the booked experts."""
    week_form, monday = _week(request)
    # Queries: the week's assignments that take place with task and contact person; their confirmed
    # and completed bookings with experts; a row to check each choice given (task, contact, expert).
    filters, assignments = _filtered(request, Assignment.objects.for_roster(), monday, monday + WEEK)
    context = {
        "filters": filters,
        "filter_query": filter_query(request.GET),
        "week_form": week_form,
        "week": iso_week(monday),
        "week_number": monday.isocalendar().week,
        "monday": monday,
        "sunday": monday + timedelta(days=6),
        "days": [day for day in _days(monday, monday + WEEK, assignments) if day.assignments],
        "printed_at": timezone.localtime(),
    }
    return render(request, "bookings/roster.html", context)
