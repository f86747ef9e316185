"""Client panels (asiakasraati): the panels, their members and terms, meetings, booking the expert
members through bookings, and meeting outputs typed in as notes of a campaign. Every page needs
accounts.run_hearings. Residents' contact details are shown only here, and showing them is audited."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Min, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.http import posted
from accounts.models import AuditAction
from accounts.services import record_audit_event
from bookings.services import BookingError
from kokemuspankki import form_keys

from .. import panels
from ..forms_panels import BookMembersForm, MeetingForm, MemberForm, OutputForm, PanelForm
from ..models import Panel, PanelMeeting, PanelMember
from .outcome import staff_required


def _audit_contacts(request, what: str) -> None:
    record_audit_event(actor=request.user, subject=None, action=AuditAction.VIEW, what=what, fields=["email", "phone"])


def _create(request, form, scope: str, fallback: str, save):
    """The shared steps of a page that creates one row: refuse a second post of the same form,
    save, and remember where the first one went. Returns a response, or None to render the form."""
    if sent := form_keys.sent_before(request, form, scope):
        return form_keys.already_sent(request, sent, fallback)
    if request.method != "POST" or not form.is_valid():
        return None
    key, first = form_keys.claim(request, form, scope)
    if not first:
        return form_keys.already_sent(request, key, fallback)
    url = save()
    form_keys.remember(key, url)
    return redirect(url)


# --- Panels --------------------------------------------------------------------------------------


@staff_required
def panel_list(request):
    today, now = timezone.localdate(), timezone.now()
    on_term = Q(members__term_starts__lte=today) & (
        Q(members__term_ends__isnull=True) | Q(members__term_ends__gte=today)
    )
    rows = Panel.objects.annotate(
        member_count=Count("members", filter=on_term, distinct=True),
        next_meeting=Min("meetings__starts_at", filter=Q(meetings__starts_at__gt=now)),
    ).order_by("-is_active", "name", "pk")
    return render(request, "hearings/panel_list.html", {"panels": list(rows)})


@staff_required
def panel_create(request):
    form = PanelForm(posted(request), initial={"coordinator": request.user.pk})

    def save():
        messages.success(request, _("The client panel was saved. Add its members next."))
        return form.save().get_absolute_url()

    response = _create(request, form, "panel", reverse("hearings:panel_list"), save)
    return response or render(request, "hearings/panel_form.html", {"form": form})


@staff_required
def panel_edit(request, pk):
    panel = get_object_or_404(Panel, pk=pk)
    form = PanelForm(posted(request), instance=panel)
    form.form_key_missing = False  # an edit saves the same row again: a double submit is harmless
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The client panel was saved."))
        return redirect(panel)
    return render(request, "hearings/panel_form.html", {"form": form, "panel": panel})


@staff_required
def panel_detail(request, pk):
    """The panel, its current and past members (by term), and its meetings ahead and held."""
    panel = get_object_or_404(Panel.objects.select_related("coordinator"), pk=pk)
    today, now = timezone.localdate(), timezone.now()
    members = list(panel.members.select_related("expert").order_by("name", "pk"))
    current, past = panels.split_by_term(members, today)
    if any(member.email or member.phone for member in members):
        _audit_contacts(request, f"client panel {panel.pk} members")
    meetings = list(panel.meetings.annotate(output_count=Count("outputs")).order_by("starts_at", "pk"))
    context = {
        "panel": panel,
        "current": current,
        "past": past,
        "today": today,
        "upcoming_meetings": [meeting for meeting in meetings if meeting.ends_at > now],
        "past_meetings": [meeting for meeting in meetings if meeting.ends_at <= now][::-1],
    }
    return render(request, "hearings/panel_detail.html", context)


# --- Members -------------------------------------------------------------------------------------


@staff_required
def member_create(request, pk):
    panel = get_object_or_404(Panel, pk=pk)
    form = MemberForm(posted(request), initial={"term_starts": timezone.localdate(), "kind": "expert"})

    def save():
        form.instance.panel = panel
        form.save()
        messages.success(request, _("The member was added."))
        return panel.get_absolute_url() + "#members"

    response = _create(request, form, "member", panel.get_absolute_url(), save)
    return response or render(request, "hearings/panel_member_form.html", {"form": form, "panel": panel})


@staff_required
def member_edit(request, pk):
    member = get_object_or_404(PanelMember.objects.select_related("panel", "expert"), pk=pk)
    form = MemberForm(posted(request), instance=member)
    form.form_key_missing = False
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The member's details were saved."))
        return redirect(member.panel.get_absolute_url() + "#members")
    if request.method == "GET" and (member.email or member.phone):
        _audit_contacts(request, f"client panel member {member.pk}")
    context = {"form": form, "panel": member.panel, "member": member}
    return render(request, "hearings/panel_member_form.html", context)


# --- Meetings ------------------------------------------------------------------------------------


@staff_required
def meeting_create(request, pk):
    panel = get_object_or_404(Panel, pk=pk)
    form = MeetingForm(posted(request))

    def save():
        form.instance.panel = panel
        meeting = form.save()
        messages.success(request, _("The meeting was added."))
        return reverse("hearings:meeting_detail", args=[meeting.pk])

    response = _create(request, form, "meeting", panel.get_absolute_url(), save)
    return response or render(request, "hearings/panel_meeting_form.html", {"form": form, "panel": panel})


@staff_required
def meeting_detail(request, pk):
    """A meeting: its agenda, the expert members and their bookings, and its outputs."""
    meeting = get_object_or_404(PanelMeeting.objects.select_related("panel"), pk=pk)
    bookings = panels.meeting_bookings(meeting)
    context = {
        "meeting": meeting,
        "panel": meeting.panel,
        "experts": [(profile, bookings.get(profile.pk)) for profile in panels.expert_members(meeting)],
        "outputs": list(meeting.outputs.select_related("campaign").order_by("held_on", "pk")),
        "may_book": meeting.starts_at > timezone.now(),
    }
    return render(request, "hearings/panel_meeting_detail.html", context)


@staff_required
def meeting_book_experts(request, pk):
    """Book the meeting's expert members through bookings, so their fees land in the payroll export."""
    meeting = get_object_or_404(PanelMeeting.objects.select_related("panel"), pk=pk)
    form = BookMembersForm(posted(request), unit=meeting.panel.unit)
    back = reverse("hearings:meeting_detail", args=[meeting.pk])
    if request.method == "POST" and form.is_valid():
        try:
            invited, refused = panels.book_expert_members(meeting=meeting, form=form, actor=request.user)
        except (panels.PanelError, BookingError, ValidationError) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        else:
            if invited:
                messages.success(request, _("%(count)d expert members were invited.") % {"count": len(invited)})
            names = {profile.pk: profile.display_name for profile in panels.expert_members(meeting)}
            for profile_id, reason in refused.items():
                messages.warning(request, f"{names.get(profile_id, '')}: {reason}")
            if not invited and not refused:
                messages.info(request, _("Every expert member is already on the booking."))
            return redirect(back)
    context = {"meeting": meeting, "panel": meeting.panel, "form": form, "experts": panels.expert_members(meeting)}
    return render(request, "hearings/panel_meeting_book.html", context)


@staff_required
def meeting_output(request, pk):
    """The meeting's output typed in: a note of the client panel channel on the chosen campaign."""
    meeting = get_object_or_404(PanelMeeting.objects.select_related("panel"), pk=pk)
    form = OutputForm(
        posted(request), initial={"held_on": timezone.localdate(meeting.starts_at), "title": str(meeting)}
    )
    back = reverse("hearings:meeting_detail", args=[meeting.pk])

    def save():
        form.instance.meeting = meeting
        form.instance.held_on = timezone.localdate(meeting.starts_at)
        form.instance.entered_by = request.user
        form.save()
        messages.success(request, _("The output was saved. It shows in the campaign's analysis."))
        return back

    response = _create(request, form, "output", back, save)
    return response or render(request, "hearings/panel_meeting_output.html", {"form": form, "meeting": meeting})
