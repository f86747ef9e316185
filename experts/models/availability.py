"""When an expert can take assignments: a weekly pattern and blocked periods."""

from django.db import models
from django.db.models import Q
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
