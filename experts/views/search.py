"""Coordinators' search, the profile page others see, and the public directory."""

from django.conf import settings
from django.contrib.auth.decorators import login_required, permission_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models.functions import Lower
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.functional import cached_property

from ..filters import ExpertFilter
from ..models import Assignment, AssignmentStatus, ExpertProfile, SearchResults, Visibility
from ..services import record_profile_view, record_search_views, viewer_level

PAGE_SIZE = 25


class CappedPaginator(Paginator):
    """For SearchResults counted up to COUNT_CAP. A broad search ("masennus") can match half of
    50,000 profiles; past a thousand the exact number does not help anyone choose, the page says
    "over 1,000"."""

    COUNT_CAP = 1000

    @cached_property
    def matches(self) -> int:
        return self.object_list.count()

    @cached_property
    def count(self) -> int:
        return min(self.matches, self.COUNT_CAP)

    @property
    def over_cap(self) -> bool:
        return self.matches > self.COUNT_CAP


@login_required
@permission_required("accounts.search_experts", raise_exception=True)
def index(request):
    """Search with facets and free text. An htmx request (live filtering) gets only the results."""
    filters = ExpertFilter(request.GET, queryset=ExpertProfile.objects.listed())
    # Invalid input shows its errors and no results rather than results that quietly ignore it.
    if filters.is_valid():
        profiles = SearchResults(
            filters.qs,
            filters.text_query,
            cap=CappedPaginator.COUNT_CAP,
            lists=filters.lists,
            probe=filters.count_probe,
        )
    else:
        profiles = SearchResults(ExpertProfile.objects.none())
    context = {"filters": filters, **paginate(request, profiles, viewer_level(request.user), CappedPaginator)}
    context.update(booking_for(request))
    record_search_views(viewer=request.user, cards=context["cards"])
    # A history restore asks for the whole page (htmx keeps no snapshots here: see index.html).
    partial = request.headers.get("HX-Request") == "true" and not request.headers.get("HX-History-Restore-Request")
    response = render(request, "experts/search_results.html" if partial else "experts/index.html", context)
    # The same URL answers with a fragment or a whole page: caches must keep the two apart.
    patch_vary_headers(response, ["HX-Request"])
    return response


def booking_for(request) -> dict:
    """?for=<assignment>: the search finds experts for an open assignment, and each card can invite
    to it (views/booking_coordinator.assignment_invite). Two queries, only with `for`; without it the
    cards offer booking for a new assignment."""
    value = request.GET.get("for", "")
    assignment = None
    if value.isascii() and value.isdigit():
        assignment = Assignment.objects.filter(pk=value, status=AssignmentStatus.OPEN).first()
    if assignment is None:
        return {"can_book": True}
    invited = set(assignment.bookings.values_list("expert_id", flat=True))
    return {"booking_for": assignment, "invited_ids": invited}


def expert_detail(request, pk):
    """One expert's profile with the fields the viewer may see; a view of non-public ones is audited."""
    level = viewer_level(request.user)
    if (
        request.user.has_perm("accounts.keep_own_profile")
        and ExpertProfile.objects.filter(pk=pk, user=request.user).exists()
    ):
        return redirect("experts:my_profile")
    if level is None:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise PermissionDenied
    profile = get_object_or_404(ExpertProfile.objects.visible_to(level).for_detail(level), pk=pk)
    fields = profile.visible_fields(level)
    record_profile_view(viewer=request.user, profile=profile, fields=fields)
    return render(request, "experts/expert_detail.html", {"profile": profile, "fields": fields, "level": level})


def directory(request):
    """The public directory, if the county has turned it on: public details of consenting experts."""
    if not settings.KP_PUBLIC_DIRECTORY:
        raise Http404
    profiles = ExpertProfile.objects.public().for_list(experiences=False).order_by(Lower("display_name"), "pk")
    return render(request, "experts/directory.html", paginate(request, profiles, Visibility.PUBLIC))


def paginate(request, profiles, level: str | None, paginator=Paginator) -> dict:
    """A page of result cards: (profile, the fields `level` may see) for each, and the page links."""
    page = paginator(profiles, PAGE_SIZE).get_page(request.GET.get("page"))
    return {
        "page": page,
        "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1),
        "cards": [(profile, profile.visible_fields(level)) for profile in page],
    }
