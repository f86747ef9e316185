"""The role matrix: who reaches which landing page."""

import pytest
from django.urls import reverse

from tests.factories import UserFactory

PAGES = [
    "experts:index",
    "experts:my_profile",
    "hearings:index",
    "feedback:index",
    "trainings:index",
    "accounts:invitation_create",
    "admin:index",
]

# Expected status per role for each page (302 for admin means "sent to the login page").
MATRIX = {
    "coordinator": {
        "experts:index": 200,
        "experts:my_profile": 403,
        "hearings:index": 200,
        "feedback:index": 200,
        "trainings:index": 200,
        "accounts:invitation_create": 200,
        "admin:index": 302,
    },
    "expert": {
        "experts:index": 403,
        "experts:my_profile": 200,
        "hearings:index": 403,
        "feedback:index": 403,
        "trainings:index": 403,
        "accounts:invitation_create": 403,
        "admin:index": 302,
    },
    "trainer": {
        "experts:index": 403,
        "experts:my_profile": 403,
        "hearings:index": 403,
        "feedback:index": 200,
        "trainings:index": 200,
        "accounts:invitation_create": 403,
        "admin:index": 302,
    },
    # A unit's staff ordering experts: none of the bank, nor anything of the staff's.
    "orderer": {
        "experts:index": 403,
        "experts:my_profile": 403,
        "hearings:index": 403,
        "feedback:index": 403,
        "trainings:index": 403,
        "accounts:invitation_create": 403,
        "admin:index": 302,
    },
    "admin": {
        "experts:index": 200,
        "experts:my_profile": 403,
        "hearings:index": 200,
        "feedback:index": 200,
        "trainings:index": 200,
        "accounts:invitation_create": 200,
        "admin:index": 200,
    },
}


@pytest.mark.django_db
@pytest.mark.parametrize("role", sorted(MATRIX))
@pytest.mark.parametrize("page", PAGES)
def test_role_reaches_exactly_its_pages(client, role, page):
    user = UserFactory(role=role, mfa=role not in ("expert", "orderer"))
    client.force_login(user)
    response = client.get(reverse(page))
    assert response.status_code == MATRIX[role][page]


@pytest.mark.django_db
@pytest.mark.parametrize("page", PAGES)
def test_anonymous_is_sent_to_login(client, page):
    response = client.get(reverse(page))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login")) or response.url.startswith(reverse("admin:login"))


@pytest.mark.django_db
def test_user_without_role_reaches_no_staff_page(client):
    client.force_login(UserFactory())
    client.cookies["kp_language"] = "en"
    assert client.get(reverse("experts:index")).status_code == 403
    assert "Your account has no role yet" in client.get(reverse("home")).content.decode()


@pytest.mark.django_db
def test_roles_exist_with_their_permissions():
    from django.contrib.auth.models import Group

    coordinator = Group.objects.get(name="coordinator")
    codenames = set(coordinator.permissions.values_list("codename", flat=True))
    assert {"search_experts", "invite_experts", "run_hearings"} <= codenames
    assert "keep_own_profile" not in codenames
    assert set(Group.objects.values_list("name", flat=True)) == {"coordinator", "expert", "trainer", "admin", "orderer"}
    orderer = Group.objects.get(name="orderer")
    assert set(orderer.permissions.values_list("codename", flat=True)) == {"order_experts"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role,heading",
    [
        ("expert", "role-expert"),
        ("coordinator", "role-coordinator"),
        ("trainer", "role-trainer"),
        ("admin", "role-admin"),
        ("orderer", "role-orderer"),
    ],
)
def test_front_page_shows_the_next_steps_of_each_role(client, role, heading):
    client.force_login(UserFactory(role=role, mfa=role not in ("expert", "orderer")))
    html = client.get(reverse("home")).content.decode()
    assert f'id="{heading}"' in html
    others = {"role-expert", "role-coordinator", "role-trainer", "role-admin", "role-orderer"} - {heading}
    assert not any(f'id="{other}"' in html for other in others)
