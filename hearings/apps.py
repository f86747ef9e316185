from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HearingsConfig(AppConfig):
    name = "hearings"
    verbose_name = _("Resident hearings")

    def ready(self) -> None:
        from . import outcome, reminders

        # Staff reminders before a campaign closes and when its outcome is overdue (reminders.py);
        # the outcome to those who asked for it (outcome.py): all through the notifications outbox.
        reminders.register_notification_kinds()
        outcome.register_notification_kinds()
