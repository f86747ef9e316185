"""Coordinators: assignments, inviting experts, confirming, cancelling and completing bookings.

Every view needs the coordinators' permission (accounts.search_experts): the county's assignments
are shared by all its coordinators. The writes go through services_booking, which checks each
transition under the assignment's row lock; its BookingError messages are translated and shown
to the user as they are, so a refused or repeated action is a message, never an error page.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.http import posted
from experts.models import ExpertProfile
from feedback.models import Round

from .. import services
from ..forms import (
    AssignmentForm,
    CancelForm,
    CompleteBookingForm,
    MonthForm,
    MoveAssignmentForm,
    OrdererFeedbackForm,
    TimeRangeForm,
)
from ..models import Assignment, AssignmentStatus, Booking, BookingStatus, PrivateFeedback
from ..services import BookingError, EarningsWarning

SEARCH_EXPERTS = "accounts.search_experts"
# How long a sent assignment form's key is remembered (see assignment_create).
FORM_KEY_SECONDS = 24 * 60 * 60


def coordinator_required(view):
    return login_required(permission_required(SEARCH_EXPERTS, raise_exception=True)(view))


def _int_or_404(value: str) -> int:
    if not (value.isascii() and value.isdigit()):
        raise Http404
    return int(value)


# --- Assignments ---------------------------------------------------------------------------------


@coordinator_required
def assignment_list(request):
    """One month's assignments (this month unless ?month=YYYY-MM), with their experts' statuses."""
    month_form = MonthForm(request.GET)
    month = month_form.cleaned_data["month"] if month_form.is_valid() else None
    month = month or timezone.localdate().replace(day=1)
    # Queries: the month's assignments with task, contact person and tariff; their bookings with experts.
    assignments = list(Assignment.objects.for_list().in_month(month))
    context = {
        "assignments": assignments,
        "month": month,
        "month_form": month_form,
        "previous_month": (month - timedelta(days=1)).replace(day=1),
        "next_month": (month + timedelta(days=32)).replace(day=1),
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
    form = AssignmentForm(posted(request), user=request.user)
    if request.method == "POST" and form.is_valid():
        claim = f"bookings:assignment-form:{request.user.pk}:{form.form_key}"
        if not cache.add(claim, 0, FORM_KEY_SECONDS):
            return _already_sent(request, cache.get(claim))
        try:
            assignment = services.create_assignment(form=form, actor=request.user)
        except ValidationError as error:
            cache.delete(claim)
            form.add_error(None, error.messages)
        except BaseException:
            cache.delete(claim)
            raise
        else:
            cache.set(claim, assignment.pk, FORM_KEY_SECONDS)
            messages.success(request, _("The assignment was saved."))
            if expert is not None:
                _invite(request, assignment, [expert])
            return redirect(assignment)
    return render(request, "bookings/assignment_form.html", {"form": form, "expert": expert})


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


def _can_confirm(booking: Booking, now) -> bool:
    """What services.confirm_booking allows: an accepted expert, an open assignment that has not begun."""
    assignment = booking.assignment
    return (
        booking.status == BookingStatus.ACCEPTED
        and assignment.status == AssignmentStatus.OPEN
        and assignment.starts_at > now
    )


def _can_complete(booking: Booking, now) -> bool:
    return booking.status == BookingStatus.CONFIRMED and booking.assignment.starts_at <= now


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
    assignment = get_object_or_404(Assignment.objects.for_detail(), pk=pk)
    now = timezone.now()
    rows = [_booking_row(booking, now) for booking in assignment.bookings.for_detail_rows()]
    context = {
        "assignment": assignment,
        "rows": rows,
        "confirmed_count": sum(
            row.booking.status in (BookingStatus.CONFIRMED, BookingStatus.COMPLETED) for row in rows
        ),
        "is_changeable": assignment.status in (AssignmentStatus.OPEN, AssignmentStatus.FILLED),
        "search_url": _search_url(assignment),
        "feedback_rounds": list(Round.objects.on_target(assignment)),
        "feedback_url": reverse(
            "feedback:create", args=[ContentType.objects.get_for_model(Assignment).pk, assignment.pk]
        ),
    }
    return render(request, "bookings/assignment_detail.html", context)


def _search_url(assignment: Assignment) -> str:
    """The search for this assignment: its task and date filled in, each card with an invite button."""
    query = {"for": assignment.pk, "task": assignment.task_type.slug}
    query["date"] = timezone.localdate(assignment.starts_at).isoformat()
    return f"{reverse('experts:index')}?{urlencode(query)}"


@coordinator_required
def assignment_move(request, pk):
    """A new time; the confirmed experts' calendars and reminders follow (services_booking)."""
    assignment = get_object_or_404(Assignment.objects.select_related("tariff"), pk=pk)
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
    if profiles:
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
    invited_ids = {booking.expert_id for booking in invited}
    for profile in profiles:
        if profile.pk in invited_ids:
            messages.success(request, _("%(name)s was invited.") % {"name": profile.display_name})
        elif profile.pk in refused:
            messages.warning(
                request,
                _("%(name)s could not be invited: %(reason)s")
                % {"name": profile.display_name, "reason": refused[profile.pk]},
            )
        else:
            messages.info(request, _("%(name)s is already on this assignment.") % {"name": profile.display_name})


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
        messages.error(request, _("Only a confirmed booking whose assignment has begun can be marked completed."))
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
