"""Coordinators' search, the profile page others see, and the public directory."""

from collections.abc import Callable
from typing import NamedTuple

from django.conf import settings
from django.contrib.auth.decorators import login_required, permission_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models.functions import Lower
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

from accounts.roles import Role

from ..filters import ExpertFilter
from ..models import ExpertProfile, Relation, SearchResults, TextQuery, TrainingLevel, Visibility
from ..profile_panels import profile_panels
from ..search_actions import search_action_context
from ..services import record_profile_view, record_search_views, viewer_level
from .profile import photo_response

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
    actions = search_action_context(request)
    context = {
        "filters": filters,
        **actions,
        **paginate(
            request,
            profiles,
            viewer_level(request.user),
            CappedPaginator,
            filters.text_query,
            actions.get("card_action"),
        ),
    }
    record_search_views(viewer=request.user, cards=context["cards"])
    # A history restore asks for the whole page (htmx keeps no snapshots here: see index.html).
    partial = request.headers.get("HX-Request") == "true" and not request.headers.get("HX-History-Restore-Request")
    response = render(request, "experts/search_results.html" if partial else "experts/index.html", context)
    # The same URL answers with a fragment or a whole page: caches must keep the two apart.
    patch_vary_headers(response, ["HX-Request"])
    return response


def expert_detail(request, pk):
    """One expert's profile with the fields the viewer may see; a view of non-public ones is audited."""
    level = viewer_level(request.user)
    if (
        request.user.is_authenticated
        and request.user.has_role(Role.EXPERT)
        and ExpertProfile.objects.filter(pk=pk, user=request.user).exists()
    ):
        return redirect("experts:my_profile")
    if level is None:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise PermissionDenied
    profile = get_object_or_404(ExpertProfile.objects.visible_to(level).for_detail(level), pk=pk)
    fields = profile.visible_fields(level)
    # What the apps that book experts show coordinators here (their bookings, contact details): one
    # audit row names the panels' personal data with the profile's fields (profile_panels.py).
    panels = profile_panels(request, profile) if level == Visibility.COORDINATORS else []
    shown = fields.union(*(panel.get("audit_fields", ()) for panel in panels))
    record_profile_view(viewer=request.user, profile=profile, fields=shown)
    context = {"profile": profile, "fields": fields, "level": level, "profile_panels": panels}
    return render(request, "experts/expert_detail.html", context)


def expert_photo(request, pk):
    """An expert's photo on their profile page, for a viewer whose level the expert chose for it.
    The page that shows it audits the view (expert_detail); a viewer who may not see it, or a
    profile they may not open, gets 404 like a photo that does not exist."""
    level = viewer_level(request.user)
    profile = get_object_or_404(ExpertProfile.objects.visible_to(level).only("photo", "visibility"), pk=pk)
    if "photo" not in profile.visible_fields(level):
        raise Http404
    return photo_response(profile)


def directory(request):
    """The public directory, if the county has turned it on: public details of consenting experts."""
    if not settings.KP_PUBLIC_DIRECTORY:
        raise Http404
    profiles = ExpertProfile.objects.public().for_list(experiences=False).order_by(Lower("display_name"), "pk")
    return render(request, "experts/directory.html", paginate(request, profiles, Visibility.PUBLIC))


class Fact(NamedTuple):
    """One line of a result card: a label and its text, or for experience areas (name, whose) pairs."""

    label: str
    text: str = ""
    entries: tuple[tuple[str, str], ...] = ()


class Card(NamedTuple):
    """A result card (templates/jinja2/experts/search_cards.html): the profile, the fields the viewer
    may see, and the facts and introduction shown of them."""

    profile: ExpertProfile
    fields: set[str]
    facts: list[Fact]
    bio: str
    found: list[str] = []
    action: str = ""  # safe HTML from experts.search_actions
    url: str = ""  # the profile page


class CardWords:
    """What every card of a page says alike, translated once a page rather than once a card: the
    facts' labels, the training levels, whose experience, and each list item's
    name in the active language (modeltranslation looks the language up on every access)."""

    def __init__(self):
        self.labels = {
            "training": _("Training"),
            "experience": _("Experience"),
            "task_types": _("Tasks"),
            "languages": _("Languages"),
            "municipalities": _("Municipalities"),
            "work_mode": _("Remote or in person"),
            "organisation": _("Organisation"),
        }
        self.training = {value: str(label) for value, label in TrainingLevel.choices}
        self.relations = {value: str(label).lower() for value, label in Relation.choices}
        self._names: dict[int, str] = {}
        # The profile page's URL with a stand-in id, reversed once a page rather than once a card.
        self._url = reverse("experts:detail", args=[URL_STAND_IN])

    def url(self, profile) -> str:
        """profile.get_absolute_url(), without resolving the pattern again."""
        return self._url.replace(f"/{URL_STAND_IN}/", f"/{profile.pk}/")

    def name(self, item) -> str:
        key = id(item)  # the lists' items are shared by the page's cards (taxonomy_lists())
        if key not in self._names:
            self._names[key] = item.name
        return self._names[key]


BIO_EXCERPT = 220
URL_STAND_IN = 987654321


def card(
    profile: ExpertProfile,
    fields: set[str],
    text_query: TextQuery | None = None,
    action: Callable | None = None,
    words: CardWords | None = None,
) -> Card:
    """The card's facts, composed here rather than in the template: a template tag per fact and card
    was half of a search page's rendering time (~0.5 ms a card; README, Search benchmark). With a
    free-text query, `found` names the words of the facts and introduction shown that matched it
    ("found: päihteet"), so that a match through a base form, synonym or typo explains itself."""
    words = words or CardWords()
    labels, facts = words.labels, []
    if "training" in fields:
        facts.append(Fact(labels["training"], words.training.get(profile.training_level, "")))
    # The public directory reads no experiences (for_list(experiences=False)): never public anyway.
    if "experience" in fields and getattr(profile, "experience_list", None):
        entries = tuple((words.name(held.area), words.relations[held.relation]) for held in profile.experience_list)
        facts.append(Fact(labels["experience"], entries=entries))
    for field, items in [
        ("task_types", profile.task_list),
        ("languages", profile.language_list),
        ("municipalities", profile.municipality_list),
    ]:
        if field in fields and items:
            facts.append(Fact(labels[field], ", ".join(words.name(item) for item in items)))
    if "work_mode" in fields:
        facts.append(Fact(labels["work_mode"], profile.work_mode_label()))
    if "organisation" in fields and profile.organisation:
        facts.append(Fact(labels["organisation"], profile.organisation.name))
    bio = ""
    if "bio" in fields and profile.bio:
        # A slice, not Truncator (~60 µs a card): the cut falls between words where it can.
        bio = profile.bio if len(profile.bio) <= BIO_EXCERPT else excerpt(profile.bio, BIO_EXCERPT)
    found = []
    if text_query is not None:
        shown = [str(fact.text) or " ".join(name for name, _whose in fact.entries) for fact in facts]
        found = text_query.explain([*shown, bio and profile.bio])
    return Card(profile, fields, facts, bio, found, action(profile) if action else "", words.url(profile))


def excerpt(text: str, length: int) -> str:
    """The start of `text` in at most `length` characters with "…", cut at a space where one is near."""
    cut = text[: length - 1]
    space = cut.rfind(" ")
    if space > length * 0.7:
        cut = cut[:space]
    return cut.rstrip(" ,.;:") + "…"


def paginate(
    request,
    profiles,
    level: str | None,
    paginator=Paginator,
    text_query: TextQuery | None = None,
    action: Callable | None = None,
) -> dict:
    """A page of result cards (Card: the profile, the fields `level` may see, what is shown of them,
    the words that matched `text_query`, the `action` of another app) and the page links."""
    page = paginator(profiles, PAGE_SIZE).get_page(request.GET.get("page"))
    words = CardWords()
    # An action may read what its cards need for the whole page at once (search_actions.py).
    prepare = getattr(action, "prepare", None)
    if prepare is not None:
        prepare(list(page))
    return {
        "page": page,
        "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1),
        "cards": [card(profile, profile.visible_fields(level), text_query, action, words) for profile in page],
    }
