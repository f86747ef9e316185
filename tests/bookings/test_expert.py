"""The expert's own assignments (views/booking_expert.py): the list, one booking, answering,
cancelling, volunteering, the .ics file, the check-in and private feedback."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from icalendar import Calendar

from bookings import services as booking_services
from bookings.models import Assignment, AssignmentStatus, Booking, BookingStatus, CheckIn, PrivateFeedback
from notifications.models import Notification
from tests.factories import AssignmentFactory, BookingFactory, ExpertProfileFactory, UserFactory

MY_ASSIGNMENTS = reverse("bookings:my_assignments")


def url(name, booking_or_assignment):
    return reverse(f"bookings:{name}", args=[booking_or_assignment.pk])


def invite(assignment, profile, coordinator):
    (booking,), _refused = booking_services.invite_experts(assignment=assignment, profiles=[profile], actor=coordinator)
    return booking


def invited(coordinator, profile, **fields):
    return invite(AssignmentFactory(contact_person=coordinator, **fields), profile, coordinator)


def confirmed(coordinator, profile, **fields):
    if fields.get("starts_in", timedelta(days=1)) <= timedelta(0):
        # The services confirm only assignments still to come: a past one's booking is written directly.
        assignment = AssignmentFactory(contact_person=coordinator, **fields)
        return BookingFactory(assignment=assignment, expert=profile, status=BookingStatus.CONFIRMED)
    booking = invited(coordinator, profile, **fields)
    booking_services.answer_invitation(booking=booking, accept=True)
    return booking_services.confirm_booking(booking=booking, actor=coordinator)


def completed(coordinator, profile, **fields):
    booking = confirmed(coordinator, profile, starts_in=-timedelta(days=1), **fields)
    return booking_services.complete_booking(booking=booking, completed=True, hours=None, actor=coordinator)


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


@pytest.fixture
def profile(expert):
    return ExpertProfileFactory(user=expert, onboarding_step=6, task_types=["luento"])


# --- Access --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(MY_ASSIGNMENTS)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.django_db
def test_coordinator_may_not_open_the_expert_pages(client, coordinator, profile):
    booking = invited(coordinator, profile)
    client.force_login(coordinator)
    for path in [
        MY_ASSIGNMENTS,
        url("my_assignment", booking),
        url("my_booking_cancel", booking),
        url("booking_ics", booking),
        reverse("bookings:earnings_limits"),
    ]:
        assert client.get(path).status_code == 403, path
    assert client.post(url("booking_answer", booking), {"answer": "accept"}).status_code == 403


@pytest.mark.django_db
def test_an_expert_without_a_profile_is_sent_to_create_one(client, expert):
    client.force_login(expert)
    response = client.get(MY_ASSIGNMENTS)
    assert response["Location"] == reverse("experts:profile_step", args=[1])


@pytest.mark.django_db
def test_another_experts_booking_is_not_found(signed_in, profile, coordinator):
    other = invited(coordinator, ExpertProfileFactory())
    for path in [url("my_assignment", other), url("my_booking_cancel", other), url("booking_ics", other)]:
        assert signed_in.get(path).status_code == 404, path
    for name, data in [
        ("booking_answer", {"answer": "accept"}),
        ("my_booking_cancel", {"reason": "illness"}),
        ("booking_check_in", {"feeling": "3"}),
        ("my_booking_feedback", {"text": "Hyvin järjestetty."}),
    ]:
        assert signed_in.post(url(name, other), data).status_code == 404, name
    other.refresh_from_db()
    assert other.status == BookingStatus.INVITED


# --- My assignments ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_bookings_are_listed_in_their_sections(signed_in, profile, coordinator):
    waiting = invited(coordinator, profile, title="Kutsu odottaa", starts_in=timedelta(days=3))
    coming = confirmed(coordinator, profile, title="Tuleva luento", starts_in=timedelta(days=5))
    done = completed(coordinator, profile, title="Pidetty luento")
    declined = invited(coordinator, profile, title="Kieltäydytty", starts_in=timedelta(days=9))
    booking_services.answer_invitation(booking=declined, accept=False)
    response = signed_in.get(MY_ASSIGNMENTS)
    assert response.status_code == 200
    assert [b.pk for b in response.context["invited"]] == [waiting.pk]
    assert [b.pk for b in response.context["coming"]] == [coming.pk]
    assert [b.pk for b in response.context["past"]] == [declined.pk, done.pk]
    page = response.content.decode()
    assert "Waiting for your answer" in page
    assert "Pidetty luento" in page and "€50.00" in page  # the fee of the completed one


@pytest.mark.django_db
def test_an_invitation_whose_time_has_passed_cannot_be_answered(signed_in, profile, coordinator):
    late = invited(coordinator, profile, starts_in=-timedelta(hours=1))
    response = signed_in.get(MY_ASSIGNMENTS)
    assert response.context["invited"] == []
    assert [b.pk for b in response.context["past"]] == [late.pk]
    assert signed_in.get(url("my_assignment", late)).context["answer_form"] is None


@pytest.mark.django_db
def test_open_assignments_are_the_ones_this_expert_could_take(signed_in, profile, coordinator):
    from experts.models import TaskType

    offered = AssignmentFactory(contact_person=coordinator, title="Avoin luento", open_to_all=True)
    AssignmentFactory(contact_person=coordinator, title="Vain kutsutuille")
    AssignmentFactory(
        contact_person=coordinator,
        title="Toinen tehtävä",
        open_to_all=True,
        task_type=TaskType.objects.exclude(slug="luento").first(),
    )
    AssignmentFactory(contact_person=coordinator, title="Jo mennyt", open_to_all=True, starts_in=-timedelta(days=1))
    AssignmentFactory(contact_person=coordinator, title="Täynnä", open_to_all=True, status=AssignmentStatus.FILLED)
    invited(coordinator, profile, title="Jo kutsuttu", open_to_all=True, starts_in=timedelta(days=4))
    response = signed_in.get(MY_ASSIGNMENTS)
    assert [a.pk for a in response.context["open_assignments"]] == [offered.pk]
    assert url("assignment_volunteer", offered) in response.content.decode()


@pytest.mark.django_db
def test_a_paused_expert_is_not_offered_open_assignments(signed_in, profile, coordinator):
    AssignmentFactory(contact_person=coordinator, open_to_all=True)
    profile.status = "paused"
    profile.save()
    response = signed_in.get(MY_ASSIGNMENTS)
    assert response.context["open_assignments"] is None
    assert "While you are paused" in response.content.decode()


def _bookings_of_every_kind(coordinator, profile, offset):
    """An invitation, a confirmed and a completed booking, and an open assignment, `offset` days apart
    from the other sets, so that several sets never overlap."""
    invited(coordinator, profile, starts_in=timedelta(days=10 + offset))
    confirmed(coordinator, profile, starts_in=timedelta(days=30 + offset))
    completed_booking = confirmed(coordinator, profile, starts_in=-timedelta(days=2 + offset))
    booking_services.complete_booking(booking=completed_booking, completed=True, hours=None, actor=coordinator)
    AssignmentFactory(contact_person=coordinator, open_to_all=True, starts_in=timedelta(days=50 + offset))


@pytest.mark.django_db
def test_my_assignments_has_constant_queries(signed_in, profile, coordinator, django_assert_num_queries):
    _bookings_of_every_kind(coordinator, profile, 0)
    # session, the user with roles and permissions (accounts.backends), the profile; the bookings with
    # assignment, task type and tariff; the open assignments with task type and tariff; earnings_of():
    # completed fees of the month and of the year, confirmed bookings of the month and of the year
    # with tariffs; the idle-timeout session save: savepoint, update, release. Again within the minute:
    # the same without the session save.
    with django_assert_num_queries(12):
        assert signed_in.get(MY_ASSIGNMENTS).status_code == 200
    for offset in (1, 2, 3):
        _bookings_of_every_kind(coordinator, profile, offset)
    with django_assert_num_queries(9):
        response = signed_in.get(MY_ASSIGNMENTS)
    assert len(response.context["invited"]) == 4
    assert len(response.context["open_assignments"]) == 4


# --- Volunteering --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_volunteering_offers_to_take_the_assignment(signed_in, profile, coordinator):
    assignment = AssignmentFactory(contact_person=coordinator, open_to_all=True)
    response = signed_in.post(url("assignment_volunteer", assignment))
    booking = Booking.objects.get(assignment=assignment, expert=profile)
    assert response["Location"] == booking.get_absolute_url()
    assert (booking.status, booking.volunteered) == (BookingStatus.ACCEPTED, True)
    assert Notification.objects.for_target(booking).filter(kind="bookings.answered").exists()


@pytest.mark.django_db
def test_volunteering_twice_adds_nothing(signed_in, profile, coordinator):
    assignment = AssignmentFactory(contact_person=coordinator, open_to_all=True)
    signed_in.post(url("assignment_volunteer", assignment))
    response = signed_in.post(url("assignment_volunteer", assignment), follow=True)
    assert Booking.objects.filter(assignment=assignment).count() == 1
    assert response.status_code == 200


@pytest.mark.django_db
def test_an_assignment_not_offered_to_the_expert_cannot_be_volunteered_for(signed_in, profile, coordinator):
    assignment = AssignmentFactory(contact_person=coordinator)  # invited experts only
    assert signed_in.post(url("assignment_volunteer", assignment)).status_code == 404
    assert not Booking.objects.exists()


@pytest.mark.django_db
def test_volunteering_for_a_filled_assignment_shows_why_not(signed_in, profile, coordinator):
    assignment = AssignmentFactory(contact_person=coordinator, open_to_all=True, status=AssignmentStatus.FILLED)
    response = signed_in.post(url("assignment_volunteer", assignment), follow=True)
    assert response.status_code == 200
    assert messages_of(response) == ["The assignment is no longer looking for experts."]
    assert not Booking.objects.exists()


@pytest.mark.django_db
def test_an_assignment_that_has_begun_cannot_be_volunteered_for(signed_in, profile, coordinator):
    assignment = AssignmentFactory(contact_person=coordinator, open_to_all=True, starts_in=-timedelta(minutes=5))
    response = signed_in.post(url("assignment_volunteer", assignment), follow=True)
    assert messages_of(response) == ["The assignment has already begun."]
    assert not Booking.objects.exists()


@pytest.mark.django_db
def test_an_unbookable_expert_is_told_why(signed_in, profile, coordinator):
    from experts.models import BlockedPeriod

    assignment = AssignmentFactory(contact_person=coordinator, open_to_all=True)
    day = assignment.starts_at.date()
    BlockedPeriod.objects.create(profile=profile, start=day - timedelta(days=1), end=day + timedelta(days=1))
    response = signed_in.post(url("assignment_volunteer", assignment), follow=True)
    assert messages_of(response) == ["The expert is not available on that date."]


# --- One booking ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_booking_page_shows_the_details_in_finnish_time(signed_in, profile, coordinator):
    contact = UserFactory(role="coordinator", first_name="Kaisa", last_name="Yhteyshenkilö")
    start = datetime(2030, 6, 12, 9, 0, tzinfo=UTC)  # 12.00 in Helsinki (summer time)
    assignment = AssignmentFactory(
        created_by=coordinator,
        contact_person=contact,
        starts_at=start,
        hours=2,
        contact_phone="040 123 4567",
        venue_accessibility="Esteetön sisäänkäynti, induktiosilmukka.",
        arrival_info="Pääovesta sisään, 2. kerros.",
        remote_link="https://meet.example.fi/abc",
        arrangements="Tulkki varattu.",
    )
    booking = invite(assignment, profile, coordinator)
    page = signed_in.get(url("my_assignment", booking)).content.decode()
    assert '<time datetime="2030-06-12T12:00:00+03:00">Wed 12.6.2030 at 12:00</time>' in page
    assert '<time datetime="2030-06-12T14:00:00+03:00">14:00</time>' in page
    for text in [
        "Kaisa Yhteyshenkilö",
        'href="tel:0401234567"',
        "Esteetön sisäänkäynti",
        "Pääovesta sisään",
        "https://meet.example.fi/abc",
        "Tulkki varattu.",
        "€50.00",
    ]:
        assert text in page, text
    assert "<legend>Can you take this assignment?</legend>" in page


@pytest.mark.django_db
def test_the_booking_page_has_constant_queries(signed_in, profile, coordinator, django_assert_num_queries):
    booking = completed(coordinator, profile)
    # session, the user with roles and permissions (accounts.backends), the profile; the booking with
    # assignment, task type, contact person and tariff; the check-in, the expert's feedback, the
    # expense lines; the participants' feedback rounds; the idle-timeout session save: savepoint,
    # update, release.
    ContentType.objects.get_for_model(Assignment)  # cached for the process: read once, not per page
    with django_assert_num_queries(11):
        assert signed_in.get(url("my_assignment", booking)).status_code == 200


@pytest.mark.django_db
def test_accepting_an_invitation(signed_in, profile, coordinator):
    booking = invited(coordinator, profile)
    response = signed_in.post(url("booking_answer", booking), {"answer": "accept"})
    assert response["Location"] == booking.get_absolute_url()
    booking.refresh_from_db()
    assert booking.status == BookingStatus.ACCEPTED
    assert Notification.objects.for_target(booking).filter(kind="bookings.answered").exists()


@pytest.mark.django_db
def test_declining_with_a_reason(signed_in, profile, coordinator):
    booking = invited(coordinator, profile)
    signed_in.post(url("booking_answer", booking), {"answer": "decline", "note": "Olen silloin lomalla."})
    booking.refresh_from_db()
    assert (booking.status, booking.answer_note) == (BookingStatus.DECLINED, "Olen silloin lomalla.")


@pytest.mark.django_db
def test_answering_from_the_list_returns_to_the_list(signed_in, profile, coordinator):
    booking = invited(coordinator, profile)
    response = signed_in.post(url("booking_answer", booking), {"answer": "accept", "next": "list"})
    assert response["Location"] == MY_ASSIGNMENTS


@pytest.mark.django_db
def test_a_double_submitted_answer_is_saved_once_and_not_reported_as_an_error(signed_in, profile, coordinator):
    booking = invited(coordinator, profile)
    signed_in.post(url("booking_answer", booking), {"answer": "accept", "note": "Kyllä"}, follow=True)
    booking.refresh_from_db()
    answered_at = booking.answered_at
    response = signed_in.post(url("booking_answer", booking), {"answer": "accept", "note": "Kyllä"}, follow=True)
    booking.refresh_from_db()
    assert (booking.status, booking.answered_at) == (BookingStatus.ACCEPTED, answered_at)
    assert messages_of(response) == ["You accepted the assignment. The coordinator confirms it and lets you know."]


@pytest.mark.django_db
def test_a_changed_answer_after_answering_is_refused_with_the_reason(signed_in, profile, coordinator):
    booking = invited(coordinator, profile)
    signed_in.post(url("booking_answer", booking), {"answer": "accept"}, follow=True)
    response = signed_in.post(url("booking_answer", booking), {"answer": "decline"}, follow=True)
    assert response.status_code == 200
    assert messages_of(response) == ["This invitation has already been answered or is no longer open."]
    booking.refresh_from_db()
    assert booking.status == BookingStatus.ACCEPTED


@pytest.mark.django_db
def test_an_answer_without_a_choice_shows_the_error_summary(signed_in, profile, coordinator):
    booking = invited(coordinator, profile)
    response = signed_in.post(url("booking_answer", booking), {"note": "?"})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'class="error-summary"' in page
    assert "Choose whether you accept or decline." in page
    booking.refresh_from_db()
    assert booking.status == BookingStatus.INVITED


@pytest.mark.django_db
def test_cancelling_a_confirmed_booking_with_a_reason(signed_in, profile, coordinator):
    booking = confirmed(coordinator, profile)
    form = signed_in.get(url("my_booking_cancel", booking))
    assert "<legend>Why do you cancel?</legend>" in form.content.decode()
    response = signed_in.post(url("my_booking_cancel", booking), {"reason": "illness", "note": "Flunssa."})
    assert response["Location"] == booking.get_absolute_url()
    booking.refresh_from_db()
    assert (booking.status, booking.cancel_reason, booking.cancel_note) == (
        BookingStatus.CANCELLED,
        "illness",
        "Flunssa.",
    )
    assert booking.cancelled_by_expert
    booking.assignment.refresh_from_db()
    assert booking.assignment.status == AssignmentStatus.OPEN
    assert Notification.objects.for_target(booking).filter(kind="bookings.cancelled_by_expert").exists()


@pytest.mark.django_db
def test_a_double_submitted_cancellation_changes_nothing_the_second_time(signed_in, profile, coordinator):
    booking = confirmed(coordinator, profile)
    signed_in.post(url("my_booking_cancel", booking), {"reason": "schedule"}, follow=True)
    booking.refresh_from_db()
    cancelled_at, sequence = booking.cancelled_at, booking.sequence
    response = signed_in.post(url("my_booking_cancel", booking), {"reason": "other", "note": "x"}, follow=True)
    booking.refresh_from_db()
    assert (booking.cancelled_at, booking.sequence, booking.cancel_reason) == (cancelled_at, sequence, "schedule")
    assert messages_of(response) == ["The booking has been cancelled and the coordinator has been told."]


@pytest.mark.django_db
def test_a_reason_that_belongs_to_the_orderer_is_not_offered(signed_in, profile, coordinator):
    booking = confirmed(coordinator, profile)
    response = signed_in.post(url("my_booking_cancel", booking), {"reason": "not_needed"})
    assert response.status_code == 200
    assert 'class="error-summary"' in response.content.decode()
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED


@pytest.mark.django_db
def test_a_past_assignment_cannot_be_cancelled(signed_in, profile, coordinator):
    booking = confirmed(coordinator, profile, starts_in=-timedelta(hours=1))
    response = signed_in.get(url("my_booking_cancel", booking), follow=True)
    assert messages_of(response) == ["This booking can no longer be cancelled."]
    response = signed_in.post(url("my_booking_cancel", booking), {"reason": "illness"}, follow=True)
    assert response.status_code == 200
    assert messages_of(response) == ["The assignment has already begun: mark it completed or not completed instead."]
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED


@pytest.mark.django_db
def test_the_calendar_file_has_the_assignments_time(signed_in, profile, coordinator):
    booking = confirmed(coordinator, profile)
    response = signed_in.get(url("booking_ics", booking))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert f'filename="kokemuspankki-{booking.pk}.ics"' in response["Content-Disposition"]
    (event,) = Calendar.from_ical(response.content).walk("VEVENT")
    assert event.decoded("dtstart") == booking.assignment.starts_at
    assert event.decoded("dtend") == booking.assignment.ends_at
    assert str(event["uid"]) == f"booking-{booking.pk}@kokemuspankki"
    assert int(event["sequence"]) == booking.sequence
    assert str(event["summary"]) == booking.assignment.title


@pytest.mark.django_db
def test_an_unconfirmed_invitation_has_no_calendar_file(signed_in, profile, coordinator):
    booking = invited(coordinator, profile)
    assert signed_in.get(url("booking_ics", booking)).status_code == 404


@pytest.mark.django_db
def test_the_check_in_is_saved_once(signed_in, profile, coordinator):
    booking = completed(coordinator, profile)
    page = signed_in.get(url("my_assignment", booking)).content.decode()
    assert "<legend>How did it go?</legend>" in page
    signed_in.post(
        url("booking_check_in", booking), {"feeling": "2", "text": "Jännitti.", "wants_debrief": "on"}, follow=True
    )
    response = signed_in.post(url("booking_check_in", booking), {"feeling": "5", "text": "Toinen"}, follow=True)
    check_in = CheckIn.objects.get(booking=booking)
    assert (check_in.feeling, check_in.text, check_in.wants_debrief) == (2, "Jännitti.", True)
    assert messages_of(response) == ["You have already told how it went. Thank you!"]
    assert "<legend>How did it go?</legend>" not in response.content.decode()
    assert Notification.objects.for_target(booking).filter(kind="bookings.checked_in").count() == 1


@pytest.mark.django_db
def test_a_check_in_without_a_feeling_shows_the_error(signed_in, profile, coordinator):
    booking = completed(coordinator, profile)
    response = signed_in.post(url("booking_check_in", booking), {"feeling": "9"})
    assert response.status_code == 200
    assert 'class="error-summary"' in response.content.decode()
    assert not CheckIn.objects.exists()


@pytest.mark.django_db
def test_a_check_in_before_completion_is_refused_with_the_reason(signed_in, profile, coordinator):
    booking = confirmed(coordinator, profile)
    response = signed_in.post(url("booking_check_in", booking), {"feeling": "3"}, follow=True)
    assert messages_of(response) == ["You can tell how it went once the assignment is marked completed."]
    assert not CheckIn.objects.exists()


@pytest.mark.django_db
def test_private_feedback_on_the_arrangements(signed_in, profile, coordinator, expert):
    booking = completed(coordinator, profile)
    signed_in.post(url("my_booking_feedback", booking), {"text": "Tila oli meluisa."})
    signed_in.post(url("my_booking_feedback", booking), {"text": "Tila oli meluisa, muuten hyvä."})
    feedback = PrivateFeedback.objects.get(booking=booking)
    assert (feedback.side, feedback.text, feedback.author) == ("expert", "Tila oli meluisa, muuten hyvä.", expert)


@pytest.mark.django_db
def test_the_completed_fee_is_shown(signed_in, profile, coordinator):
    booking = completed(coordinator, profile)
    assert booking.fee == Decimal("50.00")
    page = signed_in.get(url("my_assignment", booking)).content.decode()
    assert "€50.00" in page
