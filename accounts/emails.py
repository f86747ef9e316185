"""Account emails. Subjects, text and HTML come from templates, rendered in the recipient's language."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation


def send_templated_email(*, template: str, to: str, language: str, context: dict) -> None:
    """Render templates/<template>_subject.txt, _body.txt and _body.html and send one message."""
    with translation.override(language):
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        text = render_to_string(f"{template}_body.txt", context)
        html = render_to_string(f"{template}_body.html", context)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [to])
    message.attach_alternative(html, "text/html")
    message.send()


def send_invitation_email(*, invitation, token: str) -> None:
    url = settings.SITE_URL.rstrip("/") + reverse("accounts:invitation_accept", args=[token])
    send_templated_email(
        template="accounts/email/invitation",
        to=invitation.email,
        language=invitation.language,
        context={"invitation": invitation, "url": url, "inviter": invitation.invited_by},
    )
