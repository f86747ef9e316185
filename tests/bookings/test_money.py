"""One way to read a typed euro amount (MoneyField) and one way to show one (format_money, |money)."""

from decimal import Decimal

import pytest
from django import forms
from django.template import Context, Template
from django.utils import translation

from bookings.models import Tariff
from bookings.money import MoneyField, fee_basis, format_money
from tests.factories import AssignmentFactory

NBSP = "\xa0"


class AmountForm(forms.Form):
    amount = MoneyField(required=False)


@pytest.mark.parametrize(
    ("typed", "amount"),
    [
        ("1 200,50 €", "1200.50"),
        ("1\xa0200,50\xa0€", "1200.50"),  # no-break spaces, as format_money writes them
        ("1\u202f200,50", "1200.50"),  # a narrow no-break space (macOS, some keyboards)
        ("1200.50", "1200.50"),
        ("1200,5", "1200.50"),
        ("€1,200.50", "1200.50"),  # what the English page shows
        ("1.200,50", "1200.50"),
        ("  800  ", "800"),
        (",5", "0.50"),
        ("", None),
    ],
)
def test_the_money_field_reads_amounts_as_people_type_them(typed, amount):
    form = AmountForm({"amount": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["amount"] == (Decimal(amount) if amount else None)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("abc", "Enter the amount in euros, for example 800.50."),
        ("1e3", "Enter the amount in euros, for example 800.50."),
        ("0x10", "Enter the amount in euros, for example 800.50."),
        ("1.200.300", "Enter the amount in euros, for example 800.50."),
        ("12,-", "Enter the amount in euros, for example 800.50."),
        ("NaN", "Enter the amount in euros, for example 800.50."),
        ("\x00", "Enter the amount in euros, for example 800.50."),
        ("-5", "The amount cannot be negative."),
        ("99999999", "The amount is too large."),
        ("1,200", "Give the amount to the cent at most, for example 800.50."),  # 1.2 or 1200? Neither.
        ("12,345", "Give the amount to the cent at most, for example 800.50."),
    ],
)
def test_the_money_field_refuses_junk_with_a_clear_message(typed, message):
    with translation.override("en"):
        form = AmountForm({"amount": typed})
        assert not form.is_valid()
        assert form.errors["amount"] == [message]


def test_the_money_field_error_is_translated():
    with translation.override("fi"):
        form = AmountForm({"amount": "abc"})
        assert not form.is_valid()
        assert "800,50" in form.errors["amount"][0] and "amount" not in form.errors["amount"][0]


@pytest.mark.parametrize(("language", "shown"), [("fi", "1\xa0200,50"), ("sv", "1\xa0200,50"), ("en", "1,200.50")])
def test_the_money_field_shows_a_saved_amount_in_the_page_language(language, shown):
    with translation.override(language):
        form = AmountForm(initial={"amount": Decimal("1200.5")})
        assert f'value="{shown}"' in str(form["amount"])


@pytest.mark.parametrize(
    ("language", "shown"),
    [
        ("fi", f"1{NBSP}200,50{NBSP}€"),
        ("sv", f"1{NBSP}200,50{NBSP}€"),
        ("en", "€1,200.50"),
    ],
)
def test_an_amount_is_shown_the_same_way_everywhere_in_a_language(language, shown):
    with translation.override(language):
        assert format_money(Decimal("1200.5")) == shown
        assert Template("{% load money %}{{ amount|money }}").render(Context({"amount": Decimal("1200.50")})) == shown


@pytest.mark.parametrize(
    ("amount", "shown"),
    [(Decimal("0"), f"0,00{NBSP}€"), (Decimal("37.5"), f"37,50{NBSP}€"), (Decimal("0.005"), f"0,01{NBSP}€")],
)
def test_an_amount_is_shown_to_the_cent(amount, shown):
    with translation.override("fi"):
        assert format_money(amount) == shown


def test_what_the_money_filter_cannot_read_shows_as_nothing():
    template = Template("{% load money %}[{{ missing|money }}][{{ junk|money }}]")
    assert template.render(Context({"junk": "abc"})) == "[][]"


def test_what_format_money_shows_the_money_field_reads_back():
    for language in ("fi", "sv", "en"):
        with translation.override(language):
            form = AmountForm({"amount": format_money(Decimal("12345.67"))})
            assert form.is_valid(), (language, form.errors)
            assert form.cleaned_data["amount"] == Decimal("12345.67")


@pytest.mark.django_db
def test_a_tariff_shows_its_amount_in_the_page_language():
    tariff = Tariff.objects.filter(kind="hourly").order_by("order").first()
    with translation.override("fi"):
        assert str(tariff) == f"Tuntipalkkio (25,00{NBSP}€)"
    with translation.override("en"):
        assert str(tariff) == "Hourly fee (€25.00)"


@pytest.mark.django_db
def test_an_hourly_fee_shows_how_it_was_counted():
    assignment = AssignmentFactory(hours=1.5)
    with translation.override("fi"):
        assert fee_basis(assignment.tariff, assignment.hours) == f"1,5 h × 25,00{NBSP}€"
    with translation.override("en"):
        assert fee_basis(assignment.tariff, assignment.hours) == "1.5 h × €25.00"


@pytest.mark.django_db
def test_a_fixed_fee_shows_the_tariffs_name():
    assignment = AssignmentFactory(tariff_kind="lecture")
    with translation.override("sv"):
        assert fee_basis(assignment.tariff, assignment.hours) == "Föreläsning eller anförande"
