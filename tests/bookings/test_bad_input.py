"""Whatever a person types into the booking pages' forms and URLs, the answer is a page or a redirect
with a message, never a server error, and nothing is changed by input that did not validate."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from bookings import services as booking_services
from bookings.eligibility import booking_range
from bookings.models import Assignment, Booking, BookingStatus
from tests.factories import AssignmentFactory, ExpertProfileFactory

JUNK = ["", " ", "abc", "-1", "1e400", "99999999999999", "31.2.2026", "25:61", "0x10", "1,2,3", "ääkköset", "\x00", "%"]


@pytest.fixture
def booked(coordinator):
    """A confirmed booking on an assignment that ended an hour ago (so that it can be completed)."""
    expert = ExpertProfileFactory()
    assignment = AssignmentFactory(contact_person=coordinator, starts_in=timedelta(days=3))
    invited, _ = booking_services.invite_experts(assignment=assignment, profiles=[expert], actor=coordinator)
    booking = booking_services.answer_invitation(booking=invited[0], accept=True)
    booking_services.confirm_booking(booking=booking, actor=coordinator)
    starts = timezone.now() - timedelta(hours=3)
    Assignment.objects.filter(pk=assignment.pk).update(starts_at=starts, ends_at=starts + timedelta(hours=2))
    assignment.refresh_from_db()
    Booking.objects.filter(pk=booking.pk).update(during=booking_range(assignment))
    return Booking.objects.get(pk=booking.pk)


@pytest.mark.django_db
@pytest.mark.parametrize("value", JUNK)
def test_junk_in_the_coordinators_forms_is_refused_with_a_page(client, coordinator, booked, value):
    client.force_login(coordinator)
    assignment = booked.assignment
    assignment_fields = ["title", "task_type", "date", "start_time", "end_time", "unit", "tariff", "experts_needed"]
    posts = [
        (reverse("bookings:assignment_create"), {field: value for field in assignment_fields} | {"form_key": value}),
        (
            reverse("bookings:assignment_move", args=[assignment.pk]),
            dict.fromkeys(["date", "start_time", "end_time"], value),
        ),
        (reverse("bookings:booking_cancel", args=[booked.pk]), {"reason": value, "note": value}),
        (
            reverse("bookings:booking_complete", args=[booked.pk]),
            dict.fromkeys(["outcome", "hours", "fee", "travel_km", "ticket_amount", "meals", "other_amount"], value),
        ),
        (reverse("bookings:assignment_invite", args=[assignment.pk]), {"profile": value, "next": value}),
    ]
    for url, data in posts:
        response = client.post(url, data)
        assert response.status_code in (200, 302), (url, response.status_code)
    booked.refresh_from_db()
    assert booked.status == BookingStatus.CONFIRMED  # nothing that failed validation changed it
    gets = [
        (reverse("bookings:assignment_list"), {"month": value}),
        (reverse("bookings:assignment_export"), dict.fromkeys(["start", "end", "expert", "unit"], value)),
        (reverse("bookings:assignment_export_file", args=["csv"]), dict.fromkeys(["start", "end", "expert"], value)),
        (reverse("experts:index"), {"for": value, "date": value}),
        (reverse("bookings:assignment_create"), {"expert": value}),
    ]
    for url, params in gets:
        response = client.get(url, params)
        # 400: the export form shown again with its errors (a file cannot be made from them).
        assert response.status_code in (200, 302, 400, 404), (url, response.status_code)


@pytest.mark.django_db
@pytest.mark.parametrize("value", JUNK)
def test_junk_in_the_experts_forms_is_refused_with_a_page(client, booked, value):
    client.force_login(booked.expert.user)
    posts = [
        (reverse("bookings:booking_answer", args=[booked.pk]), {"answer": value, "note": value}),
        (reverse("bookings:my_booking_cancel", args=[booked.pk]), {"reason": value}),
        (reverse("bookings:booking_check_in", args=[booked.pk]), {"feeling": value, "text": value}),
        (reverse("bookings:earnings_limits"), {"monthly_earnings_limit": value, "yearly_earnings_limit": value}),
    ]
    for url, data in posts:
        response = client.post(url, data)
        assert response.status_code in (200, 302), (url, response.status_code)
    booked.refresh_from_db()
    assert booked.status == BookingStatus.CONFIRMED


@pytest.mark.django_db
@pytest.mark.parametrize("token", ["x", "a" * 500, "..%2F..%2Fetc", "ääö"])
def test_a_wrong_calendar_feed_token_is_not_found(client, token):
    assert client.get(f"/toimeksiannot/kalenteri/{token}.ics").status_code == 404


@pytest.mark.django_db
def test_an_unknown_export_format_is_not_found(client, coordinator):
    client.force_login(coordinator)
    assert client.get(reverse("bookings:assignment_export_file", args=["pdf"])).status_code == 404
