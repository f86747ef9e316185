"""Trainings: programmes (the curriculum), cohorts (runs of a programme), their sessions, attendance,
costs and completion; the onboarding checklist of new experts; the staff toolkit's guides.

A cohort's expert trainers are booked and paid through `bookings/` (an assignment whose purpose is
the session), so their fees land in the same payroll export; feedback on a session is a `feedback/`
round whose target is the session (registered in apps.py).
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from experts.models import ExpertProfile, Municipality, Organisation, TrainingLevel


class Programme(models.Model):
    """A curriculum, e.g. "Kasvava kokemusasiantuntijuus". Texts in fi/sv/en (translation.py)."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), max_length=80, unique=True)
    summary = models.TextField(_("summary"), max_length=2000, blank=True)
    # One goal or requirement a line: the programme page lists them.
    learning_goals = models.TextField(_("learning goals"), max_length=4000, blank=True, help_text=_("One a line."))
    competence_requirements = models.TextField(
        _("competence requirements"), max_length=4000, blank=True, help_text=_("One a line.")
    )
    feedback_template = models.ForeignKey(
        "feedback.FormTemplate",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("feedback form of its sessions"),
    )
    # Completion rule: the share of sessions attended (excused absences do not count as attended),
    # and every module marked required attended at least once.
    completion_attendance = models.PositiveSmallIntegerField(
        _("attendance needed to complete (%)"),
        default=80,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    # What completing it makes a participant in the expert bank.
    training_level = models.CharField(
        _("completing gives the training level"),
        max_length=20,
        choices=TrainingLevel.choices,
        default=TrainingLevel.TRAINED,
    )
    is_active = models.BooleanField(_("in use"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("training programme")
        verbose_name_plural = _("training programmes")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("trainings:programme_detail", args=[self.slug])

    def goal_lines(self) -> list[str]:
        return [line.strip() for line in self.learning_goals.splitlines() if line.strip()]

    def requirement_lines(self) -> list[str]:
        return [line.strip() for line in self.competence_requirements.splitlines() if line.strip()]


class Module(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="modules")
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    name = models.CharField(_("name"), max_length=200)
    goals = models.TextField(_("contents and goals"), max_length=4000, blank=True)
    hours = models.DecimalField(
        _("hours"), max_digits=5, decimal_places=1, default=Decimal("3.0"), validators=[MinValueValidator(0)]
    )
    is_required = models.BooleanField(_("required for completion"), default=True)

    class Meta:
        verbose_name = _("module")
        verbose_name_plural = _("modules")
        ordering = ["programme", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["programme", "order"], name="module_order_unique")]

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"


def material_path(material: "Material", filename: str) -> str:
    # A random name: the file's own name is kept in `filename` and given back on download; the
    # storage path reveals nothing and cannot be guessed.
    from uuid import uuid4

    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"trainings/materials/{uuid4().hex}.{suffix}"


class Material(models.Model):
    """A file or a link of a programme (optionally of one module). Files are served only to the
    people of the programme's cohorts (views check it), never from MEDIA_URL."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="materials")
    module = models.ForeignKey(
        Module, on_delete=models.SET_NULL, null=True, blank=True, related_name="materials", verbose_name=_("module")
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=material_path, blank=True)
    filename = models.CharField(_("file name"), max_length=200, blank=True, editable=False)
    content_type = models.CharField(max_length=100, blank=True, editable=False)
    size = models.PositiveIntegerField(_("size (bytes)"), default=0, editable=False)
    url = models.URLField(_("link"), blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    added_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        verbose_name = _("material")
        verbose_name_plural = _("materials")
        ordering = ["module__order", "title", "pk"]
        constraints = [
            # A file or a link, not both and not neither.
            models.CheckConstraint(
                condition=(Q(file="") & ~Q(url="")) | (~Q(file="") & Q(url="")), name="material_file_or_link"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class CohortStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    RUNNING = "running", _("Running")
    FINISHED = "finished", _("Finished")
    CANCELLED = "cancelled", _("Cancelled")


class CohortQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Coordinators (manage_trainings) see every cohort; a trainer sees the cohorts they train or
        train a session of; anyone else none."""
        if not user.is_authenticated:
            return self.none()
        if user.has_perm("accounts.manage_trainings"):
            return self
        if user.has_perm("accounts.run_trainings"):
            return self.filter(Q(trainers=user) | Q(sessions__trainers=user)).distinct()
        return self.none()

    def manageable_by(self, user):
        """Cohorts whose participants, sessions and costs `user` may change: coordinators all; a
        cohort's own trainers theirs (a session's trainer only takes its attendance)."""
        if not user.is_authenticated:
            return self.none()
        if user.has_perm("accounts.manage_trainings"):
            return self
        if user.has_perm("accounts.run_trainings"):
            return self.filter(trainers=user)
        return self.none()

    def for_index(self):
        """The front page's cohorts: running first, then planned, then the rest; with the programme
        and the count of current participants."""
        order = models.Case(
            models.When(status=CohortStatus.RUNNING, then=0),
            models.When(status=CohortStatus.PLANNED, then=1),
            default=2,
        )
        return (
            self.select_related("programme")
            .annotate(
                participant_count=models.Count(
                    "participants", filter=Q(participants__removed_at__isnull=True), distinct=True
                ),
                status_order=order,
            )
            .order_by("status_order", "-starts_on", "pk")
        )


class Cohort(models.Model):
    """A run of a programme, e.g. the Pälkäne pilot."""

    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="cohorts", verbose_name=_("programme")
    )
    name = models.CharField(_("name"), max_length=200)
    place = models.CharField(_("place"), max_length=300, blank=True)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("municipality")
    )
    partners = models.ManyToManyField(
        Organisation, blank=True, related_name="+", verbose_name=_("partner organisations")
    )
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"))
    status = models.CharField(_("status"), max_length=10, choices=CohortStatus.choices, default=CohortStatus.PLANNED)
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="coordinated_cohorts",
        verbose_name=_("responsible coordinator"),
    )
    # Staff or expert trainers of the whole cohort; each session has its own trainers as well.
    trainers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="trained_cohorts", verbose_name=_("trainers")
    )
    # The feedback rounds of its sessions together, for the trend page (session_feedback.py).
    feedback_series = models.ForeignKey(
        "feedback.Series", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = CohortQuerySet.as_manager()

    class Meta:
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        ordering = ["-starts_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="cohort_ends_after_start"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("trainings:cohort_detail", args=[self.pk])


class ParticipantQuerySet(models.QuerySet):
    def current(self):
        """Participants not removed from the cohort."""
        return self.filter(removed_at__isnull=True)


class Participant(models.Model):
    """A person taking part in a cohort. Staff add them by name and contact details; many have no
    account yet (they get one when they are invited into the bank after completing)."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="participants")
    name = models.CharField(_("name"), max_length=150)
    email = models.EmailField(_("email address"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default="fi")
    # Reminders and feedback links go only to those who agreed to be contacted.
    contact_consent = models.BooleanField(_("agreed to be contacted by email or text message"), default=False)
    contact_consent_at = models.DateTimeField(null=True, blank=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="training_participations",
        verbose_name=_("account"),
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    added_at = models.DateTimeField(_("added"), auto_now_add=True)
    # Removed, not deleted: attendance already taken stays for the cohort's figures and the audit.
    removed_at = models.DateTimeField(_("removed"), null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    removal_note = models.CharField(_("reason for removal"), max_length=300, blank=True)
    completed_on = models.DateField(_("completed"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The certificate's number, given when completion is recorded: "KK-2026-0007".
    certificate_number = models.CharField(_("certificate number"), max_length=30, blank=True)
    # The invitation into the expert bank (accounts.Invitation), once offered.
    bank_invitation = models.ForeignKey(
        "accounts.Invitation", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    expert_profile = models.ForeignKey(
        ExpertProfile, on_delete=models.SET_NULL, null=True, blank=True, related_name="training_participations"
    )

    objects = ParticipantQuerySet.as_manager()

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["cohort", "name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "certificate_number"],
                condition=~Q(certificate_number=""),
                name="participant_certificate_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class TrainingSessionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Sessions of the cohorts `user` sees."""
        return self.filter(cohort__in=Cohort.objects.visible_to(user).values("pk"))

    def attendance_takers(self, user):
        """Sessions whose attendance `user` may take: coordinators any; a trainer those they train
        and those of the cohorts they train."""
        if not user.is_authenticated:
            return self.none()
        if user.has_perm("accounts.manage_trainings"):
            return self
        if user.has_perm("accounts.run_trainings"):
            return self.filter(Q(trainers=user) | Q(cohort__trainers=user)).distinct()
        return self.none()

    def mine(self, user):
        """The sessions `user` trains or whose cohort they train or coordinate (the front page)."""
        return self.filter(Q(trainers=user) | Q(cohort__trainers=user) | Q(cohort__coordinator=user)).distinct()

    def attendance_missing(self, now=None):
        """Past sessions, not cancelled, where a current participant has no attendance row yet."""
        marked = Attendance.objects.filter(
            participant=models.OuterRef("pk"), session=models.OuterRef(models.OuterRef("pk"))
        )
        unmarked = Participant.objects.current().filter(cohort=models.OuterRef("cohort")).filter(~models.Exists(marked))
        return self.filter(cancelled=False, ends_at__lte=now or timezone.now()).filter(models.Exists(unmarked))

    def for_list(self):
        return self.select_related("cohort", "module")


class TrainingSession(models.Model):
    """One meeting of a cohort (valmennuskerta)."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="sessions")
    module = models.ForeignKey(
        Module, on_delete=models.SET_NULL, null=True, blank=True, related_name="sessions", verbose_name=_("module")
    )
    title = models.CharField(_("title"), max_length=200, blank=True, help_text=_("The module's name if empty."))
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=300, blank=True)
    trainers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="trained_sessions", verbose_name=_("trainers")
    )
    cancelled = models.BooleanField(_("cancelled"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = TrainingSessionQuerySet.as_manager()

    class Meta:
        verbose_name = pgettext_lazy("training", "session")
        verbose_name_plural = pgettext_lazy("training", "sessions")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="training_session_ends_after_start"
            ),
        ]
        indexes = [models.Index(fields=["starts_at"], name="training_session_starts")]

    def __str__(self) -> str:
        return self.title or (self.module.name if self.module_id else str(self.cohort))

    def get_absolute_url(self) -> str:
        return reverse("trainings:session_detail", args=[self.pk])

    @property
    def name(self) -> str:
        return str(self)

    def is_past(self) -> bool:
        return self.ends_at <= timezone.now()


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    ABSENT = "absent", _("Absent")
    EXCUSED = "excused", _("Excused")


class Attendance(models.Model):
    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="attendance")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="attendance")
    status = models.CharField(_("attendance"), max_length=8, choices=AttendanceStatus.choices)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    marked_at = models.DateTimeField(_("marked"), default=timezone.now)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["session", "participant"], name="attendance_once_per_session"),
        ]

    def __str__(self) -> str:
        return f"{self.participant}: {self.get_status_display()}"


class AttendanceChange(models.Model):
    """A correction of attendance after the session's day: who, when, from what to what."""

    attendance = models.ForeignKey(Attendance, on_delete=models.CASCADE, related_name="changes")
    old_status = models.CharField(max_length=8, choices=AttendanceStatus.choices, blank=True)
    new_status = models.CharField(max_length=8, choices=AttendanceStatus.choices)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    changed_at = models.DateTimeField(default=timezone.now)
    reason = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("attendance correction")
        verbose_name_plural = _("attendance corrections")
        ordering = ["-changed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.old_status or '-'} → {self.new_status}"


class CostKind(models.TextChoices):
    FACILITIES = "facilities", _("Facilities")
    MATERIALS = "materials", _("Materials")
    TRAVEL = "travel", _("Travel")
    CATERING = "catering", _("Catering")
    OTHER = "other", _("Other")


class Cost(models.Model):
    """A cohort's cost other than its expert trainers' fees (those come from bookings)."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="costs")
    kind = models.CharField(_("kind"), max_length=12, choices=CostKind.choices)
    amount = models.DecimalField(
        _("amount (€)"), max_digits=9, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    incurred_on = models.DateField(_("date"), default=timezone.localdate)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("cost")
        verbose_name_plural = _("costs")
        ordering = ["incurred_on", "pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gte=0), name="cost_not_negative")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount} €"


class OnboardingStep(models.Model):
    """An item of the admin-kept onboarding checklist of new experts (fi/sv/en)."""

    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    # Days from the expert's joining (the profile's creation) until the step is overdue.
    due_days = models.PositiveSmallIntegerField(_("due in days from joining"), default=30)
    required = models.BooleanField(
        _("required before booking"), default=True, help_text=_("Must be done before the expert is ready to be booked.")
    )
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("onboarding step")
        verbose_name_plural = _("onboarding steps")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.name


class OnboardingItem(models.Model):
    """One expert's progress on one step."""

    profile = models.ForeignKey(ExpertProfile, on_delete=models.CASCADE, related_name="onboarding_items")
    step = models.ForeignKey(OnboardingStep, on_delete=models.PROTECT, related_name="items")
    done_on = models.DateField(_("done"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("onboarding item")
        verbose_name_plural = _("onboarding items")
        constraints = [models.UniqueConstraint(fields=["profile", "step"], name="onboarding_item_once")]

    def __str__(self) -> str:
        return f"{self.profile}: {self.step}"


class GuideQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)


class Guide(models.Model):
    """A page of the staff toolkit, e.g. "how to run a client panel". The body is HTML sanitised on
    save (nh3); texts in fi/sv/en (translation.py)."""

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("short name"), max_length=80, unique=True)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    body = models.TextField(_("text"), max_length=50_000)
    is_published = models.BooleanField(_("published"), default=True)
    # Lemmatised words of the title, summary and body in every language (kokemuspankki.text), for
    # the toolkit's search; kept by the save().
    search_words = models.TextField(blank=True, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = GuideQuerySet.as_manager()

    class Meta:
        verbose_name = _("guide")
        verbose_name_plural = _("guides")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        # Every save, wherever it comes from (admin, seed, shell): the body is shown as HTML.
        from .guides import prepare_guide

        prepare_guide(self)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_words"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("trainings:guide_detail", args=[self.slug])
