"""Taking a session's attendance: one form, a radio group per participant, on a phone in a few taps.

For the session's trainers, its cohort's trainers and coordinators
(TrainingSession.objects.attendance_takers); anyone else with run_trainings gets 404.
"""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.http import posted

from .. import services
from ..forms_cohorts import AttendanceForm
from ..models import TrainingSession
from ..services import TrainingError
from .cohorts import trainer_required


@trainer_required
def attendance(request, pk):
    # Queries: the session with cohort and module; current participants; their attendance rows.
    session = get_object_or_404(
        TrainingSession.objects.attendance_takers(request.user).select_related("cohort", "module"), pk=pk
    )
    participants = list(session.cohort.participants.current().order_by("name", "pk"))
    current = dict(session.attendance.values_list("participant_id", "status"))
    form = AttendanceForm(posted(request), participants=participants, current=current)
    if request.method == "POST" and form.is_valid():
        marks = form.marks(all_present="all_present" in request.POST)
        try:
            changed = services.save_attendance(
                session=session, marks=marks, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except TrainingError as error:
            messages.error(request, str(error))
            return redirect(session)
        messages.success(
            request,
            ngettext("Attendance saved: %(count)d change.", "Attendance saved: %(count)d changes.", changed)
            % {"count": changed}
            if changed
            else _("Attendance saved: nothing changed."),
        )
        return redirect(session.get_absolute_url() + "#attendance")
    context = {
        "session": session,
        "form": form,
        "marked": len(current.keys() & {p.pk for p in participants}),
        "is_late": services.is_late(session),
    }
    return render(request, "trainings/attendance_form.html", context)
