from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import kinds
from .models import Channel


class PreferencesForm(forms.Form):
    """One checkbox per optional kind by email (checked: "send me these"), and, while an SMS backend is
    configured, one per kind offered by text message (checked: "also by text message")."""

    def __init__(self, *args, enabled: set[tuple[str, str]], sms: bool, has_number: bool, **kwargs):
        super().__init__(*args, label_suffix="", **kwargs)
        self.has_number = has_number
        for kind in kinds.optional_kinds():
            self.fields[f"{kind.code}:{Channel.EMAIL}"] = forms.BooleanField(
                label=kind.label, required=False, initial=(kind.code, Channel.EMAIL) in enabled
            )
        for kind in kinds.sms_kinds() if sms else []:
            self.fields[f"{kind.code}:{Channel.SMS}"] = forms.BooleanField(
                label=kind.label, required=False, initial=(kind.code, Channel.SMS) in enabled
            )

    def email_fields(self):
        return [field for field in self if field.name.endswith(f":{Channel.EMAIL}")]

    def sms_fields(self):
        return [field for field in self if field.name.endswith(f":{Channel.SMS}")]

    def clean(self):
        cleaned = super().clean()
        chosen = [name for name, value in cleaned.items() if value and name.endswith(f":{Channel.SMS}")]
        if chosen and not self.has_number:
            self.add_error(chosen[0], ValidationError(_("Add your mobile number first: text messages need one.")))
        return cleaned

    def choices(self):
        for name, value in self.cleaned_data.items():
            kind, channel = name.split(":")
            yield kind, channel, value
