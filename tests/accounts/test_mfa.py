"""Staff roles must set up and use TOTP; experts are not forced to."""

import time

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.contrib.sessions.models import Session
from django.urls import reverse

from accounts.middleware import SEEN_KEY, SESSION_RENEW_AFTER
from tests.factories import TEST_PASSWORD, TEST_TOTP_SECRET, UserFactory


def current_code() -> str:
    return format_hotp_value(hotp_value(TEST_TOTP_SECRET, int(time.time()) // 30))


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["coordinator", "trainer", "admin"])
def test_staff_without_mfa_is_sent_to_set_it_up(client, role):
    client.force_login(UserFactory(role=role))
    response = client.get(reverse("trainings:index"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("mfa_activate_totp"))
    assert "next=/valmennukset/" in response.url


@pytest.mark.django_db
def test_staff_without_mfa_can_still_open_the_setup_page_and_public_pages(client):
    user = UserFactory(role="coordinator")
    response = client.post(reverse("account_login"), {"login": user.email, "password": TEST_PASSWORD})
    assert response.status_code == 302  # signed in with the password alone: there is no TOTP yet
    # allauth asks for the password again before MFA settings change; then the setup page opens.
    assert client.get(reverse("mfa_activate_totp")).url.startswith(reverse("account_reauthenticate"))
    client.post(reverse("account_reauthenticate"), {"password": TEST_PASSWORD})
    assert client.get(reverse("mfa_activate_totp")).status_code == 200
    assert client.get(reverse("accessibility")).status_code == 200
    assert client.get(reverse("healthz")).status_code in (200, 503)


@pytest.mark.django_db
def test_staff_with_mfa_reaches_staff_pages(client):
    client.force_login(UserFactory(role="coordinator", mfa=True))
    assert client.get(reverse("experts:index")).status_code == 200


@pytest.mark.django_db
def test_expert_is_not_forced_to_set_up_mfa(client):
    client.force_login(UserFactory(role="expert"))
    assert client.get(reverse("experts:my_profile")).status_code == 200


@pytest.mark.django_db
def test_mfa_requirement_can_be_switched_off_for_a_test_installation(client, settings):
    settings.KP_STAFF_MFA_REQUIRED = False
    client.force_login(UserFactory(role="coordinator"))
    assert client.get(reverse("experts:index")).status_code == 200


@pytest.mark.django_db
def test_staff_login_asks_for_the_code_before_signing_in(client):
    user = UserFactory(role="coordinator", mfa=True)
    response = client.post(reverse("account_login"), {"login": user.email, "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse("mfa_authenticate")
    assert client.get(reverse("experts:index")).status_code == 302  # not signed in yet

    response = client.post(reverse("mfa_authenticate"), {"code": "000000" if current_code() != "000000" else "1"})
    assert response.status_code == 200  # wrong code: the form again, with an error
    response = client.post(reverse("mfa_authenticate"), {"code": current_code()})
    assert response.status_code == 302
    assert client.get(reverse("experts:index")).status_code == 200


@pytest.mark.django_db
def test_admin_login_goes_through_allauth(client):
    response = client.get(reverse("admin:login"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


@pytest.mark.django_db
def test_repeated_failed_logins_are_rate_limited(client):
    user = UserFactory(role="expert")
    statuses = [
        client.post(reverse("account_login"), {"login": user.email, "password": "väärä-salasana"}).status_code
        for _ in range(7)
    ]
    assert statuses == [200] * 7
    client.cookies["kp_language"] = "en"
    # After five failures even the right password is refused while the limit holds.
    response = client.post(reverse("account_login"), {"login": user.email, "password": TEST_PASSWORD})
    assert response.status_code == 200
    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_session_expires_after_idle_time(client, settings):
    user = UserFactory(role="expert")
    client.force_login(user)
    response = client.get(reverse("experts:my_profile"))
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert int(cookie["max-age"]) == settings.SESSION_COOKIE_AGE == 30 * 60


@pytest.mark.django_db
def test_a_session_is_renewed_at_most_once_a_minute(client, settings):
    """Sliding expiry without an UPDATE on every request (accounts.middleware.SessionActivityMiddleware)."""
    client.force_login(UserFactory(role="expert"))
    url = reverse("experts:my_profile")
    first = client.get(url)
    assert settings.SESSION_COOKIE_NAME in first.cookies  # renewed: the login did not set `_seen`
    key = client.session.session_key
    expires = Session.objects.get(session_key=key).expire_date

    again = client.get(url)
    assert settings.SESSION_COOKIE_NAME not in again.cookies
    assert Session.objects.get(session_key=key).expire_date == expires

    session = client.session
    session[SEEN_KEY] = session[SEEN_KEY] - SESSION_RENEW_AFTER
    session.save()
    later = client.get(url)
    assert int(later.cookies[settings.SESSION_COOKIE_NAME]["max-age"]) == settings.SESSION_COOKIE_AGE
    assert Session.objects.get(session_key=key).expire_date > expires


@pytest.mark.django_db
def test_a_visitor_without_a_session_gets_none(client, settings):
    response = client.get(reverse("home"))
    assert settings.SESSION_COOKIE_NAME not in response.cookies
    assert not Session.objects.exists()
