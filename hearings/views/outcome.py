"""The outcome of a campaign: "what we heard" and "what we did", findings with their decisions, and
publishing it (outcome.py tells those who asked). Every page needs accounts.run_hearings."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.http import posted
from kokemuspankki import form_keys

from .. import outcome
from ..forms_outcome import DecisionForm, FindingForm, OutcomeForm
from ..models import Campaign, Decision, Finding

RUN_HEARINGS = "accounts.run_hearings"


def staff_required(view):
    return login_required(permission_required(RUN_HEARINGS, raise_exception=True)(view))


def _outcome_url(campaign_id: int, anchor: str = "") -> str:
    return reverse("hearings:outcome_edit", args=[campaign_id]) + (f"#{anchor}" if anchor else "")


@staff_required
def outcome_edit(request, pk):
    """The outcome's texts (saved as a draft any time), its findings and decisions, and publishing."""
    campaign = get_object_or_404(Campaign, pk=pk)
    form = OutcomeForm(posted(request), instance=campaign)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The outcome was saved."))
        return redirect(_outcome_url(campaign.pk))
    context = {
        "campaign": campaign,
        "form": form,
        "findings": outcome.decisions_for(campaign),
        "publish_problem": "" if campaign.outcome_published_at else outcome.publish_problem(campaign),
        "asked": campaign.contact_requests.count(),
    }
    return render(request, "hearings/outcome_edit.html", context)


@staff_required
@require_POST
def outcome_publish(request, pk):
    campaign = get_object_or_404(Campaign, pk=pk)
    try:
        published = outcome.publish_outcome(campaign=campaign)
    except outcome.OutcomeError as error:
        messages.error(request, str(error))
    else:
        if published:
            messages.success(request, _("The outcome was published. Those who asked to hear it are told by email."))
        else:
            messages.info(request, _("The outcome was already published."))
    return redirect(_outcome_url(campaign.pk))


# --- Findings ------------------------------------------------------------------------------------


@staff_required
def finding_create(request, pk):
    campaign = get_object_or_404(Campaign, pk=pk)
    form = FindingForm(posted(request))
    if sent := form_keys.sent_before(request, form, "finding"):
        return form_keys.already_sent(request, sent, _outcome_url(campaign.pk))
    if request.method == "POST" and form.is_valid():
        key, first = form_keys.claim(request, form, "finding")
        if not first:
            return form_keys.already_sent(request, key, _outcome_url(campaign.pk))
        form.instance.campaign = campaign
        form.instance.order = outcome.next_finding_order(campaign)
        finding = form.save()
        form_keys.remember(key, _outcome_url(campaign.pk, f"finding-{finding.pk}"))
        messages.success(request, _("The finding was added. Add the decisions it went into."))
        return redirect(_outcome_url(campaign.pk, f"finding-{finding.pk}"))
    return render(request, "hearings/outcome_finding_form.html", {"form": form, "campaign": campaign})


@staff_required
def finding_edit(request, pk):
    finding = get_object_or_404(Finding.objects.select_related("campaign"), pk=pk)
    form = FindingForm(posted(request), instance=finding)
    form.form_key_missing = False  # an edit saves the same row again: a double submit is harmless
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The finding was saved."))
        return redirect(_outcome_url(finding.campaign_id, f"finding-{finding.pk}"))
    context = {"form": form, "campaign": finding.campaign, "finding": finding}
    return render(request, "hearings/outcome_finding_form.html", context)


@staff_required
@require_POST
def finding_delete(request, pk):
    # A finding already gone (the second post of a double click) is not an error: it is deleted.
    finding = Finding.objects.filter(pk=pk).first()
    if finding is None:
        return redirect("hearings:index")
    finding.delete()
    messages.success(request, _("The finding and its decisions were removed."))
    return redirect(_outcome_url(finding.campaign_id, "findings"))


@staff_required
@require_POST
def finding_move(request, pk):
    finding = get_object_or_404(Finding, pk=pk)
    outcome.move_finding(finding=finding, up=request.POST.get("direction") == "up")
    return redirect(_outcome_url(finding.campaign_id, f"finding-{finding.pk}"))


# --- Decisions -----------------------------------------------------------------------------------


@staff_required
def decision_create(request, pk):
    finding = get_object_or_404(Finding.objects.select_related("campaign"), pk=pk)
    back = _outcome_url(finding.campaign_id, f"finding-{finding.pk}")
    form = DecisionForm(posted(request))
    if sent := form_keys.sent_before(request, form, "decision"):
        return form_keys.already_sent(request, sent, back)
    if request.method == "POST" and form.is_valid():
        key, first = form_keys.claim(request, form, "decision")
        if not first:
            return form_keys.already_sent(request, key, back)
        form.instance.finding = finding
        form.save()
        form_keys.remember(key, back)
        messages.success(request, _("The decision was added."))
        return redirect(back)
    context = {"form": form, "campaign": finding.campaign, "finding": finding}
    return render(request, "hearings/outcome_decision_form.html", context)


@staff_required
def decision_edit(request, pk):
    decision = get_object_or_404(Decision.objects.select_related("finding__campaign"), pk=pk)
    finding = decision.finding
    form = DecisionForm(posted(request), instance=decision)
    form.form_key_missing = False
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The decision was saved."))
        return redirect(_outcome_url(finding.campaign_id, f"finding-{finding.pk}"))
    context = {"form": form, "campaign": finding.campaign, "finding": finding, "decision": decision}
    return render(request, "hearings/outcome_decision_form.html", context)


@staff_required
@require_POST
def decision_delete(request, pk):
    decision = Decision.objects.select_related("finding").filter(pk=pk).first()
    if decision is None:
        return redirect("hearings:index")
    decision.delete()
    messages.success(request, _("The decision was removed."))
    return redirect(_outcome_url(decision.finding.campaign_id, f"finding-{decision.finding_id}"))
