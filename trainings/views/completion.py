"""A cohort's costs, its completion list and certificates, and the path into the expert bank.

Who may do what: the cohort's own trainers and coordinators (Cohort.objects.manageable_by) see the
costs, the completion list and the certificates, and add costs; recording or undoing a completion
and inviting into the bank are the coordinators' (manage_trainings). Someone without a trainings
role gets 403, a trainer asking for another's cohort 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from accounts.http import posted
from accounts.models import AuditAction
from accounts.services import record_audit_events
from kokemuspankki import form_keys

from ..completion import (
    attended_modules,
    cohort_statuses,
    invite_to_bank,
    organiser_name,
    record_completions,
    undo_completion,
)
from ..costs import cost_summary
from ..forms_completion import CompletionForm, CostForm, UndoCompletionForm
from ..models import Cohort

run_trainings_required = permission_required("accounts.run_trainings", raise_exception=True)
manage_trainings_required = permission_required("accounts.manage_trainings", raise_exception=True)


def get_cohort_for_user(user, pk: int) -> Cohort:
    return get_object_or_404(Cohort.objects.manageable_by(user).select_related("programme", "coordinator"), pk=pk)


@login_required
@run_trainings_required
def cohort_costs(request, pk):
    cohort = get_cohort_for_user(request.user, pk)
    form = CostForm(posted(request))
    here = reverse("trainings:cohort_costs", args=[cohort.pk])
    if sent := form_keys.sent_before(request, form, "cost"):
        return form_keys.already_sent(request, sent, here)
    if form.is_valid():
        # A double submit adds one row (the form's one-time key); POST-redirect-GET, so that
        # reloading the page after adding does not add it again either.
        key, first = form_keys.claim(request, form, "cost")
        if not first:
            return form_keys.already_sent(request, key, here)
        form.instance.cohort, form.instance.added_by = cohort, request.user
        form.save()
        form_keys.remember(key, here)
        messages.success(request, _("The cost has been added."))
        return redirect(here)
    # Queries: cohort, cost rows, the summary's sums (completed fees, expenses, confirmed bookings,
    # costs by kind, participants served, completed), and the content type once.
    context = {"cohort": cohort, "costs": cohort.costs.select_related("added_by"), "summary": cost_summary(cohort)}
    return render(request, "trainings/cohort_costs.html", {**context, "form": form})


@require_POST
@login_required
@run_trainings_required
def cost_delete(request, pk, cost_pk):
    cohort = get_cohort_for_user(request.user, pk)
    # Deleting twice (a double click) finds nothing the second time and says the same.
    cohort.costs.filter(pk=cost_pk).delete()
    messages.success(request, _("The cost has been removed."))
    return redirect("trainings:cohort_costs", cohort.pk)


@login_required
@run_trainings_required
def cohort_completion(request, pk):
    """Each current participant's attendance against the rules; coordinators record completions."""
    cohort = get_cohort_for_user(request.user, pk)
    if request.method == "POST" and not request.user.has_perm("accounts.manage_trainings"):
        raise PermissionDenied
    statuses = cohort_statuses(cohort)
    form = CompletionForm(posted(request), choices=_choices(statuses))
    if form.is_valid():
        done = record_completions(cohort=cohort, participant_ids=form.cleaned_data["participants"], by=request.user)
        text = ngettext(
            "Completion recorded for %(count)d participant.",
            "Completion recorded for %(count)d participants.",
            len(done),
        )
        messages.success(request, text % {"count": len(done)})
        return redirect("trainings:cohort_completion", cohort.pk)
    return _render_completion(request, cohort, statuses, form=form)


def _choices(statuses) -> list[tuple[int, str]]:
    return [(s.participant.pk, s.participant.name) for s in statuses if s.eligible and not s.participant.completed_on]


def _render_completion(request, cohort, statuses, *, form=None, undo_form=None, undo_for=None):
    # Queries: cohort with programme, then cohort_statuses' four (participants with their
    # invitations, sessions, required modules, present marks), and the audit insert.
    _audit_list(request.user, statuses)
    context = {
        "cohort": cohort,
        "statuses": statuses,
        "form": form or CompletionForm(choices=_choices(statuses)),
        "can_record": request.user.has_perm("accounts.manage_trainings"),
        "undo_form": undo_form,
        "undo_for": undo_for,
    }
    return render(request, "trainings/cohort_completion.html", context)


def _audit_list(user, statuses) -> None:
    # The list shows each participant's name and whether they have an email address; people with an
    # account are audit subjects (those without one are not users to name in the log).
    entries = [(s.participant.user_id, ["name", "email"]) for s in statuses if s.participant.user_id]
    record_audit_events(actor=user, action=AuditAction.VIEW, what="training participant", entries=entries)


@require_POST
@login_required
@manage_trainings_required
def completion_undo(request, pk, participant_pk):
    cohort = get_cohort_for_user(request.user, pk)
    participant = get_object_or_404(cohort.participants.current(), pk=participant_pk)
    form = UndoCompletionForm(request.POST)
    if form.is_valid():
        try:
            undo_completion(participant=participant, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, _("The completion of %(name)s has been undone.") % {"name": participant.name})
        return redirect("trainings:cohort_completion", cohort.pk)
    # The reason is missing: the list again, with the error at this participant's undo form.
    return _render_completion(request, cohort, cohort_statuses(cohort), undo_form=form, undo_for=participant.pk)


@require_POST
@login_required
@manage_trainings_required
def bank_invite(request, pk, participant_pk):
    cohort = get_cohort_for_user(request.user, pk)
    participant = get_object_or_404(cohort.participants.current(), pk=participant_pk)
    try:
        outcome = invite_to_bank(participant=participant, by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        if outcome == "recorded":
            text = _("The training has been added to the expert profile of %(name)s.")
        else:
            text = _("An invitation to the expert bank has been sent to %(name)s.")
        messages.success(request, text % {"name": participant.name})
    return redirect("trainings:cohort_completion", cohort.pk)


CERTIFICATE_LANGUAGES = {"fi", "sv", "en"}


@login_required
@run_trainings_required
def certificate(request, pk, participant_pk):
    """The print-ready certificate (A4), in the page's language or in those `?kielet=fi,sv` names."""
    cohort = get_cohort_for_user(request.user, pk)
    participant = get_object_or_404(cohort.participants.current().filter(completed_on__isnull=False), pk=participant_pk)
    asked = [code for code in request.GET.get("kielet", "").split(",") if code in CERTIFICATE_LANGUAGES]
    languages = list(dict.fromkeys(asked)) or [translation.get_language()[:2]]
    if participant.user_id:
        record_audit_events(
            actor=request.user,
            action=AuditAction.VIEW,
            what="training certificate",
            entries=[(participant.user_id, ["name"])],
        )
    # Queries: cohort with programme, participant, the modules attended (3, and the audit row).
    context = {
        "cohort": cohort,
        "participant": participant,
        "modules": _module_rows(attended_modules(participant), languages),
        "cert_languages": languages,  # not "languages": base.html uses that name for its switcher
        "labels": _labels(languages, organiser_name()),
    }
    return render(request, "trainings/certificate.html", context)


# The certificate's headings, in each of its languages (once when a translation is missing).
CERTIFICATE_LABELS = {
    "title": gettext_lazy("Certificate"),
    "modules": gettext_lazy("Modules completed"),
    "module": gettext_lazy("Module"),
    "hours": gettext_lazy("Hours"),
    "number": gettext_lazy("Certificate number"),
    "date": gettext_lazy("Date"),
    "coordinator": gettext_lazy("Coordinator"),
}


def _labels(languages, organiser) -> dict[str, str]:
    labels = {}
    for key, text in {**CERTIFICATE_LABELS, "organiser": organiser}.items():
        versions = []
        for code in languages:
            with translation.override(code):
                versions.append(str(text))
        labels[key] = " / ".join(dict.fromkeys(versions))
    return labels


def _module_rows(modules, languages) -> list[dict]:
    """Each module's name in each of the certificate's languages (once when they are the same) and hours."""
    rows = []
    for module in modules:
        names = []
        for code in languages:
            with translation.override(code):
                names.append(module.name)
        rows.append({"names": list(dict.fromkeys(names)), "hours": module.hours})
    return rows
