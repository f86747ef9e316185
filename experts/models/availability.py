"""When an expert can take assignments: a weekly pattern and blocked periods."""

from datetime import time

from django.contrib.postgres.fields import DateTimeRangeField
from django.contrib.postgres.lookups import DataContains
from django.db import models
from django.db.models import Aggregate, Exists, F, Func, OuterRef, Q, Subquery, Value
from django.utils.translation import gettext_lazy as _


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class WeeklyAvailability(models.Model):
    profile = models.ForeignKey("experts.ExpertProfile", on_delete=models.CASCADE, related_name="weekly_slots")
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
    profile = models.ForeignKey("experts.ExpertProfile", on_delete=models.CASCADE, related_name="blocked_periods")
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


class ClockRange(Func):
    """Two times of day as a range, for comparing hours: PostgreSQL has no range type of times, so
    they are put on one fixed day (a tsrange)."""

    output_field = DateTimeRangeField()

    def as_sql(self, compiler, connection, **extra_context):
        (start, start_params), (end, end_params) = (compiler.compile(arg) for arg in self.get_source_expressions())
        return f"tsrange(DATE '2000-01-01' + {start}, DATE '2000-01-01' + {end})", [*start_params, *end_params]


class RangeUnion(Aggregate):
    """The union of ranges as one multirange (PostgreSQL's range_agg): ranges that touch or overlap
    join, so slots of 9–12 and 12–15 cover 10–14."""

    function = "range_agg"
    output_field = DateTimeRangeField()


def weekly_hours_cover(weekday: int, start: time, end: time):
    """A condition on ExpertProfile: the expert's weekly slots on `weekday` cover start–end. Most
    experts give one slot a day, so one slot that covers it is asked first (an index lookup per
    candidate); only for the others are the day's slots joined where they touch (range_agg), which
    costs ~3 times as much per candidate (50,000 bench profiles, "available on a date" at a time)."""
    slots = WeeklyAvailability.objects.filter(profile=OuterRef("pk"), weekday=weekday)
    one_slot = Exists(slots.filter(start__lte=start, end__gte=end))
    joined = slots.order_by().values("profile").annotate(hours=RangeUnion(ClockRange(F("start"), F("end"))))
    return one_slot | DataContains(Subquery(joined.values("hours")), ClockRange(Value(start), Value(end)))
