"""The expert's profile page as coordinators see it: upcoming and past bookings (the viewer's own
assignments on request), blocked dates to come, contact details for staff, "Book" and the payee
details: the bookings app's panel on the bank's page (experts/profile_panels.py)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditAction, AuditEvent
from bookings.models import BookingStatus
from experts.models import BlockedPeriod
from tests.factories import AssignmentFactory, BookingFactory, ExpertProfileFactory, UserFactory


@pytest.fixture
def aino(db):
    profile = ExpertProfileFactory(display_name="Aino")
    profile.user.phone = "040 123 4567"
    profile.user.save(update_fields=["phone"])
    return profile


def url(profile, **params) -> str:
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return reverse("experts:detail", args=[profile.pk]) + (f"?{query}" if query else "")


def signed_in_as(client, user):
    client.force_login(user)
    client.cookies["kp_language"] = "en"
    return client


def booking(profile, title, days, status, contact_person=None):
    fields = {"contact_person": contact_person} if contact_person else {}
    assignment = AssignmentFactory(title=title, starts_in=timedelta(days=days), **fields)
    return BookingFactory(assignment=assignment, expert=profile, status=status)


def section(response, number: int) -> list[str]:
    """The titles of a section's bookings: 0 upcoming, 1 the past 12 months."""
    (panel,) = response.context["profile_panels"]
    _title, rows, _empty = panel["sections"][number]
    return [row.assignment.title for row in rows]


@pytest.mark.django_db
def test_upcoming_and_past_bookings_by_time(client, coordinator, aino):
    confirmed = booking(aino, "Tuleva vahvistettu", 14, BookingStatus.CONFIRMED)
    booking(aino, "Tuleva kutsu", 7, BookingStatus.INVITED)
    booking(aino, "Kieltäytyi", 10, BookingStatus.DECLINED)
    booking(aino, "Peruttu", 12, BookingStatus.CANCELLED)
    booking(aino, "Pidetty", -30, BookingStatus.COMPLETED)
    booking(aino, "Ei toteutunut", -60, BookingStatus.NOT_COMPLETED)
    booking(aino, "Vastaamaton vanha kutsu", -20, BookingStatus.INVITED)
    booking(aino, "Yli vuosi sitten", -400, BookingStatus.COMPLETED)

    response = signed_in_as(client, coordinator).get(url(aino))

    assert section(response, 0) == ["Tuleva kutsu", "Tuleva vahvistettu"]
    assert section(response, 1) == ["Pidetty", "Ei toteutunut"]  # the latest first
    page = response.content.decode()
    assert "Contact and bookings" in page
    assert confirmed.assignment.get_absolute_url() in page


@pytest.mark.django_db
def test_only_my_assignments_on_request(client, coordinator, aino):
    other = UserFactory(role="coordinator", first_name="Kaarina", last_name="Öhman")
    booking(aino, "Minun", 7, BookingStatus.CONFIRMED, contact_person=coordinator)
    booking(aino, "Toisen", 9, BookingStatus.CONFIRMED, contact_person=other)
    signed_in = signed_in_as(client, coordinator)

    everything = signed_in.get(url(aino))
    mine = signed_in.get(url(aino, omat=1))

    assert section(everything, 0) == ["Minun", "Toisen"]
    assert section(mine, 0) == ["Minun"]
    page = everything.content.decode()
    assert "Kaarina Öhman" in page and ">You<" in page
    assert "Show only the assignments where you are the contact person" in page
    assert "Show all assignments" in mine.content.decode()


@pytest.mark.django_db
def test_blocked_dates_to_come_without_the_experts_note(client, coordinator, aino):
    today = timezone.localdate()
    BlockedPeriod.objects.create(
        profile=aino, start=today + timedelta(days=3), end=today + timedelta(days=5), note="Leikkaus"
    )
    BlockedPeriod.objects.create(profile=aino, start=today - timedelta(days=9), end=today - timedelta(days=8))
    response = signed_in_as(client, coordinator).get(url(aino))
    (panel,) = response.context["profile_panels"]
    assert [(period.start, period.end) for period in panel["blocked"]] == [
        (today + timedelta(days=3), today + timedelta(days=5))
    ]
    assert "Leikkaus" not in response.content.decode()


@pytest.mark.django_db
def test_contact_details_book_and_payee_links(client, coordinator, aino):
    page = signed_in_as(client, coordinator).get(url(aino)).content.decode()
    assert f'href="mailto:{aino.user.email}"' in page
    assert 'href="tel:0401234567"' in page
    assert f"{reverse('bookings:assignment_create')}?expert={aino.pk}" in page
    assert reverse("bookings:payee", args=[aino.pk]) in page


@pytest.mark.django_db
def test_no_book_button_for_an_expert_who_cannot_be_booked(client, coordinator):
    onboarding = ExpertProfileFactory(ready_at=None)
    left_soon = ExpertProfileFactory(status="paused")
    for profile in (onboarding, left_soon):
        page = signed_in_as(client, coordinator).get(url(profile)).content.decode()
        assert f"?expert={profile.pk}" not in page


@pytest.mark.django_db
def test_the_view_is_one_audit_row_naming_the_contact_details_and_bookings(client, coordinator, aino):
    signed_in_as(client, coordinator).get(url(aino))
    event = AuditEvent.objects.get(action=AuditAction.VIEW, subject=aino.user)
    assert event.actor == coordinator
    assert {"blocked_periods", "bookings", "email", "phone"} <= set(event.fields)


@pytest.mark.django_db
def test_other_staff_see_no_panel(client, trainer, aino):
    booking(aino, "Tuleva vahvistettu", 14, BookingStatus.CONFIRMED)
    response = signed_in_as(client, trainer).get(url(aino))
    assert response.status_code == 200
    assert response.context["profile_panels"] == []
    page = response.content.decode()
    assert aino.user.email not in page and "Tuleva vahvistettu" not in page
    assert not AuditEvent.objects.filter(action=AuditAction.VIEW, fields__contains=["email"]).exists()


@pytest.mark.django_db
def test_the_expert_is_sent_to_their_own_profile_and_others_are_refused(client, aino, expert):
    assert signed_in_as(client, aino.user).get(url(aino)).url == reverse("experts:my_profile")
    assert signed_in_as(client, expert).get(url(aino)).status_code == 403
    client.logout()
    assert client.get(url(aino)).status_code == 302


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 6])
def test_the_panel_queries_do_not_grow_with_bookings(client, coordinator, aino, django_assert_num_queries, count):
    for number in range(count):
        booking(aino, f"Tuleva {number}", 7 + number, BookingStatus.CONFIRMED)
        booking(aino, f"Mennyt {number}", -7 - number, BookingStatus.COMPLETED)
        BlockedPeriod.objects.create(
            profile=aino,
            start=timezone.localdate() + timedelta(days=40 + 2 * number),
            end=timezone.localdate() + timedelta(days=40 + 2 * number),
        )
    signed_in = signed_in_as(client, coordinator)
    # session, the user with roles, permissions and MFA status (accounts.backends); the profile with its
    # organisation and user; experiences, task types, languages, municipalities, weekly slots; the
    # panel: the bookings with assignments, tasks and contact people, the blocked dates to come; the
    # completed trainings; the audit row; the idle-timeout session save (savepoint, update, release).
    with django_assert_num_queries(15):
        response = signed_in.get(url(aino))
    assert len(section(response, 0)) == count and len(section(response, 1)) == count
