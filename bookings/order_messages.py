"""What a unit's orderer is told through the outbox about their request (orders.py has the
request's own writes). Apart from orders.py because services.py calls it when an ordered
assignment's expert is confirmed or the assignment is done, and orders.py builds on services.py."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from notifications.kinds import Kind, register
from notifications.services import schedule_notification

from .models import Assignment, AssignmentStatus, Booking, BookingStatus, OrderRequest

# (code, label on the preferences page, transactional). The orderer needs the first three to follow
# the request at all; the feedback request may be turned off.
ORDER_KINDS = [
    ("order_accepted", gettext_lazy("Your order requests made into assignments"), True),
    ("order_declined", gettext_lazy("Your order requests declined"), True),
    ("order_confirmed", gettext_lazy("Experts confirmed for your order requests"), True),
    ("order_feedback", gettext_lazy("Requests for feedback after an ordered assignment"), False),
]


def register_order_notification_kinds() -> None:
    for code, label, transactional in ORDER_KINDS:
        register(
            Kind(code=f"bookings.{code}", label=label, template="bookings/email/order", transactional=transactional)
        )


def order_path(order: OrderRequest) -> str:
    """The orderer's page of the request (the model has no get_absolute_url: coordinators have their own)."""
    return reverse("bookings:order_detail", args=[order.pk])


def _tell_orderer(kind: str, order: OrderRequest, target=None) -> None:
    schedule_notification(
        kind=f"bookings.{kind}",
        target=target or order,
        recipient=order.orderer,
        due_at=timezone.now(),
        context={"path": order_path(order)},
    )


def _order_of(assignment_id: int) -> OrderRequest | None:
    return OrderRequest.objects.select_related("orderer").filter(assignment_id=assignment_id).first()


def tell_orderer_confirmed(booking: Booking) -> None:
    """An expert is confirmed for an ordered assignment: the orderer hears the expert's display name,
    the date and the time (one message per booking). Called inside services.confirm_booking."""
    order = _order_of(booking.assignment_id)
    if order is not None:
        _tell_orderer("order_confirmed", order, target=booking)


def tell_orderer_feedback_due(assignment: Assignment) -> None:
    """The ordered assignment is done and someone completed it: the orderer is asked for feedback.
    Called inside services.complete_booking once no confirmed booking is left."""
    if assignment.status != AssignmentStatus.DONE:
        return
    order = _order_of(assignment.pk)
    if order is not None and assignment.bookings.filter(status=BookingStatus.COMPLETED).exists():
        _tell_orderer("order_feedback", order)
