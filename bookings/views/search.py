"""The expert search's booking actions (registered with experts.search_actions in apps.py).

?for=<assignment>: the search finds experts for an open assignment, and each card can invite to it
(coordinator.assignment_invite). Two queries, only with `for`; without it each card offers booking
for a new assignment.
"""

from ..models import Assignment, AssignmentStatus

CARD_ACTION = "bookings/_search_card_action.html"


def search_actions(request) -> dict:
    if not request.user.has_perm("accounts.search_experts"):
        return {}
    value = request.GET.get("for", "")
    assignment = None
    if value.isascii() and value.isdigit() and len(value) < 19:
        assignment = Assignment.objects.filter(pk=value, status=AssignmentStatus.OPEN).first()
    if assignment is None:
        return {"card_action": CARD_ACTION}
    return {
        "card_action": CARD_ACTION,
        "search_banner": "bookings/_search_banner.html",
        "search_hidden": "bookings/_search_for.html",
        "booking_for": assignment,
        "invited_ids": set(assignment.bookings.values_list("expert_id", flat=True)),
    }
