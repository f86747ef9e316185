"""Booking experts: assignments, the experts invited to them, fees, expenses and private follow-up.

An Assignment is the work a coordinator orders (a lecture, a reception shift). It may say what it is
for (`purpose`: a training session, a hearing workshop; nothing for a plain order), so that trainings
and hearings book experts through this one chain. Each expert asked or volunteering gets a Booking
row, whose status is the state machine of services.py. A
confirmed or completed booking holds the expert's time: an exclusion constraint (btree_gist) makes
two overlapping ones for the same expert impossible, whatever the application does.
"""

from datetime import timedelta
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

from experts.models import ExpertProfile, TaskType
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
        return self.select_related("task_type", "contact_person", "tariff", "created_by")

    def in_month(self, day):
        start, end = month_of(day)
        return self.filter(starts_at__date__gte=start, starts_at__date__lt=end)

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
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _('answer to "How did it go?"')
        verbose_name_plural = _('answers to "How did it go?"')

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
