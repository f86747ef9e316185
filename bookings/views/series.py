"""Coordinators: moving and cancelling a date of a recurring assignment (series.py), for only that date
or for it and the following dates. views/coordinator.py's assignment_move and assignment_cancel hand
an assignment of a series to these, which render the same pages with the choice of dates added."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.http import posted

from .. import series, services
from ..forms import TimeRangeForm
from ..forms_series import SeriesCancelForm, SeriesMoveForm
from ..models import Assignment
from ..services import BookingError


def move_in_series(request, assignment: Assignment):
    form = SeriesMoveForm(posted(request), initial=TimeRangeForm.initial_of(assignment))
    if request.method == "POST" and form.is_valid():
        times = {"starts_at": form.cleaned_data["starts_at"], "ends_at": form.cleaned_data["ends_at"]}
        try:
            if form.following:
                moved = series.move_following(assignment=assignment, **times, actor=request.user)
            else:
                moved = [services.move_assignment(assignment=assignment, **times, actor=request.user)]
        except BookingError as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(
                request,
                ngettext(
                    "The time was changed. The confirmed experts were told.",
                    "The time was changed on %(count)s dates. The confirmed experts were told.",
                    len(moved),
                )
                % {"count": len(moved)},
            )
            return redirect(assignment)
    context = {"assignment": assignment, "form": form, "in_series": True}
    return render(request, "bookings/assignment_move.html", context)


def cancel_in_series(request, assignment: Assignment):
    form = SeriesCancelForm(posted(request))
    if request.method == "POST" and form.is_valid():
        reason = {"reason": form.cleaned_data["reason"], "note": form.cleaned_data["note"]}
        try:
            if form.following:
                cancelled = series.cancel_following(assignment=assignment, **reason, actor=request.user)
            else:
                cancelled = [services.cancel_assignment(assignment=assignment, **reason, actor=request.user)]
        except BookingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                ngettext(
                    "The assignment was cancelled.",
                    "%(count)s dates of the assignment were cancelled.",
                    len(cancelled),
                )
                % {"count": len(cancelled)},
            )
            return redirect(assignment)
    context = {"assignment": assignment, "form": form, "in_series": True}
    return render(request, "bookings/assignment_cancel.html", context)


def tell_series_invitations(request, results: dict[int, series.InviteResult], profiles) -> None:
    """The messages of "invite to every date": who was invited to how many dates, and each refusal."""
    for profile in profiles:
        result = results[profile.pk]
        if result.invited:
            messages.success(
                request,
                ngettext(
                    "%(name)s was invited to %(count)s date.",
                    "%(name)s was invited to %(count)s dates.",
                    len(result.invited),
                )
                % {"name": profile.display_name, "count": len(result.invited)},
            )
        for item, reason in result.refused:
            messages.warning(
                request,
                _("%(name)s could not be invited on %(date)s: %(reason)s")
                % {
                    "name": profile.display_name,
                    "date": series.short_date(series.local_date(item.starts_at)),
                    "reason": reason,
                },
            )
        if not result.invited and not result.refused:
            messages.info(
                request, _("%(name)s is already on every date of the series.") % {"name": profile.display_name}
            )
