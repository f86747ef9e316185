"""The expert bank: profiles that experts keep themselves, with per-field visibility and consent."""

import calendar
from datetime import date

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


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


class ExpertProfileQuerySet(models.QuerySet):
    def listed(self):
        """Profiles that may appear in search: consented to the current text and not left."""
        current = ConsentText.current()
        if current is None:
            return self.none()
        return self.filter(consent_version=current.version).exclude(status=ProfileStatus.LEFT)

    def bookable(self, on: date | None = None):
        on = on or timezone.localdate()
        return self.listed().filter(
            Q(status=ProfileStatus.ACTIVE) | Q(status=ProfileStatus.PAUSED, paused_until__lt=on)
        )

    def available_on(self, day: date):
        """Bookable on `day`: the weekly pattern has that weekday, no blocked period covers it, and
        the monthly cap is not reached (counted by the booking app through `assignments_in_month`)."""
        slots = WeeklyAvailability.objects.filter(profile=OuterRef("pk"), weekday=day.weekday())
        blocked = BlockedPeriod.objects.filter(profile=OuterRef("pk"), start__lte=day, end__gte=day)
        return self.bookable(on=day).filter(Exists(slots)).exclude(Exists(blocked))

    def public(self):
        return self.listed().filter(status=ProfileStatus.ACTIVE, is_public=True)


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
            models.Index(fields=["consent_version", "status"], name="expert_listed"),
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

    def visibility_of(self, field: str) -> str:
        level = self.visibility.get(field, Visibility.COORDINATORS)
        if field in NEVER_PUBLIC and level == Visibility.PUBLIC:
            return Visibility.STAFF
        return level if level in Visibility.values else Visibility.COORDINATORS

    def visible_fields(self, level: str | None) -> set[str]:
        """The fields a viewer with `level` sees (None: nothing but the display name)."""
        if level is None:
            return set()
        rank = VISIBILITY_ORDER.index(level)
        return {field for field in VISIBLE_FIELDS if VISIBILITY_ORDER.index(self.visibility_of(field)) >= rank}

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


def month_bounds(day: date) -> tuple[date, date]:
    return day.replace(day=1), day.replace(day=calendar.monthrange(day.year, day.month)[1])
