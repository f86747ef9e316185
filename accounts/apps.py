from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts and roles")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from notifications import kinds

        from . import signals  # noqa: F401  (connects allauth's signup signal)

        # The data migration creates the roles; this keeps them after a flush (which re-sends
        # post_migrate), e.g. between transactional tests.
        post_migrate.connect(signals.sync_roles_after_migrate, sender=self)

        kinds.register(
            kinds.Kind(
                code="accounts.welcome",
                label=_("Welcome message"),
                template="accounts/email/welcome",
                transactional=True,
            )
        )
