"""Demo assignments (demo/bookings.py): current, realistic, made through the services, and loading
twice adds nothing."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import AuditEvent
from bookings.earnings import earnings_of
from bookings.models import (
    Assignment,
    AssignmentStatus,
    Booking,
    BookingCorrection,
    BookingStatus,
    ExpenseClaim,
    ExpenseKind,
    ExpenseLine,
    MatchDigest,
    OrderRequest,
)
from demo import accounts as demo_accounts
from demo import bookings as demo_bookings
from demo import expert_bank as demo_expert_bank
from demo import experts as demo_experts
from notifications.models import Notification

MODELS = (Assignment, Booking, ExpenseLine, Notification, AuditEvent)
# demo.week's too, which load_demo loads after demo.bookings.
COMMAND_MODELS = (*MODELS, OrderRequest, ExpenseClaim, BookingCorrection, MatchDigest)


def load_all() -> int:
    demo_accounts.load()
    demo_experts.load()
    demo_expert_bank.load()
    return demo_bookings.load()


def counts() -> list[int]:
    return [model.objects.count() for model in MODELS]


@pytest.mark.django_db
def test_demo_has_done_booked_pending_declined_and_open_assignments():
    assert load_all() == len(demo_bookings.PLANS)
    now = timezone.now()
    assert Booking.objects.filter(status=BookingStatus.DECLINED).count() == 1
    assert Assignment.objects.filter(open_to_all=True, status=AssignmentStatus.OPEN).count() == 1
    completed = Booking.objects.filter(status=BookingStatus.COMPLETED).select_related("assignment")
    assert completed.count() == 5
    assert all(booking.assignment.ends_at < now and booking.fee is not None for booking in completed)
    assert ExpenseLine.objects.filter(kind=ExpenseKind.TRAVEL_KM, amount__gt=0).count() == 4
    assert Booking.objects.filter(fee_waived=True).count() == 1
    assert Booking.objects.exclude(fee_note="").count() == 1
    assert Assignment.objects.filter(status=AssignmentStatus.DONE).count() == 3
    for assignment in Assignment.objects.exclude(status=AssignmentStatus.DONE):
        assert assignment.starts_at > now
        assert assignment.starts_at.astimezone(timezone.get_default_timezone()).weekday() < 5


@pytest.mark.django_db
def test_demo_expert_has_an_invitation_to_answer_and_an_earnings_limit():
    load_all()
    aino = Booking.objects.filter(expert__user__email=demo_experts.DEMO_EXPERT_EMAIL)
    assert set(aino.values_list("status", flat=True)) == {
        BookingStatus.INVITED,
        BookingStatus.CONFIRMED,
        BookingStatus.COMPLETED,
    }
    invitation = aino.get(status=BookingStatus.INVITED)
    assert invitation.assignment.title == demo_bookings.MARKER
    assert Notification.objects.for_target(invitation).filter(kind="bookings.invitation").exists()
    profile = invitation.expert
    assert profile.monthly_earnings_limit == Decimal("300.00")
    # Nothing of hers lies in her holiday week.
    for period in profile.blocked_periods.all():
        assert not aino.filter(
            assignment__starts_at__date__gte=period.start, assignment__starts_at__date__lte=period.end
        ).exists()
    earned = earnings_of(profile)
    assert earned.month_limit == Decimal("300.00")
    assert earned.year + earned.year_upcoming > 0


@pytest.mark.django_db
def test_loading_twice_adds_nothing():
    load_all()
    before = counts()
    assert load_all() == len(demo_bookings.PLANS)
    assert counts() == before


@pytest.mark.django_db
def test_a_demo_whose_invitation_has_passed_is_rebuilt_around_today():
    load_all()
    bookings = Booking.objects.count()
    marker = Assignment.objects.get(title=demo_bookings.MARKER)
    Assignment.objects.update(
        starts_at=marker.starts_at - timedelta(days=30), ends_at=marker.ends_at - timedelta(days=30)
    )
    old_assignments = set(Assignment.objects.values_list("pk", flat=True))
    old_bookings = [str(pk) for pk in Booking.objects.values_list("pk", flat=True)]
    load_all()
    assert Assignment.objects.count() == len(demo_bookings.PLANS) and Booking.objects.count() == bookings
    assert not old_assignments & set(Assignment.objects.values_list("pk", flat=True))
    assert Assignment.objects.get(title=demo_bookings.MARKER).starts_at > timezone.now()
    # The removed bookings' messages went with them.
    assert not Notification.objects.filter(content_type__model="booking", object_id__in=old_bookings).exists()


@pytest.mark.django_db
def test_load_demo_command_twice_creates_bookings_once():
    output = io.StringIO()
    call_command("load_demo", allow_production=True, stdout=output)
    before = [model.objects.count() for model in COMMAND_MODELS]
    assert Booking.objects.exists() and OrderRequest.objects.exists()
    assert f"{len(demo_bookings.PLANS)} demo assignments" in output.getvalue()
    assert "4 order requests from units" in output.getvalue()
    assert "tilaaja@demo.kokemuspankki.fi" in output.getvalue()
    call_command("load_demo", allow_production=True, stdout=io.StringIO())
    assert [model.objects.count() for model in COMMAND_MODELS] == before
