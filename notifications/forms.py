from django import forms

from . import kinds
from .models import Channel


class PreferencesForm(forms.Form):
    """One checkbox per optional kind and channel: checked means "send me these"."""

    def __init__(self, *args, enabled: set[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        for kind in kinds.optional_kinds():
            for channel, channel_label in Channel.choices:
                self.fields[f"{kind.code}:{channel}"] = forms.BooleanField(
                    label=f"{kind.label} – {channel_label}",
                    required=False,
                    initial=(kind.code, channel) in enabled,
                )

    def choices(self):
        for name, value in self.cleaned_data.items():
            kind, channel = name.split(":")
            yield kind, channel, value
