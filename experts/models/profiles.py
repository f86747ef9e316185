"""The expert bank: profiles that experts keep themselves, with per-field visibility and consent."""

from datetime import date, datetime, time

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, F, OuterRef, Prefetch, Q
from django.db.models.expressions import RawSQL
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .. import workload
from .availability import BlockedPeriod, weekly_hours_cover
from .choices import (
    NEVER_PUBLIC,
    VISIBILITY_RANK,
    VISIBLE_FIELDS,
    ProfileStatus,
    Relation,
    TrainingLevel,
    Visibility,
    facet,
)
from .consent import ConsentText
from .search import SEARCH_COLUMNS, TextQuery
from .taxonomies import ExperienceArea, Language, Municipality, Organisation, TaskType


def consent_versions(now=None) -> tuple[RawSQL, RawSQL, RawSQL]:
    """(current version, the version before it while the current one's grace period runs, the grace
    deadline) as scalar subqueries. They do not refer to the outer query, so PostgreSQL runs each once
    per statement (an InitPlan), not per profile: rather than ConsentText.current(), one round trip
    less on every search. `now` for a frozen moment (tests, the to-do list); the database's otherwise.

    Only the version just before the current one has a grace period: older ones were already given
    theirs when that version was published. Raw SQL because the search builds several statements a
    page: as ORM expressions (Case, When, a nested Subquery) they took ~1.3 ms more to build each, and
    the search's median went from 12.2 to 15.1 ms (facets only, 5,000 bench profiles, old and new
    interleaved 40 times); as raw SQL it went from 16.1 to 17.2 ms (free text 17.6 to 18.7, facets +
    text + date 16.9 to 17.1) on the same machine under other load; the free-text searches still walk
    the expert_rotation index (make bench)."""
    table = ConsentText._meta.db_table
    clock, params = ("STATEMENT_TIMESTAMP()", []) if now is None else ("%s", [now])
    newest = f'FROM "{table}" c WHERE c.published_at <= {clock} ORDER BY c.version DESC LIMIT 1'  # noqa: S608
    deadline = "c.published_at + c.grace_days * INTERVAL '1 day'"
    before = (
        f'SELECT p.version FROM "{table}" p WHERE p.published_at <= {clock} AND p.version < c.version '  # noqa: S608
        "ORDER BY p.version DESC LIMIT 1"
    )
    # The SQL is this function's own text and the model's table name; the moment is a parameter.
    return (
        RawSQL(f"SELECT c.version {newest}", params, output_field=models.IntegerField()),  # noqa: S611
        RawSQL(  # noqa: S611
            f"SELECT CASE WHEN {deadline} > {clock} THEN ({before}) END {newest}",
            params * 3,
            output_field=models.IntegerField(),
        ),
        RawSQL(f"SELECT {deadline} {newest}", params, output_field=models.DateTimeField()),  # noqa: S611
    )


class ExpertProfileQuerySet(models.QuerySet):
    def consented(self, now=None):
        """Consented to the current text, or to the one before it during the current one's grace period
        (ConsentText.grace_days), and not left: the profiles staff may open, onboarded or not. After the
        grace deadline the renewal was not given falls out by itself: no job needs to run."""
        current, previous, _deadline = consent_versions(now)
        return self.filter(Q(consent_version=current) | Q(consent_version=previous)).exclude(status=ProfileStatus.LEFT)

    def consent_expiring(self, now=None):
        """Profiles listed only by the grace period: consented to the previous text while the current
        one's grace period runs, each with `consent_expires_at`, the moment they are delisted unless they
        consent again (the coordinators' to-do list)."""
        _current, previous, deadline = consent_versions(now)
        return (
            self.filter(consent_version=previous)
            .exclude(status=ProfileStatus.LEFT)
            .annotate(consent_expires_at=deadline)
        )

    def listed(self):
        """Profiles that may appear in search and be booked: consented() and marked ready to be booked
        by a coordinator (trainings/onboarding.py). One more column condition on the same rows: the
        search's plans and index use do not change (EXPLAIN at 5,000 bench profiles)."""
        return self.consented().filter(ready_at__isnull=False)

    def onboarding(self):
        """New experts whose onboarding is not done: not ready to be booked, and not left."""
        return self.filter(ready_at__isnull=True).exclude(status=ProfileStatus.LEFT)

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
        blocked = BlockedPeriod.objects.filter(profile=OuterRef("pk"), start__lte=day, end__gte=day)
        # The weekday is a facet (one GIN index answers it with the other facets); blocked periods
        # are rare, checked per candidate; the experts whose month is full come from the apps that
        # give them work (workload.py), each a subquery read once rather than per candidate.
        profiles = self.filter(Q(facets__contains=[facet("weekday", day.weekday())])).exclude(Exists(blocked))
        for full in workload.full_month_profiles(day):
            profiles = profiles.exclude(pk__in=full)
        return profiles

    def free_at(self, day: date, start: time, end: time):
        """free_on(`day`) from `start` until `end` that day: the weekly slots on its weekday cover the
        time (slots that touch count as one), and no assignment takes it already (the apps that give
        experts work tell which: workload.py). Only the search with a time range asks this, so the
        search without one keeps its plan."""
        profiles = self.free_on(day).filter(weekly_hours_cover(day.weekday(), start, end))
        starts, ends = (timezone.make_aware(datetime.combine(day, clock)) for clock in (start, end))
        for busy in workload.busy_profiles(starts, ends):
            profiles = profiles.exclude(pk__in=busy)
        return profiles

    def public(self):
        return self.listed().filter(status=ProfileStatus.ACTIVE, is_public=True)

    # --- Coordinators' search, the profile page and the public directory (views/search.py).

    def visible_to(self, level: str | None):
        """The profiles a viewer at `level` (services.viewer_level) may open: consented ones for staff
        (also those still onboarding, whose page says so), only public ones at the public level, none
        without a level."""
        if level in (Visibility.COORDINATORS, Visibility.STAFF):
            return self.consented()
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
        _("training as an experience expert"),
        max_length=20,
        choices=TrainingLevel.choices,
        default=TrainingLevel.ACTIVIST,
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
    paused_until = models.DateField(_("last day of the pause"), null=True, blank=True)
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
    # Set by a coordinator when the expert's onboarding is done (trainings/onboarding.py): until then
    # the profile is not offered in search nor bookable. Profiles older than onboarding were marked
    # ready by migration 0012.
    ready_at = models.DateTimeField(_("ready to be booked"), null=True, blank=True, editable=False)
    ready_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    # Where training_level comes from: the expert's own word, or a completed training's record
    # (trainings), which the expert cannot change.
    training_level_source = models.CharField(
        _("training level from"),
        max_length=8,
        choices=[("self", _("self-reported")), ("record", _("training records"))],
        default="self",
        editable=False,
    )
    # The guided first-time form saves each step; the profile is complete after the last one.
    onboarding_step = models.PositiveSmallIntegerField(default=0, editable=False)
    # Maintained by services.refresh_search_document(): Finnish full text, and plain lower-case text for
    # trigram similarity (compound words and typos). All three are kept in the row, not in the TOAST
    # table (STORAGE MAIN, migration 0009): every profile a search reads, reads them.
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


class CompletedTrainingSource(models.TextChoices):
    RECORD = "record", _("training records")
    SELF = "self", _("self-reported")


class CompletedTraining(models.Model):
    """A training the expert has completed: written by `trainings` when a participant completes a
    cohort (source "record"), or told by the expert themselves (source "self", shown as such)."""

    profile = models.ForeignKey(ExpertProfile, on_delete=models.CASCADE, related_name="completed_trainings")
    title = models.CharField(_("training"), max_length=200)
    provider = models.CharField(_("organiser"), max_length=200, blank=True)
    completed_on = models.DateField(_("completed"), null=True, blank=True)
    source = models.CharField(
        _("source"), max_length=8, choices=CompletedTrainingSource.choices, default=CompletedTrainingSource.SELF
    )
    # The record it came from ("trainings.participant:12"): writing it twice changes nothing.
    record_key = models.CharField(max_length=60, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("completed training")
        verbose_name_plural = _("completed trainings")
        ordering = ["-completed_on", "title", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "record_key"], condition=~Q(record_key=""), name="completed_training_record_once"
            ),
        ]

    def __str__(self) -> str:
        return self.title
