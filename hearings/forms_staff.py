"""Staff forms: topics, campaigns, questions, notes from offline channels and paper answers.

Texts shown to residents have a column per language (modeltranslation's *_fi, *_sv, *_en); Finnish
is required, the others fall back to it. Times are wall-clock times in Helsinki, typed as in
bookings' forms ("24.11.2026", "14.30").
"""

from django import forms
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from bookings.forms import DATE_FORMATS, SPRING_GAP, TIME_FORMATS, PickerDateField, PickerTimeField, helsinki_time
from experts.forms_profile import DateInput, TimeInput
from experts.models import Municipality
from kokemuspankki.form_keys import FormKeyMixin

from .forms_public import question_field
from .models import (
    AgeGroup,
    Answer,
    Campaign,
    Channel,
    Note,
    Question,
    QuestionKind,
    Topic,
    TopicStatus,
)

LANGUAGES = ["fi", "sv", "en"]
LANGUAGE_NAMES = {"fi": _("Finnish"), "sv": _("Swedish"), "en": _("English")}


def language_fields(names: list[str]) -> list[str]:
    return [f"{name}_{language}" for language in LANGUAGES for name in names]


class StaffForm(FormKeyMixin, forms.ModelForm):
    """A form with a one-time key (form_keys.py) and no colon after labels."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.init_form_key()

    def clean(self):
        cleaned = super().clean()
        self.check_form_key()
        return cleaned

    def by_language(self, names: list[str]) -> list[tuple[str, str, list]]:
        """[(code, name, [bound fields])] for the template's side-by-side language columns."""
        return [
            (language, LANGUAGE_NAMES[language], [self[f"{name}_{language}"] for name in names])
            for language in LANGUAGES
        ]


# --- Topics --------------------------------------------------------------------------------------


class TopicForm(StaffForm):
    class Meta:
        model = Topic
        fields = ["title", "description", "proposer", "decision", "decision_due", "priority", "status"]
        widgets = {"decision_due": DateInput(), "description": forms.Textarea(attrs={"rows": 5})}
        field_classes = {"decision_due": PickerDateField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision_due"].input_formats = DATE_FORMATS
        if not self.instance.campaign_id:
            # "In a campaign" is set by turning the topic into one, with the link to it.
            self.fields["status"].choices = [c for c in TopicStatus.choices if c[0] != TopicStatus.IN_CAMPAIGN]


class TopicFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All but declined and done")), *TopicStatus.choices], required=False
    )


# --- Campaigns -----------------------------------------------------------------------------------

CAMPAIGN_TEXTS = ["title", "summary", "plain_summary", "background"]


class CampaignForm(StaffForm):
    opens_on = PickerDateField(label=_("Opens on"), input_formats=DATE_FORMATS, widget=DateInput())
    opens_time = PickerTimeField(label=_("at"), input_formats=TIME_FORMATS, widget=TimeInput(), initial="09:00")
    closes_on = PickerDateField(label=_("Closes on"), input_formats=DATE_FORMATS, widget=DateInput())
    closes_time = PickerTimeField(label=_("at"), input_formats=TIME_FORMATS, widget=TimeInput(), initial="16:00")
    channels = forms.MultipleChoiceField(
        label=_("Channels"), choices=Channel.choices, widget=forms.CheckboxSelectMultiple
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        choices=[(code, name) for code, name in LANGUAGE_NAMES.items()],
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The languages its form and texts are offered in."),
    )

    class Meta:
        model = Campaign
        fields = [
            *language_fields(CAMPAIGN_TEXTS),
            "responsible_unit",
            "target_groups",
            "channels",
            "languages",
            "is_published",
            "ask_age_group",
            "ask_municipality",
        ]
        widgets = {
            **{
                f"{name}_{lang}": forms.Textarea(attrs={"rows": 4})
                for name in ("summary", "plain_summary")
                for lang in LANGUAGES
            },
            **{f"background_{lang}": forms.Textarea(attrs={"rows": 8}) for lang in LANGUAGES},
        }
        help_texts = {
            "is_published": _("A published campaign is shown to residents; its form opens at the opening time."),
        }

    def __init__(self, *args, **kwargs):
        instance = kwargs.get("instance")
        initial = kwargs.setdefault("initial", {})
        if instance is not None and instance.pk:
            opens, closes = timezone.localtime(instance.opens_at), timezone.localtime(instance.closes_at)
            initial.update(
                {
                    "opens_on": opens.date(),
                    "opens_time": opens.time(),
                    "closes_on": closes.date(),
                    "closes_time": closes.time(),
                }
            )
        else:
            initial.setdefault("channels", [Channel.ONLINE])
            initial.setdefault("languages", ["fi", "sv"])
        super().__init__(*args, **kwargs)
        for name in ("title_fi", "summary_fi"):
            self.fields[name].required = True

    def language_columns(self):
        return self.by_language(CAMPAIGN_TEXTS)

    def clean(self):
        cleaned = super().clean()
        opens = self._moment("opens_on", "opens_time")
        closes = self._moment("closes_on", "closes_time")
        if opens and closes:
            if closes <= opens:
                self.add_error("closes_on", _("The campaign must close after it opens."))
            else:
                self.instance.opens_at, self.instance.closes_at = opens, closes
        if "fi" not in cleaned.get("languages", ["fi"]):
            # The Finnish texts are required and every other language falls back to them.
            self.add_error("languages", _("Finnish is always offered."))
        return cleaned

    def _moment(self, day_name: str, time_name: str):
        day, clock = self.cleaned_data.get(day_name), self.cleaned_data.get(time_name)
        if not (day and clock):
            return None
        moment = helsinki_time(day, clock)
        if moment is None:
            skipped, resumes = (formats.time_format(t, "TIME_FORMAT") for t in SPRING_GAP)
            self.add_error(
                time_name,
                _(
                    "This time does not exist in Finland: the clocks go forward from %(skipped)s to "
                    "%(resumes)s that night. Choose a time before %(skipped)s or from %(resumes)s on."
                )
                % {"skipped": skipped, "resumes": resumes},
            )
        return moment


# --- Questions -----------------------------------------------------------------------------------

QUESTION_TEXTS = ["text", "help_text"]
SCALE_TEXTS = ["low_label", "high_label"]
MAX_CHOICES = 30


class QuestionForm(StaffForm):
    """A question with its texts in each language and, for a choice question, its choices one per
    line in each language (line by line the same choices)."""

    class Meta:
        model = Question
        fields = ["kind", *language_fields(QUESTION_TEXTS), "required", *language_fields(SCALE_TEXTS)]
        widgets = {
            "kind": forms.RadioSelect,
            **{f"text_{lang}": forms.Textarea(attrs={"rows": 2}) for lang in LANGUAGES},
        }

    def __init__(self, *args, answered_choices: set[int] | None = None, has_answers: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.has_answers = has_answers
        self.answered_choices = answered_choices or set()
        self.fields["text_fi"].required = True
        self.choices = list(self.instance.choices.order_by("order", "pk")) if self.instance.pk else []
        for language in LANGUAGES:
            self.fields[f"choices_{language}"] = forms.CharField(
                label=_("Choices in %(language)s") % {"language": LANGUAGE_NAMES[language]},
                help_text=_("One choice a line."),
                widget=forms.Textarea(attrs={"rows": 5}),
                required=False,
                initial="\n".join(getattr(c, f"label_{language}") or "" for c in self.choices).rstrip("\n"),
            )
        if has_answers:
            self.fields["kind"].disabled = True
            self.fields["kind"].help_text = _("The question has answers: its kind cannot change.")

    def language_columns(self):
        """The texts and the choices of each language, side by side."""
        return [
            (code, name, [*fields, self[f"choices_{code}"]])
            for code, name, fields in self.by_language(QUESTION_TEXTS + SCALE_TEXTS)
        ]

    def lines(self, language: str) -> list[str]:
        return [line.strip() for line in self.cleaned_data.get(f"choices_{language}", "").splitlines()]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") not in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            return cleaned
        finnish = [line for line in self.lines("fi") if line]
        if len(finnish) < 2:
            self.add_error("choices_fi", _("Give at least two choices, one a line."))
        elif len(finnish) > MAX_CHOICES:
            self.add_error("choices_fi", _("At most %(n)s choices.") % {"n": MAX_CHOICES})
        elif any(len(line) > 200 for language in LANGUAGES for line in self.lines(language)):
            self.add_error("choices_fi", _("A choice can be at most 200 characters long."))
        for language in ("sv", "en"):
            others = [line for line in self.lines(language) if line]
            if others and len(others) != len(finnish):
                self.add_error(
                    f"choices_{language}",
                    _("Give the same number of choices as in Finnish (%(n)s), in the same order.")
                    % {"n": len(finnish)},
                )
        removed = [c for c in self.choices[len(finnish) :] if c.pk in self.answered_choices]
        if removed:
            self.add_error(
                "choices_fi",
                _("“%(choice)s” has answers and cannot be removed. You can reword it.") % {"choice": removed[0]},
            )
        return cleaned

    def choice_rows(self) -> list[dict[str, str]]:
        """[{"fi": label, "sv": label or "", "en": …}] in order (services._save_choices)."""
        finnish = [line for line in self.lines("fi") if line]
        other = {language: [line for line in self.lines(language) if line] for language in ("sv", "en")}
        return [
            {"fi": label, **{lang: (other[lang][i] if other[lang] else "") for lang in ("sv", "en")}}
            for i, label in enumerate(finnish)
        ]


# --- Offline channels ----------------------------------------------------------------------------

OFFLINE_CHANNELS = [(c.value, c.label) for c in (Channel.WORKSHOP, Channel.PANEL, Channel.PAPER)]


class NoteForm(StaffForm):
    class Meta:
        model = Note
        fields = ["channel", "title", "held_on", "participants", "text"]
        widgets = {"channel": forms.RadioSelect, "held_on": DateInput(), "text": forms.Textarea(attrs={"rows": 12})}
        field_classes = {"held_on": PickerDateField}
        labels = {"held_on": _("Date")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["channel"].choices = OFFLINE_CHANNELS
        self.fields["held_on"].input_formats = DATE_FORMATS


class PaperResponseForm(FormKeyMixin, forms.Form):
    """One paper form typed in: the campaign's questions (`q<id>`, each the online form's own field:
    forms_public.question_field) and, when it asks them, the background questions."""

    answered_on = PickerDateField(label=_("Date on the form"), input_formats=DATE_FORMATS, widget=DateInput())
    language = forms.ChoiceField(label=_("Language of the form"), choices=list(LANGUAGE_NAMES.items()), initial="fi")

    def __init__(self, *args, campaign: Campaign, questions: list[Question], **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.init_form_key()
        self.questions = questions
        if campaign.ask_age_group:
            self.fields["age_group"] = forms.ChoiceField(
                label=_("Age group"), choices=[("", _("Not given")), *AgeGroup.choices], required=False
            )
        if campaign.ask_municipality:
            self.fields["municipality"] = forms.ModelChoiceField(
                label=_("Municipality"),
                queryset=Municipality.objects.filter(is_active=True),
                required=False,
                empty_label=_("Not given"),
            )
        for question in questions:
            self.fields[f"q{question.pk}"] = question_field(question)

    def question_fields(self):
        """(question, bound field) pairs in the questions' order."""
        return [(question, self[f"q{question.pk}"]) for question in self.questions]

    def clean(self):
        cleaned = super().clean()
        self.check_form_key()
        if not self.errors and not any(cleaned.get(f"q{question.pk}") for question in self.questions):
            raise forms.ValidationError(_("The form has no answers: type in at least one before saving."))
        return cleaned

    def answers(self, response) -> list[Answer]:
        rows = []
        for question in self.questions:
            value = self.cleaned_data.get(f"q{question.pk}")
            if not value:
                continue
            if question.kind == QuestionKind.SINGLE:
                rows.append(Answer(response=response, question=question, choice_id=int(value)))
            elif question.kind == QuestionKind.MULTIPLE:
                rows += [Answer(response=response, question=question, choice_id=int(pk)) for pk in value]
            elif question.kind == QuestionKind.LIKERT:
                rows.append(Answer(response=response, question=question, value=int(value)))
            else:
                rows.append(Answer(response=response, question=question, text=value.strip()))
        return rows
