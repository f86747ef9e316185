from allauth.account.signals import user_logged_in, user_signed_up
from django.conf import settings
from django.dispatch import receiver

from .adapter import INVITATION_SESSION_KEY
from .services import accept_invitation


@receiver(user_signed_up)
def give_invited_role(sender, request, user, **kwargs):
    invitation_id = request.session.pop(INVITATION_SESSION_KEY, None)
    if invitation_id:
        accept_invitation(invitation_id=invitation_id, user=user)


@receiver(user_logged_in)
def use_saved_language(sender, request, user, response=None, **kwargs):
    # The interface follows the language the person chose last time, on any device.
    if response is not None and user.language:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            user.language,
            max_age=365 * 24 * 3600,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )


def sync_roles_after_migrate(sender, **kwargs):
    from django.contrib.auth.models import Group, Permission

    from .roles import sync_roles

    sync_roles(Group, Permission)
