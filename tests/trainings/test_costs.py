"""A cohort's costs: the figures (checked by hand), and the costs page."""

import secrets
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from bookings.models import ExpenseLine
from tests.factories import (
    AssignmentFactory,
    BookingFactory,
    CohortFactory,
    ParticipantFactory,
    TrainingSessionFactory,
    UserFactory,
)
from trainings.costs import cost_summary
from trainings.models import Attendance, Cost

pytestmark = pytest.mark.usefixtures("english")


def sent(data: dict) -> dict:
    """The form's fields with a fresh one-time key, as the page gives it."""
    return {**data, "form_key": secrets.token_urlsafe(24)}


@pytest.fixture
def cohort(db):
    return CohortFactory()


def trainer_booking(session, *, fee, expense=None, status="completed"):
    assignment = AssignmentFactory(purpose=session, starts_in=session.starts_at - timezone.now())
    booking = BookingFactory(assignment=assignment, status=status, fee=fee, hours=Decimal("3"))
    if expense is not None:
        ExpenseLine.objects.create(booking=booking, kind="ticket", amount=expense)
    return booking


@pytest.fixture
def costed_cohort(cohort):
    """Fees 2 × 180 €, expenses 2 × 32,50 €, facilities 300 €, materials 84,90 €; 8 participants
    served (7 in the cohort now, 1 removed after attending), 5 of them completed."""
    first, second = (TrainingSessionFactory(cohort=cohort, starts_in=timedelta(days=-d)) for d in (6, 3))
    trainer_booking(first, fee=Decimal("180.00"), expense=Decimal("32.50"))
    trainer_booking(second, fee=Decimal("180.00"), expense=Decimal("32.50"))
    # Not counted: a cancelled booking on the cohort's session, a completed one of another cohort.
    trainer_booking(second, fee=Decimal("999.00"), status="cancelled")
    trainer_booking(TrainingSessionFactory(starts_in=timedelta(days=-2)), fee=Decimal("500.00"))
    Cost.objects.create(cohort=cohort, kind="facilities", amount=Decimal("300.00"))
    Cost.objects.create(cohort=cohort, kind="materials", amount=Decimal("84.90"))
    today = timezone.localdate()
    for n in range(7):
        ParticipantFactory(
            cohort=cohort, completed_on=today if n < 5 else None, certificate_number=f"KK-1-{n}" if n < 5 else ""
        )
    attended_then_left = ParticipantFactory(cohort=cohort, removed_at=timezone.now())
    Attendance.objects.create(session=first, participant=attended_then_left, status="present")
    never_came = ParticipantFactory(cohort=cohort, removed_at=timezone.now())
    Attendance.objects.create(session=first, participant=never_came, status="absent")
    return cohort


def test_the_figures_match_the_ones_worked_out_by_hand(costed_cohort):
    summary = cost_summary(costed_cohort)
    amounts = {line.label: line.amount for line in summary.lines}
    assert amounts["Trainer fees"] == Decimal("360.00")
    assert amounts["Trainers' expenses"] == Decimal("65.00")
    assert amounts["Facilities"] == Decimal("300.00")
    assert amounts["Materials"] == Decimal("84.90")
    # 360 + 65 + 300 + 84,90 = 809,90; / 8 = 101,2375 → 101,24; / 5 = 161,98.
    assert summary.total == Decimal("809.90")
    assert (summary.participants, summary.completed) == (8, 5)
    assert summary.per_participant == Decimal("101.24")
    assert summary.per_completed == Decimal("161.98")


def test_a_waived_fee_costs_nothing_but_its_expenses_do(cohort):
    session = TrainingSessionFactory(cohort=cohort, starts_in=timedelta(days=-1))
    booking = trainer_booking(session, fee=Decimal("180.00"), expense=Decimal("12.00"))
    booking.fee_waived = True
    booking.save(update_fields=["fee_waived"])
    summary = cost_summary(cohort)
    assert summary.total == Decimal("12.00")


def test_a_confirmed_booking_counts_its_expected_fee(cohort):
    session = TrainingSessionFactory(cohort=cohort)
    booking = trainer_booking(session, fee=None, status="confirmed")
    summary = cost_summary(cohort)
    assert booking.assignment.expected_fee() > 0
    assert summary.total == booking.assignment.expected_fee()
    assert "Trainer fees, booked (expected)" in [line.label for line in summary.lines]


def test_with_nobody_to_divide_by_there_is_no_per_person_figure(cohort):
    Cost.objects.create(cohort=cohort, kind="other", amount=Decimal("10"))
    summary = cost_summary(cohort)
    assert summary.per_participant is None and summary.per_completed is None


# --- The page


def url(cohort):
    return reverse("trainings:cohort_costs", args=[cohort.pk])


@pytest.fixture
def coordinator_client(client, cohort):
    client.force_login(cohort.coordinator)
    client.cookies["kp_language"] = "en"
    return client


def test_anonymous_is_sent_to_sign_in(client, cohort):
    response = client.get(url(cohort))
    assert response.status_code == 302 and "/login/" in response.url


def test_an_expert_is_refused(client, cohort):
    client.force_login(UserFactory(role="expert"))
    assert client.get(url(cohort)).status_code == 403


def test_another_cohorts_trainer_gets_404(client, cohort):
    CohortFactory().trainers.add(other := UserFactory(role="trainer", mfa=True))
    client.force_login(other)
    assert client.get(url(cohort)).status_code == 404


def test_the_cohorts_own_trainer_sees_the_costs(client, cohort):
    cohort.trainers.add(trainer := UserFactory(role="trainer", mfa=True))
    client.force_login(trainer)
    assert client.get(url(cohort)).status_code == 200


def test_a_cost_typed_with_a_decimal_comma_is_added(coordinator_client, cohort):
    data = {"kind": "materials", "amount": "84,90", "incurred_on": "2026-03-02", "note": "Monisteet"}
    response = coordinator_client.post(url(cohort), sent(data))
    assert response.status_code == 302 and response.url == url(cohort)
    cost = cohort.costs.get()
    assert (cost.kind, cost.amount, cost.added_by) == ("materials", Decimal("84.90"), cohort.coordinator)


def test_a_bad_amount_is_a_form_error(coordinator_client, cohort):
    response = coordinator_client.post(
        url(cohort), sent({"kind": "materials", "amount": "84,9x", "incurred_on": "2026-03-02"})
    )
    assert response.status_code == 200
    assert "Enter the amount in euros" in response.content.decode()
    assert not cohort.costs.exists()


def test_a_negative_amount_is_refused(coordinator_client, cohort):
    response = coordinator_client.post(
        url(cohort), sent({"kind": "other", "amount": "-5", "incurred_on": "2026-03-02"})
    )
    assert "cannot be negative" in response.content.decode()
    assert not cohort.costs.exists()


def test_removing_a_cost_twice_removes_it_once(coordinator_client, cohort):
    cost = Cost.objects.create(cohort=cohort, kind="travel", amount=Decimal("20"))
    delete = reverse("trainings:cost_delete", args=[cohort.pk, cost.pk])
    assert coordinator_client.post(delete).status_code == 302
    assert coordinator_client.post(delete).status_code == 302
    assert not cohort.costs.exists()


def test_another_cohorts_trainer_cannot_remove_a_cost(client, cohort):
    cost = Cost.objects.create(cohort=cohort, kind="travel", amount=Decimal("20"))
    CohortFactory().trainers.add(other := UserFactory(role="trainer", mfa=True))
    client.force_login(other)
    assert client.post(reverse("trainings:cost_delete", args=[cohort.pk, cost.pk])).status_code == 404
    assert cohort.costs.exists()


def test_the_page_shows_the_figures(coordinator_client, costed_cohort):
    content = coordinator_client.get(url(costed_cohort)).content.decode()
    assert "€809.90" in content and "€101.24" in content and "€161.98" in content


def test_costs_page_queries(coordinator_client, costed_cohort, django_assert_num_queries):
    coordinator_client.get(url(costed_cohort))  # warm the content type cache
    # session; the user with roles and permissions (accounts.backends: one query); the cohort with
    # programme and coordinator; completed fees, expenses, confirmed bookings, costs by kind,
    # participants served, completed (the summary: 6); the cost rows. The session was saved a moment
    # ago by the first request, so the idle-timeout save does not run.
    with django_assert_num_queries(10):
        assert coordinator_client.get(url(costed_cohort)).status_code == 200


def test_a_double_submitted_cost_is_added_once(coordinator_client, cohort):
    data = sent({"kind": "travel", "amount": "12,50", "incurred_on": "2026-03-02", "note": "Junaliput"})
    first = coordinator_client.post(url(cohort), data)
    second = coordinator_client.post(url(cohort), data)
    assert first.status_code == second.status_code == 302
    assert cohort.costs.count() == 1


def test_a_cost_form_without_its_key_is_refused_and_kept(coordinator_client, cohort):
    data = {"kind": "travel", "amount": "12,50", "incurred_on": "2026-03-02", "note": "Junaliput"}
    response = coordinator_client.post(url(cohort), data)
    assert response.status_code == 200
    assert "The form had expired" in response.content.decode()
    assert "Junaliput" in response.content.decode()
    assert not cohort.costs.exists()
