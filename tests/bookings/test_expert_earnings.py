"""The earnings panel on "My assignments" and the expert's own earnings limits form."""

from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent
from bookings.models import BookingStatus
from experts.models import TaskType
from tests.factories import AssignmentFactory, BookingFactory

MY_ASSIGNMENTS = reverse("bookings:my_assignments")
EARNINGS_LIMITS = reverse("bookings:earnings_limits")


def booking_on(coordinator, profile, day, status, *, fee=None, hour=10):
    """A two-hour booking at the hourly tariff (25 €/h: 50 € expected) on `day`, Finnish time."""
    starts = timezone.make_aware(datetime.combine(day, time(hour)))
    assignment = AssignmentFactory(contact_person=coordinator, starts_at=starts, hours=2)
    return BookingFactory(assignment=assignment, expert=profile, status=status, fee=fee)


@pytest.mark.django_db
def test_the_panel_adds_up_the_month_and_the_year_against_the_limits(signed_in, profile, coordinator):
    today = timezone.localdate()
    this_month = today.replace(day=15)
    other_month = today.replace(month=6 if today.month != 6 else 7, day=15)
    booking_on(coordinator, profile, this_month, BookingStatus.COMPLETED, fee=Decimal("120.00"))
    booking_on(coordinator, profile, this_month, BookingStatus.CONFIRMED, hour=14)
    booking_on(coordinator, profile, this_month, BookingStatus.CANCELLED, hour=17)
    booking_on(coordinator, profile, other_month, BookingStatus.COMPLETED, fee=Decimal("200.00"))
    booking_on(coordinator, profile, other_month, BookingStatus.CONFIRMED, hour=14)
    booking_on(coordinator, profile, today.replace(year=today.year - 1, day=15), BookingStatus.COMPLETED, fee=999)
    profile.monthly_earnings_limit, profile.yearly_earnings_limit = Decimal("150"), Decimal("1000")
    profile.save()
    response = signed_in.get(MY_ASSIGNMENTS)
    month, year = response.context["earnings"]
    assert (month.earned, month.upcoming, month.limit, month.over_limit) == (120, 50, 150, True)
    assert (year.earned, year.upcoming, year.left, year.over_limit) == (320, 100, 580, False)
    page = response.content.decode()
    assert "Over your limit: €170.00 in all." in page
    assert "€580.00 left under the limit." in page
    assert "Change my earnings limits" in page


@pytest.mark.django_db
def test_without_limits_the_panel_offers_to_set_one(signed_in, profile):
    response = signed_in.get(MY_ASSIGNMENTS)
    page = response.content.decode()
    assert "Set an earnings limit" in page
    assert "My limit" not in page


@pytest.mark.django_db
def test_the_limits_are_saved_with_a_decimal_comma(signed_in, profile, expert):
    response = signed_in.post(
        EARNINGS_LIMITS, {"monthly_earnings_limit": "800,50", "yearly_earnings_limit": "9 600,00 €"}
    )
    assert response["Location"] == MY_ASSIGNMENTS
    profile.refresh_from_db()
    assert (profile.monthly_earnings_limit, profile.yearly_earnings_limit) == (Decimal("800.50"), Decimal("9600"))
    event = AuditEvent.objects.get(subject=expert, what="expert profile")
    assert event.fields == ["monthly_earnings_limit", "yearly_earnings_limit"]


@pytest.mark.django_db
def test_a_finnish_page_shows_the_limit_with_a_decimal_comma(signed_in, profile):
    profile.monthly_earnings_limit = Decimal("800.50")
    profile.save()
    signed_in.cookies["kp_language"] = "fi"
    page = signed_in.get(EARNINGS_LIMITS).content.decode()
    assert 'value="800,50"' in page


@pytest.mark.django_db
def test_emptying_a_field_removes_the_limit(signed_in, profile):
    profile.monthly_earnings_limit, profile.yearly_earnings_limit = Decimal("800"), Decimal("9600")
    profile.save()
    signed_in.post(EARNINGS_LIMITS, {"monthly_earnings_limit": "", "yearly_earnings_limit": "9600"})
    profile.refresh_from_db()
    assert (profile.monthly_earnings_limit, profile.yearly_earnings_limit) == (None, Decimal("9600"))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "value, error",
    [
        ("abc", "Enter the amount in euros, for example 800.50."),
        ("-5", "The amount cannot be negative."),
        ("12,345", "Give the amount to the cent at most, for example 800.50."),
        ("123456789", "The amount is too large."),
    ],
)
def test_bad_amounts_are_refused_with_an_explanation(signed_in, profile, value, error):
    response = signed_in.post(EARNINGS_LIMITS, {"monthly_earnings_limit": value, "yearly_earnings_limit": ""})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'class="error-summary"' in page
    assert f'<a href="#id_monthly_earnings_limit">My monthly earnings limit (€): {error}</a>' in page
    assert f'value="{value}"' in page  # what was typed is kept
    profile.refresh_from_db()
    assert profile.monthly_earnings_limit is None


@pytest.mark.django_db
def test_the_page_tells_who_sees_the_limits(signed_in, profile):
    page = signed_in.get(EARNINGS_LIMITS).content.decode()
    assert "Only you and the coordinators see your limits." in page


@pytest.mark.django_db
def test_an_invitation_over_the_monthly_limit_warns_the_expert_before_answering(signed_in, profile, coordinator):
    # This month: 120 € earned; the invitation's expected fee is 50 € (two hours at 25 €/h).
    booking_on(coordinator, profile, timezone.localdate().replace(day=15), BookingStatus.COMPLETED, fee=Decimal("120"))
    invitation = booking_on(coordinator, profile, timezone.localdate(), BookingStatus.INVITED)
    # The invitation must lie ahead to be answerable, but stay in this month.
    start = timezone.now() + timedelta(minutes=30)
    if timezone.localdate(start).month != timezone.localdate().month:
        pytest.skip("too close to the month's end to place an answerable invitation in it")
    invitation.assignment.starts_at, invitation.assignment.ends_at = start, start + timedelta(hours=2)
    invitation.assignment.save()
    profile.monthly_earnings_limit = Decimal("150")
    profile.save()
    page = signed_in.get(reverse("bookings:my_assignment", args=[invitation.pk])).content.decode()
    assert "would take your earnings this month to €170.00, over your limit of €150.00." in page
    assert "Send answer" in page  # a warning, not a refusal


@pytest.mark.django_db
def test_an_invitation_under_the_limit_shows_no_warning(signed_in, profile, coordinator):
    invitation = booking_on(coordinator, profile, timezone.localdate() + timedelta(days=3), BookingStatus.INVITED)
    profile.monthly_earnings_limit = profile.yearly_earnings_limit = Decimal("5000")
    profile.save()
    response = signed_in.get(reverse("bookings:my_assignment", args=[invitation.pk]))
    assert response.context["earnings_warnings"] == []
    assert "Mind your earnings limit" not in response.content.decode()


@pytest.mark.django_db
def test_an_accepted_booking_over_the_limit_still_warns_before_the_coordinator_confirms(
    signed_in, profile, coordinator
):
    booking_on(coordinator, profile, timezone.localdate().replace(day=15), BookingStatus.COMPLETED, fee=Decimal("120"))
    volunteered = booking_on(coordinator, profile, timezone.localdate(), BookingStatus.ACCEPTED)
    start = timezone.now() + timedelta(minutes=30)
    if timezone.localdate(start).month != timezone.localdate().month:
        pytest.skip("too close to the month's end to place a coming assignment in it")
    volunteered.assignment.starts_at, volunteered.assignment.ends_at = start, start + timedelta(hours=2)
    volunteered.assignment.save()
    profile.monthly_earnings_limit = Decimal("150")
    profile.save()
    page = signed_in.get(reverse("bookings:my_assignment", args=[volunteered.pk])).content.decode()
    assert "over your limit of €150.00." in page
    assert "The coordinator has not confirmed you yet" in page


def open_assignment_on(coordinator, day, hour=10):
    """An open two-hour assignment (50 € expected at 25 €/h) on `day`, Finnish time."""
    starts = timezone.make_aware(datetime.combine(day, time(hour)))
    return AssignmentFactory(contact_person=coordinator, open_to_all=True, starts_at=starts, hours=2)


@pytest.fixture
def volunteer(profile):
    """The signed-in expert, offering lectures: the task of AssignmentFactory."""
    profile.task_types.add(TaskType.objects.get(slug="luento"))
    return profile


def month_after_next(day_of_month: int):
    first = (timezone.localdate().replace(day=1) + timedelta(days=64)).replace(day=1)
    return first.replace(day=day_of_month)


@pytest.mark.django_db
def test_an_open_assignment_over_the_limit_warns_on_its_card(signed_in, volunteer, coordinator):
    # That month: 120 € earned already; the open assignment would add 50 €, the limit is 150 €.
    booking_on(coordinator, volunteer, month_after_next(5), BookingStatus.COMPLETED, fee=Decimal("120"))
    over = open_assignment_on(coordinator, month_after_next(10))
    volunteer.monthly_earnings_limit = Decimal("150")
    volunteer.save()
    response = signed_in.get(MY_ASSIGNMENTS)
    [shown] = response.context["open_assignments"]
    assert shown == over
    assert shown.earnings_warnings == [
        "The fee of €50.00 would take your earnings this month to €170.00, over your limit of €150.00."
    ]
    card = response.content.decode().split('class="assignment-card"')[-1]
    assert "Mind your earnings limit" in card
    assert card.index("Mind your earnings limit") < card.index("I can take this")  # read before the button


@pytest.mark.django_db
def test_an_open_assignment_under_the_limit_has_no_warning(signed_in, volunteer, coordinator):
    open_assignment_on(coordinator, month_after_next(10))
    volunteer.monthly_earnings_limit = Decimal("150")
    volunteer.save()
    response = signed_in.get(MY_ASSIGNMENTS)
    [shown] = response.context["open_assignments"]
    assert shown.earnings_warnings == []
    assert "Mind your earnings limit" not in response.content.decode()


@pytest.mark.django_db
def test_open_assignments_read_the_earnings_once_a_month(signed_in, volunteer, coordinator, django_assert_num_queries):
    volunteer.monthly_earnings_limit = Decimal("150")
    volunteer.save()
    open_assignment_on(coordinator, month_after_next(10))
    # The 12 of test_my_assignments_has_constant_queries, and earnings_of() for that month (4); again
    # within the minute, without the session save (3).
    with django_assert_num_queries(16):
        signed_in.get(MY_ASSIGNMENTS)
    for day in (11, 12, 13):
        open_assignment_on(coordinator, month_after_next(day))
    with django_assert_num_queries(13):
        response = signed_in.get(MY_ASSIGNMENTS)
    assert len(response.context["open_assignments"]) == 4
