"""Payee details for payroll: only coordinators and admins see them, each read and change is audited
by field name (never a value); a bank account and an identity code are asked only when the county
turns them on, validated (Finnish IBAN, henkilötunnus) and stored encrypted."""

import pytest
from cryptography.fernet import Fernet
from django.core.checks import run_checks
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import connection
from django.urls import reverse

from accounts.models import AuditAction, AuditEvent
from bookings.models import Payee
from bookings.payees import (
    check_payroll_key,
    decrypt,
    decrypted,
    encrypt,
    rotate_payroll_key,
    validate_finnish_iban,
    validate_identity_code,
)
from tests.factories import ExpertProfileFactory, PayeeFactory, UserFactory

IBAN, IBAN_TYPED = "FI4950009420028730", "fi49 5000 9420 0287 30"
HETU = "131052-308T"


@pytest.fixture
def key():
    return Fernet.generate_key().decode()


@pytest.fixture
def sensitive(settings, key):
    settings.KP_PAYROLL_SENSITIVE = True
    settings.KP_PAYROLL_KEY = key
    return key


@pytest.fixture
def aino(db):
    return ExpertProfileFactory(display_name="Aino")


def payee_events():
    """The audit events of payee details (a new profile has its own, of the consent)."""
    return AuditEvent.objects.filter(what="payee details")


def sign_in(client, user):
    client.force_login(user)
    client.cookies["kp_language"] = "en"
    return client


def detail(profile) -> str:
    return reverse("bookings:payee", args=[profile.pk])


def edit(profile) -> str:
    return reverse("bookings:payee_edit", args=[profile.pk])


def form_data(**fields) -> dict:
    return {
        "legal_name": "Aino Mäkelä",
        "payee_number": "P-2041",
        "tax_card_delivered": "on",
        "tax_card_year": "2027",
        **fields,
    }


def stored_columns(payee) -> str:
    """The payee's row as the database holds it, every column as text."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {Payee._meta.db_table} WHERE id = %s", [payee.pk])  # noqa: S608
        return " ".join(str(value) for value in cursor.fetchone())


# --- Validation ----------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["FI49 5000 9420 0287 30", "fi4950009420028730", "FI21 1234 5600 0007 85"])
def test_finnish_ibans_are_accepted_and_made_compact(value):
    assert validate_finnish_iban(value) == value.replace(" ", "").upper()


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("FI49 5000 9420 0287 31", "iban_check"),
        ("FI94 5000 9420 0287 30", "iban_check"),
        ("SE45 5000 0000 0583 9825 7466", "iban_format"),
        ("FI49 5000 9420 0287", "iban_format"),
        ("5000 9420 0287 30", "iban_format"),
    ],
)
def test_wrong_ibans_are_refused(value, code):
    with pytest.raises(ValidationError) as error:
        validate_finnish_iban(value)
    assert error.value.code == code


@pytest.mark.parametrize(
    "value",
    [
        HETU,
        "131052-308t",
        # The century signs added in 2023 (DVV's examples): Y X for the 1900s, B F for the 2000s.
        "010594Y9021",
        "020594X903P",
        "010516B903X",
        "010501F9032",
        "311299A902A",
        "010100+902J",
        "290200A903E",  # 29 February 2000, a leap day
    ],
)
def test_identity_codes_with_every_century_sign_are_accepted(value):
    assert validate_identity_code(value) == value.upper()


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("131052-308U", "identity_code_check"),
        ("010594Y9022", "identity_code_check"),
        ("310252-308T", "identity_code_format"),  # 31 February
        ("290201A903P", "identity_code_format"),  # 2001 was no leap year
        ("131052-001H", "identity_code_format"),  # 000 and 001 are never given
        ("131052G308T", "identity_code_format"),  # no such century sign
        ("13105-308T", "identity_code_format"),
        ("131052-308G", "identity_code_format"),  # G is not a check character
    ],
)
def test_wrong_identity_codes_are_refused(value, code):
    with pytest.raises(ValidationError) as error:
        validate_identity_code(value)
    assert error.value.code == code


# --- Encryption ----------------------------------------------------------------------------------


def test_encryption_round_trip_hides_the_value(settings, key):
    settings.KP_PAYROLL_KEY = key
    token = encrypt(IBAN)
    assert IBAN not in token and "8730" not in token
    assert decrypt(token) == IBAN
    assert encrypt("") == "" and decrypt("") == ""


def test_a_value_cannot_be_read_without_its_key(settings, key):
    settings.KP_PAYROLL_KEY = key
    token = encrypt(HETU)
    settings.KP_PAYROLL_KEY = Fernet.generate_key().decode()
    with pytest.raises(ImproperlyConfigured):
        decrypt(token)
    settings.KP_PAYROLL_KEY = ""
    with pytest.raises(ImproperlyConfigured):
        decrypt(token)


@pytest.mark.django_db
def test_rotating_the_key_keeps_the_values_readable_with_the_new_key_alone(settings, key, aino):
    settings.KP_PAYROLL_KEY = key
    payee = PayeeFactory(profile=aino, bank_account_encrypted=encrypt(IBAN), identity_code_encrypted=encrypt(HETU))
    new = Fernet.generate_key().decode()
    settings.KP_PAYROLL_KEY = f"{new},{key}"
    assert rotate_payroll_key() == 1
    settings.KP_PAYROLL_KEY = new
    payee.refresh_from_db()
    assert decrypted(payee).bank_account == IBAN and decrypted(payee).identity_code == HETU


def test_the_system_check_wants_a_key_when_sensitive_details_are_on(settings):
    settings.KP_PAYROLL_SENSITIVE, settings.KP_PAYROLL_KEY = True, ""
    assert [error.id for error in check_payroll_key()] == ["bookings.E001"]
    assert "bookings.E001" in [error.id for error in run_checks()]  # registered, so `manage.py check` fails
    settings.KP_PAYROLL_SENSITIVE = False
    assert check_payroll_key() == []


def test_the_system_check_refuses_a_key_that_is_not_a_fernet_key(settings, key):
    settings.KP_PAYROLL_KEY = "salasana123"
    assert [error.id for error in check_payroll_key()] == ["bookings.E002"]
    settings.KP_PAYROLL_SENSITIVE, settings.KP_PAYROLL_KEY = True, key
    assert check_payroll_key() == []


# --- Access --------------------------------------------------------------------------------------

ROLES = [
    ("coordinator", 200),
    ("admin", 200),
    ("the_expert", 403),
    ("other_expert", 403),
    ("orderer", 403),
    ("trainer", 403),
    ("anonymous", 302),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("who", "status"), ROLES)
def test_payee_pages_access(client, aino, coordinator, admin_user, who, status):
    PayeeFactory(profile=aino, legal_name="Aino Mäkelä")
    users = {
        "coordinator": coordinator,
        "admin": admin_user,
        "the_expert": aino.user,
        "other_expert": ExpertProfileFactory().user,
        "orderer": UserFactory(role="orderer"),
        "trainer": UserFactory(role="trainer", mfa=True),
    }
    if who != "anonymous":
        sign_in(client, users[who])
    for url in (detail(aino), edit(aino)):
        response = client.get(url)
        assert response.status_code == status
        assert ("Aino Mäkelä" in response.content.decode()) == (status == 200)
    client.post(edit(aino), form_data(legal_name="Joku Muu"))
    assert Payee.objects.get().legal_name == ("Joku Muu" if status == 200 else "Aino Mäkelä")
    reads = AuditEvent.objects.filter(subject=aino.user, action=AuditAction.VIEW, what="payee details")
    assert reads.count() == (2 if status == 200 else 0)


@pytest.mark.django_db
def test_an_unknown_profile_is_404(client, coordinator):
    assert sign_in(client, coordinator).get(reverse("bookings:payee", args=[987654])).status_code == 404


# --- Entering and reading ------------------------------------------------------------------------


@pytest.mark.django_db
def test_without_the_setting_no_bank_account_or_identity_code_is_asked(client, coordinator, aino):
    page = sign_in(client, coordinator).get(edit(aino)).content.decode()
    assert 'name="legal_name"' in page
    assert 'name="bank_account"' not in page and 'name="identity_code"' not in page
    client.post(edit(aino), form_data(bank_account=IBAN, identity_code=HETU))
    payee = Payee.objects.get()
    assert (payee.legal_name, payee.payee_number, payee.tax_card_delivered, payee.tax_card_year) == (
        "Aino Mäkelä",
        "P-2041",
        True,
        2027,
    )
    assert payee.bank_account_encrypted == "" and payee.identity_code_encrypted == ""
    assert payee.updated_by == coordinator


@pytest.mark.django_db
def test_a_new_payee_is_audited_by_field_names_only(client, coordinator, aino):
    response = sign_in(client, coordinator).post(edit(aino), form_data())
    assert response["Location"] == detail(aino)
    event = AuditEvent.objects.get(action=AuditAction.CHANGE, what="payee details")
    assert (event.actor, event.subject) == (coordinator, aino.user)
    assert event.fields == ["legal_name", "payee_number", "tax_card_delivered", "tax_card_year"]


@pytest.mark.django_db
def test_with_the_setting_the_details_are_stored_encrypted(client, coordinator, aino, sensitive):
    page = sign_in(client, coordinator).get(edit(aino)).content.decode()
    assert 'name="bank_account"' in page and 'name="identity_code"' in page and 'autocomplete="off"' in page
    response = client.post(edit(aino), form_data(bank_account=IBAN_TYPED, identity_code="131052-308t"))
    assert response.status_code == 302
    payee = Payee.objects.get()
    assert payee.bank_account_encrypted and payee.identity_code_encrypted
    row = stored_columns(payee)
    for plain in (IBAN, "5000 9420", "94200287", HETU, "131052", "308T"):
        assert plain not in row
    assert decrypted(payee).bank_account == IBAN and decrypted(payee).identity_code == HETU


@pytest.mark.django_db
def test_no_value_reaches_the_audit_log(client, coordinator, aino, sensitive):
    sign_in(client, coordinator).post(edit(aino), form_data(bank_account=IBAN, identity_code=HETU))
    client.get(detail(aino))
    client.get(edit(aino))
    client.post(edit(aino), form_data(bank_account="FI21 1234 5600 0007 85", identity_code=HETU))
    events = list(AuditEvent.objects.filter(subject=aino.user, what="payee details").values_list("what", "fields"))
    assert len(events) == 4
    dumped = str(events)
    for value in (IBAN, "FI2112345600000785", HETU, "Aino Mäkelä", "P-2041", "2027"):
        assert value not in dumped
    change = payee_events().filter(action=AuditAction.CHANGE).order_by("pk").last()
    assert change.fields == ["bank_account"]


@pytest.mark.django_db
def test_the_details_page_masks_the_bank_account_and_the_edit_page_shows_it(client, coordinator, aino, sensitive):
    sign_in(client, coordinator).post(edit(aino), form_data(bank_account=IBAN, identity_code=HETU))
    page = client.get(detail(aino)).content.decode()
    assert "•••• 8730" in page and IBAN not in page and "FI49 5000" not in page and HETU not in page
    read = payee_events().filter(action=AuditAction.VIEW).get()
    assert read.fields == sorted(["legal_name", "payee_number", "tax_card_delivered", "tax_card_year", "bank_account"])
    page = client.get(edit(aino)).content.decode()
    assert 'value="FI49 5000 9420 0287 30"' in page and f'value="{HETU}"' in page
    read = payee_events().filter(action=AuditAction.VIEW).order_by("pk").last()
    assert {"bank_account", "identity_code"} <= set(read.fields)


@pytest.mark.django_db
def test_a_wrong_iban_is_an_error_and_the_rest_is_kept(client, coordinator, aino, sensitive):
    response = sign_in(client, coordinator).post(
        edit(aino), form_data(bank_account="FI49 5000 9420 0287 31", identity_code=HETU)
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "The bank account number is not right" in page and 'href="#id_bank_account"' in page
    assert 'value="Aino Mäkelä"' in page and f'value="{HETU}"' in page
    assert not Payee.objects.exists() and not payee_events().exists()


@pytest.mark.django_db
def test_a_wrong_identity_code_is_an_error(client, coordinator, aino, sensitive):
    response = sign_in(client, coordinator).post(edit(aino), form_data(bank_account=IBAN, identity_code="131052-308U"))
    assert "its last character does not match" in response.content.decode()
    assert not Payee.objects.exists()


@pytest.mark.django_db
def test_a_delivered_tax_card_needs_its_year(client, coordinator, aino):
    response = sign_in(client, coordinator).post(edit(aino), form_data(tax_card_year=""))
    page = response.content.decode()
    assert "Give the year of the delivered tax card." in page and "Constraint" not in page
    assert not Payee.objects.exists()


@pytest.mark.django_db
def test_emptying_a_field_removes_the_stored_value(client, coordinator, aino, sensitive):
    sign_in(client, coordinator).post(edit(aino), form_data(bank_account=IBAN, identity_code=HETU))
    client.post(edit(aino), form_data(bank_account=IBAN, identity_code=""))
    payee = Payee.objects.get()
    assert payee.identity_code_encrypted == "" and decrypted(payee).bank_account == IBAN


@pytest.mark.django_db
def test_saving_without_changes_changes_nothing(client, coordinator, aino):
    sign_in(client, coordinator).post(edit(aino), form_data())
    response = client.post(edit(aino), form_data(), follow=True)
    assert "Nothing was changed." in response.content.decode()
    assert payee_events().filter(action=AuditAction.CHANGE).count() == 1


@pytest.mark.django_db
def test_turning_the_setting_off_keeps_what_was_stored(client, coordinator, aino, sensitive, settings):
    sign_in(client, coordinator).post(edit(aino), form_data(bank_account=IBAN, identity_code=HETU))
    settings.KP_PAYROLL_SENSITIVE = False
    client.post(edit(aino), form_data(payee_number="P-9"))
    payee = Payee.objects.get()
    assert payee.payee_number == "P-9" and decrypted(payee).bank_account == IBAN
    assert payee_events().filter(action=AuditAction.CHANGE).order_by("pk").last().fields == ["payee_number"]


@pytest.mark.django_db
def test_a_profile_without_payee_details_offers_to_enter_them(client, coordinator, aino):
    page = sign_in(client, coordinator).get(detail(aino)).content.decode()
    assert "No payee details have been entered yet." in page and edit(aino) in page
    assert not payee_events().exists()


@pytest.mark.django_db
def test_details_page_queries(client, coordinator, aino, sensitive, django_assert_num_queries):
    PayeeFactory(profile=aino, bank_account_encrypted=encrypt(IBAN), updated_by=coordinator)
    sign_in(client, coordinator)
    # session; the user with roles, permissions and MFA status; the profile with its user; the payee
    # with its editor; the audit event; the idle-timeout session save (savepoint, update, release).
    with django_assert_num_queries(8):
        assert client.get(detail(aino)).status_code == 200


@pytest.mark.django_db
def test_edit_page_queries(client, coordinator, aino, sensitive, django_assert_num_queries):
    PayeeFactory(profile=aino, bank_account_encrypted=encrypt(IBAN), identity_code_encrypted=encrypt(HETU))
    sign_in(client, coordinator)
    # session; the user with roles, permissions and MFA status; the profile with its user; the payee
    # with its editor; the audit event; the idle-timeout session save (savepoint, update, release).
    with django_assert_num_queries(8):
        assert client.get(edit(aino)).status_code == 200


# --- Admin ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_admin_shows_no_encrypted_field_and_audits_each_look(client, admin_user, aino, sensitive):
    payee = PayeeFactory(profile=aino, bank_account_encrypted=encrypt(IBAN), identity_code_encrypted=encrypt(HETU))
    sign_in(client, admin_user)
    changelist = client.get(reverse("admin:bookings_payee_changelist"))
    assert changelist.status_code == 200 and payee.legal_name in changelist.content.decode()
    change = client.get(reverse("admin:bookings_payee_change", args=[payee.pk])).content.decode()
    assert payee.bank_account_encrypted not in change and payee.identity_code_encrypted not in change
    assert "bank_account_encrypted" not in change and IBAN not in change
    reads = AuditEvent.objects.filter(subject=aino.user, action=AuditAction.VIEW, actor=admin_user)
    assert reads.count() == 2


@pytest.mark.django_db
def test_admin_changes_are_audited(client, admin_user, aino):
    payee = PayeeFactory(profile=aino, payee_number="P-1")
    sign_in(client, admin_user)
    data = {
        "legal_name": payee.legal_name,
        "payee_number": "P-2",
        "tax_card_delivered": "on",
        "tax_card_year": "2027",
    }
    response = client.post(reverse("admin:bookings_payee_change", args=[payee.pk]), data)
    assert response.status_code == 302
    event = payee_events().get(action=AuditAction.CHANGE)
    assert (event.subject, event.fields) == (aino.user, ["payee_number"])
