"""Units order an expert themselves: the orderer's request, the coordinator's answer, and what the
orderer is told.

    submitted ──make an assignment──▶ accepted   (the request's assignment, in the same transaction)
        │  └──────── decline (reason) ──▶ declined
        └──────────── withdraw ──────────▶ withdrawn          (by the orderer, while it waits)

Each transition locks the request's row and checks the state it starts from, so a double submit, or
a coordinator accepting while the orderer withdraws, moves it once. An orderer (accounts.order_experts)
never reaches the bank: of the experts booked for their request they see the display names only.
The orderer hears through the outbox when the request becomes an assignment or is declined, when an
expert is confirmed (order_messages.py, which services.confirm_booking calls) and, once the assignment is
done, that feedback can be given (order_messages.py, from services.complete_booking).
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Assignment, AssignmentStatus, OrderRequest, OrderStatus
from .order_messages import _tell_orderer, order_path  # noqa: F401  (order_path: the views use it from here)
from .services import BookingError, create_assignment

# --- What the orderer sees -------------------------------------------------------------------------


@dataclass(frozen=True)
class Stage:
    """Where a request stands, as the orderer reads it: the request's status until it is an
    assignment, then the assignment's."""

    code: str  # a CSS class (bookings/_status.html) and the tests' handle
    label: str


def stage_of(order: OrderRequest) -> Stage:
    assignment = order.assignment
    if order.status != OrderStatus.ACCEPTED or assignment is None:
        return Stage(order.status, order.get_status_display())
    if assignment.status == AssignmentStatus.OPEN:
        return Stage("arranging", _("Being arranged: looking for an expert"))
    if assignment.status == AssignmentStatus.FILLED:
        return Stage("filled", _("Expert confirmed"))
    return Stage(assignment.status, assignment.get_status_display())  # done, cancelled


def last_order_initial(orderer) -> dict:
    """A new request starts from the orderer's previous one: the same unit, phone and municipality."""
    last = OrderRequest.objects.of_orderer(orderer).values("unit", "contact_phone", "municipality").first()
    return {key: value for key, value in (last or {}).items() if value}


def assignment_initial(order: OrderRequest) -> dict:
    """The coordinator's new-assignment form filled in from the request (views/coordinator.py)."""
    parts = [_("Audience: %(audience)s") % {"audience": order.audience}]
    if order.remote:
        parts.append(_("Remote."))
    if order.wishes:
        parts.append(order.wishes)
    return {
        "title": f"{order.task_type}: {order.unit}",
        "description": "\n\n".join(parts),
        "task_type": order.task_type_id,
        "date": order.date,
        "start_time": order.start_time,
        "end_time": order.end_time,
        "address": order.address,
        "unit": order.unit,
        "contact_phone": order.contact_phone,
        "municipality": order.municipality_id,
        "language": order.language_id,
    }


# --- The writes ------------------------------------------------------------------------------------


def _lock(order: OrderRequest) -> OrderRequest:
    return OrderRequest.objects.select_for_update().select_related("orderer").get(pk=order.pk)


def _refuse_unless_waiting(order: OrderRequest) -> None:
    messages = {
        OrderStatus.ACCEPTED: _("This request has already been made into an assignment."),
        OrderStatus.DECLINED: _("This request has already been declined."),
        OrderStatus.WITHDRAWN: _("The orderer has withdrawn this request."),
    }
    if order.status != OrderStatus.SUBMITTED:
        raise BookingError(messages[order.status])


@transaction.atomic
def submit_order_request(*, form, orderer) -> OrderRequest:
    """The orderer's request from their form. Coordinators find it in their to-do list and the inbox."""
    order = form.save(commit=False)
    order.orderer = orderer
    order.full_clean()
    order.save()
    return order


@transaction.atomic
def withdraw_order_request(*, order: OrderRequest) -> OrderRequest:
    """The orderer takes back a request that no coordinator has handled yet."""
    order = _lock(order)
    if order.status != OrderStatus.SUBMITTED:
        raise BookingError(_("Only a request still waiting for a coordinator can be withdrawn."))
    order.status = OrderStatus.WITHDRAWN
    order.save(update_fields=["status", "updated_at"])
    return order


@transaction.atomic
def decline_order_request(*, order: OrderRequest, reason: str, actor) -> OrderRequest:
    """A coordinator declines, with the reason the orderer is told."""
    order = _lock(order)
    _refuse_unless_waiting(order)
    if not reason.strip():
        raise BookingError(_("Tell the orderer why the request is declined."))
    order.status = OrderStatus.DECLINED
    order.decline_reason = reason.strip()
    order.handled_by, order.handled_at = actor, timezone.now()
    order.save(update_fields=["status", "decline_reason", "handled_by", "handled_at", "updated_at"])
    _tell_orderer("order_declined", order)
    return order


@transaction.atomic
def create_assignment_for_order(*, form, order: OrderRequest, actor) -> Assignment:
    """The coordinator's assignment form, filled in from the request, saved: the assignment and the
    request's acceptance are one transaction, so a request withdrawn or handled by another
    coordinator meanwhile leaves no assignment behind (BookingError, and nothing is saved)."""
    order = _lock(order)
    _refuse_unless_waiting(order)
    # Where and in which language, for matching experts: from the request when the form does not ask.
    for name in ("municipality", "language"):
        if name not in form.fields:
            setattr(form.instance, f"{name}_id", getattr(order, f"{name}_id"))
    assignment = create_assignment(form=form, actor=actor)
    order.assignment = assignment
    order.status = OrderStatus.ACCEPTED
    order.handled_by, order.handled_at = actor, timezone.now()
    order.save(update_fields=["assignment", "status", "handled_by", "handled_at", "updated_at"])
    _tell_orderer("order_accepted", order)
    return assignment
