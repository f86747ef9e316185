"""What another app adds to the coordinators' view of an expert's profile, without the bank importing it.

The profile page (views/search.py, expert_detail) is the expert bank's; the expert's bookings, their
contact details for staff and the "Book" button are the bookings app's, which `experts` must not
import (the layers in pyproject.toml). bookings registers a provider in its AppConfig.ready(): a
function of the request and the profile that returns a panel, a dict whose `template` the profile page
includes with the rest of the dict as `panel`, or None for nothing. A panel that shows personal data
names it in `audit_fields`: the page's one audit row lists them with the profile's fields. The page
asks the providers only for coordinators (viewer level "coordinators").
"""

from collections.abc import Callable

from django.http import HttpRequest

ProfilePanelProvider = Callable[[HttpRequest, object], dict | None]

_providers: list[ProfilePanelProvider] = []


def register_profile_panel_provider(provider: ProfilePanelProvider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def profile_panels(request: HttpRequest, profile) -> list[dict]:
    """The panels of the registered providers for this profile, in the order they registered."""
    return [panel for provider in _providers if (panel := provider(request, profile))]
