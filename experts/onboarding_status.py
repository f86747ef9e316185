"""What the onboarding checklist tells the expert bank about an expert not yet ready to be booked.

A coordinator marks a new expert "ready to be booked" (ExpertProfile.ready_at) after the onboarding
steps that the trainings app keeps; until then the expert is not offered in search. The expert's own
page says how far the onboarding is, but `experts` must not import `trainings` (the layers in
pyproject.toml's import-linter contract), so `trainings` registers a provider here in its
AppConfig.ready(): a function of the profile that returns an OnboardingStatus, or None when it has
nothing to say. Without a provider the page says only that the profile waits for onboarding.
"""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class OnboardingStep:
    name: str
    done: bool


@dataclass(frozen=True)
class OnboardingStatus:
    steps: list[OnboardingStep] = field(default_factory=list)

    @property
    def done(self) -> int:
        return sum(1 for step in self.steps if step.done)

    @property
    def total(self) -> int:
        return len(self.steps)


OnboardingStatusProvider = Callable[[object], OnboardingStatus | None]

_providers: list[OnboardingStatusProvider] = []


def register_onboarding_status_provider(provider: OnboardingStatusProvider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def onboarding_status(profile) -> OnboardingStatus | None:
    """The first registered provider's answer for `profile`, or None when none answers."""
    for provider in _providers:
        status = provider(profile)
        if status is not None:
            return status
    return None
