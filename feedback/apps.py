from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "feedback"
    verbose_name = _("Session feedback")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from notifications.kinds import Kind, register

        from . import services, signals

        signals.connect()

        register(
            Kind(
                code=services.LINK_KIND,
                label=_("Feedback links (to participants)"),
                template="feedback/email/link",
                transactional=True,  # asked for by the participant when they gave their address
            )
        )
        register(
            Kind(
                code=services.FEW_ANSWERS_KIND,
                label=_("Feedback rounds closing with too few answers"),
                template="feedback/email/few_answers",
                skip_reason=services.few_answers_skip_reason,
            )
        )
        post_migrate.connect(seed_after_migrate, sender=self, dispatch_uid="feedback.seed")


def seed_after_migrate(sender, **kwargs):
    from .seed import seed_forms

    seed_forms()
