from urllib.parse import quote

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

# Paths a staff member without MFA may still use: the account pages (where MFA is set up), the
# language switch, the health check, static files and the public information pages.
EXEMPT_PREFIXES = ("/accounts/", "/i18n/", "/healthz", "/static/", "/saavutettavuus/", "/tietosuoja/")


class StaffMFARequiredMiddleware:
    """Staff roles see other people's personal data, so they must set up TOTP before anything else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._must_set_up_mfa(request):
            messages.info(request, _("Staff accounts must set up two-factor authentication before continuing."))
            return redirect(f"{reverse('mfa_activate_totp')}?next={quote(request.get_full_path())}")
        return self.get_response(request)

    @staticmethod
    def _must_set_up_mfa(request) -> bool:
        if not settings.KP_STAFF_MFA_REQUIRED or request.path.startswith(EXEMPT_PREFIXES):
            return False
        user = request.user
        if not user.is_authenticated or not user.is_staff_role:
            return False
        return not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
