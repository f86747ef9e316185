"""Payee details for payroll: the legal name, the county's payee number, the tax card, and (only when
the county turns KP_PAYROLL_SENSITIVE on) the bank account and the personal identity code, encrypted.

Only coordinators and admins see them, and every read and change goes to the audit log by field name,
never by value. The two sensitive values are Fernet tokens (AES-128-CBC with HMAC-SHA256) under
KP_PAYROLL_KEY: a copy of the database, or a backup, alone does not reveal them. Several keys,
comma-separated, decrypt and the first encrypts, so a key can be rotated (rotate_payroll_key()).
"""

import re
from dataclasses import dataclass
from datetime import date

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts.models import AuditAction
from accounts.services import record_audit_event
from experts.models import ExpertProfile

from .eligibility import lock_expert
from .models import Payee

# The fields a reader or an editor of the details sees, by the names the audit log records.
PLAIN_FIELDS = ["legal_name", "payee_number", "tax_card_delivered", "tax_card_year"]
SENSITIVE_FIELDS = ["bank_account", "identity_code"]


def sensitive_enabled() -> bool:
    """Whether the county asks and stores bank accounts and identity codes (KP_PAYROLL_SENSITIVE)."""
    return settings.KP_PAYROLL_SENSITIVE


# --- Encryption ----------------------------------------------------------------------------------


def _keys() -> list[str]:
    return [key.strip() for key in settings.KP_PAYROLL_KEY.split(",") if key.strip()]


def _cipher() -> MultiFernet:
    keys = _keys()
    if not keys:
        raise ImproperlyConfigured("KP_PAYROLL_KEY is not set: payee details cannot be encrypted or read.")
    return MultiFernet([Fernet(key) for key in keys])


def encrypt(value: str) -> str:
    """The value as a Fernet token; "" stays "" (nothing stored)."""
    return _cipher().encrypt(value.encode()).decode() if value else ""


def decrypt(token: str) -> str:
    """The value of a token that encrypt() made; "" for "". A token no configured key opens (a key
    removed too early) raises ImproperlyConfigured: the export must not quietly leave a column out."""
    if not token:
        return ""
    try:
        return _cipher().decrypt(token.encode()).decode()
    except InvalidToken as error:
        raise ImproperlyConfigured("A payee detail cannot be decrypted with KP_PAYROLL_KEY.") from error


@dataclass(frozen=True)
class PayeeSecrets:
    bank_account: str  # compact IBAN, FI4950009420028730, or ""
    identity_code: str  # 131052-308T, or ""


def decrypted(payee: Payee | None) -> PayeeSecrets:
    """The payee's bank account and identity code in clear, for the payroll export ("" when none)."""
    if payee is None:
        return PayeeSecrets("", "")
    return PayeeSecrets(decrypt(payee.bank_account_encrypted), decrypt(payee.identity_code_encrypted))


@transaction.atomic
def rotate_payroll_key() -> int:
    """Encrypt every stored value again with the first key of KP_PAYROLL_KEY (after a new key was put
    first); then the old key can be removed. Returns how many payees were rewritten."""
    cipher, count = _cipher(), 0
    for payee in Payee.objects.select_for_update().exclude(bank_account_encrypted="", identity_code_encrypted=""):
        for field in ("bank_account_encrypted", "identity_code_encrypted"):
            if getattr(payee, field):
                setattr(payee, field, cipher.rotate(getattr(payee, field).encode()).decode())
        payee.save(update_fields=["bank_account_encrypted", "identity_code_encrypted"])
        count += 1
    return count


def check_payroll_key(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """Refuse to start with sensitive payee details on and no key to encrypt them, or with a key
    that is not a Fernet key (a typo would otherwise surface at the first save)."""
    keys = _keys()
    for key in keys:
        try:
            Fernet(key)
        except (ValueError, TypeError):
            return [
                checks.Error(
                    "KP_PAYROLL_KEY is not a valid Fernet key (32 bytes, URL-safe base64).",
                    hint='python3 -c "import base64, os; print(base64.urlsafe_b64encode(os.urandom(32)).decode())"',
                    id="bookings.E002",
                )
            ]
    if settings.KP_PAYROLL_SENSITIVE and not keys:
        return [
            checks.Error(
                "KP_PAYROLL_SENSITIVE is on but KP_PAYROLL_KEY is not set.",
                hint="Set KP_PAYROLL_KEY to a Fernet key, or turn KP_PAYROLL_SENSITIVE off.",
                id="bookings.E001",
            )
        ]
    return []


# --- Validation ----------------------------------------------------------------------------------


def normalise_iban(value: str) -> str:
    return re.sub(r"[\s-]", "", value).upper()


def validate_finnish_iban(value: str) -> str:
    """A Finnish IBAN, FI + two check digits + 14 digits, whose ISO 13616 check (mod 97) holds.
    Returns it compact ("FI4950009420028730")."""
    iban = normalise_iban(value)
    if not re.fullmatch(r"FI\d{16}", iban):
        raise ValidationError(
            _("Enter a Finnish bank account as an IBAN, for example FI49 5000 9420 0287 30."), code="iban_format"
        )
    # Move the country and check digits to the end, letters to numbers (F=15, I=18): mod 97 is 1.
    digits = "".join(str(int(char, 36)) for char in iban[4:] + iban[:4])
    if int(digits) % 97 != 1:
        raise ValidationError(
            _("The bank account number is not right: check the digits (the IBAN check does not match)."),
            code="iban_check",
        )
    return iban


def format_iban(iban: str) -> str:
    """In groups of four, as banks print it: FI49 5000 9420 0287 30."""
    return " ".join(iban[index : index + 4] for index in range(0, len(iban), 4))


def mask_iban(iban: str) -> str:
    """Only the last four digits, for the details page: •••• 8730."""
    return f"•••• {iban[-4:]}" if iban else ""


# The century sign: + for the 1800s; - and since 2023 also Y X W V U for the 1900s; A (and since 2023
# B C D E F) for the 2000s (Digital and Population Data Services Agency, Act 128/2010 as amended).
CENTURIES = {"+": 1800, **dict.fromkeys("-YXWVU", 1900), **dict.fromkeys("ABCDEF", 2000)}
CHECK_CHARACTERS = "0123456789ABCDEFHJKLMNPRSTUVWXY"
IDENTITY_CODE = re.compile(r"(\d{2})(\d{2})(\d{2})([-+YXWVUABCDEF])(\d{3})([0-9A-FHJ-NPR-Y])")


def validate_identity_code(value: str) -> str:
    """A Finnish personal identity code (henkilötunnus) DDMMYYCZZZQ: a real date of birth, a century
    sign, an individual number 002–999 (900–999: temporary ones) and the check character of
    DDMMYYZZZ mod 31. Returns it upper-case ("131052-308T")."""
    code = value.strip().upper()
    match = IDENTITY_CODE.fullmatch(code)
    invalid = ValidationError(_("Enter a personal identity code in the form 131052-308T."), code="identity_code_format")
    if not match:
        raise invalid
    day, month, year, century, individual, check = match.groups()
    try:
        date(CENTURIES[century] + int(year), int(month), int(day))
    except ValueError as error:
        raise invalid from error
    if int(individual) < 2:
        raise invalid
    if CHECK_CHARACTERS[int(day + month + year + individual) % 31] != check:
        raise ValidationError(
            _("The personal identity code is not right: its last character does not match. Check it."),
            code="identity_code_check",
        )
    return code


# --- Reading and saving --------------------------------------------------------------------------


def payee_of(profile: ExpertProfile) -> Payee | None:
    return Payee.objects.select_related("updated_by").filter(profile=profile).first()


def record_payee_read(*, actor, profile: ExpertProfile, fields: list[str]) -> None:
    record_audit_event(actor=actor, subject=profile.user, action=AuditAction.VIEW, what="payee details", fields=fields)


def _values(payee: Payee) -> dict:
    """What the audit compares: the plain fields, and the sensitive ones in clear when they are on."""
    values = {name: getattr(payee, name) for name in PLAIN_FIELDS}
    if sensitive_enabled():
        secrets = decrypted(payee)
        values.update(bank_account=secrets.bank_account, identity_code=secrets.identity_code)
    return values


@transaction.atomic
def save_payee(*, profile: ExpertProfile, data: dict, actor) -> tuple[Payee, list[str]]:
    """Create or update the profile's payee details from a form's cleaned data; returns the payee and
    the names of the fields that changed (audited by name only). The expert's row lock keeps two
    coordinators saving at once from both creating a row (the one-to-one key would refuse one)."""
    lock_expert(profile.pk)
    payee = payee_of(profile) or Payee(profile=profile)
    before = _values(payee)  # a new one's are the defaults: "", False, None
    for name in PLAIN_FIELDS:
        setattr(payee, name, data[name])
    after = {name: data[name] for name in PLAIN_FIELDS}
    if sensitive_enabled():
        # A fresh token even for an unchanged value (a random IV): saved only when something changed.
        payee.bank_account_encrypted = encrypt(data["bank_account"])
        payee.identity_code_encrypted = encrypt(data["identity_code"])
        after.update(bank_account=data["bank_account"], identity_code=data["identity_code"])
    changed = [name for name, value in after.items() if before[name] != value]
    if not changed:
        return payee, []
    payee.updated_by = actor
    payee.full_clean()
    payee.save()
    record_audit_event(
        actor=actor, subject=profile.user, action=AuditAction.CHANGE, what="payee details", fields=changed
    )
    return payee, changed
