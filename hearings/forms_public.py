"""The resident's online form, built from a campaign's questions (answering.FormSpec)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .answering import Filled, FormSpec
from .models import AgeGroup, Campaign, Question, QuestionKind

TEXT_MAX = 4000
LIKERT = [(str(n), str(n)) for n in range(1, 6)]
HONEYPOT = "homepage"  # a name that form-filling robots like to fill in


def question_field(question: Question) -> forms.Field:
    """The field of one question, with errors that say what to do."""
    common = {"label": question.text, "required": question.required, "help_text": question.help_text}
    if question.kind == QuestionKind.TEXT:
        return forms.CharField(
            **common,
            max_length=TEXT_MAX,
            strip=True,
            widget=forms.Textarea(attrs={"rows": 5, "maxlength": TEXT_MAX}),
            error_messages={
                "required": _("Write an answer to this question."),
                "max_length": _("Write at most %(limit_value)d characters (now %(show_value)d)."),
                "null_characters_not_allowed": _(
                    "The text has characters that cannot be stored (null characters). Remove them and send again."
                ),
            },
        )
    choices = [(str(choice.pk), choice.label) for choice in question.choices.all()]
    if question.kind == QuestionKind.MULTIPLE:
        return forms.MultipleChoiceField(
            **common,
            choices=choices,
            widget=forms.CheckboxSelectMultiple,
            error_messages={
                "required": _("Choose at least one answer to this question."),
                "invalid_choice": _("Choose from the answers shown."),
                "invalid_list": _("Choose from the answers shown."),
            },
        )
    if question.kind == QuestionKind.SINGLE:
        errors = {
            "required": _("Choose an answer to this question."),
            "invalid_choice": _("Choose one of the answers shown."),
        }
    else:
        choices = LIKERT
        errors = {"required": _("Choose an answer to this question."), "invalid_choice": _("Choose from 1 to 5 stars.")}
    return forms.ChoiceField(**common, choices=choices, widget=forms.RadioSelect, error_messages=errors)


class AnswerForm(forms.Form):
    """One field per question (q_<id>), the optional background questions the campaign asks, and an
    optional address to be told the outcome with its own consent. `homepage` is the honeypot: hidden
    from people and assistive technology, so only a robot fills it (views.public)."""

    token = forms.CharField(widget=forms.HiddenInput, max_length=200)
    homepage = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args, campaign: Campaign, spec: FormSpec, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = spec.questions
        for question in spec.questions:
            self.fields[f"q_{question.pk}"] = question_field(question)
        if campaign.ask_age_group:
            self.fields["age_group"] = forms.ChoiceField(
                label=_("Your age group"),
                required=False,
                choices=[("", _("I prefer not to say")), *AgeGroup.choices],
                error_messages={"invalid_choice": _("Choose one of the age groups shown.")},
            )
        if campaign.ask_municipality:
            self.fields["municipality"] = forms.TypedChoiceField(
                label=_("Your municipality"),
                required=False,
                coerce=int,
                empty_value=None,
                choices=[("", _("I prefer not to say")), *((str(pk), name) for pk, name in spec.municipalities)],
                error_messages={"invalid_choice": _("Choose one of the municipalities shown.")},
            )
        self.fields["email"] = forms.EmailField(
            label=_("Email address"),
            required=False,
            max_length=254,
            help_text=_("Only if you want to be told the outcome. It is not linked to your answers."),
            error_messages={"invalid": _("Check the email address, for example name@example.fi.")},
        )
        self.fields["consent"] = forms.BooleanField(
            label=_(
                "I agree that my email address is stored to tell me the outcome of this hearing. "
                "It is deleted once the outcome has been sent."
            ),
            required=False,
        )

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()

    def clean(self):
        cleaned = super().clean()
        email, consent = cleaned.get("email"), cleaned.get("consent")
        if email and not consent:
            self.add_error("consent", _("To be told the outcome, tick this box; or leave the address empty."))
        if consent and not email and "email" not in self.errors:
            self.add_error("email", _("Write the address the outcome is sent to; or untick the box."))
        if not self.errors and not self.filled().rows:
            raise ValidationError(_("Answer at least one question before sending."), code="empty")
        return cleaned

    def filled(self) -> Filled:
        filled = Filled(
            age_group=self.cleaned_data.get("age_group") or "",
            municipality=self.cleaned_data.get("municipality"),
            email=self.cleaned_data.get("email", "") if self.cleaned_data.get("consent") else "",
        )
        for question in self.questions:
            value = self.cleaned_data.get(f"q_{question.pk}")
            if not value:
                continue
            if question.kind == QuestionKind.TEXT:
                filled.rows.append((question.pk, None, None, value))
            elif question.kind == QuestionKind.MULTIPLE:  # a choice sent twice counts once
                filled.rows.extend((question.pk, int(choice), None, "") for choice in dict.fromkeys(value))
            elif question.kind == QuestionKind.SINGLE:
                filled.rows.append((question.pk, int(value), None, ""))
            else:
                filled.rows.append((question.pk, None, int(value), ""))
        return filled

    def rows(self):
        """(question, bound field) pairs for the template."""
        return [(question, self[f"q_{question.pk}"]) for question in self.questions]

    def background(self):
        return [self[name] for name in ("age_group", "municipality") if name in self.fields]

    def error_links(self):
        """(anchor, label, error) for the error summary at the top, in the order of the page."""
        links = [(f"question-{q.pk}", q.text, error) for q, field in self.rows() for error in field.errors]
        for name in ("age_group", "municipality", "email", "consent"):
            if name in self.fields:
                links += [(self[name].auto_id, self[name].label, error) for error in self[name].errors]
        return links

    def keep_answers(self, token: str) -> None:
        """Shown again after a refusal: the answers as typed, a fresh token, the honeypot emptied (a
        person whose browser filled it in can then simply send again)."""
        self.data = self.data.copy()
        self.data["token"] = token
        self.data[HONEYPOT] = ""


AGE_GROUPS = frozenset(AgeGroup.values)
LIKERT_VALUES = frozenset(value for value, _label in LIKERT)


def quick_filled(data, campaign: Campaign, spec: FormSpec) -> Filled | None:
    """What AnswerForm(data).filled() gives for a plainly valid answer with no address, without building
    the form: an answer's POST is the request a campaign receives most (make bench). None whenever
    anything is off or needs wording (a required answer missing, a wrong value, a NUL byte, too long a
    text, the honeypot, an address or consent, nothing answered): then the view builds AnswerForm, which
    decides and words it. So this only ever accepts what the form accepts (test_answering_quick.py)."""
    token = data.get("token", "").strip()
    if not token or len(token) > 200 or data.get(HONEYPOT, "") or data.get("email", "") or "consent" in data:
        return None
    filled = Filled()
    for question in spec.questions:
        values = data.getlist(f"q_{question.pk}")
        if question.kind == QuestionKind.MULTIPLE:
            allowed = {str(choice.pk) for choice in question.choices.all()}
            if len(set(values)) != len(values) or not set(values) <= allowed or (question.required and not values):
                return None  # repeated, empty or unknown choices, or none where one is required: the form
            filled.rows.extend((question.pk, int(value), None, "") for value in values)
            continue
        if len(values) > 1:
            return None
        value = values[0] if values else ""
        if question.kind == QuestionKind.TEXT:
            value = value.strip()
            if len(value) > TEXT_MAX or "\x00" in value:
                return None
            if value:
                filled.rows.append((question.pk, None, None, value))
        elif value == "":
            pass
        elif question.kind == QuestionKind.SINGLE:
            if value not in {str(choice.pk) for choice in question.choices.all()}:
                return None
            filled.rows.append((question.pk, int(value), None, ""))
        elif value in LIKERT_VALUES:
            filled.rows.append((question.pk, None, int(value), ""))
        else:
            return None
        if question.required and value == "":
            return None
    if campaign.ask_age_group:
        filled.age_group = data.get("age_group", "")
        if filled.age_group and filled.age_group not in AGE_GROUPS:
            return None
    if campaign.ask_municipality:
        municipality = data.get("municipality", "")
        if municipality:
            if municipality not in {str(pk) for pk, _name in spec.municipalities}:
                return None
            filled.municipality = int(municipality)
    return filled if filled.rows else None
