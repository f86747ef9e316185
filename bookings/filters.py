"""The coordinators' assignment filters (django-filter), shared by the list, the calendar and the roster,
and the week a calendar page shows (?week=2026-W49).

The filters narrow what a span (a month, a week, or the list's own date range) holds; the view picks
the span. Every choice list is one query whatever the number of assignments: the task types, the
coordinators, the experts who have a booking, the units in use.
"""

import re
from datetime import date, datetime, time, timedelta

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import User
from accounts.roles import Role
from experts.forms_profile import DateInput
from experts.models import ExpertProfile, TaskType

from .exports import ExpertChoiceField
from .forms import DATE_FORMATS, ContactPersonField, PickerDateField
from .models import Assignment, AssignmentStatus, Booking

# The span keys: the calendar's and the list's own, never carried over by the filter links.
SPAN_KEYS = ("week", "month", "date_from", "date_to")
# The most units offered as suggestions in the unit field (a datalist; typing any part still works).
UNIT_SUGGESTIONS = 300
UNITS_IN_USE_SINCE = timedelta(days=2 * 365)


def local_midnight(day: date) -> datetime:
    """The start of `day` in the county's time zone, as an aware moment: spans compare starts_at with
    these, so that 00.30 on a Monday in Helsinki (Sunday 22.30 UTC) falls on the Monday."""
    return datetime.combine(day, time.min, tzinfo=timezone.get_default_timezone())


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def iso_week(day: date) -> str:
    """The ?week= value of the week `day` is in: 2026-W53 for 1.1.2027 (ISO weeks start on Monday)."""
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


class WeekForm(forms.Form):
    """The calendar's week: 2026-W49 (what a week picker sends), 2026-49 or 49/2026 typed by hand."""

    week = forms.CharField(label=_("Week"), required=False, max_length=10)

    def clean_week(self) -> date | None:
        value = self.cleaned_data["week"].strip()
        if not value:
            return None
        match = re.fullmatch(r"([0-9]{4})-?[Ww]?([0-9]{1,2})", value) or re.fullmatch(
            r"([0-9]{1,2})[./]([0-9]{4})", value
        )
        if match:
            year, week = match.groups() if len(match.group(1)) == 4 else reversed(match.groups())
            if 2000 <= int(year) <= 2100:
                try:
                    return date.fromisocalendar(int(year), int(week), 1)
                except ValueError:
                    pass  # week 0, week 60, or week 53 of a year of 52 weeks
        raise forms.ValidationError(
            _("Give the week as 2026-W49 or 49/2026 (a year has 52 or 53 weeks)."), code="invalid"
        )


class FilterForm(forms.Form):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end of the period cannot be before its start."))
        return cleaned


class PickerDateFilter(django_filters.DateFilter):
    # The booking forms' date field: a picker's 2026-03-01, or 1.3.2026 typed, between 2000 and 2100.
    field_class = PickerDateField


class ContactPersonFilter(django_filters.ModelChoiceFilter):
    field_class = ContactPersonField  # a name and an email address


class ExpertFilter(django_filters.ModelChoiceFilter):
    field_class = ExpertChoiceField  # the display name


class AssignmentFilter(django_filters.FilterSet):
    """Unit (any part of its name), status, task, contact person and expert; all that are given must
    hold. The calendar and the roster use this; the list adds its date range (AssignmentListFilter)."""

    unit = django_filters.CharFilter(
        label=_("Ordering unit"),
        lookup_expr="icontains",
        max_length=200,
        help_text=_("Part of the unit's name is enough, for example Hollola."),
        widget=forms.TextInput(attrs={"list": "units-in-use", "autocomplete": "off"}),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=AssignmentStatus.choices, empty_label=_("All statuses")
    )
    task = django_filters.ModelChoiceFilter(
        label=_("Task"),
        field_name="task_type",
        to_field_name="slug",
        queryset=TaskType.objects.none(),
        empty_label=_("All tasks"),
    )
    contact_person = ContactPersonFilter(
        label=_("Contact person"),
        queryset=User.objects.none(),
        empty_label=_("All contact persons"),
    )
    expert = ExpertFilter(
        label=_("Expert"),
        field_name="bookings__expert",
        queryset=ExpertProfile.objects.none(),
        empty_label=_("All experts"),
        help_text=_("Assignments the expert is invited to, has answered or is booked for."),
    )

    class Meta:
        model = Assignment
        fields: list[str] = []
        form = FilterForm

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        fields = self.form.fields
        fields["task"].queryset = TaskType.objects.all()
        # Coordinators, and anyone else who is a contact person (an administrator who ordered one).
        is_contact = Assignment.objects.filter(contact_person=OuterRef("pk"))
        fields["contact_person"].queryset = (
            User.objects.filter(Q(groups__name=Role.COORDINATOR, is_active=True) | Q(Exists(is_contact)))
            .distinct()
            .order_by("first_name", "last_name", "email")
        )
        fields["expert"].queryset = self._experts()

    def _experts(self):
        """The experts offered: those with a booking (the ones an assignment can be found by), and the
        one asked for by a link (?expert=<profile>, "their calendar") while listed, even before their
        first booking. An unlisted one without bookings is refused like an id that does not exist, so
        that no name leaks."""
        wanted = Q(Exists(Booking.objects.filter(expert=OuterRef("pk"))))
        chosen = self.data.get("expert") or ""
        if chosen.isascii() and chosen.isdigit() and len(chosen) < 10:
            wanted |= Q(pk__in=ExpertProfile.objects.listed().filter(pk=int(chosen)).values("pk"))
        return ExpertProfile.objects.filter(wanted).order_by(Lower("display_name"), "pk")

    @property
    def units_in_use(self) -> list[str]:
        """The suggestions of the unit field, by name: the units of the last two years' assignments and
        the ones ahead (the starts_at index finds them; a unit renamed long ago is not suggested)."""
        since = timezone.now() - UNITS_IN_USE_SINCE
        units = Assignment.objects.filter(starts_at__gte=since).order_by("unit").values_list("unit", flat=True)
        return list(units.distinct()[:UNIT_SUGGESTIONS])

    @property
    def chosen_expert(self) -> ExpertProfile | None:
        """The expert whose assignments these are (their calendar), once the filters are valid."""
        return self.form.cleaned_data.get("expert") if self.is_valid() else None

    def described(self) -> list[tuple[str, str]]:
        """The valid conditions as (label, value) in words, for the printed roster's heading."""
        if not self.is_valid():
            return []
        lines = []
        for name, field in self.form.fields.items():
            value = self.form.cleaned_data.get(name)
            if value in (None, ""):
                continue
            if hasattr(field, "label_from_instance"):
                value = field.label_from_instance(value)
            elif name == "status":
                value = AssignmentStatus(value).label
            lines.append((str(field.label), str(value)))
        return lines

    @property
    def active_count(self) -> int:
        """How many conditions were given (the filter box opens by itself then and says how many)."""
        return sum(1 for name in self.filters if self.data.get(name))


class AssignmentListFilter(AssignmentFilter):
    """The list's filters and a date range that, when given, is shown instead of a month."""

    date_from = PickerDateFilter(
        label=pgettext_lazy("period", "From"),
        method="filter_from",
        input_formats=DATE_FORMATS,
        widget=DateInput(),
    )
    date_to = PickerDateFilter(
        label=pgettext_lazy("period", "Until"),
        method="filter_to",
        input_formats=DATE_FORMATS,
        widget=DateInput(),
    )

    def filter_from(self, queryset, name, value):
        return queryset.filter(starts_at__gte=local_midnight(value))

    def filter_to(self, queryset, name, value):
        # To the end of the day, in Helsinki.
        return queryset.filter(starts_at__lt=local_midnight(value + timedelta(days=1)))

    @property
    def has_date_range(self) -> bool:
        cleaned = self.form.cleaned_data
        return bool(cleaned.get("date_from") or cleaned.get("date_to"))


def filter_items(data) -> list[tuple[str, str]]:
    """The filters of a query string without its span, for the links and forms that move to another
    week, month or view and keep the same conditions (as typed, so that a mistake still shows its error)."""
    names = [name for name in AssignmentListFilter.base_filters if name not in SPAN_KEYS]
    return [(name, data[name]) for name in names if data.get(name)]


def filter_query(data) -> str:
    return urlencode(filter_items(data))
