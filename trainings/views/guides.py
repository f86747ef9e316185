"""The staff toolkit (Työkalupakki): guides such as "how to run a client panel", edited in admin,
read and searched here by every member of staff."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render

from ..guides import search_guides
from ..models import Guide

# Staff who work with experts: coordinators, trainers and those who run hearings.
TOOLKIT_PERMISSIONS = ("accounts.run_trainings", "accounts.search_experts", "accounts.run_hearings")
MAX_QUERY_LENGTH = 200


def toolkit_required(view):
    @wraps(view)
    @login_required
    def checked(request, *args, **kwargs):
        if not any(request.user.has_perm(permission) for permission in TOOLKIT_PERMISSIONS):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return checked


def visible_guides(user):
    """Published guides; those who edit guides in admin see drafts too (admin's "view on site")."""
    return Guide.objects.all() if user.has_perm("trainings.change_guide") else Guide.objects.published()


@toolkit_required
def guide_list(request):
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    guides = visible_guides(request.user)
    if query:
        guides = search_guides(guides, query)
    return render(request, "trainings/guide_list.html", {"guides": list(guides), "query": query})


@toolkit_required
def guide_detail(request, slug):
    guide = get_object_or_404(visible_guides(request.user).select_related("updated_by"), slug=slug)
    return render(request, "trainings/guide_detail.html", {"guide": guide})
