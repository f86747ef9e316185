"""The account's mobile number (/tili/puhelin/): Finnish numbers in any common form stored in E.164,
landlines and nonsense refused with a clear error, the change audited, and the "My account" menu."""

import pytest
from django.urls import reverse

from accounts.models import AuditEvent
from notifications.phone import display_number, parse_mobile_number, sms_number
from tests.factories import UserFactory

PHONE = reverse("accounts:phone")


@pytest.fixture
def person(db):
    return UserFactory(role="expert", phone="")


@pytest.fixture
def signed_in_person(client, person):
    client.force_login(person)
    client.cookies["kp_language"] = "en"
    return client


@pytest.mark.parametrize(
    "typed",
    ["040 123 4567", "0401234567", "040-1234567", "+358 40 123 4567", "+358401234567", "00358401234567"],
)
def test_finnish_mobile_numbers_in_any_common_form_become_e164(typed):
    assert parse_mobile_number(typed) == "+358401234567"


def test_a_foreign_mobile_number_with_its_country_code_is_kept():
    assert parse_mobile_number("+46 70 123 45 67") == "+46701234567"


def test_stored_numbers_read_back_for_people_and_for_sending():
    assert display_number("+358401234567") == "+358 40 1234567"
    assert sms_number("+358401234567") == "+358401234567"
    assert sms_number("09 1234567") == ""  # a landline saved by an admin: no text messages


@pytest.mark.django_db
def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(PHONE)
    assert response.status_code == 302 and "/accounts/login/" in response.url


@pytest.mark.django_db
def test_a_mobile_number_is_saved_normalised_and_audited(signed_in_person, person):
    response = signed_in_person.post(PHONE, {"phone": "040 123 4567"})
    assert response.status_code == 302 and response.url == PHONE
    person.refresh_from_db()
    assert person.phone == "+358401234567"
    event = AuditEvent.objects.get(subject=person)
    assert (event.actor, event.action, event.what, event.fields) == (person, "change", "account", ["phone"])
    assert "+358 40 1234567" in signed_in_person.get(PHONE).content.decode()


@pytest.mark.django_db
def test_saving_the_same_number_again_logs_nothing_new(signed_in_person, person):
    signed_in_person.post(PHONE, {"phone": "040 123 4567"})
    signed_in_person.post(PHONE, {"phone": "+358 40 123 4567"})
    assert AuditEvent.objects.filter(subject=person).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("typed", "error"),
    [
        ("09 1234567", "This is not a mobile number, so it cannot receive text messages."),
        ("abc", "Enter a mobile phone number, for example 040 123 4567"),
        ("040 12", "Enter a mobile phone number, for example 040 123 4567"),
    ],
)
def test_a_landline_or_nonsense_is_refused_with_a_clear_error(signed_in_person, person, typed, error):
    response = signed_in_person.post(PHONE, {"phone": typed})
    assert response.status_code == 200
    body = response.content.decode()
    assert error in body
    assert 'href="#id_phone"' in body  # the error summary links to the field
    assert f'value="{typed}"' in body  # what was typed is kept
    person.refresh_from_db()
    assert person.phone == ""
    assert not AuditEvent.objects.filter(subject=person).exists()


@pytest.mark.django_db
def test_an_empty_number_removes_it(signed_in_person, person):
    type(person).objects.filter(pk=person.pk).update(phone="+358401234567")
    signed_in_person.post(PHONE, {"phone": ""})
    person.refresh_from_db()
    assert person.phone == ""


@pytest.mark.django_db
def test_the_page_returns_to_where_it_was_asked_from_but_not_elsewhere(signed_in_person):
    preferences = reverse("notifications:preferences")
    response = signed_in_person.post(PHONE, {"phone": "0401234567", "next": preferences})
    assert response.url == preferences
    response = signed_in_person.post(PHONE, {"phone": "0401234567", "next": "https://example.com/"})
    assert response.url == PHONE


@pytest.mark.django_db
def test_the_field_is_labelled_and_typed_for_phones(signed_in_person):
    body = signed_in_person.get(PHONE).content.decode()
    assert '<label for="id_phone">Mobile phone number:</label>' in body
    assert 'type="tel"' in body and 'autocomplete="tel"' in body


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["account_email", "accounts:phone", "notifications:preferences"])
def test_the_account_pages_share_one_menu(signed_in_person, page):
    body = signed_in_person.get(reverse(page)).content.decode()
    assert 'aria-label="My account"' in body
    assert f'href="{reverse(page)}" aria-current="page"' in body
    assert f'href="{PHONE}"' in body


@pytest.mark.django_db
def test_phone_page_queries(signed_in_person, django_assert_num_queries):
    # session, the user with roles, permissions and MFA status (accounts.backends), then the
    # idle-timeout session save (savepoint, update, release)
    with django_assert_num_queries(5):
        assert signed_in_person.get(PHONE).status_code == 200
