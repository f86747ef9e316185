"""Finnish by default; Swedish and English on request; the choice sticks to the account."""

import pytest
from django.urls import reverse

from tests.factories import TEST_PASSWORD, UserFactory


@pytest.mark.django_db
def test_finnish_is_the_default(client):
    html = client.get(reverse("home")).content.decode()
    assert '<html lang="fi">' in html
    assert "Siirry pääsisältöön" in html


@pytest.mark.django_db
@pytest.mark.parametrize("language,skip_text", [("sv", "Hoppa till huvudinnehållet"), ("en", "Skip to main content")])
def test_switching_language_translates_the_page(client, language, skip_text):
    response = client.post(reverse("set_language"), {"language": language, "next": "/"})
    assert response.status_code == 302
    html = client.get(reverse("home")).content.decode()
    assert f'<html lang="{language}">' in html
    assert skip_text in html


@pytest.mark.django_db
def test_unknown_language_keeps_finnish(client):
    client.post(reverse("set_language"), {"language": "xx", "next": "/"})
    assert '<html lang="fi">' in client.get(reverse("home")).content.decode()


@pytest.mark.django_db
def test_language_choice_is_saved_on_the_account_and_used_at_next_login(client):
    user = UserFactory(role="expert")
    client.force_login(user)
    client.post(reverse("set_language"), {"language": "sv", "next": "/"})
    user.refresh_from_db()
    assert user.language == "sv"

    other_device = client.__class__()
    other_device.post(reverse("account_login"), {"login": user.email, "password": TEST_PASSWORD})
    assert '<html lang="sv">' in other_device.get(reverse("home")).content.decode()


@pytest.mark.django_db
def test_language_switch_returns_to_the_same_page_only_on_this_site(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "https://evil.example/"})
    assert response.url == "/"
    response = client.post(reverse("set_language"), {"language": "en", "next": "/saavutettavuus/"})
    assert response.url == "/saavutettavuus/"
