"""The personal calendar feed: creating and revoking the secret address, and the feed itself."""

import logging
import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from bookings import services as booking_services
from bookings.calendar_feeds import feed_token_hash
from bookings.models import AssignmentStatus, CalendarFeed
from tests.factories import AssignmentFactory, ExpertProfileFactory, UserFactory

CALENDAR_FEED = reverse("bookings:calendar_feed")
FEED_URL = re.compile(r'value="(http://testserver/toimeksiannot/kalenteri/([\w-]+)\.ics)"')


def create_feed(client) -> tuple[str, str]:
    """POST "create"; returns the shown address (its path) and the token."""
    response = client.post(CALENDAR_FEED, {"action": "create"})
    assert response.status_code == 200
    url, token = FEED_URL.search(response.content.decode()).groups()
    return url.removeprefix("http://testserver"), token


def booking(coordinator, profile, *, confirm=True, **fields):
    assignment = AssignmentFactory(contact_person=coordinator, **fields)
    (invited,), _refused = booking_services.invite_experts(assignment=assignment, profiles=[profile], actor=coordinator)
    if not confirm:
        return invited
    booking_services.answer_invitation(booking=invited, accept=True)
    return booking_services.confirm_booking(booking=invited, actor=coordinator)


@pytest.fixture
def calendar_app():
    """A calendar app fetching the feed: no session, no cookies."""
    return Client()


def events_of(response) -> dict:
    return {str(event["uid"]): event for event in Calendar.from_ical(response.content).walk("VEVENT")}


@pytest.mark.django_db
def test_anonymous_is_sent_to_sign_in(client):
    assert client.get(CALENDAR_FEED)["Location"].startswith(reverse("account_login"))


@pytest.mark.django_db
def test_a_role_without_assignments_has_no_feed(client, trainer):
    client.force_login(trainer)
    assert client.get(CALENDAR_FEED).status_code == 403
    assert client.post(CALENDAR_FEED, {"action": "create"}).status_code == 403
    assert not CalendarFeed.objects.exists()


@pytest.mark.django_db
def test_the_address_is_shown_once_and_only_its_hash_is_kept(signed_in, expert):
    page = signed_in.get(CALENDAR_FEED).content.decode()
    assert "Create feed address" in page
    response = signed_in.post(CALENDAR_FEED, {"action": "create"})
    assert response["Cache-Control"] == "private, no-store"
    page = response.content.decode()
    _url, token = FEED_URL.search(page).groups()
    assert f'href="webcal://testserver/toimeksiannot/kalenteri/{token}.ics"' in page
    feed = CalendarFeed.objects.get(user=expert)
    assert feed.token_hash == feed_token_hash(token)
    assert token not in signed_in.get(CALENDAR_FEED).content.decode()


@pytest.mark.django_db
def test_the_feed_has_the_experts_confirmed_bookings(calendar_app, signed_in, profile, coordinator):
    mine = booking(coordinator, profile, title="Vahvistettu luento", starts_in=timedelta(days=3))
    booking(coordinator, profile, confirm=False, title="Vasta kutsu", starts_in=timedelta(days=4))
    booking(coordinator, ExpertProfileFactory(), title="Jonkun muun", starts_in=timedelta(days=3))
    path, _token = create_feed(signed_in)
    response = calendar_app.get(path)  # a calendar app: no session
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    events = events_of(response)
    assert list(events) == [f"booking-{mine.pk}@kokemuspankki"]
    event = events[f"booking-{mine.pk}@kokemuspankki"]
    assert event.decoded("dtstart") == mine.assignment.starts_at
    assert event.decoded("dtend") == mine.assignment.ends_at
    assert int(event["sequence"]) == mine.sequence == 1
    assert str(event["summary"]) == "Vahvistettu luento"


@pytest.mark.django_db
def test_a_moved_assignment_keeps_its_uid_with_a_higher_sequence(calendar_app, signed_in, profile, coordinator):
    mine = booking(coordinator, profile)
    path, _token = create_feed(signed_in)
    before = events_of(calendar_app.get(path))[f"booking-{mine.pk}@kokemuspankki"]
    assignment = mine.assignment
    booking_services.move_assignment(
        assignment=assignment,
        starts_at=assignment.starts_at + timedelta(days=1),
        ends_at=assignment.ends_at + timedelta(days=1),
        actor=coordinator,
    )
    after = events_of(calendar_app.get(path))[f"booking-{mine.pk}@kokemuspankki"]
    assert int(after["sequence"]) > int(before["sequence"])
    assert after.decoded("dtstart") == before.decoded("dtstart") + timedelta(days=1)


@pytest.mark.django_db
def test_a_coordinators_feed_has_the_assignments_they_are_contact_for(client, coordinator):
    own = AssignmentFactory(contact_person=coordinator, title="Oma")
    AssignmentFactory(contact_person=coordinator, title="Peruttu", status=AssignmentStatus.CANCELLED)
    other = UserFactory(role="coordinator", mfa=True)
    AssignmentFactory(contact_person=other, title="Toisen")
    client.force_login(coordinator)
    client.cookies["kp_language"] = "en"
    path, _token = create_feed(client)
    client.logout()
    response = client.get(path)
    events = events_of(response)
    assert list(events) == [f"assignment-{own.pk}@kokemuspankki"]
    assert int(events[f"assignment-{own.pk}@kokemuspankki"]["sequence"]) > 0


@pytest.mark.django_db
def test_a_new_address_replaces_the_old_one(calendar_app, signed_in):
    old_path, _old = create_feed(signed_in)
    new_path, _new = create_feed(signed_in)
    assert calendar_app.get(old_path).status_code == 404
    assert calendar_app.get(new_path).status_code == 200
    assert CalendarFeed.objects.count() == 1


@pytest.mark.django_db
def test_revoking_stops_the_feed(calendar_app, signed_in, expert):
    path, _token = create_feed(signed_in)
    response = signed_in.post(CALENDAR_FEED, {"action": "revoke"})
    assert response["Location"] == CALENDAR_FEED
    assert not CalendarFeed.objects.filter(user=expert).exists()
    assert calendar_app.get(path).status_code == 404


@pytest.mark.django_db
def test_an_unknown_token_is_not_found(client):
    assert client.get(reverse("bookings:calendar_feed_file", args=["ei-tallaista-osoitetta"])).status_code == 404


@pytest.mark.django_db
def test_a_deactivated_users_feed_stops(calendar_app, signed_in, expert):
    path, _token = create_feed(signed_in)
    expert.is_active = False
    expert.save()
    assert calendar_app.get(path).status_code == 404


@pytest.mark.django_db
def test_the_token_is_never_logged(calendar_app, signed_in, caplog):
    path, token = create_feed(signed_in)
    with caplog.at_level(logging.DEBUG):
        calendar_app.get(path)
        calendar_app.get(path.replace(token, token[:-1] + "x"))
    assert token not in caplog.text
    assert token[:-1] not in caplog.text


@pytest.mark.django_db
def test_the_feed_has_constant_queries(calendar_app, signed_in, profile, coordinator, django_assert_num_queries):
    path, _token = create_feed(signed_in)
    booking(coordinator, profile, starts_in=timedelta(days=3))
    # the feed with its user; the roles (expert?); user and group permissions (coordinator?); the
    # bookings with assignments (a coordinator's assignments are not read for an expert).
    with django_assert_num_queries(5):
        calendar_app.get(path)
    for day in (5, 7, 9):
        booking(coordinator, profile, starts_in=timedelta(days=day))
    with django_assert_num_queries(5):
        response = calendar_app.get(path)
    assert len(events_of(response)) == 4
