from allauth.account.adapter import get_adapter
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from .adapter import INVITATION_SESSION_KEY
from .forms import InvitationForm, PhoneForm
from .http import posted
from .models import AuditAction, Invitation
from .roles import Role
from .services import get_open_invitation, invite_expert, record_audit_event
from .waiting import front_page_sections


def home(request):
    """The front page: what this person can do next, by role; a public introduction otherwise. The
    apps above accounts add what waits for the user (a coordinator's to-do: accounts/waiting.py)."""
    sections = front_page_sections(request) if request.user.is_authenticated else []
    return render(request, "accounts/home.html", {"Role": Role, "sections": sections})


@login_required
@permission_required("accounts.invite_experts", raise_exception=True)
def invitation_create(request):
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invite_expert(
                email=form.cleaned_data["email"],
                invited_by=request.user,
                language=form.cleaned_data["language"],
                role=form.cleaned_data["role"],
            )
        except ValidationError as error:
            form.add_error("email", error)
        else:
            messages.success(request, _("Invitation sent."))
            return redirect("accounts:invitation_create")
    # Queries: pending invitations with their inviter (1).
    pending = Invitation.objects.open().select_related("invited_by")[:50]
    return render(request, "accounts/invitation_create.html", {"form": form, "pending": pending})


def invitation_accept(request, token):
    """The link in an invitation email: remember the invitation and continue to account creation."""
    invitation = get_open_invitation(token)
    if invitation is None:
        return render(request, "accounts/invitation_invalid.html", status=404)
    request.session[INVITATION_SESSION_KEY] = invitation.pk
    # The person proved they read this mailbox, so allauth need not send a confirmation email.
    get_adapter(request).stash_verified_email(request, invitation.email)
    return HttpResponseRedirect(f"{reverse('account_signup')}?email={invitation.email}")


@require_POST
def set_language(request):
    """Django's set_language, plus saving the choice on the account for emails and other devices."""
    response = django_set_language(request)
    language = request.POST.get("language")
    user = request.user
    if user.is_authenticated and language in dict(settings.LANGUAGES):
        if user.language != language:
            user.language = language
            user.save(update_fields=["language"])
    return response


@login_required
def phone(request):
    """The account's mobile number. `next`: the page to return to (the notification settings)."""
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = ""
    before = request.user.phone
    form = PhoneForm(posted(request), instance=request.user)
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["phone"] != before:
            form.save()
            record_audit_event(
                actor=request.user, subject=request.user, action=AuditAction.CHANGE, what="account", fields=["phone"]
            )
        saved = _("Your mobile number was saved.") if request.user.phone else _("Your mobile number was removed.")
        messages.success(request, saved)
        return redirect(next_url or "accounts:phone")
    return render(request, "accounts/phone.html", {"form": form, "next": next_url})
