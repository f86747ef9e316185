"""A cohort's costs: its own Cost rows, and the fees and expenses of its expert trainers, who are
booked and paid through bookings (an assignment whose purpose is one of the cohort's sessions).

Cost per participant divides by everyone the cohort served: the current participants, and those
removed later who were present at least once (they took part; their seat was paid for). Someone
removed before ever attending does not count. Cost per completed participant divides by those whose
completion is recorded. Either is None when there is nobody to divide by.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, Sum
from django.utils.translation import gettext as _

from bookings.models import Booking, BookingStatus, ExpenseLine

from .models import AttendanceStatus, Cohort, CostKind, TrainingSession

CENTS = Decimal("0.01")
ZERO = Decimal("0.00")


@dataclass
class CostLine:
    label: str
    amount: Decimal


@dataclass
class CostSummary:
    lines: list[CostLine]
    total: Decimal
    participants: int
    completed: int

    @property
    def per_participant(self) -> Decimal | None:
        return _divide(self.total, self.participants)

    @property
    def per_completed(self) -> Decimal | None:
        return _divide(self.total, self.completed)


def _divide(total: Decimal, count: int) -> Decimal | None:
    return (total / count).quantize(CENTS, ROUND_HALF_UP) if count else None


def trainer_bookings(cohort: Cohort):
    """The confirmed and completed bookings of assignments made for the cohort's sessions."""
    return Booking.objects.filter(
        status__in=(BookingStatus.CONFIRMED, BookingStatus.COMPLETED),
        assignment__purpose_type=ContentType.objects.get_for_model(TrainingSession),
        assignment__purpose_id__in=cohort.sessions.values("pk"),
    )


def trainer_costs(cohort: Cohort) -> tuple[Decimal, Decimal, Decimal]:
    """(fees of completed bookings, their expenses, expected fees of confirmed ones). A waived fee
    is nothing; a confirmed booking's fee is not known until it is completed, so its assignment's
    expected fee by the tariff stands in for it. Queries: the completed sums, the expenses, the
    confirmed bookings with their assignments and tariffs (3, and the content type once)."""
    bookings = trainer_bookings(cohort)
    completed = bookings.filter(status=BookingStatus.COMPLETED)
    fees = completed.filter(fee_waived=False).aggregate(total=Sum("fee"))["total"] or ZERO
    expenses = ExpenseLine.objects.filter(booking__in=completed).aggregate(total=Sum("amount"))["total"] or ZERO
    confirmed = bookings.filter(status=BookingStatus.CONFIRMED).select_related("assignment__tariff")
    expected = sum((booking.assignment.expected_fee() for booking in confirmed), ZERO)
    return fees, expenses, expected


def cost_summary(cohort: Cohort) -> CostSummary:
    """The cost table of the cohort page: each kind's total, the trainers' fees and expenses, the
    total, and what to divide it by (see the module's docstring)."""
    fees, expenses, expected = trainer_costs(cohort)
    by_kind = dict(cohort.costs.order_by().values_list("kind").annotate(total=Sum("amount")))
    lines = [CostLine(str(_("Trainer fees")), fees), CostLine(str(_("Trainers' expenses")), expenses)]
    if expected:
        lines.append(CostLine(str(_("Trainer fees, booked (expected)")), expected))
    lines += [CostLine(str(kind.label), by_kind.get(kind.value, ZERO)) for kind in CostKind]
    served = cohort.participants.filter(
        Q(removed_at__isnull=True) | Q(attendance__status=AttendanceStatus.PRESENT)
    ).distinct()
    return CostSummary(
        lines=lines,
        total=sum((line.amount for line in lines), ZERO),
        participants=served.count(),
        completed=cohort.participants.filter(completed_on__isnull=False).count(),
    )
