"""Session reminders to participants and trainers, and the feedback round after each session."""


def register_notification_kinds() -> None:
    """(being built)"""


def register_feedback_target() -> None:
    """(being built)"""
