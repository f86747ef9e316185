"""An administrator is a superuser, who passes every permission check; the expert's own pages ask for
the expert role instead (accounts.http.role_required), so an administrator gets 403 there and never
ends up with an expert profile of their own (README: the access tables)."""

import pytest
from django.urls import reverse

from experts.forms_profile import LAST_STEP, SECTIONS_BY_SLUG
from experts.models import BlockedPeriod, ExpertProfile, Visibility
from tests.factories import AssignmentFactory, BookingFactory, ExpertProfileFactory


@pytest.fixture
def signed_in_admin(client, admin_user):
    assert admin_user.is_superuser
    client.force_login(admin_user)
    client.cookies["kp_language"] = "en"
    return client


@pytest.fixture
def someone_elses():
    """Another expert's rows, so that pages with an id have something to find."""
    profile = ExpertProfileFactory(task_types=["luento"])
    assignment = AssignmentFactory(open_to_all=True)
    return {
        "booking": BookingFactory(assignment=assignment, expert=profile),
        "assignment": AssignmentFactory(open_to_all=True),
        "blocked": BlockedPeriod.objects.create(
            profile=profile, start=assignment.starts_at.date(), end=assignment.starts_at.date()
        ),
    }


def expert_pages(objects) -> list[tuple[str, str]]:
    """(method, path) of every page and action that is for the expert's own profile and assignments."""
    booking, assignment = objects["booking"], objects["assignment"]
    pages = [
        ("get", reverse("experts:my_profile")),
        ("get", reverse("experts:profile_continue")),
        ("get", reverse("experts:profile_status")),
        ("post", reverse("experts:profile_status")),
        ("get", reverse("experts:profile_consent")),
        ("post", reverse("experts:profile_consent")),
        ("get", reverse("experts:profile_consent_withdraw")),
        ("post", reverse("experts:profile_consent_withdraw")),
        ("get", reverse("experts:my_photo")),
        ("get", reverse("experts:availability")),
        ("post", reverse("experts:availability")),
        ("post", reverse("experts:blocked_period_add")),
        ("post", reverse("experts:blocked_period_delete", args=[objects["blocked"].pk])),
        ("get", reverse("bookings:my_assignments")),
        ("get", reverse("bookings:my_assignment", args=[booking.pk])),
        ("post", reverse("bookings:booking_answer", args=[booking.pk])),
        ("get", reverse("bookings:my_booking_cancel", args=[booking.pk])),
        ("post", reverse("bookings:my_booking_cancel", args=[booking.pk])),
        ("get", reverse("bookings:booking_ics", args=[booking.pk])),
        ("post", reverse("bookings:booking_check_in", args=[booking.pk])),
        ("post", reverse("bookings:my_booking_feedback", args=[booking.pk])),
        ("get", reverse("bookings:earnings_limits")),
        ("post", reverse("bookings:earnings_limits")),
        ("post", reverse("bookings:assignment_volunteer", args=[assignment.pk])),
    ]
    for step in range(1, LAST_STEP + 1):
        pages += [
            ("get", reverse("experts:profile_step", args=[step])),
            ("post", reverse("experts:profile_step", args=[step])),
        ]
    for slug in SECTIONS_BY_SLUG:
        pages += [
            ("get", reverse("experts:profile_edit", args=[slug])),
            ("post", reverse("experts:profile_edit", args=[slug])),
        ]
    pages += [("get", reverse("experts:profile_preview", args=[level])) for level in Visibility.values]
    return pages


@pytest.mark.django_db
def test_an_administrator_gets_403_on_every_expert_page(signed_in_admin, someone_elses):
    for method, path in expert_pages(someone_elses):
        response = getattr(signed_in_admin, method)(path)
        assert response.status_code == 403, (method, path)


@pytest.mark.django_db
def test_an_administrator_cannot_create_an_expert_profile(signed_in_admin, admin_user):
    response = signed_in_admin.post(
        reverse("experts:profile_step", args=[1]), {"display_name": "Pääkäyttäjä", "bio": "Ylläpito."}
    )
    assert response.status_code == 403
    assert not ExpertProfile.objects.filter(user=admin_user).exists()


@pytest.mark.django_db
def test_the_front_page_offers_an_administrator_no_expert_links(signed_in_admin):
    page = signed_in_admin.get(reverse("home")).content.decode()
    assert 'id="role-admin"' in page
    assert 'id="role-expert"' not in page
    assert reverse("experts:my_profile") not in page
    assert reverse("bookings:my_assignments") not in page


@pytest.mark.django_db
def test_an_administrator_keeps_the_staff_pages(signed_in_admin):
    for name in ["experts:index", "bookings:assignment_list", "bookings:calendar_feed", "accounts:invitation_create"]:
        assert signed_in_admin.get(reverse(name)).status_code == 200, name


@pytest.mark.django_db
def test_an_expert_still_reaches_the_same_pages(client, profile):
    """The other side of the matrix: the role check lets the expert in."""
    client.force_login(profile.user)
    for name in ["experts:my_profile", "experts:availability", "bookings:my_assignments", "bookings:earnings_limits"]:
        assert client.get(reverse(name)).status_code == 200, name
