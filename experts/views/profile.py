"""The expert's own side of the expert bank: the guided profile form, "My profile", previews, status,
consent and availability.

Every view works on the signed-in expert's own profile, so no URL carries a profile id: another
expert's data cannot be reached by changing a number.
"""

import mimetypes
from functools import wraps

from django.contrib import messages
from django.db.models import Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.http import posted, role_required
from accounts.models import AuditAction, AuditEvent
from accounts.roles import Role

from ..forms_profile import (
    LAST_STEP,
    SECTIONS,
    SECTIONS_BY_SLUG,
    BlockedPeriodForm,
    ConsentForm,
    MonthlyCapForm,
    SlotFormSet,
    StatusForm,
    slot_initial,
)
from ..models import VISIBLE_FIELDS, BlockedPeriod, ConsentText, ExpertProfile, Visibility
from ..onboarding_status import onboarding_status
from ..services import (
    add_blocked_period,
    finish_profile_onboarding,
    give_consent,
    remove_blocked_period,
    save_profile_section,
    set_weekly_availability,
    withdraw_consent,
)

expert_role_required = role_required(Role.EXPERT)


def own_profile_required(view):
    """The expert role and an existing own profile, passed to the view as `profile`; without a
    profile the expert is sent to the guided form's first step."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        profile = ExpertProfile.objects.filter(user=request.user).first()
        if profile is None:
            return redirect("experts:profile_step", 1)
        return view(request, profile, *args, **kwargs)

    return expert_role_required(wrapper)


@expert_role_required
def my_profile(request):
    """The expert's own page: the profile with edit links, status, consent, previews, availability."""
    today = timezone.localdate()
    # Queries: profile with organisation, experiences with areas, tasks, languages, municipalities,
    # weekly slots, blocked periods still to come (7); the current consent text and the open consent.
    profile = (
        ExpertProfile.objects.for_list()
        .prefetch_related("weekly_slots", Prefetch("blocked_periods", BlockedPeriod.objects.filter(end__gte=today)))
        .filter(user=request.user)
        .first()
    )
    current = ConsentText.current()
    consent = None
    if profile is not None:
        consent = profile.consents.filter(withdrawn_at__isnull=True).select_related("text", "recorded_by").first()
    visibility = {field: Visibility(profile.visibility_of(field)).label for field in VISIBLE_FIELDS} if profile else {}
    consent_state = _consent_state(profile, current)
    context = {
        "profile": profile,
        "current_consent_text": current,
        "consent": consent,
        "consent_state": consent_state,
        "consent_deadline": _consent_deadline(profile) if consent_state == "outdated" else None,
        "updated_on_behalf": _updated_on_behalf(profile),
        "next_step": min(profile.onboarding_step + 1, LAST_STEP) if profile else 1,
        "total_steps": LAST_STEP,
        "visibility": visibility,
        # Until a coordinator marks the expert ready to be booked: the onboarding steps (two queries,
        # only then).
        "onboarding": onboarding_status(profile) if profile and profile.ready_at is None else None,
    }
    return render(request, "experts/my_profile.html", context)


def _consent_deadline(profile):
    """Until when an outdated consent still lists the profile (the new text's grace period), or None."""
    expiring = ExpertProfile.objects.consent_expiring().filter(pk=profile.pk)
    return expiring.values_list("consent_expires_at", flat=True).first()


def _updated_on_behalf(profile) -> AuditEvent | None:
    """The last change to the profile, if someone else made it (a coordinator: views/on_behalf.py)."""
    if profile is None:
        return None
    last = (
        AuditEvent.objects.filter(
            subject=profile.user_id, action=AuditAction.CHANGE, what__in=["expert profile", "consent"]
        )
        .select_related("actor")
        .order_by("-at")
        .first()
    )
    return last if last is not None and last.actor_id not in (None, profile.user_id) else None


def _consent_state(profile, current) -> str:
    """The consent panel's state: given (to the current text), outdated (a newer text waits) or none."""
    if profile is None or profile.consent_version is None:
        return "none"
    if current is not None and profile.consent_version != current.version:
        return "outdated"
    return "given"


@expert_role_required
def profile_continue(request):
    """Back to where the guided form was left off; to "My profile" once it is done."""
    profile = ExpertProfile.objects.filter(user=request.user).only("onboarding_step").first()
    progress = profile.onboarding_step if profile else 0
    if progress >= LAST_STEP:
        return redirect("experts:my_profile")
    return redirect("experts:profile_step", progress + 1)


@expert_role_required
def profile_step(request, step):
    """One step of the guided form. Each step saves; a step can be opened once the ones before it are done."""
    if not 1 <= step <= LAST_STEP:
        raise Http404
    profile = ExpertProfile.objects.filter(user=request.user).first()
    progress = profile.onboarding_step if profile else 0
    if step > progress + 1:
        return redirect("experts:profile_step", progress + 1)
    section = SECTIONS[step - 1]
    if section.form_class is None:
        return _consent_step(request, profile, section)
    form = _section_form(request, section, profile)
    if request.method == "POST" and form.is_valid():
        save_profile_section(form=form, actor=request.user, step=step)
        return redirect("experts:profile_step", step + 1)
    return _render_section(request, section, form, profile, wizard=True)


def _consent_step(request, profile, section):
    text = ConsentText.current()
    form = ConsentForm(posted(request))
    if request.method == "POST" and (text is None or form.is_valid()):
        finish_profile_onboarding(profile=profile, text=text, step=section.number)
        messages.success(request, _("Your profile is ready. You can change it here at any time."))
        return redirect("experts:my_profile")
    return _render_section(request, section, form, profile, wizard=True, consent_text=text)


@own_profile_required
def profile_edit(request, profile, section):
    """Edit one section of a finished profile; the same forms as the guided steps."""
    section = SECTIONS_BY_SLUG.get(section)
    if section is None:
        raise Http404
    form = _section_form(request, section, profile)
    if request.method == "POST" and form.is_valid():
        save_profile_section(form=form, actor=request.user)
        messages.success(request, _("Your changes have been saved."))
        return redirect("experts:my_profile")
    return _render_section(request, section, form, profile, wizard=False)


def _section_form(request, section, profile):
    # A new profile starts from the account's first name; an alias is just as fine.
    instance = profile or ExpertProfile(user=request.user, display_name=request.user.first_name)
    data = posted(request)
    return section.form_class(data, request.FILES if data is not None else None, instance=instance)


def _render_section(request, section, form, profile, *, wizard, consent_text=None):
    progress = profile.onboarding_step if profile else 0
    steps = [
        {
            "number": item.number,
            "title": item.title,
            "done": item.number <= progress,
            "reachable": item.number <= progress + 1,
        }
        for item in SECTIONS
    ]
    context = {
        "section": section,
        "form": form,
        "profile": profile,
        "wizard": wizard,
        "steps": steps,
        "total": LAST_STEP,
        "consent_text": consent_text,
    }
    return render(request, "experts/profile_form.html", context)


@own_profile_required
def profile_consent(request, profile):
    """Give consent to the current text (again, when a new version has been published)."""
    text = ConsentText.current()
    form = ConsentForm(posted(request))
    if request.method == "POST" and text is not None and form.is_valid():
        give_consent(profile=profile, text=text)
        messages.success(request, _("Thank you. Your consent has been saved."))
        return redirect("experts:my_profile")
    return render(request, "experts/profile_consent.html", {"profile": profile, "form": form, "consent_text": text})


@own_profile_required
def profile_consent_withdraw(request, profile):
    """Ask for confirmation, then withdraw: the profile leaves search at once."""
    if request.method == "POST":
        withdraw_consent(profile=profile)
        messages.success(request, _("Your consent has been withdrawn. Your profile no longer appears in search."))
        return redirect("experts:my_profile")
    return render(request, "experts/profile_consent_withdraw.html", {"profile": profile})


@own_profile_required
def profile_status(request, profile):
    """Active, paused (optionally until a date) or left."""
    form = StatusForm(posted(request), instance=profile)
    if request.method == "POST" and form.is_valid():
        save_profile_section(form=form, actor=request.user)
        messages.success(request, _("Your status has been saved."))
        return redirect("experts:my_profile")
    return render(request, "experts/profile_status.html", {"profile": profile, "form": form})


@own_profile_required
def profile_preview(request, profile, level):
    """The profile with exactly the details visible at `level`, as those viewers would see it."""
    if level not in Visibility.values:
        raise Http404
    # Queries: the profile with organisation, (experiences with areas,) tasks, languages, municipalities.
    profile = ExpertProfile.objects.for_list(experiences=level != Visibility.PUBLIC).get(pk=profile.pk)
    visible = profile.visible_fields(level)
    hidden = [label for field, label in VISIBLE_FIELDS.items() if field not in visible]
    context = {
        "profile": profile,
        "level": level,
        "level_label": Visibility(level).label,
        "visible": visible,
        "hidden": hidden,
        "levels": Visibility.choices,
    }
    return render(request, "experts/profile_preview.html", context)


@own_profile_required
def my_photo(request, profile):
    """The expert's own photo. Photos are not served from /media/: who may see one depends on the
    visibility the expert chose."""
    return photo_response(profile)


def photo_response(profile) -> FileResponse:
    """The profile's photo file (404 without one), never kept in a shared cache."""
    if not profile.photo:
        raise Http404
    content_type = mimetypes.guess_type(profile.photo.name)[0] or "application/octet-stream"
    response = FileResponse(profile.photo.open("rb"), content_type=content_type)
    response["Cache-Control"] = "private, no-cache"
    return response


@own_profile_required
def availability(request, profile):
    """The weekly pattern and the monthly cap (one form), and the blocked dates (their own forms)."""
    data = posted(request)
    formset = SlotFormSet(data, initial=slot_initial(profile), prefix="slots")
    cap_form = MonthlyCapForm(data, initial={"monthly_cap": profile.monthly_cap})
    if data is not None and formset.is_valid() and cap_form.is_valid():
        set_weekly_availability(
            profile=profile,
            slots=formset.slots(),
            monthly_cap=cap_form.cleaned_data["monthly_cap"],
            actor=request.user,
        )
        messages.success(request, _("Your availability has been saved."))
        return redirect("experts:availability")
    return _render_availability(request, profile, formset=formset, cap_form=cap_form)


@require_POST
@own_profile_required
def blocked_period_add(request, profile):
    form = BlockedPeriodForm(request.POST, profile=profile)
    if form.is_valid():
        add_blocked_period(profile=profile, actor=request.user, **form.cleaned_data)
        messages.success(request, _("The dates have been blocked."))
        return redirect("experts:availability")
    return _render_availability(request, profile, blocked_form=form)


@require_POST
@own_profile_required
def blocked_period_delete(request, profile, pk):
    period = get_object_or_404(profile.blocked_periods, pk=pk)
    remove_blocked_period(profile=profile, period_id=period.pk, actor=request.user)
    messages.success(request, _("The blocked dates have been removed."))
    return redirect("experts:availability")


def _render_availability(request, profile, *, formset=None, cap_form=None, blocked_form=None):
    # Queries: weekly slots (for the pattern form), blocked periods still to come.
    context = {
        "profile": profile,
        "formset": formset or SlotFormSet(initial=slot_initial(profile), prefix="slots"),
        "cap_form": cap_form or MonthlyCapForm(initial={"monthly_cap": profile.monthly_cap}),
        "blocked_form": blocked_form or BlockedPeriodForm(profile=profile),
        "blocked_periods": profile.blocked_periods.filter(end__gte=timezone.localdate()),
    }
    return render(request, "experts/profile_availability.html", context)
