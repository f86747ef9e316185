"""The expert bank's models: the admin-kept lists (taxonomies.py), the vocabulary of visibility and
status (choices.py), consent (consent.py), availability (availability.py), the free-text search
(search.py) and the profiles themselves (profiles.py)."""

from .availability import BlockedPeriod, Weekday, WeeklyAvailability
from .choices import (
    NEVER_PUBLIC,
    VISIBILITY_ORDER,
    VISIBLE_FIELDS,
    ProfileStatus,
    Relation,
    TrainingLevel,
    Visibility,
    facet,
)
from .consent import Consent, ConsentText
from .profiles import (
    CompletedTraining,
    CompletedTrainingSource,
    ExpertProfile,
    ExpertProfileQuerySet,
    ProfileExperience,
)
from .search import (
    LABEL_SHORTLIST_SIMILARITY,
    PART_MARK,
    SearchResults,
    SearchWord,
    Synonyms,
    TextQuery,
    corrections,
    label_corrections,
)
from .taxonomies import (
    TAXONOMIES,
    ExperienceArea,
    Language,
    Municipality,
    Organisation,
    TaskType,
    Taxonomy,
    taxonomy_lists,
)

__all__ = [
    "LABEL_SHORTLIST_SIMILARITY", "NEVER_PUBLIC", "PART_MARK", "TAXONOMIES", "VISIBILITY_ORDER", "VISIBLE_FIELDS",
    "BlockedPeriod", "CompletedTraining", "CompletedTrainingSource", "Consent", "ConsentText",
    "ExperienceArea", "ExpertProfile", "ExpertProfileQuerySet",
    "Language", "Municipality", "Organisation", "ProfileExperience", "ProfileStatus", "Relation",
    "SearchResults", "SearchWord", "Synonyms", "TaskType", "Taxonomy", "TextQuery", "TrainingLevel",
    "Visibility", "Weekday", "WeeklyAvailability", "corrections", "facet", "label_corrections", "taxonomy_lists",
]  # fmt: skip
