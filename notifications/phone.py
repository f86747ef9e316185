"""Mobile phone numbers for text messages: validated and stored in E.164 (+358401234567).

Here rather than in accounts, which stores the number, because the outbox must read it too and
notifications imports no app above it. Numbers without a country code are Finnish.
"""

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

REGION = "FI"
MOBILE_TYPES = {phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE}


def parse_mobile_number(text: str) -> str:
    """The number in E.164, or ValidationError with a message for the person who typed it.
    "040 123 4567", "040-1234567" and "+358 40 123 4567" all give +358401234567."""
    try:
        number = phonenumbers.parse(text, REGION)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise ValidationError(
            _("Enter a mobile phone number, for example 040 123 4567 or +358 40 123 4567."), code="invalid"
        )
    if phonenumbers.number_type(number) not in MOBILE_TYPES:
        raise ValidationError(
            _("This is not a mobile number, so it cannot receive text messages. Enter a mobile number."),
            code="not_mobile",
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def sms_number(stored: str) -> str:
    """The number to send a text message to, or "" when `stored` is empty or not a mobile number
    (one saved before numbers were validated, or by an admin)."""
    if not stored:
        return ""
    try:
        return parse_mobile_number(stored)
    except ValidationError:
        return ""


def display_number(stored: str) -> str:
    """A stored number as people read it: +358 40 1234567."""
    try:
        number = phonenumbers.parse(stored, REGION)
    except phonenumbers.NumberParseException:
        return stored
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
