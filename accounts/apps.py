from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts and roles")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from notifications import kinds

        from . import signals  # noqa: F401  (connects allauth's signup signal)

        # The data migration creates the roles; this keeps them in step after every migrate and flush
        # (a flush re-sends post_migrate, e.g. between transactional tests). It listens to every app's
        # signal, after auth has created that app's permissions, so that the admin role gets them all.
        post_migrate.connect(signals.sync_roles_after_migrate, dispatch_uid="accounts.sync_roles")

        kinds.register(
            kinds.Kind(
                code="accounts.welcome",
                label=_("Welcome message"),
                template="accounts/email/welcome",
                transactional=True,
            )
        )
