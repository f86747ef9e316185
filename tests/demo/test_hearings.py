"""Demo hearings (demo/hearings.py): a closed campaign with its outcome published, an open one, a
client panel with a year of meetings booked through bookings, and loading twice leaves the same data."""

import io

import pytest
from django.core.management import call_command

from accounts.models import AuditEvent
from bookings.models import Assignment, Booking, BookingStatus
from demo import accounts as demo_accounts
from demo import bookings as demo_bookings
from demo import expert_bank as demo_expert_bank
from demo import experts as demo_experts
from demo import hearings as demo_hearings
from hearings.models import (
    Answer,
    Campaign,
    Channel,
    ContactRequest,
    Decision,
    DecisionStatus,
    Note,
    Panel,
    PanelMeeting,
    PanelMember,
    QuestionKind,
    Response,
    Topic,
)
from notifications.models import Notification


def load_all() -> int:
    demo_accounts.load()
    demo_experts.load()
    demo_expert_bank.load()
    demo_bookings.load()
    return demo_hearings.load()


@pytest.fixture
def loaded(db):
    assert load_all() == 2
    return Campaign.objects.get(slug=demo_hearings.CLOSED_SLUG), Campaign.objects.get(slug=demo_hearings.OPEN_SLUG)


def test_the_closed_campaign_has_its_outcome_published_and_no_addresses_left(loaded):
    closed, _open = loaded
    assert closed.state() == "outcome"
    assert closed.heard_summary_sv and closed.title_sv
    assert not ContactRequest.objects.filter(campaign=closed).exists()


def test_the_closed_campaign_asks_every_kind_of_question(loaded):
    closed, _open = loaded
    assert set(closed.questions.values_list("kind", flat=True)) == set(QuestionKind.values)


def test_the_closed_campaign_has_online_and_paper_answers_and_workshop_notes(loaded):
    closed, _open = loaded
    responses = Response.objects.filter(campaign=closed)
    assert responses.filter(channel=Channel.ONLINE).count() == 150
    assert responses.filter(channel=Channel.PAPER).count() == 20
    assert Note.objects.filter(campaign=closed, channel=Channel.WORKSHOP).count() == 2
    assert Answer.objects.filter(response__campaign=closed, themes__isnull=False).exists()


def test_findings_are_linked_to_decisions_and_the_not_adopted_one_says_why(loaded):
    closed, _open = loaded
    decisions = Decision.objects.filter(finding__campaign=closed)
    assert decisions.filter(status=DecisionStatus.ADOPTED, reference="§ 87").exists()
    not_adopted = decisions.get(status=DecisionStatus.NOT_ADOPTED)
    assert not_adopted.reasons


def test_the_open_campaign_is_open_with_answers_and_swedish_texts(loaded):
    _closed, open_ = loaded
    assert open_.state() == "open"
    assert open_.plain_summary_fi and open_.summary_sv
    assert open_.responses.exists()
    assert Topic.objects.get(campaign=open_).status == "campaign"


def test_the_panel_has_a_year_of_meetings_with_outputs_and_paid_experts(loaded):
    closed, _open = loaded
    panel = Panel.objects.get(name_fi=demo_hearings.PANEL)
    members = PanelMember.objects.filter(panel=panel)
    assert (members.filter(expert__isnull=False).count(), members.filter(expert__isnull=True).count()) == (2, 3)
    meetings = PanelMeeting.objects.filter(panel=panel)
    assert meetings.count() == 12
    held = [meeting for meeting in meetings if not meeting.outputs.count() == 0]
    assert held and Note.objects.filter(meeting__panel=panel, campaign=closed, channel=Channel.PANEL).exists()
    for meeting in held:
        bookings = Booking.objects.filter(assignment__in=Assignment.objects.for_purpose(meeting))
        assert bookings.count() == 2
        assert all(b.status == BookingStatus.COMPLETED and b.fee for b in bookings)


MODELS = (
    Campaign,
    Response,
    Answer,
    Note,
    Decision,
    Panel,
    PanelMeeting,
    Assignment,
    Booking,
    Notification,
    AuditEvent,
)


def test_loading_twice_gives_the_same_demo(loaded):
    before = [model.objects.count() for model in MODELS]
    assert load_all() == 2
    assert [model.objects.count() for model in MODELS] == before


@pytest.mark.django_db
def test_load_demo_prints_the_hearings_count():
    output = io.StringIO()
    call_command("load_demo", allow_production=True, stdout=output)
    assert "2 hearing campaigns" in output.getvalue()
