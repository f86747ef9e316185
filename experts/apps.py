from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExpertsConfig(AppConfig):
    name = "experts"
    verbose_name = _("Expert bank")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        post_migrate.connect(seed_after_migrate, sender=self, dispatch_uid="experts.seed")
        register_notification_kinds()


def register_notification_kinds() -> None:
    """The booking messages. They share one template set, which words each kind its own way."""
    from notifications.kinds import Kind, register

    for code, label, transactional, calendar in [
        ("booking_invitation", _("Invitations to assignments"), True, False),
        ("booking_invitation_reminder", _("Reminders of unanswered invitations"), False, False),
        ("booking_unanswered", _("Unanswered invitations (coordinators)"), False, False),
        ("booking_answered", _("Answers to invitations (coordinators)"), False, False),
        ("booking_confirmed", _("Confirmed assignments"), True, True),
        ("booking_changed", _("Changed assignments"), True, True),
        ("booking_filled", _("Assignments filled by someone else"), False, False),
        ("booking_cancelled", _("Cancelled assignments"), True, True),
        ("booking_cancelled_by_expert", _("Cancellations by experts (coordinators)"), True, False),
        ("booking_reminder_early", _("Reminders before an assignment"), False, True),
        ("booking_reminder_late", _("Last reminders before an assignment"), False, False),
        ("booking_check_in", _('"How did it go?" after an assignment'), False, False),
        ("booking_checked_in", _("Experts' check-ins (coordinators)"), False, False),
    ]:
        register(
            Kind(
                code=f"experts.{code}",
                label=label,
                template="experts/email/booking",
                transactional=transactional,
                calendar=calendar,
            )
        )


def seed_after_migrate(sender, **kwargs):
    from django.apps import apps

    from .seed import seed, seed_tariffs

    seed(lambda name: apps.get_model("experts", name))
    seed_tariffs(lambda name: apps.get_model("experts", name))
