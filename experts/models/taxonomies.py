"""The admin-kept lists a profile picks from: experience areas, tasks, languages, municipalities,
organisations (names in fi/sv/en through modeltranslation)."""

from django.conf import settings
from django.db import connection, models
from django.utils import translation
from django.utils.translation import gettext_lazy as _


class Taxonomy(models.Model):
    """An admin-kept list (experience areas, task types, ...). `name` is translated (fi/sv/en)."""

    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("identifier"), max_length=60, unique=True, allow_unicode=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    is_active = models.BooleanField(_("in use"), default=True)
    related_words = models.TextField(
        _("words that also find it"),
        blank=True,
        help_text=_(
            "Synonyms and related words in any language, separated by commas or lines, for example "
            '"masentunut, depressio, nedstämdhet". A search for any of them, or for the name, finds '
            "profiles that use any of the others."
        ),
    )

    class Meta:
        abstract = True
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class ExperienceArea(Taxonomy):
    class Meta(Taxonomy.Meta):
        verbose_name = _("experience area")
        verbose_name_plural = _("experience areas")


class TaskType(Taxonomy):
    class Meta(Taxonomy.Meta):
        verbose_name = _("task type")
        verbose_name_plural = _("task types")


class Language(Taxonomy):
    class Meta(Taxonomy.Meta):
        verbose_name = _("language")
        verbose_name_plural = _("languages")


class Municipality(Taxonomy):
    class Meta(Taxonomy.Meta):
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")


class Organisation(Taxonomy):
    class Meta(Taxonomy.Meta):
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")


# The admin-kept lists by the kind of their tokens in ExpertProfile.facets (and the search's URL names).
TAXONOMIES: dict[str, type[Taxonomy]] = {
    "area": ExperienceArea,
    "task": TaskType,
    "language": Language,
    "municipality": Municipality,
    "organisation": Organisation,
}


def taxonomy_lists() -> dict[str, list[Taxonomy]]:
    """Every admin-kept list, each in its own order (`order`, then the name in the active language):
    one query for tens of rows. The search reads them once a request for its form's choices and
    its cards' labels, instead of a query per facet to check the choices, one per facet to show
    them and one per kind of label on the cards."""
    columns = [field.column for field in ExperienceArea._meta.concrete_fields]
    fallback = f"name_{settings.LANGUAGE_CODE}"
    name = f"name_{translation.get_language()}"
    name = name if name in columns else fallback
    quoted = ", ".join(f'"{column}"' for column in columns)
    # Table and column names come from the models and settings; there are no parameters.
    selects = " UNION ALL ".join(
        f"SELECT '{kind}', {quoted} FROM \"{model._meta.db_table}\""  # noqa: S608
        for kind, model in TAXONOMIES.items()
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT * FROM ({selects}) AS lists(kind, {quoted}) "  # noqa: S608
            f'ORDER BY kind, "order", COALESCE(NULLIF("{name}", \'\'), "{fallback}")'
        )
        rows = cursor.fetchall()
    # The rows are read on every call (an edit in admin shows at once, in every process); the items
    # are made anew only when the rows differ from the last call's in this language: making ~90
    # model instances was ~2.5 ms of every search (make bench). Callers only read them.
    last = _last_lists.get(name)
    if last is not None and last[0] == rows:
        return last[1]
    lists: dict[str, list[Taxonomy]] = {kind: [] for kind in TAXONOMIES}
    for kind, *values in rows:
        lists[kind].append(TAXONOMIES[kind].from_db(connection.alias, columns, values))
    _last_lists[name] = (rows, lists)
    return lists


# taxonomy_lists()'s last rows and items, per ordering language.
_last_lists: dict[str, tuple[list[tuple], dict[str, list[Taxonomy]]]] = {}
