"""The coordinator's form of an expert's payee details (payees.py saves them and writes the audit)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Payee
from .payees import (
    PLAIN_FIELDS,
    decrypted,
    format_iban,
    sensitive_enabled,
    validate_finnish_iban,
    validate_identity_code,
)

# Nobody's browser should offer these to the next person at a shared computer.
PRIVATE_INPUT = {"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}


class PayeeForm(forms.ModelForm):
    """Legal name, payee number, tax card; with KP_PAYROLL_SENSITIVE also the bank account and the
    personal identity code, shown as stored (the page that shows them is an audited read). An
    emptied field removes what was stored."""

    bank_account = forms.CharField(
        label=_("Bank account (IBAN)"),
        required=False,
        max_length=42,
        widget=forms.TextInput(attrs=PRIVATE_INPUT),
        help_text=_("A Finnish account, for example FI49 5000 9420 0287 30."),
    )
    identity_code = forms.CharField(
        label=_("Personal identity code"),
        required=False,
        max_length=11,
        widget=forms.TextInput(attrs=PRIVATE_INPUT),
        help_text=_("For example 131052-308T."),
    )

    class Meta:
        model = Payee
        fields = PLAIN_FIELDS
        help_texts = {
            "legal_name": _("As in the population register. The name shown in the expert bank may be an alias."),
            "tax_card_year": _("The year the tax card is for, for example 2027."),
        }

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        if not sensitive_enabled():
            del self.fields["bank_account"], self.fields["identity_code"]
        elif self.instance.pk and not self.is_bound:
            secrets = decrypted(self.instance)
            self.initial["bank_account"] = format_iban(secrets.bank_account)
            self.initial["identity_code"] = secrets.identity_code
        self.fields["tax_card_year"].widget.attrs.update({"inputmode": "numeric"})

    def clean_legal_name(self):
        return " ".join(self.cleaned_data["legal_name"].split())

    def clean_payee_number(self):
        return self.cleaned_data["payee_number"].strip()

    def clean_bank_account(self):
        value = self.cleaned_data["bank_account"].strip()
        return validate_finnish_iban(value) if value else ""

    def clean_identity_code(self):
        value = self.cleaned_data["identity_code"].strip()
        return validate_identity_code(value) if value else ""

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("tax_card_delivered")
            and not cleaned.get("tax_card_year")
            and "tax_card_year" not in self.errors
        ):
            self.add_error(
                "tax_card_year", forms.ValidationError(_("Give the year of the delivered tax card."), code="required")
            )
        # With the error on the year, the model's own check of the same rule (a constraint named in
        # English) is skipped: a field with an error is left out of the model's validation.
        return cleaned
