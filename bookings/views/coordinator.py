"""Coordinators: assignments, inviting experts, confirming, cancelling and completing bookings.

Every view needs the coordinators' permission (accounts.search_experts): the county's assignments
are shared by all its coordinators. The writes go through services_booking, which checks each
transition under the assignment's row lock; its BookingError messages are translated and shown
to the user as they are, so a refused or repeated action is a message, never an error page.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.http import posted
from accounts.models import AuditAction
from accounts.services import record_audit_events
from experts.models import ExpertProfile
from experts.services import viewer_level
from feedback.models import Round

from .. import matching, orders, series, services
from ..afterwards import corrections_by_booking
from ..eligibility import outside_hours, weekly_slots_of
from ..filters import AssignmentListFilter, filter_items, filter_query, iso_week
from ..forms import (
    CancelForm,
    CompleteBookingForm,
    MonthForm,
    MoveAssignmentForm,
    OrdererFeedbackForm,
    TimeRangeForm,
)
from ..forms_series import AssignmentSeriesForm
from ..models import PENDING, Assignment, AssignmentStatus, Booking, BookingStatus, PrivateFeedback, month_of
from ..services import BookingError, EarningsWarning
from .orders import order_to_accept
from .series import cancel_in_series, move_in_series, tell_series_invitations

SEARCH_EXPERTS = "accounts.search_experts"
# How long a sent assignment form's key is remembered (see assignment_create).
FORM_KEY_SECONDS = 24 * 60 * 60
# The most rows the assignment list shows: a date range open at one end may hold years.
LIST_LIMIT = 500


def coordinator_required(view):
    return login_required(permission_required(SEARCH_EXPERTS, raise_exception=True)(view))


def _int_or_404(value: str) -> int:
    if not (value.isascii() and value.isdigit()):
        raise Http404
    return int(value)


# --- Assignments ---------------------------------------------------------------------------------


@coordinator_required
def assignment_list(request):
    """One month's assignments (this month unless ?month=YYYY-MM), with their experts' statuses,
    narrowed by the filters (bookings/filters.py); a date range given there replaces the month."""
    month_form = MonthForm(request.GET)
    month = month_form.cleaned_data["month"] if month_form.is_valid() else None
    today = timezone.localdate()
    month = month or today.replace(day=1)
    filters = AssignmentListFilter(request.GET, queryset=Assignment.objects.for_list())
    # Queries: the choices of task, contact person and expert, the units in use; the assignments with
    # task, contact person and tariff; their bookings with experts. Invalid filters show their errors
    # and no rows rather than rows that quietly ignore them.
    assignments = []
    if filters.is_valid():
        shown = filters.qs if filters.has_date_range else filters.qs.starting_between(*month_of(month))
        # A range open at one end may hold years: the first LIST_LIMIT rows, and a word about the rest.
        assignments = list(shown[: LIST_LIMIT + 1])
    context = {
        "assignments": assignments[:LIST_LIMIT],
        "truncated": len(assignments) > LIST_LIMIT,
        "filters": filters,
        "unit_suggestions": filters.units_in_use,
        "filter_items": filter_items(request.GET),
        "filter_query": filter_query(request.GET),
        "date_range": filters.is_valid() and filters.has_date_range,
        "month": month,
        "month_form": month_form,
        "previous_month": (month - timedelta(days=1)).replace(day=1),
        "next_month": (month + timedelta(days=32)).replace(day=1),
        # The calendar's week: this week in this month, otherwise the month's first.
        "week": iso_week(today if month == today.replace(day=1) else month),
    }
    return render(request, "bookings/assignment_list.html", context)


@coordinator_required
def assignment_create(request):
    """A new assignment; with ?expert=<profile> (the search card's "Book") that expert is invited at once.

    A double submit must not create two assignments. The form carries a random one-time key, and
    the first request to send it claims it with cache.add(), which is atomic (an INSERT on the
    cache table's primary key, or SET NX in Redis): of two concurrent posts only one creates, the
    other is sent to what the first created. A session flag would not do, since both requests
    read the session before either saves it."""
    expert = _expert_to_book(request)
    # ?order=<pk>: a unit's request (views/orders.py) fills the form in and is accepted with the save.
    order = order_to_accept(request)
    initial = orders.assignment_initial(order) if order else {}
    form = AssignmentSeriesForm(posted(request), user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        claim = f"bookings:assignment-form:{request.user.pk}:{form.form_key}"
        if not cache.add(claim, 0, FORM_KEY_SECONDS):
            return _already_sent(request, cache.get(claim))
        try:
            # All or nothing: an expert who cannot be invited (paused, blocked that day, booked then)
            # leaves no assignment behind; the form comes back as typed, with the reason.
            with transaction.atomic():
                if order is not None:
                    assignment = orders.create_assignment_for_order(form=form, order=order, actor=request.user)
                elif form.repeats:
                    last_date = form.cleaned_data["repeat_until"]
                    assignment = series.create_assignment_series(form=form, last_date=last_date, actor=request.user)[0]
                else:
                    assignment = services.create_assignment(form=form, actor=request.user)
                booking = _invite_to_new(assignment, expert, request.user) if expert is not None else None
                if booking is not None and assignment.series_id:
                    series.invite_to_later_dates(assignment=assignment, profile=expert, actor=request.user)
        except ValidationError as error:
            cache.delete(claim)
            form.add_error(None, error.messages)
        except BookingError as error:  # a refused invitation, or an order request handled meanwhile
            cache.delete(claim)
            form.add_error(None, str(error))
        except BaseException:
            cache.delete(claim)
            raise
        else:
            cache.set(claim, assignment.pk, FORM_KEY_SECONDS)
            messages.success(request, series.saved_message(assignment))
            if booking is not None:
                _tell_invited(request, booking)
            return redirect(assignment)
    return render(request, "bookings/assignment_form.html", {"form": form, "expert": expert, "order": order})


def _invite_to_new(assignment: Assignment, expert: ExpertProfile, actor) -> Booking:
    """The expert of "Book" invited to the assignment just created; a refusal is a BookingError,
    which rolls the assignment back (assignment_create)."""
    invited, refused = services.invite_experts(assignment=assignment, profiles=[expert], actor=actor)
    if not invited:
        raise BookingError(
            _("%(name)s could not be invited, so the assignment was not saved: %(reason)s")
            % {"name": expert.display_name, "reason": refused.get(expert.pk, "")}
        )
    return invited[0]


def _expert_to_book(request) -> ExpertProfile | None:
    value = request.GET.get("expert")
    if not value:
        return None
    return get_object_or_404(ExpertProfile.objects.listed(), pk=_int_or_404(value))


def _already_sent(request, assignment_pk):
    """The answer to the second post of the same form: where the first one went."""
    if assignment_pk:
        messages.info(request, _("This form was already sent: the assignment was saved once."))
        return redirect("bookings:assignment_detail", assignment_pk)
    messages.info(request, _("This form was already sent and is being saved. Check the list in a moment."))
    return redirect("bookings:assignment_list")


@dataclass
class BookingRow:
    """One row of the bookings table, with what the coordinator may do to it now."""

    booking: Booking
    check_in: object
    orderer_feedback: PrivateFeedback | None
    expert_feedback: PrivateFeedback | None
    can_confirm: bool
    can_cancel: bool
    can_complete: bool
    feedback_form: OrdererFeedbackForm | None
    # For an expert still to come (_note_availability): outside the weekly hours they gave, and their
    # accessibility needs for the coordinator to arrange.
    outside_hours: bool = False
    accessibility_needs: str = ""
    # A completed booking's corrections, oldest first (afterwards.corrections_by_booking).
    corrections: list = field(default_factory=list)


def _can_confirm(booking: Booking, now) -> bool:
    """What services.confirm_booking allows: an accepted expert, an open assignment that has not begun."""
    assignment = booking.assignment
    return (
        booking.status == BookingStatus.ACCEPTED
        and assignment.status == AssignmentStatus.OPEN
        and assignment.starts_at > now
    )


def _can_complete(booking: Booking, now) -> bool:
    """What services.complete_booking allows: a confirmed booking whose assignment has ended."""
    return booking.status == BookingStatus.CONFIRMED and booking.assignment.ends_at <= now


def _booking_row(booking: Booking, now) -> BookingRow:
    feedback = {item.side: item for item in booking.private_feedback.all()}
    orderer = feedback.get(PrivateFeedback.Side.ORDERER)
    completed = booking.status == BookingStatus.COMPLETED
    return BookingRow(
        booking=booking,
        check_in=getattr(booking, "check_in", None),
        orderer_feedback=orderer,
        expert_feedback=feedback.get(PrivateFeedback.Side.EXPERT),
        can_confirm=_can_confirm(booking, now),
        can_cancel=booking.can_be_cancelled(now),
        can_complete=_can_complete(booking, now),
        feedback_form=_feedback_form(booking, orderer) if completed else None,
    )


def _feedback_form(booking: Booking, orderer: PrivateFeedback | None, data=None) -> OrdererFeedbackForm:
    # Unique ids per row: the detail page has one of these forms per completed booking.
    initial = {"text": orderer.text} if orderer else {}
    return OrdererFeedbackForm(data, initial=initial, auto_id=f"id_feedback_{booking.pk}_%s")


@coordinator_required
def assignment_detail(request, pk):
    """Everything about one assignment, its bookings with their actions, check-ins and feedback.

    Every viewer here is a coordinator (the contact person is one too, or an administrator), so the
    experts' check-ins, meant for the contact person and the coordinators, are shown to all of them."""
    # Queries: the assignment with task, contact person, tariff and creator; its bookings with experts
    # and check-ins; their expense lines; their private feedback.
    assignment = get_object_or_404(Assignment.objects.for_detail().select_related("order_request__orderer"), pk=pk)
    now = timezone.now()
    rows = [_booking_row(booking, now) for booking in assignment.bookings.for_detail_rows()]
    _note_availability(rows, assignment, request.user, now)
    corrections = corrections_by_booking([row.booking for row in rows])
    for row in rows:
        row.corrections = corrections.get(row.booking.pk, [])
    context = {
        "assignment": assignment,
        "rows": rows,
        "confirmed_count": sum(
            row.booking.status in (BookingStatus.CONFIRMED, BookingStatus.COMPLETED) for row in rows
        ),
        "is_changeable": assignment.status in (AssignmentStatus.OPEN, AssignmentStatus.FILLED),
        "search_url": _search_url(assignment),
        "feedback_rounds": list(Round.objects.on_target(assignment)),
        # Only for a date of a series, and for an assignment open to all: one query each.
        "series": series.series_summary(assignment),
        "matching_count": matching.matching_count(assignment),
        "feedback_url": reverse(
            "feedback:create", args=[ContentType.objects.get_for_model(Assignment).pk, assignment.pk]
        ),
    }
    return render(request, "bookings/assignment_detail.html", context)


def _note_availability(rows: list[BookingRow], assignment: Assignment, viewer, now) -> None:
    """For the experts invited, accepted or confirmed on an assignment still to come: whether it is
    outside the weekly hours they gave (a warning before confirming, never a refusal), and their
    accessibility needs as far as the expert shows them to this viewer. The needs are health-related:
    showing them is audited, as on the profile page. Queries, only with such experts: their weekly
    slots; the audit rows when needs were shown."""
    if assignment.starts_at <= now:
        return
    coming = [row for row in rows if row.booking.status in (*PENDING, BookingStatus.CONFIRMED)]
    if not coming:
        return
    slots = weekly_slots_of(row.booking.expert_id for row in coming)
    level = viewer_level(viewer)
    shown = []
    for row in coming:
        expert = row.booking.expert
        row.outside_hours = outside_hours(expert, assignment, slots=slots.get(expert.pk, []))
        if expert.accessibility_needs and "accessibility_needs" in expert.visible_fields(level):
            row.accessibility_needs = expert.accessibility_needs
            shown.append((expert.user_id, ["accessibility_needs"]))
    record_audit_events(actor=viewer, action=AuditAction.VIEW, what="assignment page", entries=shown)


def _search_url(assignment: Assignment) -> str:
    """The search for this assignment: its task, date and time filled in, each card with an invite
    button. The time finds the experts whose weekly hours cover it and who are free then; cleared,
    the others show too, their cards saying when it is outside their hours."""
    query = {"for": assignment.pk, "task": assignment.task_type.slug}
    starts, ends = timezone.localtime(assignment.starts_at), timezone.localtime(assignment.ends_at)
    query["date"] = starts.date().isoformat()
    if ends.date() == starts.date():  # past midnight no weekly slot covers it: the date alone
        query["start_time"], query["end_time"] = f"{starts:%H:%M}", f"{ends:%H:%M}"
    return f"{reverse('experts:index')}?{urlencode(query)}"


@coordinator_required
def assignment_move(request, pk):
    """A new time; the confirmed experts' calendars and reminders follow (services_booking)."""
    assignment = get_object_or_404(Assignment.objects.select_related("tariff"), pk=pk)
    if assignment.series_id:
        return move_in_series(request, assignment)  # only this date, or this and the following
    form = MoveAssignmentForm(posted(request), initial=TimeRangeForm.initial_of(assignment))
    if request.method == "POST" and form.is_valid():
        try:
            services.move_assignment(
                assignment=assignment,
                starts_at=form.cleaned_data["starts_at"],
                ends_at=form.cleaned_data["ends_at"],
                actor=request.user,
            )
        except BookingError as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("The time was changed. The confirmed experts were told."))
            return redirect(assignment)
    return render(request, "bookings/assignment_move.html", {"assignment": assignment, "form": form})


@coordinator_required
def assignment_cancel(request, pk):
    """Cancel the whole assignment: every pending or confirmed expert is told, with the reason."""
    assignment = get_object_or_404(Assignment, pk=pk)
    if assignment.series_id:
        return cancel_in_series(request, assignment)  # only this date, or this and the following
    form = CancelForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.cancel_assignment(
                assignment=assignment,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
                actor=request.user,
            )
        except BookingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The assignment was cancelled."))
            return redirect(assignment)
    return render(request, "bookings/assignment_cancel.html", {"assignment": assignment, "form": form})


@coordinator_required
@require_POST
def assignment_invite(request, pk):
    """Invite the posted experts (`profile`, repeatable); back to `next` (the search) or the assignment."""
    assignment = get_object_or_404(Assignment, pk=pk)
    ids = {int(value) for value in request.POST.getlist("profile") if value.isascii() and value.isdigit()}
    # Listed profiles only, as the search shows: a profile without consent, or one that has left, is
    # answered like an id that does not exist, so that its name and status do not leak.
    profiles = list(ExpertProfile.objects.listed().filter(pk__in=ids))
    if profiles and assignment.series_id and request.POST.get("all_dates") == "1":
        results = series.invite_to_series(assignment=assignment, profiles=profiles, actor=request.user)
        tell_series_invitations(request, results, profiles)
    elif profiles:
        _invite(request, assignment, profiles)
    else:
        messages.error(request, _("Choose at least one expert to invite."))
    next_url = request.POST.get("next", "")
    # Only a path on this site: redirect() would read any other word ("abc") as a view name.
    safe = url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    if safe and next_url.startswith("/"):
        return HttpResponseRedirect(next_url)
    return redirect(assignment)


def _invite(request, assignment: Assignment, profiles: list[ExpertProfile]) -> None:
    """Invite and tell the coordinator who was invited, who was already on the assignment and who
    could not be invited, with the reason."""
    try:
        invited, refused = services.invite_experts(assignment=assignment, profiles=profiles, actor=request.user)
    except BookingError as error:
        messages.error(request, str(error))
        return
    invited_by_expert = {booking.expert_id: booking for booking in invited}
    for profile in profiles:
        if profile.pk in invited_by_expert:
            _tell_invited(request, invited_by_expert[profile.pk])
        elif profile.pk in refused:
            messages.warning(
                request,
                _("%(name)s could not be invited: %(reason)s")
                % {"name": profile.display_name, "reason": refused[profile.pk]},
            )
        else:
            messages.info(request, _("%(name)s is already on this assignment.") % {"name": profile.display_name})


def _tell_invited(request, booking: Booking) -> None:
    """The message "X was invited", with a note when the time is outside the weekly hours X gave
    (services.invite_experts)."""
    name = booking.expert.display_name
    if getattr(booking, "outside_hours", False):
        messages.warning(
            request, _("%(name)s was invited. Note: the assignment is outside the hours they gave.") % {"name": name}
        )
    else:
        messages.success(request, _("%(name)s was invited.") % {"name": name})


# --- Bookings ------------------------------------------------------------------------------------


def _booking(pk) -> Booking:
    return get_object_or_404(Booking.objects.for_action(), pk=pk)


@coordinator_required
@require_POST
def booking_confirm(request, pk):
    """Confirm an expert who accepted. Over an earnings limit, a page lists the warnings and asks
    again (acknowledge=1). The service refuses a second confirm, so a double submit is a message."""
    booking = _booking(pk)
    acknowledge = request.POST.get("acknowledge") == "1"
    try:
        services.confirm_booking(booking=booking, actor=request.user, acknowledge_earnings=acknowledge)
    except EarningsWarning as warning:
        context = {"booking": booking, "assignment": booking.assignment, "warnings": warning.warnings}
        return render(request, "bookings/assignment_confirm_warning.html", context)
    except BookingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("%(name)s is confirmed.") % {"name": booking.expert.display_name})
    return redirect(booking.assignment)


@coordinator_required
def booking_cancel(request, pk):
    """Cancel one expert's booking (or withdraw an invitation) with a reason."""
    booking = _booking(pk)
    if not booking.can_be_cancelled(timezone.now()):
        messages.error(request, _("This booking can no longer be cancelled."))
        return redirect(booking.assignment)
    form = CancelForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.cancel_booking(
                booking=booking,
                by_expert=False,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
                actor=request.user,
            )
        except BookingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("The booking of %(name)s was cancelled.") % {"name": booking.expert.display_name}
            )
            return redirect(booking.assignment)
    context = {"booking": booking, "assignment": booking.assignment, "form": form}
    return render(request, "bookings/booking_cancel.html", context)


@coordinator_required
def booking_complete(request, pk):
    """After the assignment: completed or not, hours, fee and expenses. A second submit of the same
    form finds the booking done: the service refuses and the message says so."""
    booking = _booking(pk)
    if request.method == "GET" and not _can_complete(booking, timezone.now()):
        messages.error(request, _("Only a confirmed booking whose assignment has ended can be marked completed."))
        return redirect(booking.assignment)
    form = CompleteBookingForm(posted(request), booking=booking)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.complete_booking(
                booking=booking,
                completed=form.completed,
                hours=data["hours"] if form.completed else None,
                fee=data["fee"],
                fee_note=data["fee_note"].strip(),
                fee_waived=data["fee_waived"],
                expenses=form.expenses(),
                not_completed_reason=data["not_completed_reason"] if not form.completed else "",
                not_completed_note=data["not_completed_note"] if not form.completed else "",
                actor=request.user,
            )
        except BookingError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The outcome was recorded: %(name)s.") % {"name": booking.expert.display_name})
        return redirect(booking.assignment)
    context = {"booking": booking, "assignment": booking.assignment, "form": form}
    return render(request, "bookings/booking_complete.html", context)


@coordinator_required
def booking_feedback(request, pk):
    """The orderer's private feedback on a completed booking (sent again, it replaces the earlier)."""
    booking = _booking(pk)
    orderer = booking.private_feedback.filter(side=PrivateFeedback.Side.ORDERER).first()
    form = _feedback_form(booking, orderer, posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.give_private_feedback(
                booking=booking, side=PrivateFeedback.Side.ORDERER, text=form.cleaned_data["text"], author=request.user
            )
        except BookingError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Your feedback was saved."))
        return redirect(booking.assignment)
    context = {"booking": booking, "assignment": booking.assignment, "form": form}
    return render(request, "bookings/booking_feedback.html", context)
