"""The sign-up page an invited expert reads first: a short plain-language intro (selkokieli, lätt språk)
above allauth's form tells what happens now and next, in the reader's language."""

import re

import pytest
from django.urls import reverse

from accounts.services import invite_expert

FINNISH_INTRO = [
    "Koordinaattori kutsui sinut Kokemuspankkiin.",
    "Valitse ensin salasana. Kirjaudut sisään sähköpostiosoitteella ja tällä salasanalla.",
    "Sitten täytät profiilisi vaihe vaiheelta.",
    "Voit lopettaa milloin tahansa. Voit jatkaa myöhemmin.",
]
SWEDISH_INTRO = [
    "En koordinator har bjudit in dig till Kokemuspankki.",
    "Välj först ett lösenord. Du loggar in med din e-postadress och det här lösenordet.",
    "Sedan fyller du i din profil steg för steg.",
    "Du kan sluta när du vill. Du kan fortsätta senare.",
]


def signup_page(client, coordinator, mailoutbox, django_capture_on_commit_callbacks):
    """Follow a fresh invitation's link to the sign-up form, as the invited person does."""
    with django_capture_on_commit_callbacks(execute=True):
        invite_expert(email="sade.uusi@example.fi", invited_by=coordinator, language="fi")
    link = re.search(r"https?://\S+/tili/kutsu/\S+/", mailoutbox[-1].body).group(0)
    response = client.get(link)
    assert response.status_code == 302 and response.url.startswith(reverse("account_signup"))
    return client.get(response.url)


def intro(response) -> list[str]:
    html = response.content.decode()
    block = re.search(r'<div class="signup-intro">(.*?)</div>', html, re.S).group(1)
    return [re.sub(r"\s+", " ", text).strip() for text in re.findall(r"<p>(.*?)</p>", block, re.S)]


@pytest.mark.django_db
def test_finnish_signup_page_says_in_plain_language_what_happens(
    client, coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    response = signup_page(client, coordinator, mailoutbox, django_capture_on_commit_callbacks)
    assert response.status_code == 200
    assert response.wsgi_request.LANGUAGE_CODE == "fi"
    # Short sentences, one thing each, the reader addressed as "sinä"; the intro comes before the form.
    assert intro(response) == FINNISH_INTRO
    html = response.content.decode()
    assert re.search(r"<h1>\s*Luo käyttäjätili\s*</h1>", html)
    assert html.index('class="signup-intro"') < html.index(f'action="{reverse("account_signup")}"')
    assert 'value="sade.uusi@example.fi"' in html


@pytest.mark.django_db
def test_swedish_signup_page_has_the_same_intro_in_swedish(
    client, coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    client.cookies["kp_language"] = "sv"
    response = signup_page(client, coordinator, mailoutbox, django_capture_on_commit_callbacks)
    assert response.status_code == 200
    assert intro(response) == SWEDISH_INTRO
    assert re.search(r"<h1>\s*Skapa ditt konto\s*</h1>", response.content.decode())
