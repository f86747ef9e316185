"""The expert bank's vocabulary: who may see a detail, a profile's status, training, whose
experience, and the tokens of the search's facet column."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Visibility(models.TextChoices):
    """Who may see one profile field. Ordered: each level includes the ones before it."""

    COORDINATORS = "coordinators", _("Coordinators only")
    STAFF = "staff", _("All staff")
    PUBLIC = "public", _("Public")


VISIBILITY_ORDER = [Visibility.COORDINATORS, Visibility.STAFF, Visibility.PUBLIC]
# Level -> its place in VISIBILITY_ORDER. (Visibility.values builds a new list on every access, and a
# search page asks for the visibility of ~300 fields.)
VISIBILITY_RANK = {level.value: rank for rank, level in enumerate(VISIBILITY_ORDER)}

# The fields whose visibility the expert chooses. The display name is shown to whoever may see the
# profile at all; everything here defaults to coordinators only.
VISIBLE_FIELDS: dict[str, str] = {
    "photo": _("Photo"),
    "bio": _("Introduction"),
    "experience": _("Experience areas"),
    "topics_not_discussed": _("Topics I will not speak about"),
    "task_types": _("Tasks I offer"),
    "languages": _("Languages"),
    "municipalities": _("Municipalities"),
    "work_mode": _("Remote or in person"),
    "training": _("Training"),
    "organisation": _("Organisation"),
    "accessibility_needs": _("My accessibility and assistance needs"),
}
# Health-related details may never be public (GDPR art. 9): the form does not offer "public" for them.
NEVER_PUBLIC = frozenset({"experience", "topics_not_discussed", "accessibility_needs"})


class ProfileStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    PAUSED = "paused", _("Paused")
    LEFT = "left", _("Left")


class TrainingLevel(models.TextChoices):
    TRAINED = "trained", _("Trained experience expert")
    ACTIVIST = "activist", _("Experience contributor")
    DEVELOPER_CLIENT = "developer_client", _("Developer client")


class Relation(models.TextChoices):
    OWN = "own", _("Own experience")
    CLOSE_ONE = "close_one", _("As a close one")


def facet(kind: str, *values) -> str:
    """One token of ExpertProfile.facets: "task:3", "area:5", "area:5:own", "relation:own", "weekday:0".
    services.refresh_facets() writes the same tokens in SQL."""
    return ":".join([kind, *map(str, values)])
