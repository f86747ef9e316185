from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingsConfig(AppConfig):
    name = "trainings"
    verbose_name = _("Trainings and onboarding")

    def ready(self) -> None:
        from . import onboarding, reminders

        # Session reminders, feedback rounds on sessions (reminders.py) and overdue onboarding steps
        # (onboarding.py) go through the notifications outbox; feedback collects on a session
        # without importing this app (feedback/targets.py).
        reminders.register_notification_kinds()
        reminders.register_feedback_target()
        onboarding.register_notification_kinds()
