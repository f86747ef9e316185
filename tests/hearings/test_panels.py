"""Client panels (asiakasraati): panels, members and their terms, meetings, booking the expert members
through bookings, and meeting outputs as notes of a campaign (hearings/views/panels.py, panels.py)."""

from datetime import date, datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import AuditEvent
from bookings.models import Assignment, Booking, BookingStatus
from experts.models import TaskType
from hearings.models import Channel, Note, Panel, PanelMeeting, PanelMember
from tests.factories import CampaignFactory, ExpertProfileFactory, PanelFactory, UserFactory, _tariff

HELSINKI = timezone.get_default_timezone()


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def sign_in(client, user):
    client.force_login(user)
    client.cookies["kp_language"] = "en"
    return client


@pytest.fixture
def panel(db):
    return PanelFactory()


def meeting_in(panel, days: int) -> PanelMeeting:
    starts = datetime.combine(timezone.localdate() + timedelta(days=days), time(13), HELSINKI)
    return PanelMeeting.objects.create(
        panel=panel, starts_at=starts, ends_at=starts + timedelta(hours=2), place="Lahden pääkirjasto"
    )


@pytest.fixture
def meeting(panel):
    return meeting_in(panel, 14)


@pytest.fixture
def expert_member(panel):
    profile = ExpertProfileFactory(ready_at=timezone.now())
    PanelMember.objects.create(panel=panel, expert=profile, term_starts=timezone.localdate() - timedelta(days=30))
    return profile


def resident(panel, **changes) -> PanelMember:
    values = {
        "name": "Raili Mäkelä",
        "email": "raili@example.fi",
        "phone": "040 123 4567",
        "contact_consent": True,
        "term_starts": timezone.localdate() - timedelta(days=30),
    }
    return PanelMember.objects.create(panel=panel, **{**values, **changes})


def member_data(**changes):
    data = {
        "kind": "resident",
        "name": "Raili Mäkelä",
        "email": "raili@example.fi",
        "phone": "",
        "contact_consent": "on",
        "term_starts": "1.1.2026",
        "term_ends": "31.12.2027",
        "form_key": "m" * 32,
    }
    return {**data, **changes}


def booking_data(**changes):
    data = {"tariff": _tariff("hourly").pk, "task_type": TaskType.objects.get(slug="asiakasraati").pk}
    return {**data, "unit": "Ikääntyneiden palvelut", **changes}


# --- Access ----------------------------------------------------------------------------------------

PANEL_PAGES = ["panel_detail", "panel_edit", "member_create", "meeting_create"]
MEETING_PAGES = ["meeting_detail", "meeting_book_experts", "meeting_output"]


def every_page(panel, meeting):
    yield reverse("hearings:panel_list")
    yield reverse("hearings:panel_create")
    for name in PANEL_PAGES:
        yield reverse(f"hearings:{name}", args=[panel.pk])
    for name in MEETING_PAGES:
        yield reverse(f"hearings:{name}", args=[meeting.pk])


@pytest.mark.django_db
def test_anonymous_is_sent_to_sign_in(client, panel, meeting):
    for url in every_page(panel, meeting):
        response = client.get(url)
        assert response.status_code == 302 and "login" in response.url, url


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["expert", "trainer"])
def test_experts_and_trainers_are_refused(client, panel, meeting, role):
    sign_in(client, UserFactory(role=role, mfa=role != "expert"))
    for url in every_page(panel, meeting):
        assert client.get(url).status_code == 403, url


@pytest.mark.django_db
def test_a_coordinator_opens_every_panel_page(client, coordinator, panel, meeting):
    sign_in(client, coordinator)
    for url in every_page(panel, meeting):
        assert client.get(url).status_code == 200, url


@pytest.mark.django_db
def test_member_edit_is_404_for_a_missing_member(client, coordinator):
    assert sign_in(client, coordinator).get(reverse("hearings:member_edit", args=[999])).status_code == 404


# --- Query counts ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_panel_list_queries(client, coordinator, django_assert_num_queries):
    for _n in range(3):
        panel = PanelFactory()
        resident(panel)
        meeting_in(panel, 5)
    sign_in(client, coordinator)
    # Queries: session, user with permissions; the panels with member and next-meeting annotations
    # (one query however many); the idle-timeout session save (savepoint, update, release).
    with django_assert_num_queries(6):
        response = client.get(reverse("hearings:panel_list"))
    assert len(response.context["panels"]) == 3


@pytest.mark.django_db
def test_panel_detail_queries(client, coordinator, panel, expert_member, django_assert_num_queries):
    for n in range(3):
        resident(panel, name=f"Asukas {n}")
        meeting_in(panel, n * 30 - 40)
    sign_in(client, coordinator)
    # Queries: session, user; the panel with its coordinator, the members with their expert
    # profiles, the audit row, the meetings with output counts; the session save (3).
    with django_assert_num_queries(9):
        response = client.get(reverse("hearings:panel_detail", args=[panel.pk]))
    assert len(response.context["current"]) == 4


@pytest.mark.django_db
def test_meeting_detail_queries(client, coordinator, meeting, expert_member, django_assert_num_queries):
    sign_in(client, coordinator)
    # Queries: session, user; the meeting with its panel; the bookings for it (content type cached);
    # the expert members on term; the outputs with campaigns; the session save (3).
    with django_assert_num_queries(9):
        response = client.get(reverse("hearings:meeting_detail", args=[meeting.pk]))
    assert response.context["experts"] == [(expert_member, None)]


# --- Panels and members ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_double_submitted_panel_is_created_once(client, coordinator):
    data = {
        "name_fi": "Päijät-Hämeen ikäihmisten asiakasraati",
        "name_sv": "Klientrådet för äldre",
        "unit": "Ikääntyneiden palvelut",
        "coordinator": coordinator.pk,
        "is_active": "on",
        "form_key": "p" * 32,
    }
    sign_in(client, coordinator)
    client.post(reverse("hearings:panel_create"), data)
    client.post(reverse("hearings:panel_create"), data)
    panel = Panel.objects.get()
    assert (panel.name_fi, panel.name_sv) == ("Päijät-Hämeen ikäihmisten asiakasraati", "Klientrådet för äldre")


@pytest.mark.django_db
def test_an_expert_of_the_bank_is_added_as_a_member(client, coordinator, panel):
    profile = ExpertProfileFactory(ready_at=timezone.now())
    data = member_data(kind="expert", expert=profile.pk)
    response = sign_in(client, coordinator).post(reverse("hearings:member_create", args=[panel.pk]), data)
    assert response.status_code == 302
    member = PanelMember.objects.get()
    # An expert's contact details stay in their profile, even if the form carried some.
    assert (member.expert, member.name, member.email) == (profile, "", "")


@pytest.mark.django_db
def test_an_unlisted_expert_cannot_be_chosen(client, coordinator, panel):
    profile = ExpertProfileFactory(consent=False)
    data = member_data(kind="expert", expert=profile.pk)
    response = sign_in(client, coordinator).post(reverse("hearings:member_create", args=[panel.pk]), data)
    assert response.status_code == 200
    assert response.context["form"].errors["expert"]
    assert not PanelMember.objects.exists()


@pytest.mark.django_db
def test_a_residents_contact_details_need_their_consent(client, coordinator, panel):
    data = member_data(contact_consent="")
    response = sign_in(client, coordinator).post(reverse("hearings:member_create", args=[panel.pk]), data)
    assert response.status_code == 200
    assert "consent to be contacted" in response.content.decode()
    assert not PanelMember.objects.exists()


@pytest.mark.django_db
def test_a_resident_with_consent_is_added(client, coordinator, panel):
    sign_in(client, coordinator).post(reverse("hearings:member_create", args=[panel.pk]), member_data())
    member = PanelMember.objects.get()
    assert (member.name, member.email, member.term_ends) == ("Raili Mäkelä", "raili@example.fi", date(2027, 12, 31))


@pytest.mark.django_db
def test_a_term_ending_before_it_starts_is_a_form_error(client, coordinator, panel):
    data = member_data(term_starts="1.6.2026", term_ends="1.1.2026")
    response = sign_in(client, coordinator).post(reverse("hearings:member_create", args=[panel.pk]), data)
    assert response.status_code == 200
    assert response.context["form"].errors["term_ends"]


@pytest.mark.django_db
def test_members_are_current_or_past_by_their_term(client, coordinator, panel):
    today = timezone.localdate()
    now_on = resident(panel, name="Nyt")
    gone = resident(panel, name="Ennen", term_starts=today - timedelta(days=400), term_ends=today - timedelta(days=1))
    response = sign_in(client, coordinator).get(reverse("hearings:panel_detail", args=[panel.pk]))
    assert (response.context["current"], response.context["past"]) == ([now_on], [gone])


@pytest.mark.django_db
def test_showing_residents_contact_details_is_audited(client, coordinator, panel):
    resident(panel)
    sign_in(client, coordinator).get(reverse("hearings:panel_detail", args=[panel.pk]))
    event = AuditEvent.objects.get(what=f"client panel {panel.pk} members")
    assert (event.actor, event.action, event.fields) == (coordinator, "view", ["email", "phone"])


@pytest.mark.django_db
def test_a_panel_of_experts_only_shows_no_contact_details_and_is_not_audited(client, coordinator, expert_member):
    panel = PanelMember.objects.get().panel
    before = AuditEvent.objects.count()
    sign_in(client, coordinator).get(reverse("hearings:panel_detail", args=[panel.pk]))
    assert AuditEvent.objects.count() == before


@pytest.mark.django_db
def test_opening_a_residents_details_is_audited(client, coordinator, panel):
    member = resident(panel)
    sign_in(client, coordinator).get(reverse("hearings:member_edit", args=[member.pk]))
    assert AuditEvent.objects.filter(what=f"client panel member {member.pk}").count() == 1


# --- Meetings, bookings and outputs --------------------------------------------------------------------


@pytest.mark.django_db
def test_a_meeting_is_added_in_helsinki_time(client, coordinator, panel):
    day = timezone.localdate() + timedelta(days=20)
    data = {
        "date": day.strftime("%d.%m.%Y"),
        "start_time": "13.00",
        "end_time": "15.00",
        "place": "Lahti",
        "agenda": "Kotihoito",
        "form_key": "k" * 32,
    }
    sign_in(client, coordinator).post(reverse("hearings:meeting_create", args=[panel.pk]), data)
    client.post(reverse("hearings:meeting_create", args=[panel.pk]), data)
    meeting = PanelMeeting.objects.get()
    assert meeting.starts_at == datetime.combine(day, time(13), HELSINKI)


@pytest.mark.django_db
def test_a_meeting_ending_before_it_starts_is_a_form_error(client, coordinator, panel):
    data = {"date": "1.9.2026", "start_time": "13.00", "end_time": "12.00", "form_key": "k" * 32}
    response = sign_in(client, coordinator).post(reverse("hearings:meeting_create", args=[panel.pk]), data)
    assert response.status_code == 200
    assert not PanelMeeting.objects.exists()


@pytest.mark.django_db
def test_booking_invites_the_expert_members_on_term_through_bookings(client, coordinator, meeting, expert_member):
    past_member = ExpertProfileFactory(ready_at=timezone.now())
    today = timezone.localdate()
    PanelMember.objects.create(
        panel=meeting.panel, expert=past_member, term_starts=today - timedelta(days=400), term_ends=today
    )
    resident(meeting.panel)
    response = sign_in(client, coordinator).post(
        reverse("hearings:meeting_book_experts", args=[meeting.pk]), booking_data()
    )
    assert response.status_code == 302
    assignment = Assignment.objects.for_purpose(meeting).get()
    assert (assignment.starts_at, assignment.task_type.slug) == (meeting.starts_at, "asiakasraati")
    assert assignment.contact_person == meeting.panel.coordinator
    booking = Booking.objects.get()
    assert (booking.expert, booking.status) == (expert_member, BookingStatus.INVITED)


@pytest.mark.django_db
def test_booking_twice_makes_one_assignment_and_one_booking_each(client, coordinator, meeting, expert_member):
    sign_in(client, coordinator)
    for _attempt in range(2):
        client.post(reverse("hearings:meeting_book_experts", args=[meeting.pk]), booking_data())
    assert Assignment.objects.for_purpose(meeting).count() == 1
    assert Booking.objects.count() == 1


@pytest.mark.django_db
def test_a_meeting_held_already_is_not_booked(client, coordinator, panel, expert_member):
    held = meeting_in(panel, -3)
    response = sign_in(client, coordinator).post(
        reverse("hearings:meeting_book_experts", args=[held.pk]), booking_data(), follow=True
    )
    assert not Assignment.objects.exists()
    assert [m.level_tag for m in response.context["messages"]] == ["error"]


@pytest.mark.django_db
def test_an_output_is_a_panel_note_of_the_chosen_campaign(client, coordinator, meeting):
    campaign = CampaignFactory()
    data = {"campaign": campaign.pk, "title": "Raadin näkemykset", "text": "Iltavastaanottoja.", "form_key": "o" * 32}
    sign_in(client, coordinator).post(reverse("hearings:meeting_output", args=[meeting.pk]), data)
    client.post(reverse("hearings:meeting_output", args=[meeting.pk]), data)
    note = Note.objects.get()
    assert (note.campaign, note.channel, note.meeting, note.entered_by) == (
        campaign,
        Channel.PANEL,
        meeting,
        coordinator,
    )
    assert note.held_on == timezone.localdate(meeting.starts_at)
