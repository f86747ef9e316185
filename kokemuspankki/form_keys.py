"""One-time form keys (trainings and hearings): a form that creates a row carries a random key in a
hidden input, and the view claims it once (cache.add) before saving, so that a double-submitted form
(a double tap, a resent request, two tabs) creates one row and the second post is told so.

cache.add is atomic (an INSERT on the cache table's key, or SET NX in Redis): of two concurrent posts
only one claims the key. A session flag would not do, since both requests read the session before
either saves it.
"""

import re
import secrets

from django.contrib import messages
from django.core.cache import cache
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

FORM_KEY_PATTERN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
# How long a sent form's key is remembered.
FORM_KEY_SECONDS = 24 * 60 * 60


class FormKeyMixin:
    """A re-rendered form keeps its key; a post without a valid one gets a new key and is refused
    with a message to send it again (call init_form_key() in __init__, check_form_key() in clean())."""

    def init_form_key(self):
        posted = self.data.get("form_key", "") if self.is_bound else ""
        self.form_key_missing = self.is_bound and not FORM_KEY_PATTERN.match(posted)
        self.form_key = posted if FORM_KEY_PATTERN.match(posted) else secrets.token_urlsafe(24)

    def check_form_key(self):
        if self.form_key_missing:
            self.add_error(None, gettext_lazy("The form had expired. Check the details and send it again."))


def _key(request, form, scope: str) -> str:
    # The key is random (24 bytes): apps' scopes ("cost", "campaign", …) only make it readable.
    return f"form-key:{scope}:{request.user.pk}:{form.form_key}"


def claim(request, form, scope: str) -> tuple[str, bool]:
    """Claim the form's key: the first post of it gets True."""
    key = _key(request, form, scope)
    return key, cache.add(key, "", FORM_KEY_SECONDS)


def sent_before(request, form, scope: str) -> str | None:
    """The claim key when this form was sent already: checked before validating, since a second
    post would otherwise read as a duplicate ("this address is already in the cohort")."""
    if request.method != "POST" or form.form_key_missing:
        return None
    key = _key(request, form, scope)
    return key if cache.get(key) is not None else None


def remember(key: str, url: str) -> None:
    """Where the first post went: a second one is sent there too."""
    cache.set(key, url, FORM_KEY_SECONDS)


def already_sent(request, key: str, fallback: str):
    messages.info(request, _("This form was already sent: it was saved once."))
    return redirect(cache.get(key) or fallback)
