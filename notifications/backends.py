"""Text-message backends. Email goes through Django's EMAIL_BACKEND; SMS through KP_SMS_BACKEND.

A backend is a class with send(to=, text=) that raises on failure (the outbox then retries). With
KP_SMS_BACKEND empty no SMS backend is configured: nobody is offered text messages and none is
scheduled. GatewayApiSmsBackend talks to a real gateway; another operator plugs in the same way.
"""

import base64
import json
import logging
import urllib.request
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


# GSM 03.38, the 7-bit alphabet every phone shows (its basic set and the escaped extension, which
# counts double): Finnish and Swedish letters are in it. Typographic dashes and quotes are given their
# plain forms; text with any other character (an emoji, a Sámi letter) goes as UCS-2, which fits 70
# characters to a message instead of 160, or the gateway would replace the character with "?".
GSM_PLAIN_FORMS = str.maketrans({"–": "-", "—": "-", "‘": "'", "’": "'", "“": '"', "”": '"', "„": '"', "…": "..."})
GSM_CHARACTERS = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§"
    "¿abcdefghijklmnopqrstuvwxyzäöñüà^{}\\[~]|€\f"
)


class GatewayApiSmsBackend:
    """GatewayAPI (gatewayapi.com, a Nordic SMS gateway used by Finnish organisations), through its
    REST interface: POST KP_SMS_API_URL with the message as JSON, the API token as the HTTP Basic user.
    API: https://gatewayapi.com/docs/apis/rest/ (POST /rest/mtsms). The default URL is the EU
    platform's (gatewayapi.eu), where an account's messages stay in the EU; an account on the global
    platform sets KP_SMS_API_URL=https://gatewayapi.com/rest/mtsms.

    Standard library only. Any answer other than 2xx, a timeout or a refused connection raises, so the
    outbox retries with backoff; nothing here logs the number or the text."""

    def __init__(self):
        if not settings.KP_SMS_API_TOKEN:
            raise ValueError("KP_SMS_API_TOKEN is not set")  # an operator's mistake: fail loudly, retry
        self.url = settings.KP_SMS_API_URL
        self.token = settings.KP_SMS_API_TOKEN
        self.sender = settings.KP_SMS_SENDER
        self.timeout = settings.KP_SMS_TIMEOUT

    def payload(self, *, to: str, text: str) -> dict:
        text = text.translate(GSM_PLAIN_FORMS)
        message = {"sender": self.sender, "message": text, "recipients": [{"msisdn": int(to.lstrip("+"))}]}
        if not set(text) <= GSM_CHARACTERS:
            message["encoding"] = "UCS2"
        return message

    def send(self, *, to: str, text: str) -> None:
        credentials = base64.b64encode(f"{self.token}:".encode()).decode()
        request = urllib.request.Request(  # noqa: S310  (the URL is the operator's setting, https in production)
            self.url,
            data=json.dumps(self.payload(to=to, text=text)).encode(),
            method="POST",
            headers={
                "Authorization": f"Basic {credentials}",
                "Content-Type": "application/json",
                "Accept": "application/json",
            },
        )
        # urlopen raises HTTPError for 4xx and 5xx, URLError when the gateway cannot be reached.
        with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
            if not 200 <= response.status < 300:
                raise OSError(f"SMS gateway answered {response.status}")
            ids = json.loads(response.read() or b"{}").get("ids")
        logger.info("sms: accepted by the gateway (%d message ids)", len(ids or []))


def sms_available() -> bool:
    """Whether an SMS backend is configured: without one nobody is offered text messages."""
    return bool(settings.KP_SMS_BACKEND)


def get_sms_backend():
    if not sms_available():
        raise RuntimeError("no SMS backend is configured (KP_SMS_BACKEND)")
    return import_string(settings.KP_SMS_BACKEND)()
