"""Forms of client panels: the panel, its members and terms, meetings, booking the expert members
and a meeting's output. Writes with side effects (bookings) are panels.py's."""

from django import forms
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
from experts.models import ExpertProfile, TaskType
from kokemuspankki.form_keys import FormKeyMixin

from .models import Campaign, Channel, Note, Panel, PanelMeeting, PanelMember

PANEL_TASK = "asiakasraati"


class ExpertChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.display_name


class PanelForm(FormKeyMixin, forms.ModelForm):
    coordinator = ContactPersonField(label=_("Coordinator"), queryset=User.objects.none())

    class Meta:
        model = Panel
        fields = [
            "name_fi",
            "name_sv",
            "name_en",
            "description_fi",
            "description_sv",
            "unit",
            "coordinator",
            "is_active",
        ]
        widgets = {
            "description_fi": forms.Textarea(attrs={"rows": 4}),
            "description_sv": forms.Textarea(attrs={"rows": 4}),
        }
        labels = {
            "name_fi": _("Name in Finnish"),
            "name_sv": _("Name in Swedish"),
            "name_en": _("Name in English"),
            "description_fi": _("Description in Finnish"),
            "description_sv": _("Description in Swedish"),
        }

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.init_form_key()
        self.fields["name_fi"].required = True
        self.fields["coordinator"].queryset = (
            User.objects.filter(groups__name__in=[Role.COORDINATOR, Role.ADMIN], is_active=True)
            .distinct()
            .order_by("first_name", "last_name", "email")
        )

    def clean(self):
        cleaned = super().clean()
        self.check_form_key()
        return cleaned


class MemberForm(FormKeyMixin, forms.ModelForm):
    """An expert of the bank, or a resident with contact details kept only with their consent."""

    KIND_CHOICES = [("expert", _("An expert of the expert bank")), ("resident", _("A resident"))]
    kind = forms.ChoiceField(label=_("The member is"), choices=KIND_CHOICES, widget=forms.RadioSelect)
    expert = ExpertChoiceField(label=_("Expert"), queryset=ExpertProfile.objects.none(), required=False)
    term_starts = PickerDateField(label=_("Term starts"), input_formats=DATE_FORMATS, widget=DateInput())
    term_ends = PickerDateField(label=_("Term ends"), input_formats=DATE_FORMATS, widget=DateInput(), required=False)

    class Meta:
        model = PanelMember
        fields = ["expert", "name", "email", "phone", "contact_consent", "term_starts", "term_ends"]
        help_texts = {
            "name": _("A resident's name. For an expert, leave empty."),
            "contact_consent": _("Email and phone are kept only when the resident has agreed to be contacted."),
        }

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        instance = kwargs.get("instance")
        if instance is not None and instance.pk:
            kwargs.setdefault("initial", {})["kind"] = "expert" if instance.expert_id else "resident"
        super().__init__(*args, **kwargs)
        self.init_form_key()
        listed = ExpertProfile.objects.listed()
        if instance is not None and instance.expert_id:
            # A member already on the panel stays choosable even if they left the bank since.
            listed = listed | ExpertProfile.objects.filter(pk=instance.expert_id)
        self.fields["expert"].queryset = listed.order_by("display_name", "pk")
        self.fields["expert"].empty_label = _("Choose an expert")

    def clean(self):
        cleaned = super().clean()
        self.check_form_key()
        if cleaned.get("kind") == "expert":
            if not cleaned.get("expert"):
                self.add_error("expert", _("Choose the expert."))
            # An expert's contact details live in their own profile: none are kept here.
            cleaned.update(name="", email="", phone="", contact_consent=False)
            for name in ("name", "email", "phone"):
                setattr(self.instance, name, "")
            self.instance.contact_consent = False
        elif cleaned.get("kind") == "resident":
            cleaned["expert"] = None
            self.instance.expert = None
            if not cleaned.get("name", "").strip():
                self.add_error("name", _("Give the resident's name."))
            if (cleaned.get("email") or cleaned.get("phone")) and not cleaned.get("contact_consent"):
                self.add_error(
                    "contact_consent",
                    _("Contact details can be kept only with the resident's consent to be contacted."),
                )
        starts, ends = cleaned.get("term_starts"), cleaned.get("term_ends")
        if starts and ends and ends < starts:
            self.add_error("term_ends", _("The term must end after it starts."))
        return cleaned


class MeetingForm(FormKeyMixin, forms.ModelForm):
    date = PickerDateField(label=_("Date"), input_formats=DATE_FORMATS, widget=DateInput())
    start_time = PickerTimeField(label=_("Starts at"), input_formats=TIME_FORMATS, widget=TimeInput())
    end_time = PickerTimeField(label=_("Ends at"), input_formats=TIME_FORMATS, widget=TimeInput())

    class Meta:
        model = PanelMeeting
        fields = ["place", "agenda"]
        widgets = {"agenda": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.init_form_key()

    def clean(self):
        cleaned = super().clean()
        self.check_form_key()
        times = clean_time_range(self, cleaned.get("date"), cleaned.get("start_time"), cleaned.get("end_time"))
        if times is not None:
            self.instance.starts_at, self.instance.ends_at = times
        return cleaned


class BookMembersForm(forms.ModelForm):
    """What bookings needs to order the expert members: the fee basis, the task and the ordering
    unit. The time, place, contact person and purpose come from the meeting (panels.py)."""

    class Meta:
        model = Assignment
        fields = ["tariff", "task_type", "unit"]

    def __init__(self, *args, unit: str = "", **kwargs):
        kwargs.setdefault("label_suffix", "")
        initial = kwargs.setdefault("initial", {})
        initial.setdefault("task_type", TaskType.objects.filter(slug=PANEL_TASK).values_list("pk", flat=True).first())
        initial.setdefault("unit", unit)
        super().__init__(*args, **kwargs)
        self.fields["task_type"].queryset = TaskType.objects.filter(is_active=True)
        self.fields["tariff"].empty_label = None


class OutputForm(FormKeyMixin, forms.ModelForm):
    """A meeting's output, saved as a Note of the client panel channel on the chosen campaign: it then
    shows in that campaign's analysis with the other channels."""

    class Meta:
        model = Note
        fields = ["campaign", "title", "text", "participants"]
        widgets = {"text": forms.Textarea(attrs={"rows": 8})}
        labels = {"text": _("Output")}
        help_texts = {"campaign": _("The hearing this output feeds into.")}

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.init_form_key()
        self.fields["campaign"].queryset = Campaign.objects.order_by("-opens_at", "pk")
        self.instance.channel = Channel.PANEL

    def clean(self):
        cleaned = super().clean()
        self.check_form_key()
        return cleaned
