"""The roles and what each may do.

Roles are Django groups; what a role may do is a set of permissions, so access checks in views ask
for a permission (`@permission_required`) and never for a group name. A data migration and
`sync_roles()` keep the groups in step with ROLE_PERMISSIONS.
"""

from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _


class Role(TextChoices):
    COORDINATOR = "coordinator", _("Coordinator")
    EXPERT = "expert", _("Experience expert")
    TRAINER = "trainer", _("Trainer")
    ADMIN = "admin", _("Administrator")
    # Unit staff who order experts for their unit (bookings.OrderRequest) and give feedback after;
    # they see no profile of the bank.
    ORDERER = "orderer", _("Orderer")


# Permissions are "app_label.codename"; the custom ones live on accounts.User (see its Meta).
ROLE_PERMISSIONS: dict[str, set[str]] = {
    Role.COORDINATOR: {
        "accounts.search_experts",
        "accounts.invite_experts",
        "accounts.run_hearings",
        "accounts.run_trainings",
        "accounts.manage_trainings",
        "accounts.view_feedback_results",
    },
    Role.EXPERT: {"accounts.keep_own_profile"},
    Role.TRAINER: {"accounts.run_trainings", "accounts.view_feedback_results"},
    Role.ORDERER: {"accounts.order_experts"},
    Role.ADMIN: {
        "accounts.search_experts",
        "accounts.invite_experts",
        "accounts.run_hearings",
        "accounts.run_trainings",
        "accounts.manage_trainings",
        "accounts.view_feedback_results",
        "accounts.manage_users",
    },
}

# Roles whose members see other people's data: they must use two-factor authentication.
STAFF_ROLES = frozenset({Role.COORDINATOR, Role.TRAINER, Role.ADMIN})


def sync_roles(group_model, permission_model) -> None:
    """Create the role groups and set the permissions ROLE_PERMISSIONS gives them.

    The admin role also gets every model permission (administrators do everything in Django admin)
    except keeping an own expert profile, which belongs to the expert role. Permissions that do not
    exist yet are skipped: this runs after each app's post_migrate, and the last run sees them all.
    """
    from django.db.models import Q

    for role, perms in ROLE_PERMISSIONS.items():
        group, _created = group_model.objects.get_or_create(name=role)
        if role == Role.ADMIN:
            wanted = permission_model.objects.exclude(content_type__app_label="accounts", codename="keep_own_profile")
        else:
            match = Q(pk__in=[])
            for perm in perms:
                app_label, codename = perm.split(".")
                match |= Q(content_type__app_label=app_label, codename=codename)
            wanted = permission_model.objects.filter(match)
        group.permissions.set(wanted)
