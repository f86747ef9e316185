"""The onboarding checklist's form: one small form per step (done with an optional note, or undo)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import OnboardingItem


class StepForm(forms.Form):
    """Posted by a step's button: `action` is the button's value, so no JavaScript is needed."""

    action = forms.ChoiceField(choices=[("done", _("Mark done")), ("undo", _("Undo"))])
    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=OnboardingItem._meta.get_field("note").max_length,
        help_text=_("For example the date of the orientation or the mentor's name. No health details."),
    )

    def clean_note(self) -> str:
        return " ".join(self.cleaned_data["note"].split())
