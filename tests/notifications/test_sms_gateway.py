"""GatewayApiSmsBackend against a local fake of GatewayAPI's REST interface: the request it makes,
and the outbox's retry on a failure and "sent" on success."""

import base64
import json
import logging
import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone

from notifications import kinds
from notifications.backends import GatewayApiSmsBackend
from notifications.models import Channel, Notification, NotificationPreference, Status
from notifications.services import schedule_notification, send_notification, sweep_due_notifications
from notifications.tasks import send_notification_task

TOKEN = "testitoken-123"
GATEWAY_KIND = kinds.register(
    kinds.Kind(code="tests.sms_gateway", label="Test gateway", template="tests/email/reminder", sms=True)
)


class FakeGateway(ThreadingHTTPServer):
    """Records each request; answers with `status` and GatewayAPI's body, after `delay` seconds."""

    def __init__(self):
        super().__init__(("127.0.0.1", 0), GatewayHandler)
        self.requests: list[dict] = []
        self.status = 200
        self.delay = 0.0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/rest/mtsms"


class GatewayHandler(BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802  (http.server's naming)
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.server.requests.append(
            {"method": self.command, "path": self.path, "headers": dict(self.headers), "body": json.loads(body)}
        )
        time.sleep(self.server.delay)
        answer = {"ids": [421332671]} if self.server.status == 200 else {"message": "Internal error"}
        payload = json.dumps(answer).encode()
        try:
            self.send_response(self.server.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (the timeout test)

    def log_message(self, format, *args):  # noqa: A002  (keep the test output quiet)
        pass


@pytest.fixture
def gateway(settings):
    server = FakeGateway()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.KP_SMS_BACKEND = "notifications.backends.GatewayApiSmsBackend"
    settings.KP_SMS_API_URL = server.url
    settings.KP_SMS_API_TOKEN = TOKEN
    settings.KP_SMS_SENDER = "Kokemus"
    settings.KP_SMS_TIMEOUT = 2
    yield server
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture
def enqueued(monkeypatch):
    calls = []
    monkeypatch.setattr(send_notification_task, "delay", lambda *args: calls.append(args))
    return calls


def text_message(person, title="Vastaanotto Hollolan sote-keskuksessa"):
    NotificationPreference.objects.create(user=person, kind=GATEWAY_KIND.code, channel=Channel.SMS, enabled=True)
    return schedule_notification(
        kind=GATEWAY_KIND.code,
        target=person,
        recipient=person,
        channel=Channel.SMS,
        due_at=timezone.now() - timedelta(minutes=1),
        context={"title": title},
    )


def send_due(enqueued) -> list[str]:
    sweep_due_notifications(enqueue=send_notification_task.delay)
    results = [send_notification(notification_id=nid, claim_token=token) for nid, token in enqueued]
    enqueued.clear()
    return results


def test_the_backend_posts_the_message_as_json_with_the_token(gateway):
    GatewayApiSmsBackend().send(to="+358401234567", text="Muistutus: huomenna klo 9.00")
    (request,) = gateway.requests
    assert request["method"] == "POST" and request["path"] == "/rest/mtsms"
    assert request["headers"]["Authorization"] == "Basic " + base64.b64encode(f"{TOKEN}:".encode()).decode()
    assert request["headers"]["Content-Type"] == "application/json"
    assert request["body"] == {
        "sender": "Kokemus",
        "message": "Muistutus: huomenna klo 9.00",
        "recipients": [{"msisdn": 358401234567}],
    }


def test_finnish_letters_and_plain_dashes_fit_the_gsm_alphabet(gateway):
    GatewayApiSmsBackend().send(to="+358401234567", text="Äänekoski – Åbo ”Toivo”")
    body = gateway.requests[0]["body"]
    assert body["message"] == 'Äänekoski - Åbo "Toivo"'
    assert "encoding" not in body  # 160 characters to a message


def test_other_characters_go_as_ucs2(gateway):
    GatewayApiSmsBackend().send(to="+358401234567", text="Sámi: Anár 🙂")
    assert gateway.requests[0]["body"]["encoding"] == "UCS2"


def test_without_a_token_the_backend_refuses(gateway, settings):
    settings.KP_SMS_API_TOKEN = ""
    with pytest.raises(ValueError, match="KP_SMS_API_TOKEN"):
        GatewayApiSmsBackend()


@pytest.mark.django_db
def test_a_200_marks_the_notification_sent(gateway, person, enqueued):
    notification = text_message(person)
    assert send_due(enqueued) == ["sent"]
    notification.refresh_from_db()
    assert notification.status == Status.SENT and notification.sent_at is not None
    (request,) = gateway.requests
    assert request["body"]["recipients"] == [{"msisdn": 358401234567}]
    assert ": Vastaanotto Hollolan sote-keskuksessa\nhttp" in request["body"]["message"]


@pytest.mark.django_db
def test_a_500_makes_the_notification_retry_then_it_goes(gateway, person, enqueued, caplog):
    gateway.status = 500
    notification = text_message(person)
    with caplog.at_level(logging.INFO):
        assert send_due(enqueued) == ["retry"]
    notification.refresh_from_db()
    assert notification.status == Status.PENDING
    assert notification.last_error == "HTTPError"
    assert notification.due_at > timezone.now()  # backoff
    # Neither the number nor the text reaches the log.
    assert "358401234567" not in caplog.text and "Hollolan" not in caplog.text

    gateway.status = 200
    Notification.objects.filter(pk=notification.pk).update(due_at=timezone.now() - timedelta(seconds=1))
    assert send_due(enqueued) == ["sent"]
    notification.refresh_from_db()
    assert notification.status == Status.SENT and notification.attempts == 2
    assert len(gateway.requests) == 2


@pytest.mark.django_db
def test_a_gateway_that_does_not_answer_in_time_is_retried(gateway, person, enqueued, settings):
    settings.KP_SMS_TIMEOUT = 0.2
    gateway.delay = 1.0
    notification = text_message(person)
    assert send_due(enqueued) == ["retry"]
    notification.refresh_from_db()
    assert notification.status == Status.PENDING and notification.last_error in {"TimeoutError", "URLError"}


@pytest.mark.django_db
def test_an_unreachable_gateway_is_retried(gateway, person, enqueued, settings):
    settings.KP_SMS_API_URL = "http://127.0.0.1:9/rest/mtsms"  # the discard port: nothing listens
    notification = text_message(person)
    assert send_due(enqueued) == ["retry"]
    notification.refresh_from_db()
    assert notification.status == Status.PENDING and notification.last_error == "URLError"
    assert gateway.requests == []


@pytest.mark.django_db
def test_the_last_failure_marks_the_notification_failed(gateway, person, enqueued, settings):
    settings.KP_NOTIFICATION_MAX_ATTEMPTS = 1
    gateway.status = 503
    notification = text_message(person)
    assert send_due(enqueued) == ["failed"]
    notification.refresh_from_db()
    assert notification.status == Status.FAILED and notification.last_error == "HTTPError"
