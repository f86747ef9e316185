"""The expert bank: profiles that experts keep themselves, with per-field visibility and consent."""

import functools
import re
from datetime import date, timedelta
from typing import NamedTuple

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.contrib.postgres.search import SearchQuery, SearchVectorField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import connection, models
from django.db.models import Case, Count, Exists, F, OuterRef, Prefetch, Q, Subquery, Value, When
from django.db.models.functions import Lower, Now
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from ..text_search import WEBSEARCH_SYNTAX, allowed_edits, edit_distance, search_terms


class Taxonomy(models.Model):
    """An admin-kept list (experience areas, task types, ...). `name` is translated (fi/sv/en)."""

    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("identifier"), max_length=60, unique=True, allow_unicode=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    is_active = models.BooleanField(_("in use"), default=True)

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
    ACTIVIST = "activist", _("Experience activist")
    DEVELOPER_CLIENT = "developer_client", _("Developer client")


class Relation(models.TextChoices):
    OWN = "own", _("Own experience")
    CLOSE_ONE = "close_one", _("As a close one")


def facet(kind: str, *values) -> str:
    """One token of ExpertProfile.facets: "task:3", "area:5", "area:5:own", "relation:own", "weekday:0".
    services.refresh_facets() writes the same tokens in SQL."""
    return ":".join([kind, *map(str, values)])


class ConsentText(models.Model):
    """The versioned text of the consent to process health-related data (GDPR art. 9).

    Publishing a new version asks every expert again: a profile is listed only while its consent
    is for the newest published version.
    """

    version = models.PositiveIntegerField(_("version"), unique=True)
    text = models.TextField(_("text"))
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    class Meta:
        verbose_name = _("consent text")
        verbose_name_plural = _("consent texts")
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"v{self.version}"

    @classmethod
    def current(cls) -> "ConsentText | None":
        return cls.objects.filter(published_at__lte=timezone.now()).order_by("-version").first()


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
    lists: dict[str, list[Taxonomy]] = {kind: [] for kind in TAXONOMIES}
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
        for kind, *values in cursor.fetchall():
            lists[kind].append(TAXONOMIES[kind].from_db(connection.alias, columns, values))
    return lists


# A word is read as a misspelt list label when pg_trgm finds the label near it (a cheap, generous
# shortlist) and one of the label's words is at most this many edits away (the actual judgement):
# "skitsofernia" is one swap from "skitsofrenia", while "vertaistukiryhmä" is a real word, not a typo
# of "vertaisryhmä".
LABEL_SHORTLIST_SIMILARITY = 0.3


def label_corrections(words: list[str]) -> dict[str, set[str]]:
    """{word: the words of list labels (any language) that the word is a misspelling of}.

    The lists are short (tens of rows): one query shortlists labels by trigram word similarity to
    any of the words, and the edit distance decides.
    """
    if not words:
        return {}
    columns = [f"name_{code}" for code, _name in settings.LANGUAGES]
    near: dict[str, set[str]] = {}
    with connection.cursor() as cursor:
        cursor.execute(_label_shortlist_sql(tuple(columns)), [list(words), LABEL_SHORTLIST_SIMILARITY])
        for word, *names in cursor.fetchall():
            labels = " ".join(filter(None, names)).lower()
            near.setdefault(word, set()).update(re.findall(r"[^\W_]+", labels))
    corrections = {}
    for word, label_words in near.items():
        # A word that is itself in a label is spelt right ("lahti"), even if another one is near ("lahtis").
        close = {label_word for label_word in label_words if edit_distance(word, label_word) <= allowed_edits(word)}
        if close and word not in label_words:
            corrections[word] = close
    return corrections


@functools.cache
def _label_shortlist_sql(columns: tuple[str, ...]) -> str:
    """Every list's labels near any of the words (pg_trgm word similarity in any language), as one
    statement written once: the same query built with the ORM, a union of five annotated querysets,
    took ~10 ms of Python per search to compile, for ~1 ms in the database."""
    tables = [model._meta.db_table for model in (ExperienceArea, TaskType, Language, Municipality, Organisation)]
    names = ", ".join(f'"{column}"' for column in columns)
    labels = " UNION ALL ".join(f'SELECT {names} FROM "{table}"' for table in tables)  # noqa: S608
    closeness = ", ".join(f'word_similarity(words.word, labels."{column}")' for column in columns)
    picked = ", ".join(f'labels."{column}"' for column in columns)
    # Table and column names come from the models and settings.LANGUAGES; the words are parameters.
    return (
        f"SELECT words.word, {picked} FROM unnest(%s::text[]) AS words(word) "  # noqa: S608
        f"CROSS JOIN ({labels}) AS labels WHERE GREATEST({closeness}) >= %s"
    )


class TextQuery:
    """A coordinator's free text: which profiles it matches (`match`) and how well (`tiers`).

    The text matches as a Finnish websearch query ("quotes", or, -not), or when each of its words
    matches in one of three ways, each answered by a GIN index:
    - as the start of a word, stemmed: "masennus" finds "masennusryhmää";
    - inside the lower-case text (trigram index): "syöpä" finds "rintasyöpään", where the Finnish
      compound puts it last;
    - as a misspelt word of a list label (label_corrections): "skitsofernia" finds "Skitsofrenia",
      in any of the three languages.
    Trigram word similarity against each profile's whole text (`search_text %> word`) would catch
    typos in introductions too, but costs ~60 µs a row in the index recheck: 2.9 s for "masennus"
    at 50,000 profiles (make bench).

    Fit comes in tiers, best first: profiles whose name or lists (experience areas, tasks,
    languages, municipalities, organisation) hold every word, then the other matches (`tiers`
    lists each tier's condition including the better tiers: SearchResults). Within a tier
    fair rotation decides (ExpertProfileQuerySet.ranked). Tiers rather than ts_rank: ranking by a
    computed score reads every match (half of 50,000 profiles for "masennus", ~100 ms), while a tier
    is one more condition on the rotation-ordered index scan, which stops after a page.
    """

    def __init__(self, text: str):
        self.text = text.strip()
        words, excluded = search_terms(self.text)
        self.match = Q(search_document=SearchQuery(self.text, config="finnish", search_type="websearch"))
        self.tiers = [Q()]
        # Part of the match that the full-text index alone answers (SearchResults.count).
        self.probe: Q | None = None
        # With websearch syntax the websearch query above decides alone and all its matches fit alike.
        if not words or WEBSEARCH_SYNTAX.search(self.text):
            return
        corrections = label_corrections(words)
        each_word, in_full_text, in_heading = [], [], []
        for word in words:
            # `word` is letters and digits only, so it is safe in to_tsquery's syntax.
            terms = SearchQuery(f"{word}:*", config="finnish", search_type="raw")
            for label_word in sorted(corrections.get(word, ())):
                terms |= SearchQuery(label_word, config="finnish")
            each_word.append(Q(search_document=terms) | Q(search_text__contains=word))
            in_full_text.append(Q(search_document=terms))
            in_heading.append(Q(heading_document=terms))
        not_excluded = [~Q(search_document=SearchQuery(word, config="finnish")) for word in excluded]
        self.match = Q(*each_word, *not_excluded)
        self.tiers = [Q(*in_heading), Q()]
        self.probe = Q(*in_full_text, *not_excluded)


class SearchResults:
    """The ranked matches of a search, in pages: what Paginator needs (count() and slicing).

    `count()` reads at most `cap + 1` matches, in ranked order: past the cap, the exact number helps
    nobody choose. When the matches are within the cap, that one query has also found every page's
    ids. A broader search reads each page's ids tier by tier instead: an indexed scan in ranked
    order that stops at the page's end. Then the page's rows come with their lists (attach_facet_lists).
    """

    ordered = True  # for Paginator's check

    def __init__(
        self, queryset, text_query: "TextQuery | None" = None, *, cap: int | None = None, lists=None, probe=None
    ):
        self.queryset = queryset
        self.tiers = text_query.tiers if text_query else [Q()]
        self.probe = probe  # some of the matches, cheaper to count: ExpertFilter.count_probe
        self.cap = cap
        self.lists = lists  # taxonomy_lists(), if the caller has them already
        self.matches: list[int] | None = None  # every match's id in ranked order, if within the cap

    def count(self) -> int:
        if self.cap is None:
            return self.queryset.count()
        if self.probe is not None:
            # A broad word: the full-text index alone finds more than the cap, and the substring
            # match, the slowest part to read (a trigram index or a check per row), is not needed.
            # "vertaistukiryhmä" at 50,000: ~30 ms for the whole match, ~6 ms for this (make bench).
            if self.probe.order_by()[: self.cap + 1].count() > self.cap:
                return self.cap + 1
        # The inner LIMIT without ORDER BY lets the database stop at the cap; the outer ORDER BY then
        # sorts at most cap + 1 rows. Ranked order: the first tier that holds, then ranked().
        better = [When(tier, then=Value(n)) for n, tier in enumerate(self.tiers[:-1])]
        fit = Case(*better, default=Value(len(better))) if better else Value(0)
        rows = self.queryset.order_by().annotate(fit=fit, name=Lower("display_name"))
        rows = rows.values_list("pk", "fit", "recent_assignments", "name")[: self.cap + 1]
        sql, params = rows.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT * FROM ({sql}) matches ORDER BY 2, 3, 4, 1", params)  # noqa: S608 - the ORM's SQL
            ids = [row[0] for row in cursor.fetchall()]
        if len(ids) <= self.cap:
            self.matches = ids
        return len(ids)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, item):
        if not isinstance(item, slice) or item.step not in (None, 1):
            raise TypeError("SearchResults supports only slices")
        start, stop = item.start or 0, item.stop
        ids = self.matches[start:stop] if self.matches is not None else self.ranked_ids(start, stop)
        if not ids:
            return []
        rows = self.queryset.model.objects.filter(pk__in=ids).defer(*SEARCH_COLUMNS).select_related("organisation")
        by_pk = {profile.pk: profile for profile in rows}
        return attach_facet_lists([by_pk[pk] for pk in ids if pk in by_pk], self.lists or taxonomy_lists())

    def ranked_ids(self, start: int, stop: int | None) -> list[int]:
        # Each tier holds the ones before it (the last is every match), so that each is one plain
        # condition whose row count the planner estimates well. "Not in a better tier" is correlated
        # with the match: the planner overestimates it and scans the whole rotation index looking
        # for rows that are not there (370 ms for "skitsofernia" at 50,000 profiles).
        # A tier is read only while the slice is not yet full; the better tiers then held fewer rows
        # than `stop`, all of them in `ids`, so `stop + len(ids)` rows of the next one are enough.
        ids: list[int] = []
        for tier in self.tiers:
            if stop is not None and len(ids) >= stop:
                break
            rows = self.queryset.filter(tier).ranked().values_list("pk", flat=True)
            seen = set(ids)
            ids += [pk for pk in (rows if stop is None else rows[: stop + len(ids)]) if pk not in seen]
        return ids[start:stop]


class HeldExperience(NamedTuple):
    """A search card's experience entry: what the card reads of a ProfileExperience, without one."""

    area: ExperienceArea
    relation: str

    def get_relation_display(self) -> str:
        return Relation(self.relation).label


# Large columns that only WHERE and ORDER BY need.
SEARCH_COLUMNS = ("search_document", "search_text", "heading_document")


def attach_facet_lists(profiles: list["ExpertProfile"], lists: dict[str, list[Taxonomy]]) -> list["ExpertProfile"]:
    """Give search result cards what for_list()'s prefetches give other pages (`experience_list`,
    `task_list`, `language_list`, `municipality_list`), read from the profiles' facets (the very data
    the search matched) and `lists` (taxonomy_lists()). No query: a prefetch made a model instance
    of each of ~200 list entries on 25 cards, half of a search page's time (make bench)."""
    kinds = {
        "area": "experience_list",
        "task": "task_list",
        "language": "language_list",
        "municipality": "municipality_list",
    }
    for profile in profiles:
        held: dict[str, dict[int, str]] = {kind: {} for kind in kinds}
        for token in profile.facets:
            kind, value, *relation = token.split(":")
            # An area's entry is the one with the relation ("area:5:own"); "area:5" is for the facet.
            if kind in kinds and (kind != "area" or relation):
                held[kind][int(value)] = relation[0] if relation else ""
        for kind, attribute in kinds.items():
            mine = held[kind]
            items = [item for item in lists[kind] if item.pk in mine]
            if kind == "area":
                items = [HeldExperience(area, mine[area.pk]) for area in items]
            setattr(profile, attribute, items)
    return profiles


class ExpertProfileQuerySet(models.QuerySet):
    def listed(self):
        """Profiles that may appear in search: consented to the current text and not left."""
        # A subquery rather than ConsentText.current(): one round trip less on every search.
        current = ConsentText.objects.filter(published_at__lte=Now()).order_by("-version").values("version")[:1]
        return self.filter(consent_version=Subquery(current)).exclude(status=ProfileStatus.LEFT)

    def bookable(self, on: date | None = None):
        return self.listed().filter(self.bookable_q(on))

    @staticmethod
    def bookable_q(on: date | None = None) -> Q:
        """The status condition of bookable(): active, or paused until a day before `on`."""
        on = on or timezone.localdate()
        return Q(status=ProfileStatus.ACTIVE) | Q(status=ProfileStatus.PAUSED, paused_until__lt=on)

    def available_on(self, day: date):
        """Bookable on `day`: the weekly pattern has that weekday, no blocked period covers it, and
        the monthly cap is not reached by the month's confirmed or completed bookings."""
        return self.bookable(on=day).free_on(day)

    def free_on(self, day: date):
        """available_on() without the listing and status conditions, for a queryset that has them
        (the search's): each costs a query to build and a check per row to run."""
        from .booking import HOLDING, Booking

        blocked = BlockedPeriod.objects.filter(profile=OuterRef("pk"), start__lte=day, end__gte=day)
        month_start = day.replace(day=1)
        month_end = (month_start + timedelta(days=32)).replace(day=1)
        # The experts whose month is full: a few rows of the month's bookings, read once (a hashed
        # subplan) rather than counted for every candidate.
        full = (
            Booking.objects.filter(
                status__in=HOLDING,
                expert__monthly_cap__isnull=False,
                assignment__starts_at__date__gte=month_start,
                assignment__starts_at__date__lt=month_end,
            )
            .values("expert")
            .annotate(total=Count("pk"))
            .filter(total__gte=F("expert__monthly_cap"))
            .values("expert")
        )
        # The weekday is a facet (one GIN index answers it with the other facets); blocked periods
        # are rare, checked per candidate.
        weekday = Q(facets__contains=[facet("weekday", day.weekday())])
        return self.filter(weekday).exclude(pk__in=full).exclude(Exists(blocked))

    def public(self):
        return self.listed().filter(status=ProfileStatus.ACTIVE, is_public=True)

    # --- Coordinators' search, the profile page and the public directory (views/search.py).

    def visible_to(self, level: str | None):
        """The profiles a viewer at `level` (services.viewer_level) may open: listed ones for staff,
        only public ones at the public level, none without a level."""
        if level in (Visibility.COORDINATORS, Visibility.STAFF):
            return self.listed()
        if level == Visibility.PUBLIC:
            return self.public()
        return self.none()

    def search(self, text: str):
        """Profiles matching the free `text` (TextQuery); search_results() ranks them."""
        return self.filter(TextQuery(text).match)

    def ranked(self):
        """Fewest recent assignments first (fair rotation), then by name: the order within one fit
        tier, and the order of every search without text. The index expert_rotation serves it, so a
        broad search stops reading after a page of matches instead of sorting all of them."""
        return self.order_by("recent_assignments", Lower("display_name"), "pk")

    def for_list(self, *, experiences: bool = True):
        """The fetch shape of result cards: five queries however many profiles, the related rows in
        `experience_list`, `task_list`, `language_list` and `municipality_list`. The public directory
        passes experiences=False: health-related details are never public, so they are not even read."""
        # Plain lists (to_attr): a prefetch into `.all()` builds a manager queryset per profile and
        # relation, which was 40 % of a search page's Python time at 25 cards (make bench).
        related = [
            Prefetch("task_types", queryset=TaskType.objects.all(), to_attr="task_list"),
            Prefetch("languages", queryset=Language.objects.all(), to_attr="language_list"),
            Prefetch("municipalities", queryset=Municipality.objects.all(), to_attr="municipality_list"),
        ]
        if experiences:
            rows = ProfileExperience.objects.select_related("area").order_by("area__order", "area__name")
            related.insert(0, Prefetch("experiences", queryset=rows, to_attr="experience_list"))
        return self.defer(*SEARCH_COLUMNS).select_related("organisation").prefetch_related(*related)

    def for_detail(self, level: str):
        """The profile page for a viewer at `level`: the card's data (experiences only for staff), the
        weekly pattern only for coordinators, and the user whom the audit row names."""
        queryset = self.for_list(experiences=level != Visibility.PUBLIC).select_related("user")
        return queryset.prefetch_related("weekly_slots") if level == Visibility.COORDINATORS else queryset


class ExpertProfile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="expert_profile", verbose_name=_("user")
    )
    display_name = models.CharField(_("name shown"), max_length=80, help_text=_("A first name or an alias is enough."))
    photo = models.ImageField(_("photo"), upload_to="experts/photos/", blank=True)
    bio = models.TextField(_("introduction"), max_length=2000, blank=True)
    topics_not_discussed = models.TextField(_("topics I will not speak about"), max_length=1000, blank=True)
    task_types = models.ManyToManyField(TaskType, blank=True, verbose_name=_("tasks I offer"))
    languages = models.ManyToManyField(Language, blank=True, verbose_name=_("languages"))
    municipalities = models.ManyToManyField(Municipality, blank=True, verbose_name=_("municipalities"))
    remote_ok = models.BooleanField(_("remote assignments"), default=False)
    in_person_ok = models.BooleanField(_("in-person assignments"), default=True)
    training_level = models.CharField(
        _("training level"), max_length=20, choices=TrainingLevel.choices, default=TrainingLevel.ACTIVIST
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("organisation")
    )
    accessibility_needs = models.TextField(
        _("my accessibility and assistance needs"),
        max_length=1000,
        blank=True,
        help_text=_("For example an interpreter, an escort or a quiet room."),
    )
    status = models.CharField(_("status"), max_length=10, choices=ProfileStatus.choices, default=ProfileStatus.ACTIVE)
    paused_until = models.DateField(_("paused until"), null=True, blank=True)
    monthly_cap = models.PositiveSmallIntegerField(
        _("assignments per month at most"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    # A pension's earnings limit, say: the expert's page and every booking compare fees against it.
    monthly_earnings_limit = models.DecimalField(
        _("my monthly earnings limit (€)"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("For example a disability pension's limit. Only you and the coordinators see it."),
    )
    yearly_earnings_limit = models.DecimalField(
        _("my yearly earnings limit (€)"),
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    visibility = models.JSONField(_("visibility"), default=dict, blank=True)
    is_public = models.BooleanField(
        _("show in the public directory"),
        default=False,
        help_text=_("Only the details you have marked public are shown, and only if the county has the directory."),
    )
    consent_version = models.PositiveIntegerField(_("consent version"), null=True, blank=True, editable=False)
    # The guided first-time form saves each step; the profile is complete after the last one.
    onboarding_step = models.PositiveSmallIntegerField(default=0, editable=False)
    # Maintained by services.refresh_search_document(): Finnish full text, and plain lower-case text for
    # trigram similarity (compound words and typos).
    search_document = SearchVectorField(null=True, editable=False)
    search_text = models.TextField(blank=True, editable=False)
    # The name and list labels alone: a match here fits better (TextQuery.tiers).
    heading_document = SearchVectorField(null=True, editable=False)
    # What the search's facets ask of the related rows, as tokens (`facet()`): experience areas with
    # and without the relation, tasks, languages, municipalities, weekdays of the weekly pattern.
    # One GIN index answers every facet at once; EXISTS subqueries over five tables cost ~40 ms at
    # 50,000 profiles (make bench). Kept by services.refresh_search_document().
    facets = ArrayField(models.CharField(max_length=40), default=list, blank=True, editable=False)
    # Assignments in the last 90 days, kept by the booking app: fewer come first (fair rotation).
    recent_assignments = models.PositiveIntegerField(_("assignments in the last 90 days"), default=0, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ExpertProfileQuerySet.as_manager()

    class Meta:
        verbose_name = _("expert profile")
        verbose_name_plural = _("expert profiles")
        ordering = [Lower("display_name")]
        indexes = [
            GinIndex(fields=["search_document"], name="expert_search_document"),
            GinIndex(OpClass("search_text", name="gin_trgm_ops"), name="expert_search_trgm"),
            # Results and lists are ordered by name: without this the planner sorts every match.
            models.Index(Lower("display_name"), name="expert_name_lower"),
            GinIndex(fields=["heading_document"], name="expert_heading_document"),
            # Search results: fewest recent assignments, then by name (ExpertProfileQuerySet.ranked).
            models.Index(F("recent_assignments"), Lower("display_name"), F("id"), name="expert_rotation"),
            GinIndex(fields=["facets"], name="expert_facets"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(remote_ok=True) | Q(in_person_ok=True), name="expert_remote_or_in_person"
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    def get_absolute_url(self) -> str:
        return reverse("experts:detail", args=[self.pk])

    def work_mode_label(self) -> str:
        """Remote, in person or both, as the profile pages and the result cards say it."""
        if self.remote_ok and self.in_person_ok:
            return _("Remote and in person")
        return _("Remote only") if self.remote_ok else _("In person only")

    def visibility_of(self, field: str) -> str:
        level = self.visibility.get(field, Visibility.COORDINATORS)
        if field in NEVER_PUBLIC and level == Visibility.PUBLIC:
            return Visibility.STAFF
        return level if level in VISIBILITY_RANK else Visibility.COORDINATORS

    def visible_fields(self, level: str | None) -> set[str]:
        """The fields a viewer with `level` sees (None: nothing but the display name)."""
        if level is None:
            return set()
        rank = VISIBILITY_RANK[level]
        return {field for field in VISIBLE_FIELDS if VISIBILITY_RANK[self.visibility_of(field)] >= rank}

    def is_bookable(self, on: date | None = None) -> bool:
        on = on or timezone.localdate()
        if self.status == ProfileStatus.LEFT:
            return False
        return self.status == ProfileStatus.ACTIVE or (self.paused_until is not None and self.paused_until < on)


class ProfileExperience(models.Model):
    profile = models.ForeignKey(ExpertProfile, on_delete=models.CASCADE, related_name="experiences")
    area = models.ForeignKey(ExperienceArea, on_delete=models.PROTECT, verbose_name=_("experience area"))
    relation = models.CharField(_("whose experience"), max_length=10, choices=Relation.choices, default=Relation.OWN)

    class Meta:
        verbose_name = _("experience")
        verbose_name_plural = _("experiences")
        constraints = [models.UniqueConstraint(fields=["profile", "area"], name="expert_one_experience_per_area")]

    def __str__(self) -> str:
        return f"{self.area} ({self.get_relation_display()})"


class Consent(models.Model):
    """One consent given (and maybe withdrawn): the history the county must be able to show."""

    profile = models.ForeignKey(ExpertProfile, on_delete=models.CASCADE, related_name="consents")
    text = models.ForeignKey(ConsentText, on_delete=models.PROTECT, verbose_name=_("consent text"))
    given_at = models.DateTimeField(_("given"), default=timezone.now)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-given_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "text"], condition=Q(withdrawn_at__isnull=True), name="expert_one_open_consent"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.profile} – {self.text}"


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class WeeklyAvailability(models.Model):
    profile = models.ForeignKey(ExpertProfile, on_delete=models.CASCADE, related_name="weekly_slots")
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    start = models.TimeField(_("from"))
    end = models.TimeField(_("until"))

    class Meta:
        verbose_name = _("weekly availability")
        verbose_name_plural = _("weekly availability")
        ordering = ["weekday", "start"]
        constraints = [models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="expert_slot_ends_after")]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.start:%H.%M}–{self.end:%H.%M}"


class BlockedPeriod(models.Model):
    profile = models.ForeignKey(ExpertProfile, on_delete=models.CASCADE, related_name="blocked_periods")
    start = models.DateField(_("from"))
    end = models.DateField(_("until"))
    note = models.CharField(_("note (only you see it)"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("blocked period")
        verbose_name_plural = _("blocked periods")
        ordering = ["start"]
        constraints = [models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="expert_block_ends_after")]

    def __str__(self) -> str:
        return f"{self.start}–{self.end}"
