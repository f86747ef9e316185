"""The signed-in navigation (accounts/templatetags/navigation.py): rendered once per language, page and
what the user may see, so a test must show that none of these leaks into another's HTML."""

import re

import pytest
from django.urls import reverse

from tests.factories import UserFactory

LINKS = {
    "expert": {"Front page", "My profile", "My assignments", "My account"},
    "coordinator": {"Front page", "Experts", "Assignments", "To do", "Hearings", "Trainings", "Feedback", "My account"},
    "trainer": {"Front page", "Trainings", "Feedback", "My account"},
    "orderer": {"Front page", "Orders", "My account"},
}


def nav(client, url=None) -> str:
    html = client.get(url or reverse("home")).content.decode()
    return re.search(r'<nav class="main-nav".*?</nav>', html, re.S).group(0)


def links(html: str) -> set[str]:
    return set(re.findall(r">([^<>]+)</a>", html))


@pytest.mark.django_db
@pytest.mark.parametrize("role", sorted(LINKS))
def test_each_role_sees_its_own_links(client, role):
    client.cookies["kp_language"] = "en"
    for user_role in [role, *sorted(set(LINKS) - {role})]:  # each after the others have been rendered
        client.force_login(UserFactory(role=user_role, mfa=user_role not in ("expert", "orderer")))
        assert links(nav(client)) == LINKS[user_role]


@pytest.mark.django_db
def test_the_current_page_is_marked_and_administration_only_for_staff(client, coordinator):
    client.force_login(coordinator)
    client.cookies["kp_language"] = "en"
    html = nav(client, reverse("experts:index"))
    assert re.findall(r'<a href="([^"]+)" aria-current="page">', html) == [reverse("experts:index")]
    assert "Administration" not in html
    coordinator.is_staff = True
    coordinator.save(update_fields=["is_staff"])
    html = nav(client, reverse("bookings:assignment_list"))
    assert re.findall(r'<a href="([^"]+)" aria-current="page">', html) == [reverse("bookings:assignment_list")]
    assert "Administration" in html


@pytest.mark.django_db
def test_languages_and_a_role_taken_away_show_at_once(client, coordinator):
    client.force_login(coordinator)
    for language, word in [("en", "Experts"), ("fi", "Kokemusasiantuntijat"), ("sv", "Erfarenhetsexperter")]:
        client.cookies["kp_language"] = language
        assert word in links(nav(client))
    coordinator.groups.clear()
    coordinator.groups.add(*UserFactory(role="trainer").groups.all())
    assert links(nav(client)) == {"Startsida", "Utbildningar", "Respons", "Mitt konto"}
