"""Staff reminders: before a campaign closes, and when its outcome is not published in time."""


def register_notification_kinds() -> None:
    """(being built)"""
