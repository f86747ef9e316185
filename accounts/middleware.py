import time
from urllib.parse import quote

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
        return not user.has_totp()


# A session renewed less than this many seconds ago is not written again (SessionActivityMiddleware).
SESSION_RENEW_AFTER = 60
SEEN_KEY = "_seen"


class SessionActivityMiddleware:
    """Sliding expiry without a write on every request: a signed-in session (any session with data)
    is saved again, and its cookie renewed, when it was last renewed over SESSION_RENEW_AFTER seconds
    ago. Saving on every request (SESSION_SAVE_EVERY_REQUEST) cost every page an UPDATE and a signed
    cookie, ~3 ms (README); now a session idle for SESSION_COOKIE_AGE ends at most a minute sooner
    than that after its last request, never later. A visitor without a session still gets none."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = request.session
        # No cookie, no session to renew (and none is loaded); an unknown or expired key loads as
        # empty and keyless.
        if session.session_key is not None:
            seen = session.get(SEEN_KEY)
            now = int(time.time())
            fresh = isinstance(seen, int) and 0 <= now - seen < SESSION_RENEW_AFTER
            if not fresh and any(key != SEEN_KEY for key in session.keys()):
                session[SEEN_KEY] = now
        return self.get_response(request)
