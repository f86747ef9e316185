"""Booking experts: assignments, the experts invited to them, fees, expenses and private follow-up.

An Assignment is the work a coordinator orders (a lecture, a reception shift). It may say what it is
for (`purpose`: a training session, a hearing workshop; nothing for a plain order), so that trainings
and hearings book experts through this one chain. Each expert asked or volunteering gets a Booking
row, whose status is the state machine of services.py. A
confirmed or completed booking holds the expert's time: an exclusion constraint (btree_gist) makes
two overlapping ones for the same expert impossible, whatever the application does.
"""

from datetime import datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateTimeRangeField, RangeOperators
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from experts.models import ExpertProfile, Language, Municipality, TaskType, Weekday
from notifications.calendar import CalendarEvent

from .money import format_money

CENTS = Decimal("0.01")


class TariffKind(models.TextChoices):
    HOURLY = "hourly", _("Per hour")
    MEETING = "meeting", _("Per meeting")
    LECTURE = "lecture", _("Per lecture")
    TRAVEL_KM = "travel_km", _("Travel per kilometre")
    MEAL = "meal", _("Meal")


FEE_KINDS = (TariffKind.HOURLY, TariffKind.MEETING, TariffKind.LECTURE)


class Tariff(models.Model):
    """An admin-kept price: a fee basis chosen on the assignment, or the price of an expense."""

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=12, choices=TariffKind.choices)
    amount = models.DecimalField(
        _("amount (€)"), max_digits=8, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    is_active = models.BooleanField(_("in use"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        verbose_name = _("tariff")
        verbose_name_plural = _("tariffs")
        ordering = ["order", "name"]
        constraints = [models.CheckConstraint(condition=Q(amount__gte=0), name="tariff_amount_not_negative")]

    def __str__(self) -> str:
        return f"{self.name} ({format_money(self.amount)})"  # in the reader's language: 25,00 €

    def fee_for(self, hours: Decimal) -> Decimal:
        """The fee of one assignment at this tariff: hours × the hourly price, or the price itself."""
        if self.kind == TariffKind.HOURLY:
            return (self.amount * hours).quantize(CENTS, ROUND_HALF_UP)
        return self.amount


class AssignmentStatus(models.TextChoices):
    OPEN = "open", _("Looking for experts")
    FILLED = "filled", _("Booked")
    DONE = "done", _("Done")
    # An assignment is called off (sv inställt), a booking cancelled (sv avbokad): two words in Swedish.
    CANCELLED = "cancelled", pgettext_lazy("assignment status", "Cancelled")


class CancelReason(models.TextChoices):
    ILLNESS = "illness", _("Illness or wellbeing")
    SCHEDULE = "schedule", _("Schedule conflict")
    NOT_NEEDED = "not_needed", _("The assignment is no longer needed")
    MOVED = "moved", _("The assignment was moved")
    OTHER = "other", _("Other reason")


def month_of(day) -> tuple:
    """The first day of `day`'s month and of the next."""
    start = day.replace(day=1)
    return start, (start + timedelta(days=32)).replace(day=1)


class AssignmentSeries(models.Model):
    """A recurring assignment: "every Wednesday 12–16 at Lahti health centre until 31.5." Each date is
    an Assignment of its own (series.py creates them); a change or a cancellation applies to one date
    or to that date and the rest of the series."""

    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    start_time = models.TimeField(_("from"))
    end_time = models.TimeField(_("until"))
    first_date = models.DateField(_("first date"))
    last_date = models.DateField(_("last date"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("recurring assignment")
        verbose_name_plural = _("recurring assignments")
        constraints = [
            models.CheckConstraint(condition=Q(end_time__gt=models.F("start_time")), name="series_ends_after_start"),
            models.CheckConstraint(condition=Q(last_date__gte=models.F("first_date")), name="series_last_after_first"),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.start_time:%H.%M}–{self.end_time:%H.%M}"


class AssignmentQuerySet(models.QuerySet):
    def for_purpose(self, purpose):
        """The assignments that say they are for `purpose` (a training session, a hearing workshop)."""
        return self.filter(purpose_type=ContentType.objects.get_for_model(purpose), purpose_id=purpose.pk)

    def for_list(self):
        """The coordinator's list of a month's assignments, each with its experts."""
        return self.select_related("task_type", "contact_person", "tariff").prefetch_related(
            Prefetch("bookings", queryset=Booking.objects.select_related("expert").order_by("pk"))
        )

    def for_detail(self):
        """The coordinator's page of one assignment; its bookings come from BookingQuerySet.for_detail_rows()."""
        return self.select_related(
            "task_type", "contact_person", "tariff", "created_by", "municipality", "language", "series"
        )

    def in_month(self, day):
        start, end = month_of(day)
        return self.filter(starts_at__date__gte=start, starts_at__date__lt=end)

    def starting_between(self, first_day, end_day):
        """The assignments that start on `first_day` or later but before `end_day`, by the county's
        clock (a week or a month of the calendar); a range on starts_at, so its index serves."""
        zone = timezone.get_default_timezone()
        return self.filter(
            starts_at__gte=datetime.combine(first_day, time.min, tzinfo=zone),
            starts_at__lt=datetime.combine(end_day, time.min, tzinfo=zone),
        )

    def for_roster(self):
        """The printable roster of a week: the assignments that take place, each with its contact
        person and only the experts who are booked (confirmed or completed), in `booked`."""
        booked = Booking.objects.holding().select_related("expert").order_by("expert__display_name", "pk")
        return (
            self.exclude(status=AssignmentStatus.CANCELLED)
            .select_related("task_type", "contact_person")
            .prefetch_related(Prefetch("bookings", queryset=booked, to_attr="booked"))
        )

    def offered_to(self, profile):
        """Assignments open to every expert who offers their task type: the ones `profile` may volunteer for."""
        return self.filter(open_to_all=True, task_type__in=profile.task_types.all())

    def to_volunteer_for(self, profile, now):
        """The cards of "My assignments": offered to `profile`, still looking for experts, not begun,
        and not already theirs (invited, volunteered or declined), the soonest first."""
        on_it = Booking.objects.filter(assignment=OuterRef("pk"), expert=profile)
        return (
            self.offered_to(profile)
            .filter(status=AssignmentStatus.OPEN, starts_at__gt=now)
            .exclude(Exists(on_it))
            .select_related("task_type", "tariff")
            .order_by("starts_at", "pk")
        )


class Assignment(models.Model):
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=4000, blank=True)
    task_type = models.ForeignKey(TaskType, on_delete=models.PROTECT, verbose_name=_("task"))
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    address = models.CharField(_("address"), max_length=300, blank=True)
    venue_accessibility = models.TextField(
        _("accessibility of the venue"),
        max_length=1000,
        blank=True,
        help_text=_("Step-free access, lift, accessible toilet, induction loop, quiet room…"),
    )
    arrival_info = models.TextField(_("how to get there"), max_length=1000, blank=True)
    remote_link = models.URLField(_("remote meeting link"), blank=True)
    unit = models.CharField(
        _("ordering unit"),
        max_length=200,
        help_text=_("The unit that orders and pays, e.g. Psychiatric outpatient clinic."),
    )
    contact_person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("contact person")
    )
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    tariff = models.ForeignKey(
        Tariff,
        on_delete=models.PROTECT,
        verbose_name=_("fee"),
        limit_choices_to={"kind__in": FEE_KINDS, "is_active": True},
    )
    arrangements = models.TextField(
        _("arrangements for the expert"),
        max_length=1000,
        blank=True,
        help_text=_("How the expert's needs are met: interpreter, escort, breaks, a quiet room."),
    )
    experts_needed = models.PositiveSmallIntegerField(
        _("experts needed"), default=1, validators=[MinValueValidator(1), MaxValueValidator(20)]
    )
    open_to_all = models.BooleanField(
        _("open to all matching experts"),
        default=False,
        help_text=_("Active experts who offer this task see the assignment and may volunteer."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=AssignmentStatus.choices, default=AssignmentStatus.OPEN
    )
    cancel_reason = models.CharField(_("reason"), max_length=12, choices=CancelReason.choices, blank=True)
    cancel_note = models.CharField(_("more about the reason"), max_length=500, blank=True)
    # What the assignment is for, if anything: a training session, a hearing's workshop or client
    # panel. Those apps sit above this one (they import bookings, never the other way), so the link
    # is generic; for_purpose() finds an object's assignments and services.create_assignment sets it.
    purpose_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )
    purpose_id = models.PositiveBigIntegerField(null=True, blank=True, editable=False)
    purpose = GenericForeignKey("purpose_type", "purpose_id")
    # Where and in which language, for "open to all matching" (matching.py): experts who offer the
    # task, work in the municipality (or remotely, for a remote assignment) and speak the language.
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("municipality")
    )
    language = models.ForeignKey(
        Language, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("language")
    )
    series = models.ForeignKey(
        AssignmentSeries,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assignments",
        verbose_name=_("recurring assignment"),
        editable=False,
    )
    # Entered after it happened (a gig arranged by phone): created done, with its completed booking.
    recorded_afterwards = models.BooleanField(_("recorded afterwards"), default=False, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="assignment_ends_after_start"),
            models.CheckConstraint(
                condition=Q(purpose_type__isnull=True, purpose_id__isnull=True)
                | Q(purpose_type__isnull=False, purpose_id__isnull=False),
                name="assignment_purpose_whole",
            ),
        ]
        indexes = [
            models.Index(fields=["starts_at"], name="assignment_starts"),
            models.Index(fields=["purpose_type", "purpose_id"], name="assignment_purpose"),
            models.Index(fields=["series", "starts_at"], name="assignment_series"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("bookings:assignment_detail", args=[self.pk])

    @property
    def hours(self) -> Decimal:
        seconds = Decimal((self.ends_at - self.starts_at).total_seconds())
        return (seconds / 3600).quantize(CENTS, ROUND_HALF_UP)

    def expected_fee(self) -> Decimal:
        return self.tariff.fee_for(self.hours)

    @property
    def place(self) -> str:
        return self.address or (str(_("Remote")) if self.remote_link else "")


class BookingStatus(models.TextChoices):
    INVITED = "invited", _("Invited")
    ACCEPTED = "accepted", pgettext_lazy("booking status", "Accepted")
    DECLINED = "declined", _("Declined")
    CONFIRMED = "confirmed", _("Confirmed")
    NOT_CHOSEN = "not_chosen", _("Filled by someone else")
    CANCELLED = "cancelled", pgettext_lazy("booking status", "Cancelled")
    COMPLETED = "completed", _("Completed")
    NOT_COMPLETED = "not_completed", _("Not completed")


# The bookings that hold the expert's time and count as assignments (cap, rotation, earnings).
HOLDING = (BookingStatus.CONFIRMED, BookingStatus.COMPLETED)
# Still waiting for the expert or the coordinator.
PENDING = (BookingStatus.INVITED, BookingStatus.ACCEPTED)


class NotCompletedReason(models.TextChoices):
    NO_SHOW = "no_show", _("The expert did not come")
    ILLNESS = "illness", _("Illness")
    VENUE = "venue", _("A problem with the venue or the arrangements")
    OTHER = "other", _("Other reason")


class BookingQuerySet(models.QuerySet):
    def holding(self):
        return self.filter(status__in=HOLDING)

    def pending(self):
        return self.filter(status__in=PENDING)

    def of_expert(self, profile):
        return self.filter(expert=profile)

    def in_month(self, day):
        """Bookings whose assignment starts in `day`'s month (local time)."""
        start, end = month_of(day)
        return self.filter(assignment__starts_at__date__gte=start, assignment__starts_at__date__lt=end)

    def full_month_experts(self, day):
        """The ids of experts whose monthly cap `day`'s month already reaches: a few rows of the
        month's bookings, for the search's "available on a date" (experts/workload.py)."""
        return (
            self.holding()
            .in_month(day)
            .filter(expert__monthly_cap__isnull=False)
            .order_by()
            .values("expert")
            .annotate(total=models.Count("pk"))
            .filter(total__gte=models.F("expert__monthly_cap"))
            .values("expert")
        )

    def for_expert_list(self):
        """The expert's "My assignments": their bookings (of_expert()) by the assignment's time."""
        return self.select_related("assignment__task_type", "assignment__tariff").order_by(
            "assignment__starts_at", "pk"
        )

    def for_expert_page(self):
        """One booking on the expert's own page, with what it shows of the assignment."""
        return self.select_related("assignment__task_type", "assignment__contact_person", "assignment__tariff")

    def for_detail_rows(self):
        """The bookings table of the coordinator's assignment page: the expert, the check-in, the
        expense lines and the private feedback of each."""
        return (
            self.select_related("expert", "check_in")
            .prefetch_related("expense_lines", "private_feedback")
            .order_by("pk")
        )

    def for_action(self):
        """A booking that a coordinator's action (confirm, cancel, complete) changes and names."""
        return self.select_related("assignment__tariff", "expert")

    def for_profile_panel(self, since):
        """An expert's bookings on the coordinators' view of their profile (views/profile_panel.py):
        those still in play or done, of assignments from `since` on, with task and contact person."""
        shown = (*PENDING, BookingStatus.CONFIRMED, BookingStatus.COMPLETED, BookingStatus.NOT_COMPLETED)
        return (
            self.filter(status__in=shown, assignment__starts_at__gte=since)
            .select_related("assignment__task_type", "assignment__contact_person")
            .order_by("assignment__starts_at", "pk")
        )


class Booking(models.Model):
    """One expert on one assignment: invited, volunteered, confirmed, completed…"""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="bookings")
    expert = models.ForeignKey(ExpertProfile, on_delete=models.PROTECT, related_name="bookings")
    status = models.CharField(_("status"), max_length=14, choices=BookingStatus.choices, default=BookingStatus.INVITED)
    volunteered = models.BooleanField(_("volunteered"), default=False)
    # The assignment's time, copied here for the exclusion constraint (services keep it in step).
    during = DateTimeRangeField()
    invited_at = models.DateTimeField(default=timezone.now)
    answer_note = models.CharField(_("note"), max_length=500, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    cancelled_by_expert = models.BooleanField(default=False)
    cancel_reason = models.CharField(_("reason"), max_length=12, choices=CancelReason.choices, blank=True)
    cancel_note = models.CharField(_("more about the reason"), max_length=500, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    # After the assignment.
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=2, null=True, blank=True)
    fee_computed = models.DecimalField(_("fee by the tariff"), max_digits=8, decimal_places=2, null=True, blank=True)
    fee = models.DecimalField(_("fee (€)"), max_digits=8, decimal_places=2, null=True, blank=True)
    fee_waived = models.BooleanField(_("fee waived"), default=False, help_text=_("The expert declined the fee."))
    fee_note = models.CharField(_("reason for changing the fee"), max_length=300, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    not_completed_reason = models.CharField(
        _("why not completed"), max_length=10, choices=NotCompletedReason.choices, blank=True
    )
    not_completed_note = models.CharField(_("more about the reason"), max_length=500, blank=True)
    # Bumped on every change the expert's calendar must follow (iCalendar SEQUENCE).
    sequence = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    objects = BookingQuerySet.as_manager()

    class Meta:
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        ordering = ["assignment__starts_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["assignment", "expert"], name="booking_once_per_expert"),
            ExclusionConstraint(
                name="booking_no_double_booking",
                expressions=[("expert", RangeOperators.EQUAL), ("during", RangeOperators.OVERLAPS)],
                condition=Q(status__in=HOLDING),
            ),
            models.CheckConstraint(condition=Q(fee__gte=0) | Q(fee__isnull=True), name="booking_fee_not_negative"),
        ]
        indexes = [models.Index(fields=["expert", "status"], name="booking_expert_status")]

    def __str__(self) -> str:
        return f"{self.assignment} – {self.expert}"

    def get_absolute_url(self) -> str:
        return reverse("bookings:my_assignment", args=[self.pk])

    @property
    def expenses_total(self) -> Decimal:
        return sum((line.amount for line in self.expense_lines.all()), Decimal("0.00"))

    @property
    def is_pending(self) -> bool:
        return self.status in PENDING

    def can_be_cancelled(self, now) -> bool:
        """Pending ones always; a confirmed one until the assignment begins (then it is completed or
        not completed instead). services.cancel_booking enforces the same rule."""
        if self.status == BookingStatus.CONFIRMED:
            return self.assignment.starts_at > now
        return self.is_pending

    def calendar_event(self) -> CalendarEvent:
        assignment = self.assignment
        description = "\n\n".join(
            filter(None, [assignment.description, assignment.arrival_info, assignment.remote_link])
        )
        return CalendarEvent(
            uid=f"booking-{self.pk}@kokemuspankki",
            start=assignment.starts_at,
            end=assignment.ends_at,
            summary=assignment.title,
            location=assignment.place,
            description=description,
            sequence=self.sequence,
            cancelled=self.status == BookingStatus.CANCELLED,
        )


class ExpenseKind(models.TextChoices):
    TRAVEL_KM = "travel_km", _("Travel by car (km)")
    TICKET = "ticket", _("Travel by ticket")
    MEAL = "meal", _("Meal")
    OTHER = "other", _("Other")


class ExpenseLine(models.Model):
    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="expense_lines")
    # Set when the line came from the expert's own claim, approved by a coordinator.
    claim = models.ForeignKey(
        "ExpenseClaim", on_delete=models.SET_NULL, null=True, blank=True, related_name="lines", editable=False
    )
    kind = models.CharField(_("expense"), max_length=10, choices=ExpenseKind.choices)
    quantity = models.DecimalField(_("kilometres or count"), max_digits=7, decimal_places=2, default=Decimal("1"))
    amount = models.DecimalField(_("amount (€)"), max_digits=8, decimal_places=2)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("expense")
        verbose_name_plural = _("expenses")
        ordering = ["pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gte=0), name="expense_amount_not_negative")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {format_money(self.amount)}"


class DebriefStatus(models.TextChoices):
    ASKED = "asked", _("Asked for")
    AGREED = "agreed", _("Agreed")
    HELD = "held", pgettext_lazy("debrief status", "Held")


class CheckIn(models.Model):
    """The expert's private word after an assignment, for the coordinator only."""

    class Feeling(models.IntegerChoices):
        HARD = 1, _("It was hard")
        RATHER_HARD = 2, _("Rather hard")
        OK = 3, _("All right")
        GOOD = 4, _("Good")
        VERY_GOOD = 5, _("Very good")

    booking = models.OneToOneField(Booking, on_delete=models.CASCADE, related_name="check_in")
    feeling = models.PositiveSmallIntegerField(_("how did it go?"), choices=Feeling.choices)
    text = models.TextField(_("anything you want to tell the coordinator"), max_length=2000, blank=True)
    wants_debrief = models.BooleanField(_("I would like to talk it through (debrief)"), default=False)
    # A debrief asked for moves asked → agreed → held (the coordinator's to-do list follows it).
    debrief_status = models.CharField(_("debrief"), max_length=8, choices=DebriefStatus.choices, blank=True, default="")
    debrief_on = models.DateField(_("debrief date"), null=True, blank=True)
    debrief_updated_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _('answer to "How did it go?"')
        verbose_name_plural = _('answers to "How did it go?"')
        constraints = [
            models.CheckConstraint(
                condition=Q(debrief_status="") | Q(wants_debrief=True), name="checkin_debrief_only_if_asked"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.booking}: {self.get_feeling_display()}"


class PrivateFeedback(models.Model):
    """Two-way private feedback on one booking: the orderer on the assignment, the expert on the
    arrangements. Never a public rating."""

    class Side(models.TextChoices):
        ORDERER = "orderer", _("Orderer's feedback on the assignment")
        EXPERT = "expert", _("Expert's feedback on the arrangements")

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="private_feedback")
    side = models.CharField(max_length=8, choices=Side.choices)
    text = models.TextField(_("feedback"), max_length=2000)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("private feedback")
        verbose_name_plural = _("private feedback")
        constraints = [models.UniqueConstraint(fields=["booking", "side"], name="private_feedback_once_per_side")]

    def __str__(self) -> str:
        return f"{self.booking}: {self.get_side_display()}"


class CalendarFeed(models.Model):
    """A personal, secret calendar feed URL. Only the token's hash is stored; revoking deletes it."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return str(self.user)


class BookingCorrection(models.Model):
    """A change to a completed booking (hours, fee, expenses), with its reason. Never edited or
    deleted: the payroll export and the audit log show each one."""

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="corrections")
    reason = models.CharField(_("reason for the correction"), max_length=500)
    before = models.JSONField(_("before"))
    after = models.JSONField(_("after"))
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("corrected by")
    )
    corrected_at = models.DateTimeField(_("corrected"), auto_now_add=True)

    class Meta:
        verbose_name = _("correction")
        verbose_name_plural = _("corrections")
        ordering = ["corrected_at", "pk"]

    def __str__(self) -> str:
        return f"{self.booking}: {self.reason}"


class ClaimStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Returned")


class ExpenseClaim(models.Model):
    """The expert's own travel and expense claim for a completed booking. A coordinator approves it
    into expense lines (the payroll export carries them) or returns it with a reason."""

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="expense_claims")
    kilometres = models.DecimalField(
        _("kilometres by car"),
        max_digits=7,
        decimal_places=1,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("5000"))],
    )
    tickets = models.DecimalField(
        _("tickets (€)"),
        max_digits=8,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("5000"))],
    )
    receipt = models.FileField(_("photo of the receipt"), upload_to="bookings/receipts/%Y/%m/", blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=ClaimStatus.choices, default=ClaimStatus.SUBMITTED)
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_note = models.CharField(_("why it was returned"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("expense claim")
        verbose_name_plural = _("expense claims")
        ordering = ["submitted_at", "pk"]
        constraints = [
            # One claim in play per booking; a returned one may be followed by a new one.
            models.UniqueConstraint(
                fields=["booking"], condition=~Q(status="rejected"), name="expense_claim_one_open_per_booking"
            ),
            models.CheckConstraint(
                condition=Q(kilometres__gte=0) & Q(tickets__gte=0), name="expense_claim_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.booking}: {self.get_status_display()}"


class OrderStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Waiting for a coordinator")
    ACCEPTED = "accepted", _("Being arranged")
    DECLINED = "declined", pgettext_lazy("order status", "Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class OrderRequestQuerySet(models.QuerySet):
    def waiting(self):
        return self.filter(status=OrderStatus.SUBMITTED)

    def of_orderer(self, user):
        return self.filter(orderer=user)


class OrderRequest(models.Model):
    """A unit orders an expert by itself: an orderer (unit staff, no access to the bank) asks, a
    coordinator turns the request into an assignment, and the orderer follows it and gives feedback."""

    orderer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="order_requests", verbose_name=_("orderer")
    )
    unit = models.CharField(_("ordering unit"), max_length=200)
    task_type = models.ForeignKey(TaskType, on_delete=models.PROTECT, verbose_name=_("task"))
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("from"))
    end_time = models.TimeField(_("until"))
    audience = models.CharField(_("audience"), max_length=300, help_text=_("Who will be there, and about how many."))
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("municipality")
    )
    language = models.ForeignKey(
        Language, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("language")
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    remote = models.BooleanField(_("remote"), default=False)
    wishes = models.TextField(_("wishes"), max_length=2000, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=OrderStatus.choices, default=OrderStatus.SUBMITTED)
    assignment = models.OneToOneField(
        Assignment, on_delete=models.SET_NULL, null=True, blank=True, related_name="order_request", editable=False
    )
    decline_reason = models.CharField(_("reason"), max_length=500, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    handled_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OrderRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("order request")
        verbose_name_plural = _("order requests")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(end_time__gt=models.F("start_time")), name="order_ends_after_start"),
        ]
        indexes = [models.Index(fields=["status", "created_at"], name="order_status")]

    def __str__(self) -> str:
        return f"{self.unit}: {self.task_type} {self.date}"


class MatchDigest(models.Model):
    """One expert's daily message of new assignments open to all that match them (matching.py): a
    row per expert and day is the outbox target, so nobody hears more than once a day."""

    profile = models.ForeignKey(ExpertProfile, on_delete=models.CASCADE, related_name="match_digests")
    day = models.DateField()
    assignments = models.ManyToManyField(Assignment, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("digest of open assignments")
        verbose_name_plural = _("digests of open assignments")
        constraints = [models.UniqueConstraint(fields=["profile", "day"], name="match_digest_once_a_day")]

    def __str__(self) -> str:
        return f"{self.profile} {self.day}"


class Payee(models.Model):
    """What payroll needs to pay an expert, seen only by coordinators and admins (each read is in
    the audit log). The display name may be an alias; the legal name is here. A bank account or a
    personal identity code is stored only when the county turns it on (KP_PAYROLL_SENSITIVE), and
    then encrypted (payees.py)."""

    profile = models.OneToOneField(ExpertProfile, on_delete=models.CASCADE, related_name="payee")
    legal_name = models.CharField(_("legal name"), max_length=200)
    payee_number = models.CharField(
        _("payee number"), max_length=40, blank=True, help_text=_("The county's payee or person number.")
    )
    tax_card_delivered = models.BooleanField(_("tax card delivered"), default=False)
    tax_card_year = models.PositiveSmallIntegerField(
        _("tax card year"), null=True, blank=True, validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    bank_account_encrypted = models.TextField(blank=True, editable=False)
    identity_code_encrypted = models.TextField(blank=True, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("payee details")
        verbose_name_plural = _("payee details")
        constraints = [
            models.CheckConstraint(
                condition=Q(tax_card_delivered=False) | Q(tax_card_year__isnull=False), name="payee_tax_card_has_year"
            ),
        ]

    def __str__(self) -> str:
        return self.legal_name
