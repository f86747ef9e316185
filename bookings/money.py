"""Euro amounts: one way to read what a person types into a form, one way to show an amount.

Shown (format_money, the `money` template filter in templatetags/money.py):

- Finnish and Swedish: "1 200,50 €", the house style of GLOSSARY.md: a no-break space between the
  thousands and before the euro sign, so that an amount never breaks over two lines;
- English: "€1,200.50", the usual English order (the glossary lets us pick; this is the one).

Typed (MoneyField): "1 200,50 €", "1200,50", "1200.50", "1,200.50", "€1,200.50" with ordinary,
no-break or narrow no-break spaces, in any page language. Whatever format_money shows is read back.
"""

import re
from decimal import ROUND_HALF_UP, Decimal

from django import forms
from django.utils import formats, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

CENTS = Decimal("0.01")
NBSP = "\xa0"
# What a typed number may be once spaces and the euro sign are gone: digits, then separators between
# digits. Anything else ("1e3", "0x10", "12-", "1,,2") is not an amount.
TYPED_NUMBER = re.compile(r"-?(?:\d+(?:[.,]\d+)*|[.,]\d+)")


def typed_decimal(text: str) -> str | None:
    """A decimal as people in Finland type it, in Python's notation: "1 200,5" -> "1200.5"; None
    when the text is not a number ("abc", "1e3", "1.200.300").

    A comma or a point is the decimal separator; with both, the last one is ("1,200.50",
    "1.200,50"). A lone "1,200" stays 1.2, which a two-decimal field then refuses rather than guess."""
    value = re.sub(r"\s", "", text).replace("\u2212", "-")  # \s covers no-break spaces; U+2212 minus
    if not TYPED_NUMBER.fullmatch(value):
        return None
    if "," in value and "." in value:
        grouping = "." if value.rfind(",") > value.rfind(".") else ","
        value = value.replace(grouping, "")
    if value.count(",") + value.count(".") > 1:
        return None  # "1.200.300" with no decimal part: grouping or a typo, not ours to guess
    return value.replace(",", ".")


def format_money(amount: Decimal | int | str | None) -> str:
    """An amount in the active language's format, to the cent: "1 200,50 €" or "€1,200.50"."""
    if amount is None or amount == "":
        return ""
    amount = Decimal(amount).quantize(CENTS, ROUND_HALF_UP)
    sign = "-" if amount < 0 else ""
    # force_grouping: the thousands separator even though settings.USE_THOUSAND_SEPARATOR is off.
    number = formats.number_format(abs(amount), decimal_pos=2, use_l10n=True, force_grouping=True)
    if (translation.get_language() or "").startswith("en"):
        return f"{sign}€{number}"
    return f"{sign}{number}{NBSP}€"


def format_hours(hours: Decimal) -> str:
    """Hours as few decimals as they need, in the active language: 2, 1,5, 0,25 (fi)."""
    return formats.number_format(Decimal(hours).normalize(), use_l10n=True)


def fee_basis(tariff, hours: Decimal) -> str:
    """How a fee was counted, for after the total: "1,5 h × 25,00 €" at an hourly tariff, otherwise
    the tariff's name. The tariff kind alone ("per hour") after a total read as a price per hour."""
    # TariffKind.HOURLY's value: the models import this module (Tariff.__str__), not the other way.
    if tariff.kind == "hourly":
        return gettext("%(hours)s h × %(rate)s") % {"hours": format_hours(hours), "rate": format_money(tariff.amount)}
    return tariff.name


class MoneyField(forms.DecimalField):
    """Euros, to the cent, not negative by default. The form shows the value as the page's language
    writes it ("800,50" in Finnish, "800.50" in English), grouped, without the euro sign."""

    widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})
    default_error_messages = {
        "invalid": _("Enter the amount in euros, for example 800,50."),
        "min_value": _("The amount cannot be negative."),
        "max_value": _("The amount is too large."),
        "max_digits": _("The amount is too large."),
        "max_whole_digits": _("The amount is too large."),
        "max_decimal_places": _("Give the amount to the cent at most, for example 800,50."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 8)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("min_value", Decimal("0"))
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str) and value.strip():
            number = typed_decimal(value.replace("€", ""))
            if number is None:
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
            value = number
        return super().to_python(value)

    def prepare_value(self, value):
        if isinstance(value, Decimal):
            return formats.number_format(value, decimal_pos=2, use_l10n=True, force_grouping=True)
        return value
