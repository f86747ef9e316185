"""Invite and confirm read the expert's weekly hours: outside them the coordinator sees a warning (the
invite message, the search card, the assignment page's row) and the expert sees "outside the hours
you gave" (their booking page, the invitation message). A warning, never a refusal. The expert's
accessibility needs show on the assignment page next to them, audited."""

from datetime import datetime, time, timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent
from bookings import services as booking_services
from bookings.eligibility import outside_hours
from bookings.models import Assignment, Booking, BookingStatus
from experts.models import WeeklyAvailability
from notifications.emails import render_notification
from notifications.models import Notification
from tests.factories import AssignmentFactory, BookingFactory, ExpertProfileFactory

HELSINKI = timezone.get_default_timezone()
MONDAY, TUESDAY = 0, 1


def next_monday(hour: int, minute: int = 0, *, weeks: int = 2) -> datetime:
    """A Helsinki time on a Monday at least a week ahead: the assignment has not begun."""
    today = timezone.localdate()
    day = today + timedelta(days=(7 - today.weekday()) % 7 + 7 * weeks)
    return datetime.combine(day, time(hour, minute), HELSINKI)


def monday_assignment(coordinator, start_hour: int, end_hour: int, **fields) -> Assignment:
    starts = next_monday(start_hour)
    return AssignmentFactory(
        contact_person=coordinator, starts_at=starts, ends_at=starts.replace(hour=end_hour), **fields
    )


def mondays(start: int = 9, end: int = 15, **fields):
    """An expert who gave Mondays start–end as their weekly hours."""
    return ExpertProfileFactory(weekdays=[MONDAY], weekdays__start=time(start), weekdays__end=time(end), **fields)


@pytest.fixture
def signed_in(client, coordinator):
    client.force_login(coordinator)
    client.cookies["kp_language"] = "en"
    return client


# --- The rule --------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("start", "end", "outside"),
    [(10, 12, False), (9, 15, False), (8, 10, True), (14, 16, True), (16, 18, True)],
)
def test_outside_hours_compares_the_local_time_with_the_slots_of_that_weekday(coordinator, start, end, outside):
    assignment = monday_assignment(coordinator, start, end)
    assert outside_hours(mondays(9, 15), assignment) is outside


@pytest.mark.django_db
def test_an_expert_without_weekly_hours_is_never_outside_them(coordinator):
    assert outside_hours(ExpertProfileFactory(), monday_assignment(coordinator, 6, 23)) is False


@pytest.mark.django_db
def test_another_weekday_is_outside(coordinator):
    tuesdays = ExpertProfileFactory(weekdays=[TUESDAY])
    assert outside_hours(tuesdays, monday_assignment(coordinator, 10, 12)) is True


@pytest.mark.django_db
def test_slots_that_touch_count_as_one(coordinator):
    profile = mondays(9, 12)
    WeeklyAvailability.objects.create(profile=profile, weekday=MONDAY, start=time(12), end=time(15))
    assert outside_hours(profile, monday_assignment(coordinator, 10, 14)) is False
    # A gap between two slots is not covered.
    WeeklyAvailability.objects.filter(profile=profile, start=time(12)).update(start=time(13))
    assert outside_hours(profile, monday_assignment(coordinator, 10, 14)) is True


@pytest.mark.django_db
def test_an_assignment_past_midnight_is_outside_any_slot(coordinator):
    starts = next_monday(22)
    assignment = AssignmentFactory(contact_person=coordinator, starts_at=starts, ends_at=starts + timedelta(hours=3))
    assert outside_hours(mondays(8, 23), assignment) is True


# --- Inviting: a warning to the coordinator, a word in the expert's message --------------------------


@pytest.mark.django_db
def test_inviting_outside_the_hours_invites_and_warns(signed_in, coordinator):
    assignment = monday_assignment(coordinator, 16, 18)
    profile = mondays(9, 15, display_name="Säde")

    response = signed_in.post(
        reverse("bookings:assignment_invite", args=[assignment.pk]), {"profile": profile.pk}, follow=True
    )

    booking = Booking.objects.get(assignment=assignment)
    assert booking.expert == profile and booking.status == BookingStatus.INVITED
    assert "Säde was invited. Note: the assignment is outside the hours they gave." in response.content.decode()


@pytest.mark.django_db
def test_inviting_within_the_hours_says_only_invited(signed_in, coordinator):
    assignment = monday_assignment(coordinator, 10, 12)
    profile = mondays(9, 15, display_name="Säde")
    response = signed_in.post(
        reverse("bookings:assignment_invite", args=[assignment.pk]), {"profile": profile.pk}, follow=True
    )
    page = response.content.decode()
    assert "Säde was invited." in page
    assert "outside the hours" not in page


@pytest.mark.django_db
@pytest.mark.parametrize(("start", "end", "told"), [(16, 18, True), (10, 12, False)])
def test_the_invitation_message_tells_the_expert_when_it_is_outside_their_hours(coordinator, start, end, told):
    assignment = monday_assignment(coordinator, start, end)
    (booking,), _refused = booking_services.invite_experts(
        assignment=assignment, profiles=[mondays(9, 15)], actor=coordinator
    )
    notification = Notification.objects.for_target(booking).get(kind="bookings.invitation")
    notification.language = "en"
    message = render_notification(notification)
    assert ("This is outside the hours you gave" in message.text) is told
    assert ("This is outside the hours you gave" in message.html) is told


@pytest.mark.django_db
def test_blocked_dates_still_refuse(signed_in, coordinator):
    from experts.models import BlockedPeriod

    assignment = monday_assignment(coordinator, 10, 12)
    profile = mondays(9, 15, display_name="Säde")
    day = timezone.localdate(assignment.starts_at)
    BlockedPeriod.objects.create(profile=profile, start=day, end=day)
    response = signed_in.post(
        reverse("bookings:assignment_invite", args=[assignment.pk]), {"profile": profile.pk}, follow=True
    )
    assert not Booking.objects.exists()
    assert "Säde could not be invited: The expert is not available on that date." in response.content.decode()


# --- The search's invite cards ---------------------------------------------------------------------


def search_for(assignment: Assignment, **params) -> dict:
    # The date only: with the assignment's time the search would leave out whoever it is outside.
    return {"for": assignment.pk, "date": timezone.localdate(assignment.starts_at).isoformat(), **params}


def card_of(page: str, name: str) -> str:
    (card,) = [card for card in page.split('<li class="card expert-card">')[1:] if f">{name}</a>" in card]
    return card


@pytest.mark.django_db
def test_the_invite_card_warns_of_an_expert_outside_their_hours(signed_in, coordinator):
    assignment = monday_assignment(coordinator, 16, 18)
    mondays(9, 15, display_name="Aamuisin")
    mondays(9, 20, display_name="Iltaisin")
    page = signed_in.get(reverse("experts:index"), search_for(assignment)).content.decode()
    assert "Outside the hours they gave" in card_of(page, "Aamuisin")
    assert "Outside the hours they gave" not in card_of(page, "Iltaisin")


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 6])
def test_the_invite_cards_read_the_weekly_hours_once_a_page(signed_in, coordinator, django_assert_num_queries, count):
    assignment = monday_assignment(coordinator, 16, 18)
    for _number in range(count):
        mondays(9, 15)
    url = reverse("experts:index")
    signed_in.get(url, search_for(assignment))  # the lists and the session warmed up alike
    # session, the user with roles, permissions and MFA status (accounts.backends); every admin-kept
    # list; the assignment searched for; the experts already on it; the page's ids in ranked order;
    # the page's profiles; their weekly slots (one query, search_actions' `prepare`); the audit rows.
    with django_assert_num_queries(9) as captured:
        response = signed_in.get(url, search_for(assignment))
    assert len(response.context["cards"]) == count
    # One query of the page's weekly slots, whatever the number of cards.
    assert sum('"experts_weeklyavailability"' in query["sql"] for query in captured.captured_queries) == 1


# --- The assignment page: the warning before confirming, accessibility needs --------------------------


@pytest.mark.django_db
def test_the_assignment_page_warns_on_the_row_of_an_expert_outside_their_hours(signed_in, coordinator):
    assignment = monday_assignment(coordinator, 16, 18)
    outside = BookingFactory(assignment=assignment, expert=mondays(9, 15), status=BookingStatus.ACCEPTED)
    within = BookingFactory(assignment=assignment, expert=mondays(9, 20), status=BookingStatus.ACCEPTED)

    response = signed_in.get(assignment.get_absolute_url())

    rows = {row.booking.pk: row for row in response.context["rows"]}
    assert rows[outside.pk].outside_hours is True
    assert rows[within.pk].outside_hours is False
    page = response.content.decode()
    row_html = page[page.index(f'id="booking-{outside.pk}"') :]
    assert "Outside the hours they gave" in row_html[: row_html.index("</tr>")]
    # Still confirmable: a warning, not a refusal.
    assert reverse("bookings:booking_confirm", args=[outside.pk]) in page


@pytest.mark.django_db
def test_confirming_outside_the_hours_is_allowed(coordinator):
    assignment = monday_assignment(coordinator, 16, 18)
    booking = BookingFactory(assignment=assignment, expert=mondays(9, 15), status=BookingStatus.ACCEPTED)
    booking_services.confirm_booking(booking=booking, actor=coordinator)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED


@pytest.mark.django_db
def test_accessibility_needs_show_next_to_the_invited_and_booked_experts(signed_in, coordinator):
    assignment = monday_assignment(coordinator, 10, 12, experts_needed=2)
    invited = BookingFactory(
        assignment=assignment, expert=ExpertProfileFactory(accessibility_needs="Tarvitsen tulkin.")
    )
    confirmed = BookingFactory(
        assignment=assignment,
        expert=ExpertProfileFactory(accessibility_needs="Pyörätuoli: esteetön sisäänkäynti."),
        status=BookingStatus.CONFIRMED,
    )
    declined = BookingFactory(
        assignment=assignment,
        expert=ExpertProfileFactory(accessibility_needs="Hiljainen huone."),
        status=BookingStatus.DECLINED,
    )

    page = signed_in.get(assignment.get_absolute_url()).content.decode()

    assert "Tarvitsen tulkin." in page
    assert "Pyörätuoli: esteetön sisäänkäynti." in page
    assert "Hiljainen huone." not in page  # not coming: nothing to arrange
    audited = AuditEvent.objects.filter(actor=coordinator, what="assignment page")
    assert {event.subject_id for event in audited} == {invited.expert.user_id, confirmed.expert.user_id}
    assert all(event.fields == ["accessibility_needs"] for event in audited)
    assert declined.expert.user_id not in {event.subject_id for event in audited}


@pytest.mark.django_db
def test_no_needs_no_audit_row(signed_in, coordinator):
    assignment = monday_assignment(coordinator, 10, 12)
    BookingFactory(assignment=assignment, expert=ExpertProfileFactory())
    signed_in.get(assignment.get_absolute_url())
    assert not AuditEvent.objects.filter(what="assignment page").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 5])
def test_the_assignment_page_reads_the_slots_once(signed_in, coordinator, django_assert_num_queries, count):
    assignment = monday_assignment(coordinator, 16, 18, experts_needed=count)
    for _number in range(count):
        BookingFactory(
            assignment=assignment, expert=mondays(9, 15, accessibility_needs="Tulkki."), status=BookingStatus.ACCEPTED
        )
    ContentType.objects.get_for_model(Assignment)  # cached for the process: read once, not per page
    # session, the user with roles, permissions and MFA status (accounts.backends); the assignment with
    # task, contact person, tariff, creator and the rest; its bookings with experts and check-ins; their
    # expense lines; their private feedback; the experts' weekly slots; the audit rows of the needs
    # shown (one INSERT); the participants' feedback rounds; the idle-timeout session save (savepoint,
    # update, release).
    with django_assert_num_queries(12):
        response = signed_in.get(assignment.get_absolute_url())
    assert sum(row.outside_hours for row in response.context["rows"]) == count


# --- The expert's booking page ---------------------------------------------------------------------


@pytest.fixture
def expert_client(client, profile):
    client.force_login(profile.user)
    client.cookies["kp_language"] = "en"
    return client


@pytest.mark.django_db
@pytest.mark.parametrize(("start", "end", "told"), [(16, 18, True), (10, 12, False)])
def test_the_expert_sees_when_it_is_outside_the_hours_they_gave(expert_client, profile, coordinator, start, end, told):
    WeeklyAvailability.objects.create(profile=profile, weekday=MONDAY, start=time(9), end=time(15))
    booking = BookingFactory(assignment=monday_assignment(coordinator, start, end), expert=profile)
    page = expert_client.get(booking.get_absolute_url()).content.decode()
    assert ("This is outside the hours you gave." in page) is told


@pytest.mark.django_db
def test_a_past_assignment_says_nothing_of_the_hours(expert_client, profile, coordinator):
    WeeklyAvailability.objects.create(profile=profile, weekday=MONDAY, start=time(9), end=time(10))
    booking = BookingFactory(expert=profile, status=BookingStatus.COMPLETED, assignment__starts_in=-timedelta(days=2))
    assert "outside the hours you gave" not in expert_client.get(booking.get_absolute_url()).content.decode()
