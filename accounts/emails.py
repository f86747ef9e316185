"""Account emails that do not go through the outbox (the invitation link holds a secret token, and the
outbox keeps its context in the database)."""

from django.conf import settings
from django.urls import reverse

from notifications.emails import render_message, send_email_message


def send_invitation_email(*, invitation, token: str) -> None:
    url = settings.SITE_URL.rstrip("/") + reverse("accounts:invitation_accept", args=[token])
    message = render_message(
        template="accounts/email/invitation",
        language=invitation.language,
        context={"invitation": invitation, "url": url, "inviter": invitation.invited_by},
    )
    send_email_message(message=message, to=invitation.email)
