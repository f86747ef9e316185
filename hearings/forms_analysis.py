"""The analysis's forms: the filter (GET), themes, and tagging many texts at once."""

from django import forms
from django.utils.translation import gettext_lazy as _

from experts.models import Municipality

from .analysis import Filters
from .models import AgeGroup, Channel, Theme


class AnalysisFilterForm(forms.Form):
    """Channel, age group and municipality; every field may be left at "all". An unknown value (an old
    link, a hand-edited address) is a form error shown above the figures, which then show unfiltered."""

    kanava = forms.ChoiceField(label=_("Channel"), required=False, choices=[("", _("All channels")), *Channel.choices])
    ika = forms.ChoiceField(label=_("Age group"), required=False, choices=[("", _("All ages")), *AgeGroup.choices])
    kunta = forms.ModelChoiceField(
        label=_("Municipality"),
        required=False,
        queryset=Municipality.objects.none(),
        empty_label=_("All municipalities"),
    )

    def __init__(self, *args, municipalities=(), **kwargs):
        super().__init__(*args, **kwargs)
        # Only the municipalities that answers name: a list of every Finnish one would help no one.
        self.fields["kunta"].queryset = Municipality.objects.filter(pk__in=municipalities)

    def filters(self) -> Filters:
        if not self.is_valid():
            return Filters()
        data = self.cleaned_data
        return Filters(data["kanava"], data["ika"], data["kunta"].pk if data["kunta"] else None)


class ThemeForm(forms.ModelForm):
    class Meta:
        model = Theme
        fields = ["name"]

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(_("Write the theme's name."))
        return name


class TagForm(forms.Form):
    """Apply or remove one theme on the ticked answers and notes."""

    theme = forms.ModelChoiceField(label=_("Theme"), queryset=Theme.objects.none())
    answers = forms.TypedMultipleChoiceField(coerce=int, required=False)
    notes = forms.TypedMultipleChoiceField(coerce=int, required=False)
    action = forms.ChoiceField(choices=[("add", _("Add the theme")), ("remove", _("Remove the theme"))])

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].queryset = campaign.themes.all()
        # The ids are checked against the campaign by the service (tag_texts), not listed here: the
        # page shows 50 of perhaps thousands.
        for name in ("answers", "notes"):
            self.fields[name].valid_value = lambda value: True

    def clean(self):
        data = super().clean()
        if not data.get("answers") and not data.get("notes"):
            raise forms.ValidationError(_("Tick at least one answer or note."))
        return data


class TextFilterForm(AnalysisFilterForm):
    """The filter of the free-text list: also one question, and one theme or the untagged."""

    kysymys = forms.TypedChoiceField(label=_("Question"), required=False, coerce=int, empty_value=None)
    teema = forms.ChoiceField(label=_("Theme"), required=False)

    def __init__(self, *args, questions=(), themes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kysymys"].choices = [("", _("All free-text questions")), *((q.pk, q.text) for q in questions)]
        self.fields["teema"].choices = [
            ("", _("All, tagged or not")),
            ("none", _("Without a theme")),
            *((str(theme.pk), theme.name) for theme in themes),
        ]
        self.themes = {str(theme.pk): theme for theme in themes}

    def question_ids(self, questions) -> list[int]:
        asked = self.cleaned_data.get("kysymys") if self.is_valid() else None
        return [asked] if asked else [question.pk for question in questions]

    def theme(self):
        """A Theme, "none" for the untagged, or None for all."""
        value = self.cleaned_data.get("teema") if self.is_valid() else ""
        return "none" if value == "none" else self.themes.get(value)
