"""Text-message backends. Email goes through Django's EMAIL_BACKEND; SMS through KP_SMS_BACKEND.

A real SMS gateway (e.g. a county's contracted operator) plugs in as a class with send(to=, text=).
"""

import logging
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


class ConsoleSmsBackend:
    def send(self, *, to: str, text: str) -> None:
        print(f"SMS to {to}:\n{text}\n", flush=True)  # noqa: T201  (the console is the point)


class FileSmsBackend:
    """Appends each message to KP_DATA_DIR/sms/<date>.log: the development default."""

    def send(self, *, to: str, text: str) -> None:
        folder = Path(settings.DATA_DIR) / "sms"
        folder.mkdir(parents=True, exist_ok=True)
        with (folder / f"{timezone.localdate():%Y-%m-%d}.log").open("a", encoding="utf-8") as log:
            log.write(f"To: {to}\n{text}\n{'-' * 40}\n")


def get_sms_backend():
    return import_string(settings.KP_SMS_BACKEND)()
