"""Coordinators' forms after the fact: an assignment recorded after it happened, and a correction of a
completed booking (afterwards.py saves both). Each carries a one-time key (kokemuspankki/form_keys.py):
a double submit records one assignment, or one correction."""

from decimal import Decimal

from django import forms
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from experts.forms_profile import DateInput, TimeInput
from experts.models import ExpertProfile, TaskType
from kokemuspankki.form_keys import FormKeyMixin

from .exports import ExpertChoiceField
from .forms import (
    DATE_FORMATS,
    TIME_FORMATS,
    ContactPersonField,
    DecimalInputField,
    ExpensesForm,
    PickerDateField,
    PickerTimeField,
    clean_time_range,
    contact_people,
)
from .models import Assignment, Booking, ExpenseLine
from .money import MoneyField, format_money

FEE_DIFFERS = _("Give a reason when the fee differs from the tariff.")


def hours_field(**kwargs) -> DecimalInputField:
    return DecimalInputField(
        label=_("Hours"), required=False, min_value=Decimal("0.25"), max_value=Decimal("24"), decimal_places=2, **kwargs
    )


class FeeFields(forms.Form):
    fee = MoneyField(label=_("Fee (€)"), required=False)
    fee_waived = forms.BooleanField(label=_("Fee waived"), required=False, help_text=_("The expert declined the fee."))
    fee_note = forms.CharField(label=_("Reason for changing the fee"), required=False, max_length=300)

    def check_fee(self, cleaned, tariff, hours: Decimal, *, by_tariff: bool) -> None:
        """`fee` None when the tariff prices it (`by_tariff`, no amount, or waived); another amount
        than the tariff's needs a reason, as services.set_fee requires."""
        fee = cleaned.get("fee")
        if by_tariff or fee is None or cleaned.get("fee_waived"):
            cleaned["fee"] = None
        elif fee != tariff.fee_for(hours) and not cleaned.get("fee_note", "").strip():
            self.add_error("fee_note", FEE_DIFFERS)


class RecordPastForm(FormKeyMixin, FeeFields, ExpensesForm, forms.ModelForm):
    """An assignment that already took place, with its expert, hours, fee and expenses: all in one.
    The hours default to the assignment's time, the fee to the tariff's for the hours."""

    date = PickerDateField(label=_("Date"), input_formats=DATE_FORMATS, widget=DateInput())
    start_time = PickerTimeField(label=_("Started at"), input_formats=TIME_FORMATS, widget=TimeInput())
    end_time = PickerTimeField(label=_("Ended at"), input_formats=TIME_FORMATS, widget=TimeInput())
    expert = ExpertChoiceField(label=_("Expert"), queryset=ExpertProfile.objects.none(), empty_label=_("Choose"))
    hours = hours_field(help_text=_("Leave empty for the assignment's time."))

    class Meta:
        model = Assignment
        fields = ["title", "task_type", "address", "unit", "contact_person", "tariff"]
        field_classes = {"contact_person": ContactPersonField}

    field_order = ["title", "task_type", "date", "start_time", "end_time", "address", "unit", "contact_person"]

    def __init__(self, *args, user: User, **kwargs):
        kwargs.setdefault("label_suffix", "")
        kwargs.setdefault("initial", {}).setdefault("contact_person", user.pk)
        super().__init__(*args, **kwargs)
        self.init_form_key()
        self.fields["task_type"].queryset = TaskType.objects.filter(is_active=True)
        self.fields["contact_person"].queryset = contact_people(user)
        # Consented experts, paused ones and those still onboarding too: it took place already.
        self.fields["expert"].queryset = ExpertProfile.objects.consented().order_by(Lower("display_name"), "pk")
        self.fields["fee"].help_text = _("Leave empty for the tariff's fee for the hours.")

    def clean(self):
        cleaned = super().clean()
        self.check_form_key()
        day = cleaned.get("date")
        times = clean_time_range(self, day, cleaned.get("start_time"), cleaned.get("end_time"))
        if times is None:
            return cleaned
        if times[1] > timezone.now():
            self.add_error(
                "end_time" if day == timezone.localdate() else "date",
                _("The assignment must have ended already. Enter one still to come as a new assignment."),
            )
            return cleaned
        self.instance.starts_at, self.instance.ends_at = times
        cleaned["hours"] = cleaned.get("hours") or self.instance.hours
        if cleaned.get("tariff"):
            self.check_fee(cleaned, cleaned["tariff"], cleaned["hours"], by_tariff=False)
        return cleaned


class ExpenseLineChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: ExpenseLine) -> str:
        label = f"{obj.get_kind_display()}: {format_money(obj.amount)}"
        if obj.note:
            label += f" ({obj.note})"
        if obj.claim_id:
            label += " – " + str(_("from the expert's claim"))
        return label


class CorrectBookingForm(FormKeyMixin, FeeFields, ExpensesForm):
    """A correction of a completed booking: hours, fee, expense lines removed and added, and why.

    The fields start from the booking as it is. An untouched fee that followed the tariff (or was
    waived) follows the tariff for corrected hours; an amount set by hand stays, with its reason."""

    hours = hours_field()
    remove_lines = ExpenseLineChoiceField(
        label=_("Remove expenses"),
        queryset=ExpenseLine.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    reason = forms.CharField(
        label=_("Reason for the correction"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Payroll and the audit log see it, for example: the expert drove 40 km, not 14."),
    )

    field_order = ["hours", "fee", "fee_waived", "fee_note", "remove_lines"]

    def __init__(self, *args, booking: Booking, **kwargs):
        kwargs.setdefault("label_suffix", "")
        self.booking = booking
        kwargs.setdefault(
            "initial",
            {
                "hours": booking.hours,
                "fee": booking.fee,
                "fee_waived": booking.fee_waived,
                "fee_note": booking.fee_note,
            },
        )
        super().__init__(*args, **kwargs)
        self.init_form_key()
        self.fields["remove_lines"].queryset = booking.expense_lines.order_by("pk")
        self.fields["fee"].help_text = _("By the tariff %(tariff)s. Left as it is, it follows corrected hours.") % {
            "tariff": booking.assignment.tariff
        }

    def clean(self):
        cleaned = super().clean()
        self.check_form_key()
        booking = self.booking
        cleaned["hours"] = hours = cleaned.get("hours") or booking.hours
        automatic = booking.fee_waived or booking.fee == booking.fee_computed
        untouched = cleaned.get("fee") == booking.fee and not cleaned.get("fee_waived")
        self.check_fee(cleaned, booking.assignment.tariff, hours, by_tariff=untouched and automatic)
        return cleaned
