from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from notifications.phone import display_number, parse_mobile_number

from .models import User
from .roles import Role


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Email address"), max_length=254)
    # Whom coordinators invite: experts to the bank, and units' staff who order experts (no access to
    # the bank). Other roles are given by an administrator. Left out, it is an expert, as it always was.
    role = forms.ChoiceField(
        label=_("The invited person is"),
        choices=[
            (Role.EXPERT, _("An experience expert")),
            (Role.ORDERER, _("An orderer: staff of a unit who order experts for it")),
        ],
        initial=Role.EXPERT,
        required=False,
        widget=forms.RadioSelect,
    )
    language = forms.ChoiceField(
        label=_("Language of the invitation"), choices=settings.LANGUAGES, initial=settings.LANGUAGE_CODE
    )

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def clean_role(self):
        return self.cleaned_data["role"] or Role.EXPERT


class PhoneForm(forms.ModelForm):
    """The account's mobile number, for text messages and for coordinators to call: stored in E.164."""

    class Meta:
        model = User
        fields = ["phone"]
        labels = {"phone": _("Mobile phone number")}
        help_texts = {"phone": _("For example 040 123 4567. Leave it empty to remove the number.")}
        widgets = {"phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.phone:
            self.initial["phone"] = display_number(self.instance.phone)  # +358 40 1234567, as people write it

    def clean_phone(self):
        text = self.cleaned_data["phone"].strip()
        return parse_mobile_number(text) if text else ""
