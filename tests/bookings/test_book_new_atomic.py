""" "Book for a new assignment" (?expert= on the new assignment form) is all or nothing: when the expert
cannot be invited, no assignment is left behind and the form comes back as typed, with the reason."""

from datetime import datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from bookings.models import Assignment, Booking, BookingStatus, Tariff
from experts.models import BlockedPeriod, ExpertProfile, TaskType, WeeklyAvailability
from notifications.models import Notification
from tests.factories import AssignmentFactory, BookingFactory, ExpertProfileFactory

DAY = timezone.localdate() + timedelta(days=20)


def form_data(coordinator, **changes) -> dict:
    return {
        "form_key": "avain-varaa-1234567890",
        "title": "Kokemuspuheenvuoro hoitajille",
        "description": "Mitä toipuminen on ollut.",
        "task_type": TaskType.objects.get(slug="luento").pk,
        "date": DAY.isoformat(),
        "start_time": "14:30",
        "end_time": "16:00",
        "address": "Keskussairaalankatu 7, Lahti",
        "unit": "Psykiatrian poliklinikka",
        "contact_person": coordinator.pk,
        "tariff": Tariff.objects.get(kind="hourly").pk,
        "experts_needed": "1",
        **changes,
    }


def book_url(profile) -> str:
    return f"{reverse('bookings:assignment_create')}?expert={profile.pk}"


@pytest.fixture
def signed_in(client, coordinator):
    client.force_login(coordinator)
    client.cookies["kp_language"] = "en"
    return client


def blocked_on(profile, day):
    BlockedPeriod.objects.create(profile=profile, start=day, end=day, note="Mökillä")


def busy_then(profile):
    starts = datetime.combine(DAY, time(14), timezone.get_default_timezone())
    BookingFactory(
        expert=profile,
        status=BookingStatus.CONFIRMED,
        assignment=AssignmentFactory(starts_at=starts, ends_at=starts + timedelta(hours=3)),
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("make_unbookable", "reason"),
    [
        (lambda profile: ExpertProfile.objects.filter(pk=profile.pk).update(status="paused"), "paused"),
        (lambda profile: blocked_on(profile, DAY), "not available on that date"),
        (busy_then, "already has an assignment at that time"),
    ],
)
def test_a_refused_invitation_saves_nothing_and_shows_the_form_again(signed_in, coordinator, make_unbookable, reason):
    profile = ExpertProfileFactory(display_name="Säde")
    make_unbookable(profile)
    assignments_before = Assignment.objects.count()

    response = signed_in.post(book_url(profile), form_data(coordinator))

    assert response.status_code == 200
    assert Assignment.objects.count() == assignments_before
    assert not Booking.objects.filter(expert=profile, status=BookingStatus.INVITED).exists()
    assert not Notification.objects.filter(kind="bookings.invitation").exists()
    page = response.content.decode()
    assert "Säde could not be invited, so the assignment was not saved:" in page
    assert reason in page
    # Everything as typed, the same one-time key: fixing and sending again works.
    assert 'value="Kokemuspuheenvuoro hoitajille"' in page
    assert response.context["form"].form_key == "avain-varaa-1234567890"


@pytest.mark.django_db
def test_after_a_refusal_the_same_form_can_be_sent_again(signed_in, coordinator):
    profile = ExpertProfileFactory(display_name="Säde")
    blocked_on(profile, DAY)
    signed_in.post(book_url(profile), form_data(coordinator))

    other_day = (DAY + timedelta(days=1)).isoformat()
    response = signed_in.post(book_url(profile), form_data(coordinator, date=other_day), follow=True)

    assignment = Assignment.objects.get(title="Kokemuspuheenvuoro hoitajille")
    assert timezone.localdate(assignment.starts_at).isoformat() == other_day
    assert Booking.objects.get(assignment=assignment).expert == profile
    assert "Säde was invited." in response.content.decode()


@pytest.mark.django_db
def test_a_successful_booking_saves_the_assignment_and_the_invitation(signed_in, coordinator):
    profile = ExpertProfileFactory(display_name="Säde")
    response = signed_in.post(book_url(profile), form_data(coordinator), follow=True)
    assignment = Assignment.objects.get()
    assert response.redirect_chain[-1][0] == assignment.get_absolute_url()
    booking = Booking.objects.get(assignment=assignment)
    assert booking.expert == profile and booking.status == BookingStatus.INVITED
    assert Notification.objects.filter(kind="bookings.invitation", recipient=profile.user).count() == 1
    page = response.content.decode()
    assert "The assignment was saved." in page and "Säde was invited." in page


@pytest.mark.django_db
def test_booking_outside_the_hours_given_saves_and_warns(signed_in, coordinator):
    profile = ExpertProfileFactory(display_name="Säde")
    WeeklyAvailability.objects.create(profile=profile, weekday=DAY.weekday(), start=time(8), end=time(12))
    response = signed_in.post(book_url(profile), form_data(coordinator), follow=True)
    assert Booking.objects.filter(expert=profile).exists()
    assert "Säde was invited. Note: the assignment is outside the hours they gave." in response.content.decode()


@pytest.mark.django_db
def test_a_double_submit_of_a_refused_form_saves_nothing_either(signed_in, coordinator):
    profile = ExpertProfileFactory(display_name="Säde", status="paused")
    data = form_data(coordinator)
    signed_in.post(book_url(profile), data)
    signed_in.post(book_url(profile), data)
    assert not Assignment.objects.exists()
