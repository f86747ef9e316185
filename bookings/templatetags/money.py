"""{% load money %}: {{ amount|money }} shows "1 200,50 €" (fi, sv) or "€1,200.50" (en), and
{{ assignment|fee_basis }} how its expected fee is counted ("1,5 h × 25,00 €"). See bookings/money.py."""

from decimal import InvalidOperation

from django import template

from bookings.money import fee_basis as fee_basis_text
from bookings.money import format_money

register = template.Library()


@register.filter
def money(amount) -> str:
    try:
        return format_money(amount)
    except (InvalidOperation, TypeError, ValueError):
        return ""  # a filter fails quietly, as Django's own do


@register.filter
def fee_basis(assignment) -> str:
    return fee_basis_text(assignment.tariff, assignment.hours)
