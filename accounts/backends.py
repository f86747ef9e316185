"""Authentication backends that read a signed-in user with everything each request asks of them.

Every signed-in request asked the database five times before its view ran: the user, their roles
(the navigation and the staff check), their own and their roles' permissions (the view's
permission_required), and whether they have set up TOTP (StaffMFARequiredMiddleware). The backends
here read the user with the other four as subqueries of the same statement, fresh on every request
(a role taken away or an authenticator removed counts at the next request, as before): ~5 ms less a
request (README, Search benchmark). Each is the backend it replaces otherwise.
"""

import functools

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from allauth.mfa.models import Authenticator
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType

from .models import User


@functools.cache
def _signed_in_user_sql() -> str:
    """One user by id with `access_roles`, `access_permissions` (own and through roles, as
    "app_label.codename") and `access_totp`. Written once: the same with the ORM (ArraySubquery and
    a union) took ~8 ms of Python to compile and ~1.4 ms to plan, for ~0.5 ms of work."""
    roles = User.groups.through._meta.db_table
    own = User.user_permissions.through._meta.db_table
    granted = Group.permissions.through._meta.db_table
    return f"""
        SELECT u.*,
            ARRAY(SELECT g.name FROM {Group._meta.db_table} g JOIN {roles} r ON r.group_id = g.id
                  WHERE r.user_id = u.id) AS access_roles,
            ARRAY(SELECT t.app_label || '.' || p.codename
                  FROM {Permission._meta.db_table} p JOIN {ContentType._meta.db_table} t ON t.id = p.content_type_id
                  WHERE p.id IN (SELECT o.permission_id FROM {own} o WHERE o.user_id = u.id
                                 UNION ALL
                                 SELECT gp.permission_id FROM {granted} gp JOIN {roles} r ON r.group_id = gp.group_id
                                 WHERE r.user_id = u.id)) AS access_permissions,
            EXISTS(SELECT 1 FROM {Authenticator._meta.db_table} a WHERE a.user_id = u.id AND a.type = %s)
                AS access_totp
        FROM {User._meta.db_table} u WHERE u.id = %s
    """  # noqa: S608 - table names from the models; the values are parameters


def signed_in_user(user_id) -> User | None:
    """The user with `access_roles`, `access_permissions` and `access_totp`, or None."""
    try:
        user_id = int(user_id)
    except (TypeError, ValueError):
        return None
    return next(iter(User.objects.raw(_signed_in_user_sql(), [Authenticator.Type.TOTP, user_id])), None)


class SignedInUserMixin:
    def get_user(self, user_id):
        user = signed_in_user(user_id)
        if user is None or not self.user_can_authenticate(user):
            return None
        user.remember_access(set(user.access_roles), set(user.access_permissions), user.access_totp)
        return user


class ModelBackend(SignedInUserMixin, DjangoModelBackend):
    """Django's backend (Django admin's sign-in form), reading the user as above."""


class AuthenticationBackend(SignedInUserMixin, AllauthBackend):
    """allauth's backend (sign-in by email), reading the user as above."""
