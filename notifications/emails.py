"""Rendering a notification (subject, text, HTML; .ics for events) in the recipient's language."""

from dataclasses import dataclass, field

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template import Context, TemplateDoesNotExist
from django.template.loader import get_template, render_to_string
from django.urls import reverse
from django.utils import translation

from . import kinds
from .calendar import calendar_file


@dataclass
class Message:
    subject: str
    text: str
    html: str
    headers: dict[str, str] = field(default_factory=dict)
    attachments: list[tuple[str, bytes, str]] = field(default_factory=list)


UNSUBSCRIBE_SALT = "kokemuspankki.notifications.unsubscribe"


def absolute_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def unsubscribe_token(*, user_id: int, kind: str, channel: str) -> str:
    return signing.dumps({"u": user_id, "k": kind, "c": channel}, salt=UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token: str) -> dict | None:
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    return data if isinstance(data, dict) and {"u", "k", "c"} <= data.keys() else None


def render_plain_text(template_name: str, context: dict) -> str:
    """A .txt template rendered without HTML escaping. Django escapes whatever a template prints, so a
    title such as Luento "Toivo" & vertaistuki would read Luento &quot;Toivo&quot; &amp; vertaistuki in
    a subject line or a plain-text body, which no mail program turns back into text."""
    return get_template(template_name).template.render(Context(context, autoescape=False))


def render_message(*, template: str, language: str, context: dict) -> Message:
    """templates/<template>_subject.txt, _body.txt and _body.html, rendered in `language`: the two
    .txt files as plain text, the .html file escaped."""
    with translation.override(language):
        subject = " ".join(render_plain_text(f"{template}_subject.txt", context).split())
        text = render_plain_text(f"{template}_body.txt", context)
        html = render_to_string(f"{template}_body.html", context)
    return Message(subject=subject, text=text, html=html)


def notification_context(notification) -> dict:
    """What a notification's templates see: its stored context, the target, the recipient and a link."""
    target = notification.target
    return {
        **notification.context,
        "notification": notification,
        "target": target,
        "recipient": notification.recipient,
        "recipient_name": notification.recipient.get_short_name() if notification.recipient else "",
        "url": absolute_url(target.get_absolute_url()) if hasattr(target, "get_absolute_url") else settings.SITE_URL,
        # A kind whose reader is not the target's owner (a coordinator told about a booking) links elsewhere.
        **({"url": absolute_url(notification.context["path"])} if "path" in notification.context else {}),
        "unsubscribe_url": "",
    }


def render_notification(notification) -> Message:
    kind = kinds.get(notification.kind)
    target = notification.target
    context = notification_context(notification)
    headers = {"Auto-Submitted": "auto-generated", "X-Kokemuspankki-Notification": str(notification.pk)}
    if not kind.transactional and notification.recipient_id:
        token = unsubscribe_token(user_id=notification.recipient_id, kind=kind.code, channel=notification.channel)
        context["unsubscribe_url"] = absolute_url(reverse("notifications:unsubscribe", args=[token]))
        # RFC 8058 one-click unsubscribe: mail clients POST to this URL.
        headers["List-Unsubscribe"] = f"<{context['unsubscribe_url']}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message = render_message(template=kind.template, language=notification.language, context=context)
    message.headers.update(headers)
    if kind.calendar:
        message.attachments.append(("kutsu.ics", calendar_file(target.calendar_event()), "text/calendar"))
    return message


def render_text_message(notification) -> str:
    """A text message: templates/<template>_sms.txt in the recipient's language, each line trimmed and
    empty ones dropped; without that template, the email's subject and the link."""
    kind = kinds.get(notification.kind)
    context = notification_context(notification)
    with translation.override(notification.language):
        try:
            text = render_plain_text(f"{kind.template}_sms.txt", context)
        except TemplateDoesNotExist:
            subject = render_plain_text(f"{kind.template}_subject.txt", context)
            text = f"{' '.join(subject.split())}\n{context['url']}"
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


def send_email_message(*, message: Message, to: str) -> None:
    email = EmailMultiAlternatives(
        message.subject, message.text, settings.DEFAULT_FROM_EMAIL, [to], headers=message.headers
    )
    email.attach_alternative(message.html, "text/html")
    for filename, content, mimetype in message.attachments:
        email.attach(filename, content, mimetype)
    email.send()
