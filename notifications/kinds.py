"""The registry of notification kinds.

notifications knows nothing of the apps that use it: each app registers its kinds in its
AppConfig.ready() and then calls services.schedule_notification() with one of them.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise


@dataclass(frozen=True)
class Kind:
    code: str  # "app.what", e.g. "experts.assignment_reminder_2d"; part of the unique key
    label: str | Promise  # shown on the preferences page
    template: str  # templates/<template>_subject.txt, _body.txt, _body.html
    transactional: bool = False  # messages the law lets us send without consent: no opt-out, no unsubscribe
    calendar: bool = False  # attach an .ics built from the target's calendar_event()
    # Offered by text message too, to those who choose it (services.channels_for), with the short
    # text of templates/<template>_sms.txt, or the subject and the link when there is none.
    sms: bool = False
    # Asked of the target when the message is due: a reason not to send after all ("enough answers
    # came"), or "". Lets an app schedule a conditional reminder at a known time.
    skip_reason: Callable[[object], str] | None = None


_kinds: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    existing = _kinds.get(kind.code)
    if existing is not None and existing != kind:
        raise ValueError(f"notification kind {kind.code!r} is registered twice with different settings")
    _kinds[kind.code] = kind
    return kind


def get(code: str) -> Kind:
    return _kinds[code]


def all_kinds() -> list[Kind]:
    return sorted(_kinds.values(), key=lambda kind: kind.code)


def optional_kinds() -> list[Kind]:
    return [kind for kind in all_kinds() if not kind.transactional]


def sms_kinds() -> list[Kind]:
    return [kind for kind in all_kinds() if kind.sms]
