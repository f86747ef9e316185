"""The participant's form (built from a version's items) and the staff's round form."""

from datetime import timedelta

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import TEXT_MAX, FormTemplate, Item, ItemKind, Round, Series
from .services import Filled

DONT_KNOW = "x"
STARS = ["1", "2", "3", "4", "5"]
LOCAL_INPUT = "%Y-%m-%dT%H:%M"  # what <input type="datetime-local"> reads and sends


class AnswerForm(forms.Form):
    """One field per item, named item_<id>: stars 1–5 (and "x" for "I cannot say"), free text, or one
    choice. Rendered by templates/feedback/_item.html as real radio groups."""

    token = forms.CharField(widget=forms.HiddenInput, max_length=200)

    def __init__(self, *args, items: list[Item], **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            self.fields[f"item_{item.pk}"] = self.field_for(item)

    @staticmethod
    def field_for(item: Item) -> forms.Field:
        errors = {"required": _("Choose an answer to this question.")}
        if item.kind == ItemKind.TEXT:
            return forms.CharField(
                label=item.text,
                required=item.required,
                max_length=TEXT_MAX,
                strip=True,
                widget=forms.Textarea(attrs={"rows": 4, "maxlength": TEXT_MAX}),
                error_messages={
                    "required": _("Write an answer to this question."),
                    "max_length": _("Write at most %(limit_value)d characters (now %(show_value)d)."),
                },
            )
        if item.kind == ItemKind.CHOICE:
            choices = [(str(choice.pk), choice.label) for choice in item.choices.all()]
            errors["invalid_choice"] = _("Choose one of the answers shown.")
            return forms.ChoiceField(
                label=item.text,
                required=item.required,
                choices=choices,
                error_messages=errors,
                widget=forms.RadioSelect,
            )
        choices = [(n, n) for n in STARS] + ([(DONT_KNOW, _("I cannot say"))] if item.allow_dont_know else [])
        errors["invalid_choice"] = _("Choose from 1 to 5 stars.")
        return forms.ChoiceField(
            label=item.text, required=item.required, choices=choices, error_messages=errors, widget=forms.RadioSelect
        )

    def clean(self):
        cleaned = super().clean()
        if not self.errors and self.filled().is_empty():
            raise ValidationError(_("Answer at least one question before sending."), code="empty")
        return cleaned

    def filled(self) -> Filled:
        filled = Filled()
        for item in self.items:
            value = self.cleaned_data.get(f"item_{item.pk}")
            if not value:
                continue
            if item.kind == ItemKind.TEXT:
                filled.texts[item.pk] = value
            elif item.kind == ItemKind.CHOICE:
                filled.choices[item.pk] = int(value)
            elif value == DONT_KNOW:
                filled.dont_know.add(item.pk)
            else:
                filled.values[item.pk] = int(value)
        return filled

    def rows(self):
        """(item, bound field) pairs for the template."""
        return [(item, self[f"item_{item.pk}"]) for item in self.items]


def quick_filled(data, items: list[Item]) -> Filled | None:
    """What AnswerForm(data).filled() gives for a plainly valid answer, without building the form: a
    participant's POST is the page every round receives most (make bench). None whenever anything is
    off (a required item missing, a value out of range, a NUL byte, too long a text, nothing answered):
    then the view builds AnswerForm, which decides and words the errors. So this only ever accepts what
    the form accepts (tests/feedback/test_answering.py compares the two)."""
    token = data.get("token", "").strip()
    if not token or len(token) > 200:
        return None
    filled = Filled()
    for item in items:
        value = data.get(f"item_{item.pk}", "")
        if item.kind == ItemKind.TEXT:
            value = value.strip()
            if len(value) > TEXT_MAX or "\x00" in value:
                return None
            if value:
                filled.texts[item.pk] = value
        elif value == "":
            pass
        elif item.kind == ItemKind.CHOICE:
            if value not in {str(choice.pk) for choice in item.choices.all()}:
                return None
            filled.choices[item.pk] = int(value)
        elif value in STARS:
            filled.values[item.pk] = int(value)
        elif value == DONT_KNOW and item.allow_dont_know:
            filled.dont_know.add(item.pk)
        else:
            return None
        if item.required and value == "":
            return None
    return None if filled.is_empty() else filled


class CodeForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=20, min_length=1)


class RoundForm(forms.Form):
    template = forms.ModelChoiceField(
        label=_("Form"),
        queryset=FormTemplate.objects.filter(is_active=True, versions__isnull=False).distinct(),
        empty_label=None,  # a round always has a form; the participants' one is chosen first (the view)
    )
    title = forms.CharField(
        label=_("Name shown to participants"),
        max_length=200,
        help_text=_("Participants see this above the questions, for example the session's name and date."),
    )
    opens_at = forms.DateTimeField(
        label=_("Opens"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_INPUT)
    )
    closes_at = forms.DateTimeField(
        label=_("Closes"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_INPUT)
    )
    series = forms.ModelChoiceField(
        label=_("Part of a series"),
        queryset=Series.objects.none(),
        required=False,
        help_text=_("Rounds of one series are shown side by side: does the mood rise over the sessions?"),
    )
    new_series = forms.CharField(label=_("Or start a new series"), max_length=200, required=False)
    participants = forms.CharField(
        label=_("Email addresses of participants who agreed to get the link"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One or more, separated by commas or lines. They are used only to send the link."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["series"].queryset = Series.objects.filter(owner=user)

    def clean_participants(self) -> list[str]:
        text = self.cleaned_data["participants"]
        addresses = [part.strip() for part in text.replace(",", "\n").replace(";", "\n").split("\n") if part.strip()]
        wrong = []
        for address in addresses:
            try:
                validate_email(address)
            except ValidationError:
                wrong.append(address)
        if wrong:
            raise ValidationError(_("Check these addresses: %(wrong)s"), params={"wrong": ", ".join(wrong[:5])})
        if len(addresses) > 500:
            raise ValidationError(_("Give at most 500 addresses at a time."))
        return list(dict.fromkeys(address.lower() for address in addresses))

    def clean(self):
        cleaned = super().clean()
        opens, closes = cleaned.get("opens_at"), cleaned.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", _("The round must close after it opens."))
        if opens and closes and closes - opens > timedelta(days=366):
            self.add_error("closes_at", _("A round can be open for a year at most."))
        if cleaned.get("series") and cleaned.get("new_series"):
            self.add_error("new_series", _("Choose a series or name a new one, not both."))
        return cleaned


def default_times(start, end) -> tuple:
    """A round opens when the session ends and stays open KP_FEEDBACK_OPEN_DAYS days."""
    opens = max(end, timezone.now()) if end else timezone.now()
    return opens, opens + timedelta(days=settings.KP_FEEDBACK_OPEN_DAYS)


class RoundTimesForm(forms.ModelForm):
    class Meta:
        model = Round
        fields = ["opens_at", "closes_at"]
        widgets = {
            "opens_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_INPUT),
            "closes_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_INPUT),
        }

    def clean(self):
        cleaned = super().clean()
        opens, closes = cleaned.get("opens_at"), cleaned.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", _("The round must close after it opens."))
        return cleaned
