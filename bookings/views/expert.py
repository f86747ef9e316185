"""Experts: my assignments, answering invitations, cancelling, check-ins, earnings limits; calendar feeds.

Every booking view fetches through `_own_booking()`, the signed-in expert's own bookings only, so
another expert's booking is a 404 whatever its number. The writes are services_booking's: a transition
that is not allowed (a double submit, a stale page) raises BookingError, whose translated message is
shown on the page.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts.http import posted
from experts.models import ExpertProfile
from experts.services import save_profile_section
from experts.views.profile import own_profile_required
from feedback.models import Round
from notifications.calendar import calendar_file, subscription_file

from ..calendar_feeds import create_calendar_feed, feed_events, feed_token_hash, may_have_feed, revoke_calendar_feed
from ..earnings import earnings_of, earnings_warnings, volunteering_warnings
from ..eligibility import outside_slots, weekly_slots_of
from ..forms_expert import AnswerForm, CancelForm, CheckInForm, EarningsLimitsForm, PrivateFeedbackForm
from ..models import (
    HOLDING,
    Assignment,
    Booking,
    BookingStatus,
    CalendarFeed,
    CheckIn,
    PrivateFeedback,
)
from ..services import (
    BookingError,
    answer_invitation,
    cancel_booking,
    give_private_feedback,
    submit_check_in,
    volunteer_for,
)

OPEN_ASSIGNMENTS_SHOWN = 20


def _own_booking(profile: ExpertProfile, pk: int) -> Booking:
    return get_object_or_404(Booking.objects.of_expert(profile).for_expert_page(), pk=pk)


def _back(request, booking: Booking):
    """Where a form posted from the list or from the booking's own page returns to."""
    return redirect("bookings:my_assignments" if request.POST.get("next") == "list" else booking.get_absolute_url())


# --- My assignments ------------------------------------------------------------------------------


@dataclass
class EarningsRow:
    label: str
    earned: Decimal
    upcoming: Decimal
    limit: Decimal | None

    @property
    def total(self) -> Decimal:
        return self.earned + self.upcoming

    @property
    def over_limit(self) -> bool:
        return self.limit is not None and self.total > self.limit

    @property
    def left(self) -> Decimal | None:
        return None if self.limit is None else max(self.limit - self.total, Decimal("0.00"))


def _section_of(booking: Booking, now: datetime) -> str:
    """Which part of "My assignments" a booking belongs to. An invitation or offer whose time has come
    is history, whatever its status: it can no longer be answered."""
    assignment = booking.assignment
    if booking.status == BookingStatus.INVITED and assignment.starts_at > now:
        return "invited"
    if booking.status == BookingStatus.ACCEPTED and assignment.starts_at > now:
        return "accepted"
    if booking.status == BookingStatus.CONFIRMED and assignment.ends_at > now:
        return "coming"
    return "past"


@own_profile_required
def my_assignments(request, profile):
    """Invitations to answer, offers waiting for the coordinator, coming and past assignments, open
    assignments to volunteer for, and the earnings panel."""
    now = timezone.now()
    # Queries: the expert's bookings with assignment, task type and tariff; the open assignments with
    # task type and tariff; earnings_of(): completed fees of the month and the year, confirmed ones of
    # the month and the year with their tariffs.
    sections: dict[str, list[Booking]] = {"invited": [], "accepted": [], "coming": [], "past": []}
    for booking in Booking.objects.of_expert(profile).for_expert_list():
        sections[_section_of(booking, now)].append(booking)
    sections["past"].reverse()  # the latest first
    open_assignments = None
    if profile.is_bookable():
        open_assignments = list(Assignment.objects.to_volunteer_for(profile, now)[:OPEN_ASSIGNMENTS_SHOWN])
    earnings = earnings_of(profile)
    # Volunteering takes one click on this page: the earnings warning is on the card itself.
    warnings = volunteering_warnings(profile, open_assignments or [], this_month=earnings)
    for assignment in open_assignments or []:
        assignment.earnings_warnings = warnings.get(assignment.pk, [])
    context = {
        "profile": profile,
        **sections,
        "open_assignments": open_assignments,
        "earnings": [
            EarningsRow(_("This month"), earnings.month, earnings.month_upcoming, earnings.month_limit),
            EarningsRow(_("This year"), earnings.year, earnings.year_upcoming, earnings.year_limit),
        ],
        "has_limits": earnings.month_limit is not None or earnings.year_limit is not None,
    }
    return render(request, "bookings/my_assignments.html", context)


@require_POST
@own_profile_required
def assignment_volunteer(request, profile, pk):
    """Offer to take an open assignment; the coordinator confirms. Offering twice changes nothing."""
    assignment = get_object_or_404(Assignment.objects.offered_to(profile), pk=pk)
    if assignment.starts_at <= timezone.now():
        messages.error(request, _("The assignment has already begun."))
        return redirect("bookings:my_assignments")
    try:
        booking = volunteer_for(assignment=assignment, profile=profile)
    except BookingError as error:
        messages.error(request, str(error))
        return redirect("bookings:my_assignments")
    if booking.volunteered and booking.status == BookingStatus.ACCEPTED:
        messages.success(request, _("Thank you! The coordinator will let you know whether you are chosen."))
    else:
        messages.info(request, _("You are already on this assignment."))
    return redirect(booking)


# --- One booking ---------------------------------------------------------------------------------


def _has_calendar_file(booking: Booking) -> bool:
    """A calendar entry for a booking that holds the expert's time, and the cancellation of one that
    did: never for an invitation, which would show up in the calendar as confirmed."""
    return booking.status in HOLDING or (booking.status == BookingStatus.CANCELLED and booking.confirmed_at is not None)


def _render_booking(request, booking: Booking, *, answer_form=None, check_in_form=None, feedback_form=None):
    now = timezone.now()
    assignment = booking.assignment
    can_answer = booking.status == BookingStatus.INVITED and assignment.starts_at > now
    waiting = can_answer or (booking.status == BookingStatus.ACCEPTED and assignment.starts_at > now)
    completed = booking.status == BookingStatus.COMPLETED
    # Queries when completed: the check-in, the private feedback of both sides, the expense lines.
    # Before the assignment: the expert's weekly slots (is it outside the hours they gave?).
    check_in = CheckIn.objects.filter(booking=booking).first() if completed else None
    both_sides = {item.side: item for item in PrivateFeedback.objects.filter(booking=booking)} if completed else {}
    feedback = both_sides.get(PrivateFeedback.Side.EXPERT)
    coming = booking.status in (BookingStatus.INVITED, BookingStatus.ACCEPTED, BookingStatus.CONFIRMED)
    if completed and feedback_form is None:
        feedback_form = PrivateFeedbackForm(initial={"text": feedback.text} if feedback else None)
    context = {
        "booking": booking,
        "assignment": assignment,
        "contact_phone": assignment.contact_phone or assignment.contact_person.phone,
        "can_answer": can_answer,
        "answer_form": (answer_form or AnswerForm()) if can_answer else None,
        # Before the coordinator confirms (an invitation to answer, or an accepted or volunteered
        # booking still waiting): would this fee take the expert over their own earnings limit?
        "earnings_warnings": earnings_warnings(booking, for_expert=True) if waiting else [],
        "can_cancel": booking.can_be_cancelled(now),
        "has_calendar_file": _has_calendar_file(booking),
        "completed": completed,
        "expenses": list(booking.expense_lines.all()) if completed else [],
        "check_in": check_in,
        "check_in_form": (check_in_form or CheckInForm()) if completed and check_in is None else None,
        "feedback": feedback,
        "feedback_form": feedback_form,
        # The orderer's private feedback, theirs to read (services.give_private_feedback tells them).
        "orderer_feedback": both_sides.get(PrivateFeedback.Side.ORDERER),
        "outside_hours": coming and assignment.starts_at > now and _outside_own_hours(booking),
        # The participants' feedback rounds on an assignment the expert did (they may read its results).
        "feedback_rounds": list(Round.objects.on_target(assignment)) if completed else [],
    }
    return render(request, "bookings/my_assignment.html", context)


def _outside_own_hours(booking: Booking) -> bool:
    slots = weekly_slots_of([booking.expert_id]).get(booking.expert_id, [])
    return outside_slots(slots, booking.assignment.starts_at, booking.assignment.ends_at)


@own_profile_required
def my_assignment(request, profile, pk):
    return _render_booking(request, _own_booking(profile, pk))


@require_POST
@own_profile_required
def booking_answer(request, profile, pk):
    booking = _own_booking(profile, pk)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        return _render_booking(request, booking, answer_form=form)
    try:
        answer_invitation(booking=booking, accept=form.accepts, note=form.cleaned_data["note"])
    except BookingError as error:
        # A double submit finds its own answer saved a moment ago: that is success, not an error.
        booking.refresh_from_db(fields=["status"])
        if booking.status != (BookingStatus.ACCEPTED if form.accepts else BookingStatus.DECLINED):
            messages.error(request, str(error))
            return _back(request, booking)
    if form.accepts:
        messages.success(request, _("You accepted the assignment. The coordinator confirms it and lets you know."))
    else:
        messages.success(request, _("You declined the assignment. Thank you for answering."))
    return _back(request, booking)


@own_profile_required
def my_booking_cancel(request, profile, pk):
    """Ask for the reason, then cancel. The coordinator is told; a filled assignment opens again."""
    booking = _own_booking(profile, pk)
    if request.method != "POST" and not booking.can_be_cancelled(timezone.now()):
        messages.info(request, _("This booking can no longer be cancelled."))
        return redirect(booking)
    form = CancelForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            cancel_booking(booking=booking, by_expert=True, actor=request.user, **form.cleaned_data)
        except BookingError as error:
            booking.refresh_from_db(fields=["status", "cancelled_by_expert"])
            if not (booking.status == BookingStatus.CANCELLED and booking.cancelled_by_expert):
                messages.error(request, str(error))
                return redirect(booking)
        messages.success(request, _("The booking has been cancelled and the coordinator has been told."))
        return redirect(booking)
    return render(request, "bookings/my_assignment_cancel.html", {"booking": booking, "form": form})


@own_profile_required
def booking_ics(request, profile, pk):
    booking = _own_booking(profile, pk)
    if not _has_calendar_file(booking):
        raise Http404
    response = HttpResponse(calendar_file(booking.calendar_event()), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="kokemuspankki-{booking.pk}.ics"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@own_profile_required
def booking_check_in(request, profile, pk):
    """The expert's word after a completed assignment, once: a second submit changes nothing."""
    booking = _own_booking(profile, pk)
    if CheckIn.objects.filter(booking=booking).exists():
        messages.info(request, _("You have already told how it went. Thank you!"))
        return redirect(booking)
    form = CheckInForm(request.POST)
    if not form.is_valid():
        return _render_booking(request, booking, check_in_form=form)
    try:
        submit_check_in(booking=booking, **form.cleaned_data)
    except BookingError as error:
        messages.error(request, str(error))
        return redirect(booking)
    messages.success(request, _("Thank you for telling how it went. Only the coordinators read it."))
    return redirect(booking)


@require_POST
@own_profile_required
def my_booking_feedback(request, profile, pk):
    """Private feedback on the arrangements; sending again replaces the earlier text."""
    booking = _own_booking(profile, pk)
    form = PrivateFeedbackForm(request.POST)
    if not form.is_valid():
        return _render_booking(request, booking, feedback_form=form)
    try:
        give_private_feedback(
            booking=booking, side=PrivateFeedback.Side.EXPERT, text=form.cleaned_data["text"], author=request.user
        )
    except BookingError as error:
        messages.error(request, str(error))
        return redirect(booking)
    messages.success(request, _("Thank you for your feedback. Only the coordinators see it."))
    return redirect(booking)


# --- Earnings limits -----------------------------------------------------------------------------


@own_profile_required
def earnings_limits(request, profile):
    form = EarningsLimitsForm(posted(request), instance=profile)
    if request.method == "POST" and form.is_valid():
        save_profile_section(form=form, actor=request.user)
        messages.success(request, _("Your earnings limits have been saved."))
        return redirect("bookings:my_assignments")
    return render(request, "bookings/earnings_limits.html", {"profile": profile, "form": form})


# --- Personal calendar feed ----------------------------------------------------------------------


@login_required
def calendar_feed(request):
    """Create (or replace) and revoke the secret feed address. The address is shown once, right after
    it is created: only the token's hash is kept."""
    if not may_have_feed(request.user):
        raise PermissionDenied
    feed_url = None
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            revoke_calendar_feed(user=request.user)
            messages.success(request, _("The calendar feed address has been revoked. It no longer works."))
            return redirect("bookings:calendar_feed")
        token = create_calendar_feed(user=request.user)
        feed_url = request.build_absolute_uri(reverse("bookings:calendar_feed_file", args=[token]))
    context = {
        "feed": CalendarFeed.objects.filter(user=request.user).first(),
        "feed_url": feed_url,
        # Calendar apps open webcal: links as a subscription rather than a one-off download.
        "webcal_url": "webcal://" + feed_url.split("://", 1)[1] if feed_url else None,
    }
    response = render(request, "bookings/calendar_feed.html", context)
    if feed_url:
        response["Cache-Control"] = "private, no-store"  # the page holds the secret address
    return response


@require_safe
def calendar_feed_file(request, token):
    """The feed itself, for calendar apps: no session, the secret token in the URL is the key. The
    token is never logged (django.request logs only errors; see also gunicorn_logging)."""
    feed = (
        CalendarFeed.objects.select_related("user")
        .filter(token_hash=feed_token_hash(token), user__is_active=True)
        .first()
    )
    if feed is None:
        raise Http404
    response = HttpResponse(
        subscription_file(feed_events(feed.user), name="Kokemuspankki"), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = 'inline; filename="kokemuspankki.ics"'
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response
