from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingsConfig(AppConfig):
    name = "trainings"
    verbose_name = _("Trainings and onboarding")

    def ready(self) -> None:
        from . import completion, materials, onboarding, reminders

        # Session reminders, feedback rounds on sessions (reminders.py) and overdue onboarding steps
        # (onboarding.py) go through the notifications outbox; feedback collects on a session
        # without importing this app (feedback/targets.py).
        reminders.register_notification_kinds()
        reminders.register_feedback_target()
        onboarding.register_notification_kinds()
        # A completed participant's invitation into the bank, once accepted, makes a draft profile with
        # the training filled in; accounts and experts cannot import this app, so it listens.
        completion.connect_bank_signals()
        # A deleted material's file leaves storage, however the material was deleted.
        materials.connect_signals()
