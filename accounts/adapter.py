from allauth.account.adapter import DefaultAccountAdapter
from django import forms
from django.urls import reverse
from django.utils.translation import gettext as _

from .models import Invitation
from .roles import Role

INVITATION_SESSION_KEY = "kp_invitation_id"


class AccountAdapter(DefaultAccountAdapter):
    """There is no open signup: only someone holding an open invitation may create an account."""

    def _invitation(self):
        if self.request is None:
            return None
        invitation_id = self.request.session.get(INVITATION_SESSION_KEY)
        if not invitation_id:
            return None
        return Invitation.objects.open().filter(pk=invitation_id).first()

    def is_open_for_signup(self, request):
        self.request = request
        return self._invitation() is not None

    def clean_email(self, email):
        email = super().clean_email(email)
        invitation = self._invitation()
        if invitation is not None and invitation.email.lower() != email.lower():
            raise forms.ValidationError(_("Use the email address the invitation was sent to."))
        return email

    def get_signup_redirect_url(self, request):
        # The user_signed_up receiver has already given the invited role: a new expert goes straight
        # to the first step of the guided profile form.
        if request.user.has_role(Role.EXPERT):
            return reverse("experts:profile_step", args=[1])
        return super().get_signup_redirect_url(request)
