"""What another app adds to the coordinators' search page, without the expert bank importing it.

The search finds experts; booking them is the bookings app's (which `experts` must not import: the
layers in pyproject.toml). bookings registers a provider in its AppConfig.ready(). Given the request,
a provider returns context for the page, in which it may name templates that the search includes:
`search_banner` (above the conditions) and `search_hidden` (hidden inputs kept with the conditions),
and give `card_action`: a function of a card's expert that returns the card's action as safe HTML
(format_html). A function rather than a template included on each card: 25 includes of a template with
a URL, a translation and a CSRF token cost ~5 ms a page (make bench). The function may carry a
`prepare` attribute: a function of the page's profiles, called once before the cards, so that what the
cards need of other tables (the experts' weekly hours) is read in one query rather than one a card.
"""

from collections.abc import Callable

from django.http import HttpRequest

SearchActionProvider = Callable[[HttpRequest], dict]

_providers: list[SearchActionProvider] = []


def register_search_action_provider(provider: SearchActionProvider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def search_action_context(request: HttpRequest) -> dict:
    context: dict = {}
    for provider in _providers:
        context.update(provider(request))
    return context
