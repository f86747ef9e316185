"""The authentication backends read a signed-in user with their roles, permissions and TOTP status in
one statement (accounts.backends), fresh on every request."""

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group
from django.urls import reverse

from accounts.backends import AuthenticationBackend, ModelBackend
from accounts.roles import Role
from tests.factories import UserFactory

SEARCH = reverse("experts:index")


@pytest.mark.django_db
def test_the_user_comes_with_roles_permissions_and_totp_in_one_query(coordinator, django_assert_num_queries):
    with django_assert_num_queries(1):
        user = ModelBackend().get_user(coordinator.pk)
        assert user.role_names() == {Role.COORDINATOR}
        assert user.has_perm("accounts.search_experts")
        assert not user.has_perm("accounts.manage_users")
        assert user.has_totp()
        assert user.is_staff_role


@pytest.mark.django_db
def test_a_superuser_keeps_every_permission(admin_user):
    user = AuthenticationBackend().get_user(admin_user.pk)
    assert user.has_perm("accounts.manage_users")
    # Held by no role: a superuser's without asking (Django's backend lists them all).
    assert "auth.delete_group" in user.get_all_permissions()


@pytest.mark.django_db
@pytest.mark.parametrize("user_id", ["", "x", "1.5", None, 10**12])
def test_an_unknown_or_malformed_id_is_nobody(user_id):
    assert ModelBackend().get_user(user_id) is None


@pytest.mark.django_db
def test_an_inactive_user_is_signed_out():
    user = UserFactory(role="expert", is_active=False)
    assert ModelBackend().get_user(user.pk) is None


@pytest.mark.django_db
def test_a_role_taken_away_counts_at_the_next_request(client, coordinator):
    client.force_login(coordinator)
    assert client.get(SEARCH).status_code == 200
    coordinator.groups.remove(Group.objects.get(name=Role.COORDINATOR))
    assert client.get(SEARCH).status_code == 403


@pytest.mark.django_db
def test_a_removed_authenticator_counts_at_the_next_request(client, coordinator):
    client.force_login(coordinator)
    assert client.get(SEARCH).status_code == 200
    Authenticator.objects.filter(user=coordinator).delete()
    response = client.get(SEARCH)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_activate_totp"))


@pytest.mark.django_db
def test_a_role_given_in_a_request_counts_in_the_same_request():
    from accounts.services import assign_role

    user = ModelBackend().get_user(UserFactory(role="expert").pk)
    assert not user.has_perm("accounts.search_experts")
    assign_role(user=user, role=Role.COORDINATOR)
    assert user.has_perm("accounts.search_experts")
    assert user.has_role(Role.COORDINATOR)
