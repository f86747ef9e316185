"""Forms of cohorts, their participants and sessions, attendance and booking an expert trainer.

Forms validate and normalise; the writes with side effects (reminders, bookings) are services.py's.
Dates and times are native pickers that also accept what a Finnish user types ("24.11.2026", "14.30");
times are wall-clock times in Helsinki (settings.TIME_ZONE), as in bookings' forms.
"""

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.roles import Role
from bookings.forms import (
    DATE_FORMATS,
    TIME_FORMATS,
    ContactPersonField,
    PickerDateField,
    PickerTimeField,
    clean_time_range,
)
from bookings.models import Assignment
from experts.forms_profile import DateInput, TimeInput
from experts.models import TaskType
from kokemuspankki.form_keys import FormKeyMixin

from .models import AttendanceStatus, Cohort, Module, Participant, TrainingSession


def staff_who_train():
    """The people who may be a cohort's or a session's trainers: trainers and coordinators."""
    return (
        User.objects.filter(groups__name__in=[Role.TRAINER, Role.COORDINATOR], is_active=True)
        .distinct()
        .order_by("first_name", "last_name", "email")
    )


class PersonField(ContactPersonField):
    """A user shown by name and email, as bookings' contact person."""


class PeopleField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        name = obj.get_full_name()
        return f"{name} ({obj.email})" if name else obj.email


class CohortForm(FormKeyMixin, forms.ModelForm):
    starts_on = PickerDateField(label=_("Starts"), input_formats=DATE_FORMATS, widget=DateInput())
    ends_on = PickerDateField(label=_("Ends"), input_formats=DATE_FORMATS, widget=DateInput())

    class Meta:
        model = Cohort
        fields = [
            "programme",
            "name",
            "place",
            "municipality",
            "partners",
            "starts_on",
            "ends_on",
            "status",
            "coordinator",
            "trainers",
        ]
        field_classes = {"coordinator": PersonField, "trainers": PeopleField}
        widgets = {"partners": forms.CheckboxSelectMultiple, "trainers": forms.CheckboxSelectMultiple}

    def __init__(self, *args, user, **kwargs):
        kwargs.setdefault("label_suffix", "")
        if kwargs.get("instance") is None:
            kwargs.setdefault("initial", {}).setdefault("coordinator", user.pk)
        super().__init__(*args, **kwargs)
        self.init_form_key()
        self.fields["programme"].queryset = self.fields["programme"].queryset.filter(
            Q(is_active=True) | Q(pk=self.instance.programme_id)
        )
        self.fields["coordinator"].queryset = User.objects.filter(
            Q(groups__name=Role.COORDINATOR, is_active=True) | Q(pk=self.instance.coordinator_id or user.pk)
        ).distinct()
        self.fields["trainers"].queryset = staff_who_train()

    def clean(self):
        cleaned = super().clean()
        self.check_form_key()
        starts, ends = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The end date must not be before the start date."))
        return cleaned


class ParticipantForm(FormKeyMixin, forms.ModelForm):
    class Meta:
        model = Participant
        fields = ["name", "email", "phone", "language", "contact_consent"]
        widgets = {
            "name": forms.TextInput(attrs={"autocomplete": "off"}),
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
            "language": forms.RadioSelect,
        }
        help_texts = {
            "contact_consent": _("Without it the participant gets no reminders and no feedback links."),
        }

    def __init__(self, *args, cohort: Cohort, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.cohort = cohort
        self.init_form_key()

    def clean_name(self):
        return " ".join(self.cleaned_data["name"].split())

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if email:
            # One person once in a cohort: a second row with the same address is a double entry.
            others = self.cohort.participants.current().filter(email__iexact=email).exclude(pk=self.instance.pk)
            if others.exists():
                raise forms.ValidationError(_("A participant with this email address is already in the cohort."))
        return email

    def clean(self):
        cleaned = super().clean()
        self.check_form_key()
        if cleaned.get("contact_consent") and not (cleaned.get("email") or cleaned.get("phone", "").strip()):
            self.add_error("email", _("Give an email address or a phone number to contact the participant."))
        return cleaned


class RemoveParticipantForm(forms.Form):
    note = forms.CharField(
        label=_("Reason for removal"),
        max_length=300,
        required=False,
        help_text=_("Optional. Attendance already taken is kept."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class SessionForm(FormKeyMixin, forms.ModelForm):
    """A session's date and times (Helsinki), module, place and trainers. A past date is allowed: a
    session held already may be entered afterwards to take its attendance."""

    date = PickerDateField(label=_("Date"), input_formats=DATE_FORMATS, widget=DateInput())
    start_time = PickerTimeField(label=_("Starts at"), input_formats=TIME_FORMATS, widget=TimeInput())
    end_time = PickerTimeField(label=_("Ends at"), input_formats=TIME_FORMATS, widget=TimeInput())

    class Meta:
        model = TrainingSession
        fields = ["module", "title", "place", "trainers"]
        field_classes = {"trainers": PeopleField}
        widgets = {"trainers": forms.CheckboxSelectMultiple}

    def __init__(self, *args, cohort: Cohort, **kwargs):
        kwargs.setdefault("label_suffix", "")
        instance = kwargs.get("instance")
        if instance is not None and instance.pk:
            starts, ends = timezone.localtime(instance.starts_at), timezone.localtime(instance.ends_at)
            initial = kwargs.setdefault("initial", {})
            initial.update({"date": starts.date(), "start_time": starts.time(), "end_time": ends.time()})
        else:
            kwargs.setdefault("initial", {}).setdefault("place", cohort.place)
        super().__init__(*args, **kwargs)
        self.init_form_key()
        self.cohort = cohort
        self.fields["module"].queryset = Module.objects.filter(programme_id=cohort.programme_id)
        self.fields["trainers"].queryset = staff_who_train()

    def clean(self):
        cleaned = super().clean()
        self.check_form_key()
        times = clean_time_range(self, cleaned.get("date"), cleaned.get("start_time"), cleaned.get("end_time"))
        if times is not None:
            cleaned["starts_at"], cleaned["ends_at"] = times
            self.instance.starts_at, self.instance.ends_at = times
        return cleaned


class AttendanceForm(forms.Form):
    """One radio group per current participant (`p<id>`): present, absent or excused. A person left
    unmarked stays unmarked; "mark all present" is a submit button of its own (no JavaScript)."""

    reason = forms.CharField(
        label=_("Reason for the correction"),
        max_length=300,
        required=False,
        help_text=_("Optional. Changes after the session's day are logged with your name."),
    )

    def __init__(self, *args, participants, current: dict[int, str], **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.participants = list(participants)
        for participant in self.participants:
            self.fields[f"p{participant.pk}"] = forms.ChoiceField(
                label=participant.name,
                choices=AttendanceStatus.choices,
                widget=forms.RadioSelect,
                required=False,
                initial=current.get(participant.pk, ""),
            )

    def rows(self):
        """(participant, bound field) pairs for the template."""
        return [(participant, self[f"p{participant.pk}"]) for participant in self.participants]

    def marks(self, *, all_present: bool) -> dict[int, str]:
        if all_present:
            return {participant.pk: AttendanceStatus.PRESENT for participant in self.participants}
        return {
            participant.pk: self.cleaned_data[f"p{participant.pk}"]
            for participant in self.participants
            if self.cleaned_data.get(f"p{participant.pk}")
        }


class BookTrainerForm(forms.ModelForm):
    """What bookings needs to order an expert trainer for a session: the fee basis, the task and the
    ordering unit. The time, place, contact person and purpose come from the session (services)."""

    expert = forms.ChoiceField(label=_("Expert trainer"), widget=forms.RadioSelect)

    class Meta:
        model = Assignment
        fields = ["tariff", "task_type", "unit"]

    def __init__(self, *args, experts, **kwargs):
        kwargs.setdefault("label_suffix", "")
        initial = kwargs.setdefault("initial", {})
        initial.setdefault("task_type", TaskType.objects.filter(slug="koulutus").values_list("pk", flat=True).first())
        super().__init__(*args, **kwargs)
        self.experts = {str(profile.pk): profile for profile in experts}
        self.fields["expert"].choices = [(key, profile.display_name) for key, profile in self.experts.items()]
        if len(self.experts) == 1:
            self.fields["expert"].initial = next(iter(self.experts))
        self.fields["task_type"].queryset = TaskType.objects.filter(is_active=True)
        self.fields["tariff"].empty_label = None

    def clean_expert(self):
        return self.experts[self.cleaned_data["expert"]]
