"""Forms of a cohort's costs and completion."""

from django import forms
from django.utils.translation import gettext_lazy as _

from bookings.money import MoneyField
from kokemuspankki.form_keys import FormKeyMixin

from .models import Cost


class CostForm(FormKeyMixin, forms.ModelForm):
    # Typed as people in Finland do: "84,90", "1 200,50 €".
    amount = MoneyField(label=_("Amount (€)"), max_digits=9)

    class Meta:
        model = Cost
        fields = ["kind", "amount", "incurred_on", "note"]
        widgets = {"incurred_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.init_form_key()

    def clean(self):
        cleaned = super().clean()
        self.check_form_key()
        return cleaned


class CompletionForm(forms.Form):
    """The participants to mark completed: a box for each eligible one not completed yet."""

    participants = forms.TypedMultipleChoiceField(
        label=_("Participants who have completed the training"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one participant.")},
    )

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participants"].choices = choices


class UndoCompletionForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the completion undone?"),
        max_length=300,
        help_text=_("For example: recorded for the wrong person."),
        error_messages={"required": _("Give the reason.")},
    )
