"""The onboarding checklist of new experts, and marking them ready to be booked (coordinators)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import AuditAction
from accounts.services import record_audit_event
from experts.models import ExpertProfile, ProfileStatus

from .. import onboarding
from ..forms_onboarding import StepForm
from ..models import OnboardingStep


def onboarding_required(view):
    return login_required(permission_required("accounts.manage_trainings", raise_exception=True)(view))


def _profile_or_404(pk) -> ExpertProfile:
    """Any expert who has not left, ready or not: a ready expert's checklist stays readable."""
    queryset = ExpertProfile.objects.exclude(status=ProfileStatus.LEFT).select_related("user", "ready_by")
    return get_object_or_404(queryset, pk=pk)


@onboarding_required
def onboarding_list(request):
    """Experts still onboarding (newest first) with their progress, and those made ready lately."""
    context = {"waiting": onboarding.waiting_list(), "recent": onboarding.recently_ready()}
    return render(request, "trainings/onboarding_list.html", context)


@onboarding_required
def onboarding_detail(request, profile_pk):
    """One expert's checklist, a form per step and "ready to be booked". It shows the expert's
    contact details (to arrange the orientation): the view is audited."""
    profile = _profile_or_404(profile_pk)
    progress = onboarding.progress(
        profile, onboarding.active_steps(), profile.onboarding_items.select_related("done_by")
    )
    record_audit_event(
        actor=request.user, subject=profile.user, action=AuditAction.VIEW, what="onboarding", fields=["email", "phone"]
    )
    return render(request, "trainings/onboarding_detail.html", {"profile": profile, "progress": progress})


@onboarding_required
@require_POST
def onboarding_step(request, profile_pk, step_pk):
    profile = _profile_or_404(profile_pk)
    step = get_object_or_404(OnboardingStep, pk=step_pk, is_active=True)
    form = StepForm(request.POST)
    if not form.is_valid():
        # Only a note over 300 characters or a forged action gets here: say which, keep the page.
        messages.error(request, " ".join(error for errors in form.errors.values() for error in errors))
    elif form.cleaned_data["action"] == "done":
        onboarding.mark_step_done(profile=profile, step=step, actor=request.user, note=form.cleaned_data["note"])
        messages.success(request, _("Marked done: %(step)s.") % {"step": step.name})
    else:
        onboarding.undo_step(profile=profile, step=step, actor=request.user)
        messages.success(request, _("Marked not done: %(step)s.") % {"step": step.name})
    return redirect(f"{profile_url(profile)}#step-{step.pk}")


@onboarding_required
@require_POST
def onboarding_ready(request, profile_pk):
    profile = _profile_or_404(profile_pk)
    try:
        changed = onboarding.mark_ready(profile=profile, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(profile_url(profile))
    if changed:
        messages.success(request, _("%(name)s is ready to be booked and has been told so.") % {"name": profile})
    else:
        messages.info(request, _("%(name)s was already ready to be booked.") % {"name": profile})
    return redirect(profile_url(profile))


def profile_url(profile: ExpertProfile) -> str:
    return reverse("trainings:onboarding_detail", args=[profile.pk])
