"""Experts' earnings against the limits they set (a disability pension's, say): what they have earned
this month and year, and what a fee would do to it. Warnings are shown before an expert is confirmed
or volunteers; confirming over a limit needs the coordinator's acknowledgement."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from experts.models import ExpertProfile

from .models import Assignment, Booking, BookingStatus
from .money import format_money


@dataclass
class Earnings:
    month: Decimal
    year: Decimal
    month_upcoming: Decimal
    year_upcoming: Decimal
    month_limit: Decimal | None
    year_limit: Decimal | None


def earnings_of(profile: ExpertProfile, day: date | None = None) -> Earnings:
    """Fees of completed assignments this month and year (by the assignment's date), and the
    expected fees of confirmed ones still to come."""
    day = day or timezone.localdate()
    year = Booking.objects.filter(expert=profile, assignment__starts_at__year=day.year)
    month = year.filter(assignment__starts_at__month=day.month)
    zero = Value(Decimal("0.00"))

    def totals(rows):
        return rows.aggregate(
            done=Coalesce(Sum("fee", filter=Q(status=BookingStatus.COMPLETED)), zero),
        )["done"]

    def upcoming(rows):
        return sum(
            (booking.assignment.expected_fee() for booking in rows.filter(status=BookingStatus.CONFIRMED)
             .select_related("assignment__tariff")),
            Decimal("0.00"),
        )  # fmt: skip

    return Earnings(
        month=totals(month),
        year=totals(year),
        month_upcoming=upcoming(month),
        year_upcoming=upcoming(year),
        month_limit=profile.monthly_earnings_limit,
        year_limit=profile.yearly_earnings_limit,
    )


def has_earnings_limits(profile: ExpertProfile) -> bool:
    return profile.monthly_earnings_limit is not None or profile.yearly_earnings_limit is not None


def earnings_warnings(booking: Booking, *, for_expert: bool = False) -> list[str]:
    """What confirming `booking` would do to the expert's earnings limits (translated), if anything:
    worded for the coordinator, or with `for_expert` for the expert deciding whether to accept."""
    profile, assignment = booking.expert, booking.assignment
    if not has_earnings_limits(profile):
        return []
    earned = earnings_of(profile, timezone.localdate(assignment.starts_at))
    return limit_warnings(profile, assignment.expected_fee(), earned, for_expert=for_expert)


def volunteering_warnings(
    profile: ExpertProfile, assignments: list[Assignment], *, this_month: Earnings | None = None
) -> dict[int, list[str]]:
    """Assignment id -> what being confirmed for it would do to the expert's earnings limits, for the
    open assignments an expert may offer to take. earnings_of() once per month the assignments fall
    in (`this_month`: today's, if the caller has it), not once per assignment."""
    if not has_earnings_limits(profile):
        return {}
    today = timezone.localdate()
    by_month = {(today.year, today.month): this_month} if this_month else {}
    warnings = {}
    for assignment in assignments:
        day = timezone.localdate(assignment.starts_at)
        if (day.year, day.month) not in by_month:
            by_month[day.year, day.month] = earnings_of(profile, day)
        fee = assignment.expected_fee()
        warnings[assignment.pk] = limit_warnings(profile, fee, by_month[day.year, day.month], for_expert=True)
    return warnings


def limit_warnings(profile: ExpertProfile, fee: Decimal, earned: Earnings, *, for_expert: bool) -> list[str]:
    """The warnings of earnings_warnings() for a fee on top of `earned` (the month and year it falls in)."""
    if for_expert:
        texts = (
            _("The fee of %(fee)s would take your earnings this month to %(total)s, over your limit of %(limit)s."),
            _("The fee of %(fee)s would take your earnings this year to %(total)s, over your limit of %(limit)s."),
        )
    else:
        texts = (
            _(
                "%(name)s: the fee of %(fee)s would take their earnings this month to %(total)s, "
                "over their limit of %(limit)s."
            ),
            _(
                "%(name)s: the fee of %(fee)s would take their earnings this year to %(total)s, "
                "over their limit of %(limit)s."
            ),
        )
    warnings = []
    for limit, so_far, text in [
        (profile.monthly_earnings_limit, earned.month + earned.month_upcoming, texts[0]),
        (profile.yearly_earnings_limit, earned.year + earned.year_upcoming, texts[1]),
    ]:
        if limit is not None and so_far + fee > limit:
            amounts = {"fee": fee, "total": so_far + fee, "limit": limit}
            # As amounts are shown everywhere: 1 170,00 € in Finnish and Swedish, €1,170.00 in English.
            amounts = {key: format_money(value) for key, value in amounts.items()}
            warnings.append(text % {"name": profile.display_name, **amounts})
    return warnings
