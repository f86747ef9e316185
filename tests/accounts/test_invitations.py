"""Experts join by invitation only: invite, follow the link, create the account, get the role."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Invitation, User

PASSWORD = "Kokemus-on-tietoa-42"


def invite(client, django_capture_on_commit_callbacks, email="uusi.asiantuntija@example.fi", language="fi"):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(reverse("accounts:invitation_create"), {"email": email, "language": language})


def link_from(mail) -> str:
    return re.search(r"https?://\S+/tili/kutsu/\S+/", mail.body).group(0)


@pytest.mark.django_db
def test_coordinator_invites_and_the_expert_gets_a_link(
    client, coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    response = invite(client, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.email == "uusi.asiantuntija@example.fi"
    assert invitation.invited_by == coordinator
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["uusi.asiantuntija@example.fi"]
    assert "/tili/kutsu/" in mailoutbox[0].body
    # Only the hash of the token is stored.
    token = link_from(mailoutbox[0]).rstrip("/").rsplit("/", 1)[1]
    assert token not in invitation.token_hash


@pytest.mark.django_db
def test_double_submitted_invitation_makes_one_row(client, coordinator, mailoutbox, django_capture_on_commit_callbacks):
    client.force_login(coordinator)
    invite(client, django_capture_on_commit_callbacks, email="Kaksi.Kertaa@example.fi")
    invite(client, django_capture_on_commit_callbacks, email="kaksi.kertaa@example.fi")
    assert Invitation.objects.count() == 1
    # The second email carries the fresh link; the first one no longer works.
    old_link, new_link = link_from(mailoutbox[0]), link_from(mailoutbox[1])
    client.logout()
    assert client.get(old_link).status_code == 404
    assert client.get(new_link).status_code == 302


@pytest.mark.django_db
def test_inviting_an_existing_account_shows_an_error(client, coordinator, expert, django_capture_on_commit_callbacks):
    client.force_login(coordinator)
    client.cookies["kp_language"] = "en"
    response = invite(client, django_capture_on_commit_callbacks, email=expert.email.upper())
    assert response.status_code == 200
    assert "already has an account" in response.content.decode()
    assert not Invitation.objects.exists()


@pytest.mark.django_db
def test_invalid_email_is_refused_with_a_message(client, coordinator, django_capture_on_commit_callbacks):
    client.force_login(coordinator)
    client.cookies["kp_language"] = "en"
    response = invite(client, django_capture_on_commit_callbacks, email="ei-osoite")
    assert response.status_code == 200
    assert "Enter a valid email address" in response.content.decode()
    assert 'value="ei-osoite"' in response.content.decode()  # what was typed is kept


@pytest.mark.django_db
def test_expert_cannot_invite(client, expert):
    client.force_login(expert)
    response = client.post(reverse("accounts:invitation_create"), {"email": "x@example.fi", "language": "fi"})
    assert response.status_code == 403
    assert not Invitation.objects.exists()


@pytest.mark.django_db
def test_invited_person_creates_an_account_and_becomes_an_expert(
    client, coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    invite(client, django_capture_on_commit_callbacks, email="asa.oberg@example.fi", language="sv")
    client.logout()

    response = client.get(link_from(mailoutbox[0]))
    assert response.status_code == 302 and response.url.startswith(reverse("account_signup"))
    assert client.get(response.url).status_code == 200
    response = client.post(
        reverse("account_signup"),
        {"email": "asa.oberg@example.fi", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302
    user = User.objects.get(email="asa.oberg@example.fi")
    assert user.has_role("expert")
    assert user.language == "sv"
    assert user.emailaddress_set.get().verified  # the invitation link proved the address
    invitation = Invitation.objects.get()
    assert invitation.accepted_user == user and invitation.accepted_at is not None
    # Signed in straight away and the link cannot be used again.
    assert client.get(reverse("experts:my_profile")).status_code == 200
    client.logout()
    assert client.get(link_from(mailoutbox[0])).status_code == 404


@pytest.mark.django_db
def test_signup_with_another_address_than_invited_is_refused(
    client, coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    invite(client, django_capture_on_commit_callbacks, email="oikea@example.fi")
    client.logout()
    client.cookies["kp_language"] = "en"
    client.get(link_from(mailoutbox[0]))
    response = client.post(
        reverse("account_signup"), {"email": "toinen@example.fi", "password1": PASSWORD, "password2": PASSWORD}
    )
    assert response.status_code == 200
    assert "the invitation was sent to" in response.content.decode()
    assert not User.objects.filter(email="toinen@example.fi").exists()


@pytest.mark.django_db
def test_expired_link_shows_a_clear_page(client, coordinator, mailoutbox, django_capture_on_commit_callbacks):
    client.force_login(coordinator)
    invite(client, django_capture_on_commit_callbacks)
    Invitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    client.logout()
    client.cookies["kp_language"] = "en"
    response = client.get(link_from(mailoutbox[0]))
    assert response.status_code == 404
    assert "The invitation link is not valid" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("token", ["x", "a" * 43, "%00", "ääkköset-ja-välit"])
def test_garbage_tokens_give_the_invalid_link_page_not_an_error(client, token):
    response = client.get(f"/tili/kutsu/{token}/")
    assert response.status_code == 404


@pytest.mark.django_db
def test_there_is_no_open_signup(client):
    client.cookies["kp_language"] = "en"
    response = client.get(reverse("account_signup"))
    assert response.status_code == 200
    assert "Sign Up Closed" in response.content.decode() or "closed" in response.content.decode().lower()
    client.post(reverse("account_signup"), {"email": "vapaa@example.fi", "password1": PASSWORD, "password2": PASSWORD})
    assert not User.objects.filter(email="vapaa@example.fi").exists()


@pytest.mark.django_db
def test_pending_invitations_page_has_constant_queries(client, coordinator, django_assert_num_queries):
    for n in range(3):
        Invitation.objects.create(
            email=f"k{n}@example.fi",
            invited_by=coordinator,
            token_hash=f"h{n}",
            expires_at=timezone.now() + timedelta(days=1),
        )
    client.force_login(coordinator)
    # session, the user with roles, permissions and MFA status (accounts.backends), pending invitations with
    # their inviters; then the idle-timeout session save: savepoint, update, release.
    with django_assert_num_queries(6):
        response = client.get(reverse("accounts:invitation_create"))
    assert response.status_code == 200
    assert response.content.decode().count("@example.fi</td>") == 3
