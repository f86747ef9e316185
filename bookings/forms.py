"""Coordinators' booking forms: the assignment, its time, cancelling, completing and private feedback.

Dates and times are separate native inputs (a date picker and a time picker) that also accept what
a Finnish user types where the browser has no picker: "24.11.2026" and "14.30", whatever the page
language. Times are wall-clock times in Helsinki (settings.TIME_ZONE).
"""

import re
import secrets
from datetime import UTC, date, datetime, time
from decimal import Decimal

from django import forms
from django.db import models
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.roles import Role
from experts.forms_profile import BoundedDateField, DateInput, TimeInput
from experts.models import Language, Municipality, TaskType

from .models import Assignment, CancelReason, ExpenseKind, NotCompletedReason
from .money import MoneyField, typed_decimal
from .services import Expense

DATE_FORMATS = ["%Y-%m-%d", "%d.%m.%Y", "%d.%m.%y"]
TIME_FORMATS = ["%H:%M", "%H:%M:%S", "%H.%M", "%H.%M.%S"]
FORM_KEY_PATTERN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


class DecimalInputField(forms.DecimalField):
    """A decimal (hours, kilometres) typed as 1,5 or 1.5 in any page language, read as MoneyField
    reads euros; shown in the page's own format."""

    def __init__(self, **kwargs):
        kwargs.setdefault("localize", True)  # a text input (not type=number) in the page's format
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str) and value.strip():
            number = typed_decimal(value)
            if number is None:
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
            value = number
        return super().to_python(value)

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "inputmode": "decimal"}


class RedisplayParsedMixin:
    """A re-shown form (another field had an error) gives the date and time pickers the parsed value:
    a typed "24.11.2026" or "14.30" put back as it was would show as an empty picker."""

    def bound_data(self, data, initial):
        try:
            return self.to_python(data) or data
        except forms.ValidationError:
            return data


class PickerDateField(RedisplayParsedMixin, BoundedDateField):
    pass


class PickerTimeField(RedisplayParsedMixin, forms.TimeField):
    pass


# The hour Finnish clocks skip in spring (EU rule: at 01.00 UTC, 3.00 becomes 4.00), for the message.
SPRING_GAP = (time(3), time(4))


def helsinki_time(day: date, clock: time) -> datetime | None:
    """The moment a Helsinki wall-clock time names, or None in the hour the clocks skip in spring
    (the last Sunday of March, 3.00–3.59): such a moment would be saved an hour later than typed, and
    an assignment from 2.30 to 3.30 would end before it starts (the database refuses that).

    The hour the clocks repeat in autumn (the last Sunday of October, 3.00–3.59) is read as its first
    pass, in summer time (fold=0): every time of that day then lies in the order it is written in, so
    an end after the start on the clock is also after it in fact.

    The moment is returned in UTC: two Helsinki datetimes subtract as wall-clock times (2.00 to 5.00
    on the autumn night would be 3 hours, not 4)."""
    helsinki = timezone.get_default_timezone()
    moment = datetime.combine(day, clock, tzinfo=helsinki).astimezone(UTC)
    if moment.astimezone(helsinki).replace(tzinfo=None) != datetime.combine(day, clock):
        return None  # the round trip through UTC lands elsewhere: a time that does not exist
    return moment


def clean_time_range(form, day: date | None, start: time | None, end: time | None) -> tuple[datetime, datetime] | None:
    """A form's date with its start and end clock times (fields `start_time`, `end_time`) as aware
    moments, or None: when one is missing, or after adding the form's error for an end not after the
    start or a time the spring clock change skips. Assignments, training sessions and client panel
    meetings are all entered so."""
    if not (day and start and end):
        return None
    starts_at, ends_at = helsinki_time(day, start), helsinki_time(day, end)
    if end <= start:
        form.add_error("end_time", _("The end time must be after the start time."))
        return None
    if starts_at is None or ends_at is None:
        skipped, resumes = (formats.time_format(clock, "TIME_FORMAT") for clock in SPRING_GAP)
        form.add_error(
            "start_time" if starts_at is None else "end_time",
            _(
                "This time does not exist in Finland: the clocks go forward from %(skipped)s to "
                "%(resumes)s that night. Choose a time before %(skipped)s or from %(resumes)s on."
            )
            % {"skipped": skipped, "resumes": resumes},
        )
        return None
    return starts_at, ends_at


class TimeRangeForm(forms.Form):
    """A date and the start and end time on it; `starts_at`/`ends_at` (aware) after cleaning.

    An assignment ends on the day it starts: an end before the start is a typing mistake far more
    often than a night shift, so it is refused rather than moved to the next day."""

    date = PickerDateField(label=_("Date"), input_formats=DATE_FORMATS, widget=DateInput())
    start_time = PickerTimeField(label=_("Starts at"), input_formats=TIME_FORMATS, widget=TimeInput())
    end_time = PickerTimeField(label=_("Ends at"), input_formats=TIME_FORMATS, widget=TimeInput())

    def clean(self):
        cleaned = super().clean()
        day = cleaned.get("date")
        times = clean_time_range(self, day, cleaned.get("start_time"), cleaned.get("end_time"))
        if times is not None:
            if times[0] <= timezone.now():
                field = "start_time" if day == timezone.localdate() else "date"
                self.add_error(field, _("The assignment cannot start in the past."))
            else:
                cleaned["starts_at"], cleaned["ends_at"] = times
        return cleaned

    @staticmethod
    def initial_of(assignment: Assignment) -> dict:
        starts, ends = timezone.localtime(assignment.starts_at), timezone.localtime(assignment.ends_at)
        return {"date": starts.date(), "start_time": starts.time(), "end_time": ends.time()}


class ContactPersonField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        name = obj.get_full_name()
        return f"{name} ({obj.email})" if name else obj.email


def contact_people(user: User):
    """Who can be an assignment's contact person: coordinators, and the current user even without
    the role (an administrator ordering)."""
    return (
        User.objects.filter(Q(groups__name=Role.COORDINATOR) | Q(pk=user.pk), is_active=True)
        .distinct()
        .order_by("first_name", "last_name", "email")
    )


def https_by_default(field, **kwargs):
    # A link typed without a scheme ("teams.microsoft.com/...") gets https, as Django 6 will do anyway.
    if isinstance(field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return field.formfield(**kwargs)


class AssignmentForm(TimeRangeForm, forms.ModelForm):
    """A new assignment. `form_key` is a one-time key of this form, sent back in a hidden input: the
    view claims it once, so that a double submit creates one assignment (views/booking_coordinator.py).
    A re-rendered form keeps its key; a missing or malformed one is replaced and the form sent again."""

    class Meta:
        model = Assignment
        fields = [
            "title",
            "description",
            "task_type",
            "address",
            "venue_accessibility",
            "arrival_info",
            "remote_link",
            "unit",
            "contact_person",
            "contact_phone",
            "tariff",
            "arrangements",
            "experts_needed",
            "open_to_all",
            "municipality",
            "language",
        ]
        field_classes = {"contact_person": ContactPersonField}
        formfield_callback = https_by_default
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "venue_accessibility": forms.Textarea(attrs={"rows": 3}),
            "arrival_info": forms.Textarea(attrs={"rows": 3}),
            "arrangements": forms.Textarea(attrs={"rows": 3}),
            "contact_phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
        }

    def __init__(self, *args, user: User, **kwargs):
        kwargs.setdefault("label_suffix", "")
        initial = kwargs.setdefault("initial", {})
        initial.setdefault("contact_person", user.pk)
        super().__init__(*args, **kwargs)
        posted = self.data.get("form_key", "") if self.is_bound else ""
        self.form_key_missing = self.is_bound and not FORM_KEY_PATTERN.match(posted)
        self.form_key = posted if FORM_KEY_PATTERN.match(posted) else secrets.token_urlsafe(24)
        self.fields["task_type"].queryset = TaskType.objects.filter(is_active=True)
        # Where and in which language, for "open to all matching" (matching.py).
        self.fields["municipality"].queryset = Municipality.objects.filter(is_active=True)
        self.fields["municipality"].help_text = _(
            "Experts who work in this municipality are told of an assignment open to all. Not needed for a "
            "remote assignment."
        )
        self.fields["language"].queryset = Language.objects.filter(is_active=True)
        self.fields["language"].help_text = _("Only experts who speak it are told of an assignment open to all.")
        self.fields["contact_person"].queryset = contact_people(user)

    def clean(self):
        cleaned = super().clean()
        if self.form_key_missing:
            self.add_error(None, _("The form had expired. Check the details and send it again."))
        if "starts_at" in cleaned:
            self.instance.starts_at, self.instance.ends_at = cleaned["starts_at"], cleaned["ends_at"]
        return cleaned


class MoveAssignmentForm(TimeRangeForm):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["date"].label = _("New date")


class CancelForm(forms.Form):
    """Why a booking or a whole assignment is cancelled; "other" needs a word of explanation."""

    reason = forms.ChoiceField(label=_("Reason"), choices=CancelReason.choices, widget=forms.RadioSelect)
    note = forms.CharField(
        label=_("More about the reason"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when the reason is Other reason."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("reason") == CancelReason.OTHER and not cleaned.get("note", "").strip():
            self.add_error("note", _("Tell the reason in a few words."))
        return cleaned


class ExpensesForm(forms.Form):
    """The expense rows of a booking: kilometres and meals priced by their tariffs, tickets and other
    costs as paid. Completing a booking, recording one afterwards and correcting one all add them so."""

    travel_km = DecimalInputField(
        label=_("Kilometres driven"),
        required=False,
        min_value=Decimal("0"),
        max_value=Decimal("5000"),
        decimal_places=1,
    )
    ticket_amount = MoneyField(label=_("Ticket costs (€)"), required=False)
    meals = forms.IntegerField(label=_("Meals"), required=False, min_value=0, max_value=10)
    other_amount = MoneyField(label=_("Other costs (€)"), required=False)
    other_note = forms.CharField(label=_("What the other costs were"), required=False, max_length=200)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("other_amount") and not cleaned.get("other_note", "").strip():
            self.add_error("other_note", _("Tell what the other costs were."))
        return cleaned

    def expenses(self) -> list[Expense]:
        """The expense rows that were filled in: kilometres and meals are priced by their tariffs."""
        data = self.cleaned_data
        rows = [
            (ExpenseKind.TRAVEL_KM, data.get("travel_km"), None),
            (ExpenseKind.TICKET, Decimal("1") if data.get("ticket_amount") else None, data.get("ticket_amount")),
            (ExpenseKind.MEAL, Decimal(data["meals"]) if data.get("meals") else None, None),
            (ExpenseKind.OTHER, Decimal("1") if data.get("other_amount") else None, data.get("other_amount")),
        ]
        expenses = [Expense(kind, quantity, amount) for kind, quantity, amount in rows if quantity]
        for expense in expenses:
            if expense.kind == ExpenseKind.OTHER:
                expense.note = data.get("other_note", "").strip()
        return expenses


class CompleteBookingForm(ExpensesForm):
    """After the assignment: did it take place, the hours, the fee and the expenses; or why not.

    The fee is filled in with the tariff's fee for the assignment's hours. Left as it is, it follows
    the tariff for the hours given (3 hours instead of 2 at an hourly tariff is 3 hours' fee); any
    other amount needs a reason, as the service requires."""

    COMPLETED, NOT_COMPLETED = "completed", "not_completed"

    outcome = forms.ChoiceField(
        label=_("Did the assignment take place?"),
        choices=[(COMPLETED, _("Yes, completed")), (NOT_COMPLETED, _("No, not completed"))],
        widget=forms.RadioSelect,
    )
    hours = DecimalInputField(
        label=_("Hours"), required=False, min_value=Decimal("0.25"), max_value=Decimal("24"), decimal_places=2
    )
    fee = MoneyField(label=_("Fee (€)"), required=False)
    fee_waived = forms.BooleanField(label=_("Fee waived"), required=False, help_text=_("The expert declined the fee."))
    fee_note = forms.CharField(label=_("Reason for changing the fee"), required=False, max_length=300)
    not_completed_reason = forms.ChoiceField(
        label=_("Why did it not take place?"),
        choices=NotCompletedReason.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    not_completed_note = forms.CharField(
        label=_("More about the reason"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when the reason is Other reason."),
    )
    # The outcome first, then as the page shows them (the error summary lists errors in this order).
    field_order = ["outcome", "not_completed_reason", "not_completed_note", "hours", "fee", "fee_waived", "fee_note"]

    def __init__(self, *args, booking, **kwargs):
        kwargs.setdefault("label_suffix", "")
        self.assignment = booking.assignment
        self.default_hours = self.assignment.hours
        self.default_fee = self.assignment.expected_fee()
        kwargs.setdefault("initial", {"outcome": self.COMPLETED, "hours": self.default_hours, "fee": self.default_fee})
        super().__init__(*args, **kwargs)
        self.fields["fee"].help_text = _(
            "By the tariff %(tariff)s. If you change only the hours, the fee follows the tariff."
        ) % {"tariff": self.assignment.tariff}

    def clean(self):
        outcome = self.cleaned_data.get("outcome")
        if outcome == self.NOT_COMPLETED:
            # Not ExpensesForm.clean: the expense fields are ignored when it did not take place.
            return self._clean_not_completed(self.cleaned_data)
        cleaned = super().clean()
        if outcome != self.COMPLETED:
            return cleaned
        hours = cleaned.get("hours") or self.default_hours
        cleaned["hours"] = hours
        fee = cleaned.get("fee")
        if cleaned.get("fee_waived") or fee is None or (fee == self.default_fee and hours != self.default_hours):
            cleaned["fee"] = None  # by the tariff (or nothing, when waived)
        elif fee != self.assignment.tariff.fee_for(hours) and not cleaned.get("fee_note", "").strip():
            self.add_error("fee_note", _("Give a reason when the fee differs from the tariff."))
        return cleaned

    def _clean_not_completed(self, cleaned):
        reason = cleaned.get("not_completed_reason")
        if not reason:
            self.add_error("not_completed_reason", _("Choose why the assignment did not take place."))
        elif reason == NotCompletedReason.OTHER and not cleaned.get("not_completed_note", "").strip():
            self.add_error("not_completed_note", _("Tell the reason in a few words."))
        return cleaned

    @property
    def completed(self) -> bool:
        return self.cleaned_data["outcome"] == self.COMPLETED

    def expenses(self) -> list[Expense]:
        return super().expenses() if self.completed else []


class OrdererFeedbackForm(forms.Form):
    text = forms.CharField(
        label=_("Your feedback to the expert"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Private: only the expert and the coordinators see it. It is never a public rating."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class MonthForm(forms.Form):
    """The list's month: 2026-11 (what a month picker sends) or 11.2026 / 11/2026 typed by hand."""

    month = forms.CharField(label=_("Month"), required=False, max_length=10)

    def clean_month(self) -> date | None:
        value = self.cleaned_data["month"].strip()
        if not value:
            return None
        match = re.fullmatch(r"(\d{4})-(\d{1,2})", value) or re.fullmatch(r"(\d{1,2})[./](\d{4})", value)
        if match:
            year, month = match.groups() if len(match.group(1)) == 4 else reversed(match.groups())
            if 1 <= int(month) <= 12 and 2000 <= int(year) <= 2100:
                return date(int(year), int(month), 1)
        raise forms.ValidationError(_("Give the month as 11.2026 or 2026-11."), code="invalid")


class DebriefDateForm(forms.Form):
    """The date a coordinator agreed on with the expert for a debrief (bookings/debriefs.py)."""

    on = PickerDateField(
        label=_("Date of the debrief"),
        input_formats=DATE_FORMATS,
        widget=DateInput(),
        help_text=_("For example 24.11.2026"),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def clean_on(self) -> date:
        day = self.cleaned_data["on"]
        if day < timezone.localdate():
            raise forms.ValidationError(_("The date has passed. If the debrief was held, mark it held."))
        return day
