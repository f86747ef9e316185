"""What the apps that give experts work tell the expert bank, without the bank importing them.

The search's "available on a date" leaves out experts whose month is already full (their monthly
cap). Only the app that books them knows that, and `experts` must not import `bookings` (the layers
in pyproject.toml's import-linter contract), so `bookings` registers a provider here in its
AppConfig.ready(): a function of the day that returns a queryset of the profile ids whose month of
that day is full. The search excludes each as a subquery, which the database reads once (a hashed
subplan) rather than once per candidate.
"""

from collections.abc import Callable
from datetime import date, datetime

from django.db.models import QuerySet

FullMonthProvider = Callable[[date], QuerySet]
# With a time range on the date: the ids of profiles whose time is already taken then (an assignment).
BusyProvider = Callable[[datetime, datetime], QuerySet]

_full_month_providers: list[FullMonthProvider] = []
_busy_providers: list[BusyProvider] = []


def register_full_month_provider(provider: FullMonthProvider) -> None:
    if provider not in _full_month_providers:
        _full_month_providers.append(provider)


def full_month_profiles(day: date) -> list[QuerySet]:
    """One queryset of profile ids per registered provider: the experts whose month of `day` is full."""
    return [provider(day) for provider in _full_month_providers]


def register_busy_provider(provider: BusyProvider) -> None:
    if provider not in _busy_providers:
        _busy_providers.append(provider)


def busy_profiles(starts: datetime, ends: datetime) -> list[QuerySet]:
    """One queryset of profile ids per registered provider: the experts already busy between the two moments."""
    return [provider(starts, ends) for provider in _busy_providers]
