"""Closing the loop: publishing "what we heard, what we did", telling those who asked, and deleting
their addresses once told."""


def register_notification_kinds() -> None:
    """(being built)"""
