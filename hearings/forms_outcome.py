"""Forms of a campaign's outcome: "what we heard" and "what we did" in fi/sv/en, its findings and
each finding's decisions. Publishing and telling residents are outcome.py's."""

from django import forms
from django.utils.translation import gettext_lazy as _

from bookings.forms import DATE_FORMATS, PickerDateField, https_by_default
from experts.forms_profile import DateInput
from kokemuspankki.form_keys import FormKeyMixin

from .models import Campaign, Decision, Finding
from .outcome import decision_error

LANGUAGE_NAMES = {"fi": _("in Finnish"), "sv": _("in Swedish"), "en": _("in English")}


def _label_languages(form, prefixes: dict[str, str]) -> None:
    """ "What we heard, in Swedish": the translated columns labelled by language."""
    for prefix, label in prefixes.items():
        for code, language in LANGUAGE_NAMES.items():
            field = form.fields[f"{prefix}_{code}"]
            field.label = f"{label}, {language}"


class OutcomeForm(forms.ModelForm):
    """The outcome's two texts. Saved as a draft any time; publish_outcome() checks they are there."""

    class Meta:
        model = Campaign
        fields = [
            "heard_summary_fi",
            "heard_summary_sv",
            "heard_summary_en",
            "did_summary_fi",
            "did_summary_sv",
            "did_summary_en",
        ]
        widgets = {name: forms.Textarea(attrs={"rows": 6}) for name in fields}

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        _label_languages(self, {"heard_summary": _("What we heard"), "did_summary": _("What we did")})
        self.fields["heard_summary_fi"].help_text = _(
            "A summary of the answers, notes and panel outputs. Required before publishing."
        )


class FindingForm(FormKeyMixin, forms.ModelForm):
    class Meta:
        model = Finding
        fields = ["text_fi", "text_sv", "text_en"]
        widgets = {name: forms.Textarea(attrs={"rows": 3}) for name in fields}

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.init_form_key()
        _label_languages(self, {"text": _("Finding")})
        self.fields["text_fi"].required = True

    def clean(self):
        cleaned = super().clean()
        self.check_form_key()
        return cleaned


class DecisionForm(FormKeyMixin, forms.ModelForm):
    decided_on = PickerDateField(label=_("Date"), input_formats=DATE_FORMATS, widget=DateInput(), required=False)

    class Meta:
        model = Decision
        fields = ["body", "decided_on", "reference", "url", "status", "reasons"]
        formfield_callback = https_by_default
        widgets = {"status": forms.RadioSelect, "reasons": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "body": _("E.g. the county board or the welfare committee."),
            "reference": _("The section of the minutes, e.g. § 87."),
            "reasons": _("Required when the finding was not adopted: residents are told why."),
        }

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.init_form_key()

    def clean(self):
        cleaned = super().clean()
        self.check_form_key()
        error = decision_error(status=cleaned.get("status", ""), reasons=cleaned.get("reasons", ""))
        if error:
            self.add_error("reasons", error)
        return cleaned
