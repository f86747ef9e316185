"""What feedback can be collected on. feedback imports none of the apps whose sessions it collects
feedback on; each registers its model here in AppConfig.ready() (bookings: an assignment; trainings: a
session; hearings: a workshop), saying who may read the results and when the session is."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import models


@dataclass(frozen=True)
class TargetKind:
    model: type[models.Model]
    # The targets whose results `user` may read besides the rounds they own: the coordinators of an
    # assignment, the trainers of a session, the experts who ran it. Never other experts.
    readable_by: Callable[[Any], models.QuerySet]
    # The targets on which `user` may start a round and type in paper answers (besides admins).
    manageable_by: Callable[[Any], models.QuerySet]
    # The session's start and end: a round opens at the end by default.
    times: Callable[[models.Model], tuple[datetime, datetime]]
    # Participants with contact details who agreed to get the link: (email, language) pairs.
    participants: Callable[[models.Model], Iterable[tuple[str, str]]] = lambda target: ()


_kinds: dict[type[models.Model], TargetKind] = {}


def register(kind: TargetKind) -> TargetKind:
    _kinds[kind.model] = kind
    return kind


def kind_of(model_or_object) -> TargetKind | None:
    model = model_or_object if isinstance(model_or_object, type) else type(model_or_object)
    return _kinds.get(model._meta.concrete_model)


def registered_models() -> list[type[models.Model]]:
    return list(_kinds)
