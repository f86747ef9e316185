"""The orderer's request form and the coordinator's decline form (orders.py, views/orders.py)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from experts.forms_profile import DateInput, TimeInput, is_visible
from experts.models import Language, Municipality, TaskType
from kokemuspankki.form_keys import FormKeyMixin

from .forms import DATE_FORMATS, TIME_FORMATS, PickerDateField, PickerTimeField, clean_time_range
from .models import OrderRequest


class OrderRequestForm(FormKeyMixin, forms.ModelForm):
    """What a unit needs: the task, the time, the audience and the place. Times are Helsinki
    wall-clock times, typed as the coordinator's assignment form takes them (bookings.forms).
    A one-time key (kokemuspankki/form_keys.py) makes a double submit one request."""

    date = PickerDateField(label=_("Date"), input_formats=DATE_FORMATS, widget=DateInput())
    start_time = PickerTimeField(label=_("Starts at"), input_formats=TIME_FORMATS, widget=TimeInput())
    end_time = PickerTimeField(label=_("Ends at"), input_formats=TIME_FORMATS, widget=TimeInput())

    class Meta:
        model = OrderRequest
        fields = [
            "unit",
            "task_type",
            "date",
            "start_time",
            "end_time",
            "audience",
            "municipality",
            "language",
            "address",
            "remote",
            "wishes",
            "contact_phone",
        ]
        labels = {"remote": _("Remote (online meeting)")}
        help_texts = {
            "unit": _("The unit that orders and pays, e.g. Psychiatric outpatient clinic."),
            "wishes": _("What the expert should talk about or do, and anything else the coordinator should know."),
            "contact_phone": _("A number the coordinator and the expert can call on the day."),
        }
        widgets = {
            "audience": forms.TextInput(attrs={"placeholder": _("e.g. 20 nursing students")}),
            "wishes": forms.Textarea(attrs={"rows": 5}),
            "contact_phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
        }

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.init_form_key()
        self.fields["task_type"].queryset = TaskType.objects.filter(is_active=True)
        self.fields["municipality"].queryset = Municipality.objects.filter(is_active=True)
        self.fields["language"].queryset = Language.objects.filter(is_active=True)

    def _visible(self, name: str) -> str:
        # A lone zero-width space passes "required" but gives the coordinator nothing to read.
        value = " ".join(self.cleaned_data[name].split())
        if not any(is_visible(char) for char in value):
            raise forms.ValidationError(_("Write this in a few words."), code="invisible")
        return value

    def clean_unit(self):
        return self._visible("unit")

    def clean_audience(self):
        return self._visible("audience")

    def clean(self):
        cleaned = super().clean()
        self.check_form_key()
        day, start, end = cleaned.get("date"), cleaned.get("start_time"), cleaned.get("end_time")
        if day is None and start and end and end <= start:
            # clean_time_range needs the date; without this the model's constraint would speak instead.
            self.add_error("end_time", _("The end time must be after the start time."))
        times = clean_time_range(self, day, start, end)
        if times is not None and times[0] <= timezone.now():
            field = "start_time" if day == timezone.localdate() else "date"
            self.add_error(field, _("Choose a time that is still to come."))
        if not cleaned.get("address", "").strip() and not cleaned.get("remote"):
            self.add_error("address", _("Give the address, or tick remote if the meeting is online."))
        return cleaned


class DeclineOrderForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the request is declined"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The orderer is told this reason."),
        error_messages={"required": _("Tell the orderer why the request is declined.")},
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
