"""A coordinator keeps a profile on behalf of an expert with weak digital skills: the expert's own
section forms (forms_profile), and a consent the expert signed on paper. Every change is logged with
the coordinator as the one who made it (field names, never values), and the expert sees on "My
profile" who last updated it and that the consent was entered from paper.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.http import posted
from accounts.models import AuditAction
from accounts.services import record_audit_event

from ..forms_profile import LAST_STEP, SECTIONS, SECTIONS_BY_SLUG, PaperConsentForm
from ..models import ConsentText, ExpertProfile, ProfileStatus
from ..services import record_paper_consent, save_profile_section
from .profile import photo_response

# Coordinators (and admins): they invite experts and see the bank.
COORDINATOR = ["accounts.search_experts", "accounts.invite_experts"]
# What each section's form shows, for the audit log of a coordinator opening it.
SECTION_FIELDS = {
    "perustiedot": ["bio", "display_name", "photo"],
    "kokemus": ["experience", "topics_not_discussed"],
    "tehtavat": ["languages", "municipalities", "organisation", "task_types", "training_level", "work_mode"],
    "tarpeet": ["accessibility_needs"],
    "nakyvyys": ["is_public", "visibility"],
}


def profile_for_coordinator(pk: int) -> ExpertProfile:
    """The one access check of these pages (behind the permission): any profile, onboarded and
    consented or not, but not one whose expert has left the bank."""
    return get_object_or_404(ExpertProfile.objects.exclude(status=ProfileStatus.LEFT).select_related("user"), pk=pk)


@login_required
@permission_required(COORDINATOR, raise_exception=True)
def on_behalf(request, pk):
    """The sections to fill in, and the consent: as given, or a form to enter one signed on paper."""
    profile = profile_for_coordinator(pk)
    return _render_overview(request, profile)


@login_required
@permission_required(COORDINATOR, raise_exception=True)
def paper_consent(request, pk):
    profile = profile_for_coordinator(pk)
    text = ConsentText.current()
    if text is None:
        raise Http404("no consent text is published")
    form = PaperConsentForm(posted(request), text=text)
    if request.method == "POST" and form.is_valid():
        record_paper_consent(
            profile=profile, text=text, signed_on=form.cleaned_data["signed_on"], actor=request.user, step=LAST_STEP
        )
        messages.success(request, _("The consent signed on paper has been recorded."))
        return redirect("experts:on_behalf", profile.pk)
    return _render_overview(request, profile, text=text, form=form)


def _render_overview(request, profile, *, text=None, form=None):
    # Queries: the current consent text, the open consent with who entered it, whether the profile is
    # in search (for the link to its page).
    text = text or ConsentText.current()
    consent = profile.consents.filter(withdrawn_at__isnull=True).select_related("text", "recorded_by").first()
    current = consent is not None and text is not None and consent.text_id == text.pk
    context = {
        "profile": profile,
        "sections": SECTIONS[:-1],
        "consent": consent,
        "consent_current": current,
        "consent_text": text,
        "form": form or (PaperConsentForm(text=text) if text is not None and not current else None),
        "listed": ExpertProfile.objects.consented().filter(pk=profile.pk).exists(),
    }
    return render(request, "experts/on_behalf.html", context)


@login_required
@permission_required(COORDINATOR, raise_exception=True)
def on_behalf_section(request, pk, section):
    """One section of the expert's profile, in the form the expert uses themselves."""
    profile = profile_for_coordinator(pk)
    section = SECTIONS_BY_SLUG.get(section)
    if section is None:
        raise Http404
    data = posted(request)
    form = section.form_class(data, request.FILES if data is not None else None, instance=profile)
    if request.method == "POST" and form.is_valid():
        # The guided form's progress moves on only step by step, as the expert's own would.
        step = section.number if section.number <= profile.onboarding_step + 1 else None
        save_profile_section(form=form, actor=request.user, step=step)
        messages.success(request, _("The changes have been saved."))
        return redirect("experts:on_behalf", profile.pk)
    if request.method == "GET":
        record_audit_event(
            actor=request.user,
            subject=profile.user,
            action=AuditAction.VIEW,
            what="expert profile",
            fields=SECTION_FIELDS[section.slug],
        )
    context = {
        "profile": profile,
        "section": section,
        "form": form,
        "photo_url": reverse("experts:on_behalf_photo", args=[profile.pk]),
    }
    return render(request, "experts/on_behalf_section.html", context)


@login_required
@permission_required(COORDINATOR, raise_exception=True)
def on_behalf_photo(request, pk):
    """The photo on the section form: for any profile these pages open, consented or not."""
    return photo_response(profile_for_coordinator(pk))
