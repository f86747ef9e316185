"""Onboarding of new experts into the bank: the checklist per expert, "ready to be booked"."""


def register_notification_kinds() -> None:
    """(being built)"""
