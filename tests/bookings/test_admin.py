"""Booking in Django admin: every page opens for an admin; bookings and private follow-up are view only;
the calendar feed's hash is never shown."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from bookings.calendar_feeds import create_calendar_feed
from bookings.models import (
    Assignment,
    Booking,
    BookingStatus,
    CalendarFeed,
    CheckIn,
    ExpenseKind,
    ExpenseLine,
    PrivateFeedback,
    Tariff,
)
from tests.factories import AssignmentFactory, BookingFactory, ExpertProfileFactory

VIEW_ONLY = [Booking, ExpenseLine, CheckIn, PrivateFeedback]


@pytest.fixture
def booking(coordinator):
    assignment = AssignmentFactory(
        contact_person=coordinator,
        starts_in=-timedelta(days=3),
        title="Vertaisryhmä omaisille",
        unit="Omaishoidon tuki",
    )
    booking = BookingFactory(
        assignment=assignment,
        expert=ExpertProfileFactory(display_name="Säde"),
        status=BookingStatus.COMPLETED,
        with_fee=True,  # two hours at 25 €/h: 50.00 €
    )
    ExpenseLine.objects.create(
        booking=booking, kind=ExpenseKind.TRAVEL_KM, quantity=Decimal("20"), amount=Decimal("11")
    )
    CheckIn.objects.create(booking=booking, feeling=CheckIn.Feeling.GOOD, text="Ryhmä oli lämmin.")
    PrivateFeedback.objects.create(
        booking=booking, side=PrivateFeedback.Side.ORDERER, text="Kiitos, hyvä puheenvuoro.", author=coordinator
    )
    return booking


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    client.cookies["kp_language"] = "en"
    return client


def url(model, action: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{action}", args=args)


@pytest.mark.django_db
def test_every_booking_changelist_opens_with_search_and_filters(admin_client, booking):
    create_calendar_feed(user=booking.expert.user)
    for model in [Tariff, Assignment, *VIEW_ONLY, CalendarFeed]:
        response = admin_client.get(url(model, "changelist"), {"q": "ä"})
        assert response.status_code == 200, model.__name__
    response = admin_client.get(url(Assignment, "changelist"), {"status__exact": "open", "q": "omaisille"})
    assert response.status_code == 200


@pytest.mark.django_db
def test_every_booking_change_page_opens(admin_client, booking):
    create_calendar_feed(user=booking.expert.user)
    tariff = Tariff.objects.first()
    objects = [
        tariff,
        booking.assignment,
        booking,
        booking.expense_lines.get(),
        booking.check_in,
        booking.private_feedback.get(),
        CalendarFeed.objects.get(),
    ]
    for obj in objects:
        response = admin_client.get(url(type(obj), "change", obj.pk))
        assert response.status_code == 200, type(obj).__name__
    assert admin_client.get(url(Assignment, "add")).status_code == 200
    assert admin_client.get(url(Tariff, "add")).status_code == 200


@pytest.mark.django_db
def test_tariff_names_are_kept_in_three_languages_and_order_in_the_list(admin_client):
    add = admin_client.get(url(Tariff, "add")).content.decode()
    assert all(f'name="name_{code}"' in add for code in ("fi", "sv", "en"))
    changelist = admin_client.get(url(Tariff, "changelist")).content.decode()
    assert 'name="form-0-order"' in changelist


@pytest.mark.django_db
def test_assignment_page_shows_its_bookings_read_only(admin_client, booking):
    html = admin_client.get(url(Assignment, "change", booking.assignment.pk)).content.decode()
    assert "Säde" in html
    assert 'name="bookings-0-status"' not in html
    # The bookings hold a copy of the time: with bookings, the time changes through the service only.
    assert 'name="starts_at_0"' not in html


@pytest.mark.django_db
@pytest.mark.parametrize("model", VIEW_ONLY)
def test_bookings_and_private_follow_up_are_view_only(admin_client, booking, model):
    obj = model.objects.get()
    assert admin_client.get(url(model, "add")).status_code == 403
    assert admin_client.post(url(model, "change", obj.pk), {}).status_code == 403
    assert admin_client.get(url(model, "delete", obj.pk)).status_code == 403
    assert model.objects.filter(pk=obj.pk).exists()


@pytest.mark.django_db
def test_check_in_text_is_shown_but_cannot_be_changed(admin_client, booking):
    html = admin_client.get(url(CheckIn, "change", booking.check_in.pk)).content.decode()
    assert "Ryhmä oli lämmin." in html
    assert 'name="text"' not in html and 'name="_save"' not in html


@pytest.mark.django_db
def test_calendar_feed_hides_the_hash_and_can_be_revoked(admin_client, booking):
    create_calendar_feed(user=booking.expert.user)
    feed = CalendarFeed.objects.get()
    for page in (url(CalendarFeed, "changelist"), url(CalendarFeed, "change", feed.pk)):
        assert feed.token_hash not in admin_client.get(page).content.decode()
    assert admin_client.get(url(CalendarFeed, "add")).status_code == 403
    admin_client.post(url(CalendarFeed, "delete", feed.pk), {"post": "yes"})
    assert not CalendarFeed.objects.exists()


@pytest.mark.django_db
def test_new_assignment_in_admin_records_who_created_it(admin_client, admin_user, coordinator):
    from experts.models import TaskType

    tariff = Tariff.objects.filter(kind="meeting").first()
    response = admin_client.post(
        url(Assignment, "add"),
        {
            "title": "Asiakasraadin kokous",
            "task_type": TaskType.objects.get(slug="asiakasraati").pk,
            "starts_at_0": "2026-12-01",
            "starts_at_1": "14:00",
            "ends_at_0": "2026-12-01",
            "ends_at_1": "16:00",
            "unit": "Päihdepalvelut",
            "contact_person": coordinator.pk,
            "tariff": tariff.pk,
            "experts_needed": 1,
            "bookings-TOTAL_FORMS": 0,
            "bookings-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Assignment.objects.get().created_by == admin_user
