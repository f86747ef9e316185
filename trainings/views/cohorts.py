"""The trainer's and coordinator's front page, cohorts, their participants and sessions.

Every page needs accounts.run_trainings (trainers and coordinators; others get 403). Which cohorts and
sessions a user reaches is Cohort.objects.visible_to / manageable_by and
TrainingSession.objects.visible_to: anything else is 404, as if it did not exist.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from accounts.http import posted
from accounts.models import AuditAction
from accounts.services import record_audit_event
from bookings.services import BookingError
from experts.models import ExpertProfile
from feedback.models import Round
from kokemuspankki import form_keys

from .. import services
from ..forms_cohorts import BookTrainerForm, CohortForm, ParticipantForm, RemoveParticipantForm, SessionForm
from ..models import AttendanceChange, AttendanceStatus, Cohort, Participant, TrainingSession
from ..services import TrainingError

RUN_TRAININGS = "accounts.run_trainings"
MANAGE_TRAININGS = "accounts.manage_trainings"


def trainer_required(view):
    return login_required(permission_required(RUN_TRAININGS, raise_exception=True)(view))


# --- The front page ------------------------------------------------------------------------------


@trainer_required
def index(request):
    """My cohorts, my next session, attendance still to take and my sessions' feedback; coordinators
    see every cohort, running first."""
    user, now = request.user, timezone.now()
    mine = TrainingSession.objects.mine(user).filter(cancelled=False)
    session_type = ContentType.objects.get_for_model(TrainingSession)
    context = {
        "cohorts": list(Cohort.objects.visible_to(user).for_index()),
        "next_session": mine.for_list().filter(ends_at__gt=now).order_by("starts_at", "pk").first(),
        "to_take": list(mine.attendance_missing(now).for_list().order_by("-starts_at", "-pk")[:10]),
        # Rounds that have opened: a session ahead has its round already, with nothing to read yet.
        "rounds": list(
            Round.objects.filter(target_type=session_type, target_id__in=mine.values("pk"), opens_at__lte=now)
            .for_list()
            .order_by("-opens_at", "-pk")[:10]
        ),
        "may_manage": user.has_perm(MANAGE_TRAININGS),
    }
    if context["may_manage"]:
        # The coordinators' to-do: new experts waiting for their onboarding to be finished.
        context["onboarding_waiting"] = ExpertProfile.objects.onboarding().count()
    return render(request, "trainings/index.html", context)


# --- Cohorts -------------------------------------------------------------------------------------


@login_required
@permission_required(MANAGE_TRAININGS, raise_exception=True)
def cohort_create(request):
    form = CohortForm(posted(request), user=request.user)
    if sent := form_keys.sent_before(request, form, "cohort"):
        return form_keys.already_sent(request, sent, reverse("trainings:index"))
    if request.method == "POST" and form.is_valid():
        key, first = form_keys.claim(request, form, "cohort")
        if not first:
            return form_keys.already_sent(request, key, reverse("trainings:index"))
        cohort = form.save()
        form_keys.remember(key, cohort.get_absolute_url())
        messages.success(request, _("The cohort was saved."))
        return redirect(cohort)
    return render(request, "trainings/cohort_form.html", {"form": form})


@login_required
@permission_required(MANAGE_TRAININGS, raise_exception=True)
def cohort_edit(request, pk):
    cohort = get_object_or_404(Cohort, pk=pk)
    form = CohortForm(posted(request), instance=cohort, user=request.user)
    form.form_key_missing = False  # an edit saves the same row again: a double submit is harmless
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The cohort was saved."))
        return redirect(cohort)
    return render(request, "trainings/cohort_form.html", {"form": form, "cohort": cohort})


@trainer_required
def cohort_detail(request, pk):
    """The cohort, its sessions and participants. Contact details only for those who may manage the
    cohort (coordinators, its own trainers); showing them is audited."""
    # Queries: the cohort with programme, municipality and coordinator; its partners; trainers;
    # sessions with module; participants (current and removed); may-manage check.
    cohort = get_object_or_404(
        Cohort.objects.visible_to(request.user)
        .select_related("programme", "municipality", "coordinator")
        .prefetch_related("partners", "trainers"),
        pk=pk,
    )
    may_manage = Cohort.objects.manageable_by(request.user).filter(pk=cohort.pk).exists()
    participants = list(cohort.participants.select_related("user").order_by("name", "pk"))
    current = [p for p in participants if p.removed_at is None]
    if may_manage and current:
        record_audit_event(
            actor=request.user,
            subject=None,
            action=AuditAction.VIEW,
            what=f"training cohort {cohort.pk} participants",
            fields=["email", "phone"],
        )
    context = {
        "cohort": cohort,
        "may_manage": may_manage,
        "sessions": list(cohort.sessions.select_related("module").order_by("starts_at", "pk")),
        "participants": current,
        "removed": [p for p in participants if p.removed_at is not None],
        "costs_url": reverse("trainings:cohort_costs", args=[cohort.pk]) if may_manage else None,
        "completion_url": reverse("trainings:cohort_completion", args=[cohort.pk]) if may_manage else None,
        "programme_url": cohort.programme.get_absolute_url(),
    }
    return render(request, "trainings/cohort_detail.html", context)


# --- Participants --------------------------------------------------------------------------------


@trainer_required
def participant_create(request, pk):
    cohort = get_object_or_404(Cohort.objects.manageable_by(request.user), pk=pk)
    form = ParticipantForm(posted(request), cohort=cohort)
    if sent := form_keys.sent_before(request, form, "participant"):
        return form_keys.already_sent(request, sent, cohort.get_absolute_url())
    if request.method == "POST" and form.is_valid():
        key, first = form_keys.claim(request, form, "participant")
        if not first:
            return form_keys.already_sent(request, key, cohort.get_absolute_url())
        try:
            services.add_participant(cohort=cohort, form=form, actor=request.user)
        except ValidationError as error:
            cache.delete(key)
            form.add_error(None, error.messages)
        else:
            form_keys.remember(key, cohort.get_absolute_url() + "#participants")
            messages.success(request, _("The participant was added."))
            if "add_another" in request.POST:
                return redirect("trainings:participant_create", cohort.pk)
            return redirect(cohort.get_absolute_url() + "#participants")
    return render(request, "trainings/participant_form.html", {"form": form, "cohort": cohort})


def _participant_for(request, pk, *, removed_too: bool = False) -> Participant:
    cohorts = Cohort.objects.manageable_by(request.user).values("pk")
    participants = Participant.objects.all() if removed_too else Participant.objects.current()
    return get_object_or_404(participants.select_related("cohort"), pk=pk, cohort__in=cohorts)


@trainer_required
def participant_edit(request, pk):
    participant = _participant_for(request, pk)
    form = ParticipantForm(posted(request), instance=participant, cohort=participant.cohort)
    form.form_key_missing = False  # an edit saves the same row again: a double submit is harmless
    if request.method == "POST" and form.is_valid():
        services.change_participant(participant=participant, form=form, actor=request.user)
        messages.success(request, _("The participant's details were saved."))
        return redirect(participant.cohort.get_absolute_url() + "#participants")
    if participant.user_id and request.method == "GET":
        record_audit_event(
            actor=request.user,
            subject=participant.user,
            action=AuditAction.VIEW,
            what="training participant",
            fields=["email", "phone"],
        )
    context = {"form": form, "cohort": participant.cohort, "participant": participant}
    return render(request, "trainings/participant_form.html", context)


@trainer_required
def participant_remove(request, pk):
    # A removed one too: the second post of a double click finds the removal done, not a 404.
    participant = _participant_for(request, pk, removed_too=True)
    form = RemoveParticipantForm(posted(request))
    if request.method == "POST" and form.is_valid():
        services.remove_participant(participant=participant, actor=request.user, note=form.cleaned_data["note"])
        messages.success(request, _("%(name)s was removed from the cohort.") % {"name": participant.name})
        return redirect(participant.cohort.get_absolute_url() + "#participants")
    return render(request, "trainings/participant_remove.html", {"form": form, "participant": participant})


# --- Sessions ------------------------------------------------------------------------------------


@trainer_required
def session_create(request, pk):
    cohort = get_object_or_404(Cohort.objects.manageable_by(request.user).select_related("programme"), pk=pk)
    form = SessionForm(posted(request), cohort=cohort)
    if sent := form_keys.sent_before(request, form, "session"):
        return form_keys.already_sent(request, sent, cohort.get_absolute_url())
    if request.method == "POST" and form.is_valid():
        key, first = form_keys.claim(request, form, "session")
        if not first:
            return form_keys.already_sent(request, key, cohort.get_absolute_url())
        session = services.create_session(cohort=cohort, form=form)
        form_keys.remember(key, session.get_absolute_url())
        messages.success(request, _("The session was saved."))
        return redirect(session)
    return render(request, "trainings/session_form.html", {"form": form, "cohort": cohort})


def _manageable_session(request, pk) -> TrainingSession:
    cohorts = Cohort.objects.manageable_by(request.user).values("pk")
    return get_object_or_404(TrainingSession.objects.select_related("cohort"), pk=pk, cohort__in=cohorts)


@trainer_required
def session_edit(request, pk):
    session = _manageable_session(request, pk)
    form = SessionForm(posted(request), instance=session, cohort=session.cohort)
    form.form_key_missing = False  # an edit saves the same row again
    if request.method == "POST" and form.is_valid():
        services.change_session(session=session, form=form)
        messages.success(request, _("The session was saved."))
        return redirect(session)
    context = {"form": form, "cohort": session.cohort, "session": session}
    return render(request, "trainings/session_form.html", context)


@trainer_required
def session_cancel(request, pk):
    session = _manageable_session(request, pk)
    if request.method == "POST":
        services.cancel_session(session=session)
        messages.success(request, _("The session was cancelled. Its reminders will not be sent."))
        return redirect(session)
    return render(request, "trainings/session_cancel.html", {"session": session})


@trainer_required
def session_detail(request, pk):
    """The session, its attendance and corrections, its feedback rounds and its expert trainers."""
    # Queries: the session with cohort, programme and module; its trainers; may-manage check;
    # attendance with participants; current participants' count; may-take check; corrections with
    # who made them; feedback rounds with their answer counts (one query; their states are computed
    # from their times); for coordinators the expert trainers and their bookings.
    session = get_object_or_404(
        TrainingSession.objects.visible_to(request.user)
        .select_related("cohort__programme", "module")
        .prefetch_related("trainers"),
        pk=pk,
    )
    user = request.user
    may_manage = Cohort.objects.manageable_by(user).filter(pk=session.cohort_id).exists()
    attendance = list(session.attendance.select_related("participant").order_by("participant__name", "pk"))
    # Counts of the current participants only: a removed one's row stays listed but is not counted.
    counted = [row for row in attendance if row.participant.removed_at is None]
    current_count = session.cohort.participants.current().count()
    context = {
        "session": session,
        "cohort": session.cohort,
        "may_manage": may_manage,
        "may_take": TrainingSession.objects.attendance_takers(user).filter(pk=session.pk).exists(),
        "attendance": attendance,
        "counts": {status: sum(row.status == status for row in counted) for status in AttendanceStatus.values},
        "unmarked": max(current_count - len(counted), 0) if session.is_past() else 0,
        "changes": list(
            AttendanceChange.objects.filter(attendance__session=session)
            .select_related("attendance__participant", "changed_by")
            .order_by("-changed_at", "-pk")
        ),
        **_session_rounds(session),
        **_trainer_bookings(session, user),
    }
    return render(request, "trainings/session_detail.html", context)


def _session_rounds(session: TrainingSession) -> dict:
    """The session's feedback rounds (made with the session when its programme has a form:
    trainings.session_feedback); the link to start one by hand only when it has none."""
    rounds = list(Round.objects.on_target(session))
    return {
        "rounds": rounds,
        "feedback_ahead": any(round_.state() == "future" for round_ in rounds),
        "feedback_url": None if rounds else _feedback_url(session),
    }


def _feedback_url(session: TrainingSession) -> str:
    """feedback's own "new round" page on this session, with the programme's form chosen."""
    url = reverse("feedback:create", args=[ContentType.objects.get_for_model(TrainingSession).pk, session.pk])
    template_id = session.cohort.programme.feedback_template_id
    return f"{url}?{urlencode({'template': template_id})}" if template_id else url


def _trainer_bookings(session: TrainingSession, user) -> dict:
    if not user.has_perm(MANAGE_TRAININGS):
        return {"expert_trainers": []}
    bookings = services.trainer_bookings(session)
    return {"expert_trainers": [(profile, bookings.get(profile.pk)) for profile in services.expert_trainers(session)]}


@login_required
@permission_required(MANAGE_TRAININGS, raise_exception=True)
def session_book_trainer(request, pk):
    """Book the session's expert trainer through bookings, so the fee lands in the payroll export."""
    session = get_object_or_404(TrainingSession.objects.select_related("cohort"), pk=pk)
    bookings = services.trainer_bookings(session)
    experts = [profile for profile in services.expert_trainers(session) if profile.pk not in bookings]
    form = BookTrainerForm(posted(request), experts=experts)
    if request.method == "POST" and form.is_valid():
        try:
            booking = services.book_expert_trainer(session=session, form=form, actor=request.user)
        except (TrainingError, BookingError, ValidationError) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        else:
            messages.success(
                request,
                _("%(name)s was invited. Follow the booking on the assignment's page.")
                % {"name": booking.expert.display_name},
            )
            return redirect(session)
    context = {"session": session, "form": form, "experts": experts}
    return render(request, "trainings/session_book_trainer.html", context)
