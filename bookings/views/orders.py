"""Units ordering experts: the orderer's own requests, and the coordinators' inbox of them.

An orderer (accounts.order_experts) reaches only their own requests: each orderer view fetches through
the orderer's own rows, so another orderer's request or booking is a 404 whatever its number. Of the
experts booked for a request the orderer sees the display name and nothing else: the bookings are read
with the name annotated, never with the expert's profile, so no template here can reach its other
fields. The coordinators' views need accounts.search_experts, as every coordinator page does.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.db.models import F, Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.http import posted
from accounts.roles import Role
from kokemuspankki import form_keys

from .. import orders
from ..forms import OrdererFeedbackForm
from ..forms_orders import DeclineOrderForm, OrderRequestForm
from ..models import HOLDING, Booking, BookingStatus, OrderRequest, OrderStatus, PrivateFeedback
from ..services import BookingError, give_private_feedback

ORDER_EXPERTS = "accounts.order_experts"
SEARCH_EXPERTS = "accounts.search_experts"
# The inbox shows every waiting request and this many of the latest handled ones.
HANDLED_SHOWN = 30
# The front page shows an orderer's latest requests, this many.
FRONT_PAGE_SHOWN = 5


def orderer_required(view):
    return login_required(permission_required(ORDER_EXPERTS, raise_exception=True)(view))


def coordinator_required(view):
    # As views/coordinator.py's; not imported from there, since that module imports order_to_accept.
    return login_required(permission_required(SEARCH_EXPERTS, raise_exception=True)(view))


# --- The orderer -----------------------------------------------------------------------------------


@orderer_required
def order_list(request):
    """The orderer's own requests, the latest first, each with where it stands."""
    # Queries: the orderer's requests with task type and assignment.
    order_rows = list(OrderRequest.objects.of_orderer(request.user).select_related("task_type", "assignment"))
    for order in order_rows:
        order.stage = orders.stage_of(order)
    return render(request, "bookings/order_list.html", {"orders": order_rows})


@orderer_required
def order_create(request):
    """A new request; the unit, phone and municipality come from the orderer's previous one."""
    initial = orders.last_order_initial(request.user) if request.method != "POST" else None
    form = OrderRequestForm(posted(request), initial=initial)
    fallback = reverse("bookings:order_list")
    if sent := form_keys.sent_before(request, form, "order"):
        return form_keys.already_sent(request, sent, fallback)
    if request.method == "POST" and form.is_valid():
        key, first = form_keys.claim(request, form, "order")  # a double submit makes one request
        if not first:
            return form_keys.already_sent(request, key, fallback)
        order = orders.submit_order_request(form=form, orderer=request.user)
        form_keys.remember(key, orders.order_path(order))
        messages.success(request, _("Your request was sent. A coordinator will handle it and you will be told."))
        return redirect(orders.order_path(order))
    return render(request, "bookings/order_form.html", {"form": form})


@dataclass
class ExpertRow:
    """One expert booked for the orderer's request: a name, and the feedback form once completed."""

    booking: Booking
    feedback: PrivateFeedback | None
    form: OrdererFeedbackForm | None


def _feedback_form(booking: Booking, feedback: PrivateFeedback | None, data=None) -> OrdererFeedbackForm:
    # Unique ids per row: the page has one of these forms per completed booking.
    initial = {"text": feedback.text} if feedback else {}
    return OrdererFeedbackForm(data, initial=initial, auto_id=f"id_feedback_{booking.pk}_%s")


def _named_bookings():
    """Bookings with the expert's display name only (`expert_name`), and the orderer's feedback."""
    own_feedback = PrivateFeedback.objects.filter(side=PrivateFeedback.Side.ORDERER)
    return (
        Booking.objects.annotate(expert_name=F("expert__display_name"))
        .prefetch_related(Prefetch("private_feedback", queryset=own_feedback, to_attr="orderer_feedback"))
        .order_by("pk")
    )


@orderer_required
def order_detail(request, pk):
    """The request, where it stands, and once it is an assignment: its time and place and the names
    of the confirmed experts, with a feedback form for each who completed it."""
    # Queries: the request with task type, municipality, language and assignment; the assignment's
    # confirmed and completed bookings with the experts' names; the orderer's feedback on them.
    order = get_object_or_404(
        OrderRequest.objects.of_orderer(request.user).select_related(
            "task_type", "municipality", "language", "assignment"
        ),
        pk=pk,
    )
    rows = []
    if order.assignment is not None:
        for booking in _named_bookings().filter(assignment=order.assignment, status__in=HOLDING):
            feedback = booking.orderer_feedback[0] if booking.orderer_feedback else None
            completed = booking.status == BookingStatus.COMPLETED
            rows.append(ExpertRow(booking, feedback, _feedback_form(booking, feedback) if completed else None))
    context = {"order": order, "stage": orders.stage_of(order), "rows": rows}
    return render(request, "bookings/order_detail.html", context)


@orderer_required
@require_POST
def order_withdraw(request, pk):
    """Take back a request no coordinator has handled yet; a second click is a message."""
    order = get_object_or_404(OrderRequest.objects.of_orderer(request.user), pk=pk)
    try:
        orders.withdraw_order_request(order=order)
    except BookingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Your request was withdrawn."))
    return redirect(orders.order_path(order))


@orderer_required
def order_feedback(request, pk):
    """The orderer's private feedback to an expert who completed their assignment (sent again, it
    replaces the earlier one). The expert reads it on their booking's page."""
    booking = get_object_or_404(
        _named_bookings()
        .filter(assignment__order_request__orderer=request.user, status=BookingStatus.COMPLETED)
        .select_related("assignment__order_request"),
        pk=pk,
    )
    order = booking.assignment.order_request
    feedback = booking.orderer_feedback[0] if booking.orderer_feedback else None
    form = _feedback_form(booking, feedback, posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            give_private_feedback(
                booking=booking, side=PrivateFeedback.Side.ORDERER, text=form.cleaned_data["text"], author=request.user
            )
        except BookingError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Thank you! Your feedback was saved."))
        return redirect(f"{orders.order_path(order)}#expert-{booking.pk}")
    context = {"booking": booking, "order": order, "form": form}
    return render(request, "bookings/order_feedback.html", context)


def orderer_front_page(request) -> str:
    """The orderer's part of the front page (accounts/waiting.py): a link to order and their latest
    requests. The role, not the permission: an administrator has every permission but orders nothing."""
    if not request.user.has_role(Role.ORDERER):
        return ""
    # Queries: the orderer's latest requests with task type and assignment.
    latest = list(
        OrderRequest.objects.of_orderer(request.user).select_related("task_type", "assignment")[:FRONT_PAGE_SHOWN]
    )
    for order in latest:
        order.stage = orders.stage_of(order)
    return render_to_string("bookings/_order_front_page.html", {"orders": latest}, request=request)


# --- Coordinators ----------------------------------------------------------------------------------


@coordinator_required
def order_inbox(request):
    """The units' requests: every one waiting for a coordinator, the soonest first, and the latest handled."""
    # Queries: the waiting requests with orderer and task type; the latest handled ones with orderer,
    # task type and assignment.
    requests = OrderRequest.objects.select_related("orderer", "task_type")
    waiting = list(requests.waiting().order_by("date", "start_time", "pk"))
    handled = list(
        requests.exclude(status=OrderStatus.SUBMITTED)
        .select_related("assignment")
        .order_by("-updated_at", "-pk")[:HANDLED_SHOWN]
    )
    for order in handled:
        order.stage = orders.stage_of(order)
    return render(request, "bookings/order_inbox.html", {"waiting": waiting, "handled": handled})


def _request_detail(request, order: OrderRequest, decline_form: DeclineOrderForm):
    context = {"order": order, "stage": orders.stage_of(order), "decline_form": decline_form}
    return render(request, "bookings/order_request_detail.html", context)


def _coordinators_order(pk) -> OrderRequest:
    related = ("orderer", "task_type", "municipality", "language", "assignment", "handled_by")
    return get_object_or_404(OrderRequest.objects.select_related(*related), pk=pk)


@coordinator_required
def order_request_detail(request, pk):
    """One request as the orderer sent it, with "Make an assignment" and "Decline" while it waits."""
    # Queries: the request with orderer, task type, municipality, language, assignment and handler.
    return _request_detail(request, _coordinators_order(pk), DeclineOrderForm())


@coordinator_required
@require_POST
def order_decline(request, pk):
    """Decline with a reason (required); the orderer is told it. A second submit is a message."""
    order = _coordinators_order(pk)
    form = DeclineOrderForm(request.POST)
    if not form.is_valid():
        return _request_detail(request, order, form)
    try:
        orders.decline_order_request(order=order, reason=form.cleaned_data["reason"], actor=request.user)
    except BookingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The request was declined. The orderer was told the reason."))
    return redirect("bookings:order_request_detail", order.pk)


def order_to_accept(request) -> OrderRequest | None:
    """The request named by ?order=<pk> on the coordinator's new-assignment form (views/coordinator.py),
    or None. One already handled is still returned: the form says so and the service refuses it."""
    value = request.GET.get("order")
    if not value:
        return None
    if not (value.isascii() and value.isdigit()):
        raise Http404
    return get_object_or_404(OrderRequest.objects.select_related("task_type", "orderer"), pk=int(value))
