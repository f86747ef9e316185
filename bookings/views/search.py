"""The expert search's booking actions (registered with experts.search_actions in apps.py).

?for=<assignment>: the search finds experts for an open assignment, and each card can invite to it
(coordinator.assignment_invite), and says when the assignment is outside the weekly hours the expert
gave. Three queries, only with `for`; without it each card offers booking for a new assignment. Each
card's action is made by a function with format_html: the URL, the translated text and the CSRF token
are made once a page, not once a card.
"""

from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from ..eligibility import outside_hours, weekly_slots_of
from ..models import Assignment, AssignmentStatus


def search_actions(request) -> dict:
    if not request.user.has_perm("accounts.search_experts"):
        return {}
    value = request.GET.get("for", "")
    assignment = None
    if value.isascii() and value.isdigit() and len(value) < 19:
        assignment = Assignment.objects.filter(pk=value, status=AssignmentStatus.OPEN).first()
    if assignment is None:
        return {"card_action": book_for_new_assignment()}
    return {
        "card_action": invite_to(assignment, request),
        "search_banner": "bookings/_search_banner.html",
        "search_hidden": "bookings/_search_for.html",
        "booking_for": assignment,
    }


def book_for_new_assignment():
    url, text = reverse("bookings:assignment_create"), _("Book for a new assignment")

    def action(profile):
        return format_html(
            '<p class="card-action"><a href="{}?expert={}">{}<span class="visually-hidden">: {}</span></a></p>',
            url,
            profile.pk,
            text,
            profile.display_name,
        )

    return action


def invite_to(assignment: Assignment, request):
    invited = set(assignment.bookings.values_list("expert_id", flat=True))
    url, token, next_url = (
        reverse("bookings:assignment_invite", args=[assignment.pk]),
        get_token(request),
        request.get_full_path(),
    )
    already = _("Already invited")
    invite = _("Invite to %(title)s") % {"title": assignment.title}
    # A date of a recurring assignment: a second button invites to it and every later open date.
    every_date = _("Invite to every date") if assignment.series_id else ""
    outside_note = format_html(
        '<p class="card-action"><span class="status-badge status-paused">{}</span></p>',
        _("Outside the hours they gave"),
    )
    outside: set[int] = set()

    def prepare(profiles):
        # The page's experts' weekly hours in one query: whose are outside the assignment's time.
        slots = weekly_slots_of(profile.pk for profile in profiles)
        outside.update(
            profile.pk for profile in profiles if outside_hours(profile, assignment, slots=slots.get(profile.pk, []))
        )

    def action(profile):
        if profile.pk in invited:
            return format_html('<p class="card-action"><span class="status-badge">{}</span></p>', already)
        return format_html(
            '{}<form class="card-action" method="post" action="{}">'
            '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'
            '<input type="hidden" name="profile" value="{}"><input type="hidden" name="next" value="{}">'
            '<button class="button" type="submit">{}<span class="visually-hidden">: {}</span></button>{}</form>',
            outside_note if profile.pk in outside else "",
            url,
            token,
            profile.pk,
            next_url,
            invite,
            profile.display_name,
            format_html(
                ' <button class="button secondary" type="submit" name="all_dates" value="1">{}'
                '<span class="visually-hidden">: {}</span></button>',
                every_date,
                profile.display_name,
            )
            if every_date
            else "",
        )

    action.prepare = prepare
    return action
