"""The coordinators' payroll export: which completed bookings go into the file."""

import calendar
from datetime import date, timedelta

from django import forms
from django.db.models import Exists, OuterRef
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from experts.forms_profile import BoundedDateField, DateInput
from experts.models import ExpertProfile

from .models import Booking, BookingStatus

# A year and a day: a calendar year fits (leap years too), a careless decade does not.
MAX_PERIOD = timedelta(days=366)


def this_month(today: date | None = None) -> tuple[date, date]:
    today = today or timezone.localdate()
    return today.replace(day=1), today.replace(day=calendar.monthrange(today.year, today.month)[1])


def previous_month(today: date | None = None) -> tuple[date, date]:
    """The month before `today`'s: payroll is run after a month ends, for the month that ended."""
    today = today or timezone.localdate()
    return this_month(today.replace(day=1) - timedelta(days=1))


class ExpertChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.display_name


class ExportFilterForm(forms.Form):
    """Bound to the query string, with the previous month filled in where the period is missing, so
    that a bare link to the file gives the rows of the month that payroll pays next."""

    start = BoundedDateField(label=pgettext_lazy("period", "From"), widget=DateInput())
    end = BoundedDateField(label=pgettext_lazy("period", "Until"), widget=DateInput())
    expert = ExpertChoiceField(
        label=_("Expert"),
        queryset=ExpertProfile.objects.none(),
        required=False,
        empty_label=_("All experts"),
    )
    unit = forms.CharField(
        label=_("Ordering unit"),
        max_length=200,
        required=False,
        help_text=_("Part of the unit's name is enough, for example Hollola."),
    )

    def __init__(self, query=None, **kwargs):
        start, end = previous_month()
        data = {"start": start.isoformat(), "end": end.isoformat(), **(query.dict() if query else {})}
        kwargs.setdefault("label_suffix", "")
        super().__init__(data, **kwargs)
        # Only experts with something to pay: a short list, by name.
        completed = Booking.objects.filter(expert=OuterRef("pk"), status=BookingStatus.COMPLETED)
        self.fields["expert"].queryset = ExpertProfile.objects.filter(Exists(completed)).order_by(
            Lower("display_name"), "pk"
        )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end:
            if end < start:
                self.add_error("end", _("The end of the period cannot be before its start."))
            elif end - start >= MAX_PERIOD:
                self.add_error("end", _("The period can be a year at most."))
        return cleaned

    @property
    def period_name(self) -> str:
        """For the file name: 2026-11 for a whole month, otherwise 2026-11-03_2026-12-15."""
        start, end = self.cleaned_data["start"], self.cleaned_data["end"]
        if (start, end) == this_month(start):
            return f"{start:%Y-%m}"
        return f"{start.isoformat()}_{end.isoformat()}"
