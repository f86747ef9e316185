"""Units order an expert themselves: the orderer's pages, the coordinators' inbox, the request made
into an assignment, and what the orderer sees and is told (bookings/orders.py, views/orders.py)."""

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Invitation, User
from bookings import services as booking_services
from bookings.models import (
    Assignment,
    AssignmentStatus,
    Booking,
    OrderRequest,
    OrderStatus,
    PrivateFeedback,
    Tariff,
)
from experts.models import Language, Municipality, TaskType
from notifications.emails import render_notification
from notifications.models import Notification
from tests.factories import (
    AssignmentFactory,
    BookingFactory,
    ExpertProfileFactory,
    OrderRequestFactory,
    UserFactory,
)

FORM_KEY = "tilaus-1234567890abcdef"


@pytest.fixture
def orderer(db):
    return UserFactory(role="orderer", first_name="Riikka", last_name="Tilaaja")


@pytest.fixture
def order(orderer):
    return OrderRequestFactory(orderer=orderer)


def as_user(client, user):
    client.force_login(user)
    client.cookies["kp_language"] = "en"
    return client


def order_data(**changes) -> dict:
    data = {
        "form_key": FORM_KEY,
        "unit": "Lahden terveysaseman hoitajat",
        "task_type": TaskType.objects.get(slug="luento").pk,
        "date": (timezone.localdate() + timedelta(days=21)).isoformat(),
        "start_time": "13.00",
        "end_time": "14:30",
        "audience": "Noin 15 hoitajaa",
        "address": "Harjukatu 48, Lahti",
        "wishes": "Kokemuksia masennuksesta toipumisesta.",
        "contact_phone": "044 111 2222",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def assignment_data(order: OrderRequest, coordinator, **changes) -> dict:
    data = {
        "contact_person": coordinator.pk,
        "form_key": "tehtava-1234567890abcdef",
        "title": "Luento hoitajille",
        "description": "",
        "task_type": order.task_type_id,
        "date": order.date.isoformat(),
        "start_time": order.start_time.strftime("%H:%M"),
        "end_time": order.end_time.strftime("%H:%M"),
        "address": order.address,
        "unit": order.unit,
        "contact_phone": order.contact_phone,
        "tariff": Tariff.objects.get(kind="hourly").pk,
        "experts_needed": "1",
        # Where the form asks them (matching experts), as the request says.
        "municipality": order.municipality_id or "",
        "language": order.language_id or "",
    }
    data.update(changes)
    return data


def accept(order: OrderRequest, coordinator, client) -> Assignment:
    """The coordinator makes the request an assignment through the page."""
    url = f"{reverse('bookings:assignment_create')}?order={order.pk}"
    as_user(client, coordinator).post(url, assignment_data(order, coordinator))
    order.refresh_from_db()
    return order.assignment


def confirmed_booking(assignment: Assignment, coordinator, **profile) -> Booking:
    expert = ExpertProfileFactory(**profile)
    (booking,), _refused = booking_services.invite_experts(assignment=assignment, profiles=[expert], actor=coordinator)
    booking_services.answer_invitation(booking=booking, accept=True)
    return booking_services.confirm_booking(booking=booking, actor=coordinator)


def move_to_the_past(assignment: Assignment) -> None:
    """Let the assignment have happened (completing is for ended assignments)."""
    starts = timezone.now().replace(second=0, microsecond=0) - timedelta(hours=3)
    Assignment.objects.filter(pk=assignment.pk).update(starts_at=starts, ends_at=starts + timedelta(hours=2))
    assignment.refresh_from_db()


def completed_booking(order: OrderRequest, coordinator, **profile) -> Booking:
    """A booking on the order's assignment that took place and is marked completed."""
    assignment = AssignmentFactory(contact_person=coordinator, starts_in=-timedelta(hours=5), status="filled")
    OrderRequest.objects.filter(pk=order.pk).update(assignment=assignment, status=OrderStatus.ACCEPTED)
    booking = BookingFactory(assignment=assignment, expert=ExpertProfileFactory(**profile), status="confirmed")
    return booking_services.complete_booking(booking=booking, completed=True, hours=None, actor=coordinator)


def orders_told(order: OrderRequest, kind: str):
    return Notification.objects.filter(kind=f"bookings.{kind}", recipient=order.orderer)


# --- Access ---------------------------------------------------------------------------------------

OWN = "own"  # the orderer's own request (or its completed booking)
# (URL name, what its argument is, method)
ORDERER_PAGES = [
    ("bookings:order_list", None, "get"),
    ("bookings:order_create", None, "get"),
    ("bookings:order_create", None, "post"),
    ("bookings:order_detail", "order", "get"),
    ("bookings:order_withdraw", "order", "post"),
    ("bookings:order_feedback", "booking", "get"),
    ("bookings:order_feedback", "booking", "post"),
]
COORDINATOR_PAGES = [
    ("bookings:order_inbox", None, "get"),
    ("bookings:order_request_detail", "order", "get"),
    ("bookings:order_decline", "order", "post"),
]


@pytest.fixture
def objects(order, coordinator):
    """The orderer's waiting request, and a completed booking on another request of theirs."""
    done = OrderRequestFactory(orderer=order.orderer)
    return {"order": order, "booking": completed_booking(done, coordinator)}


def url_of(name, arg, objects):
    return reverse(name, args=[objects[arg].pk]) if arg else reverse(name)


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "arg", "method"), ORDERER_PAGES + COORDINATOR_PAGES)
def test_anonymous_is_sent_to_sign_in(client, objects, name, arg, method):
    response = getattr(client, method)(url_of(name, arg, objects))
    assert response.status_code == 302 and "/accounts/login/" in response.url


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["expert", "coordinator"])
@pytest.mark.parametrize(("name", "arg", "method"), ORDERER_PAGES)
def test_orderer_pages_are_for_orderers_only(client, objects, role, name, arg, method):
    as_user(client, UserFactory(role=role, mfa=True))
    assert getattr(client, method)(url_of(name, arg, objects)).status_code == 403
    assert OrderRequest.objects.count() == 2  # the two of `objects`, none new


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "arg", "method"), [page for page in ORDERER_PAGES if page[1]])
def test_another_orderers_request_is_not_found(client, objects, name, arg, method):
    as_user(client, UserFactory(role="orderer"))
    assert getattr(client, method)(url_of(name, arg, objects)).status_code == 404
    objects["order"].refresh_from_db()
    assert objects["order"].status == OrderStatus.SUBMITTED
    assert not PrivateFeedback.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "arg", "method"), ORDERER_PAGES)
def test_the_orderer_reaches_their_own(client, objects, orderer, name, arg, method):
    response = getattr(as_user(client, orderer), method)(url_of(name, arg, objects))
    # An empty post of a form is the form again, with its errors.
    assert response.status_code == (302 if name == "bookings:order_withdraw" else 200)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["orderer", "expert", "trainer"])
@pytest.mark.parametrize(("name", "arg", "method"), COORDINATOR_PAGES)
def test_the_inbox_is_for_coordinators_only(client, objects, role, name, arg, method):
    as_user(client, UserFactory(role=role, mfa=True))
    assert getattr(client, method)(url_of(name, arg, objects), {"reason": "Ei."}).status_code == 403
    objects["order"].refresh_from_db()
    assert objects["order"].status == OrderStatus.SUBMITTED


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "arg"), [page[:2] for page in COORDINATOR_PAGES if page[2] == "get"])
def test_coordinators_reach_the_inbox(client, objects, coordinator, name, arg):
    assert as_user(client, coordinator).get(url_of(name, arg, objects)).status_code == 200


@pytest.mark.django_db
def test_orderers_never_reach_the_bank_nor_the_assignments(client, objects, orderer, coordinator):
    """An orderer has no view of the bank (profiles, search) nor of the coordinators' pages, even of
    the assignment made from their own request."""
    booking = objects["booking"]
    as_user(client, orderer)
    pages = [
        reverse("experts:index"),
        reverse("experts:detail", args=[booking.expert_id]),
        reverse("bookings:assignment_list"),
        reverse("bookings:assignment_create"),
        reverse("bookings:assignment_detail", args=[booking.assignment_id]),
        reverse("bookings:booking_feedback", args=[booking.pk]),
        reverse("bookings:assignment_export"),
        reverse("bookings:my_assignments"),
        reverse("bookings:my_assignment", args=[booking.pk]),
        reverse("accounts:invitation_create"),
    ]
    for url in pages:
        assert client.get(url).status_code == 403, url


@pytest.mark.django_db
def test_an_orderer_needs_no_two_factor_authentication(client, order, settings):
    """Orderers see the display names of the experts booked for their own requests and nothing else
    of anyone, so they are not a staff role (accounts.roles.STAFF_ROLES): no TOTP to set up, and no
    staff level of the bank's profiles (experts.services.viewer_level)."""
    settings.KP_STAFF_MFA_REQUIRED = True
    assert not order.orderer.is_staff_role
    response = as_user(client, order.orderer).get(reverse("bookings:order_detail", args=[order.pk]))
    assert response.status_code == 200


# --- The orderer's request ------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_orderer_sends_a_request(client, orderer):
    lahti, language = Municipality.objects.get(slug="lahti"), Language.objects.filter(is_active=True).last()
    response = as_user(client, orderer).post(
        reverse("bookings:order_create"), order_data(municipality=lahti.pk, language=language.pk)
    )
    order = OrderRequest.objects.get()
    assert response.status_code == 302 and response.url == reverse("bookings:order_detail", args=[order.pk])
    assert order.orderer == orderer and order.status == OrderStatus.SUBMITTED
    assert order.unit == "Lahden terveysaseman hoitajat" and order.audience == "Noin 15 hoitajaa"
    assert (order.start_time.hour, order.start_time.minute, order.end_time.minute) == (13, 0, 30)
    assert (order.municipality, order.language) == (lahti, language)
    page = client.get(response.url).content.decode()
    assert "Waiting for a coordinator" in page and "Withdraw the request" in page


@pytest.mark.django_db
def test_a_remote_request_needs_no_address(client, orderer):
    as_user(client, orderer).post(reverse("bookings:order_create"), order_data(address="", remote="on"))
    assert OrderRequest.objects.get().remote


@pytest.mark.django_db
def test_a_double_submitted_request_makes_one(client, orderer):
    as_user(client, orderer)
    first = client.post(reverse("bookings:order_create"), order_data())
    second = client.post(reverse("bookings:order_create"), order_data())
    assert OrderRequest.objects.count() == 1
    assert second.status_code == 302 and second.url == first.url


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"end_time": "12:00"}, "end_time", "The end time must be after the start time."),
        ({"end_time": "12:00", "date": ""}, "end_time", "The end time must be after the start time."),
        ({"date": (timezone.localdate() - timedelta(days=1)).isoformat()}, "date", "still to come"),
        ({"date": "31.2.2027"}, "date", "Enter a valid date."),
        ({"start_time": "25.00"}, "start_time", "Enter a valid time."),
        ({"address": ""}, "address", "tick remote"),
        ({"audience": "\u200b "}, "audience", "Write this in a few words."),
        ({"unit": ""}, "unit", "This field is required."),
        ({"task_type": "999999"}, "task_type", "Select a valid choice."),
        ({"wishes": "x" * 2001}, "wishes", "at most 2000 characters"),
        ({"form_key": "short"}, None, "The form had expired."),
    ],
)
def test_bad_input_is_a_message_and_no_request(client, orderer, changes, field, message):
    response = as_user(client, orderer).post(reverse("bookings:order_create"), order_data(**changes))
    assert response.status_code == 200
    form = response.context["form"]
    errors = form.errors.get(field, []) if field else form.non_field_errors()
    assert any(message in error for error in errors), form.errors
    assert "error-summary" in response.content.decode()
    assert "order_ends_after_start" not in response.content.decode()  # never the database's words
    assert not OrderRequest.objects.exists()


@pytest.mark.django_db
def test_a_new_request_starts_from_the_previous_ones_unit(client, order):
    OrderRequestFactory(orderer=UserFactory(role="orderer"), unit="Toisen tilaajan yksikkö")
    response = as_user(client, order.orderer).get(reverse("bookings:order_create"))
    initial = response.context["form"].initial
    assert initial["unit"] == order.unit and initial["contact_phone"] == order.contact_phone
    assert order.unit in response.content.decode()


@pytest.mark.django_db
def test_the_orderer_withdraws_a_waiting_request_once(client, order):
    as_user(client, order.orderer)
    url = reverse("bookings:order_withdraw", args=[order.pk])
    client.post(url)
    order.refresh_from_db()
    assert order.status == OrderStatus.WITHDRAWN
    response = client.post(url, follow=True)
    assert "Only a request still waiting for a coordinator can be withdrawn." in response.content.decode()


@pytest.mark.django_db
def test_a_request_made_into_an_assignment_cannot_be_withdrawn(client, order, coordinator):
    accept(order, coordinator, client)
    as_user(client, order.orderer).post(reverse("bookings:order_withdraw", args=[order.pk]))
    order.refresh_from_db()
    assert order.status == OrderStatus.ACCEPTED


# --- Coordinators: the inbox, making the assignment, declining --------------------------------------


@pytest.mark.django_db
def test_the_inbox_lists_waiting_requests_and_handled_ones(client, coordinator, order):
    declined = OrderRequestFactory(status=OrderStatus.DECLINED, decline_reason="Ei tekijöitä.", unit="Hylätty yksikkö")
    response = as_user(client, coordinator).get(reverse("bookings:order_inbox"))
    assert [item.pk for item in response.context["waiting"]] == [order.pk]
    assert [item.pk for item in response.context["handled"]] == [declined.pk]
    page = response.content.decode()
    assert reverse("bookings:order_request_detail", args=[order.pk]) in page and "Hylätty yksikkö" in page


@pytest.mark.django_db
def test_make_an_assignment_fills_the_form_in_from_the_request(client, coordinator, order):
    detail = as_user(client, coordinator).get(reverse("bookings:order_request_detail", args=[order.pk]))
    link = f"{reverse('bookings:assignment_create')}?order={order.pk}"
    assert link in detail.content.decode()
    response = client.get(link)
    initial = response.context["form"].initial
    assert initial["unit"] == order.unit and initial["task_type"] == order.task_type_id
    assert (initial["date"], initial["start_time"], initial["end_time"]) == (
        order.date,
        order.start_time,
        order.end_time,
    )
    assert order.audience in initial["description"] and order.wishes in initial["description"]
    assert "Made from the order request of" in response.content.decode()


@pytest.mark.django_db
def test_saving_the_assignment_accepts_the_request_and_tells_the_orderer(client, coordinator, order):
    lahti = Municipality.objects.get(slug="lahti")
    order.municipality = lahti
    order.save()
    assignment = accept(order, coordinator, client)
    assert assignment is not None and order.status == OrderStatus.ACCEPTED
    assert (order.handled_by, assignment.created_by) == (coordinator, coordinator)
    assert assignment.unit == order.unit and assignment.municipality == lahti
    (told,) = orders_told(order, "order_accepted")
    told.language = "en"
    message = render_notification(told)
    assert reverse("bookings:order_detail", args=[order.pk]) in message.text
    assert "made into an assignment" in message.text
    # The coordinator's assignment page says who ordered it, linking to the request.
    page = client.get(assignment.get_absolute_url()).content.decode()
    assert "Ordered by" in page and reverse("bookings:order_request_detail", args=[order.pk]) in page


@pytest.mark.django_db
def test_a_double_submitted_assignment_form_makes_one_assignment(client, coordinator, order):
    accept(order, coordinator, client)
    second = client.post(
        f"{reverse('bookings:assignment_create')}?order={order.pk}", assignment_data(order, coordinator)
    )
    assert second.status_code == 302
    assert Assignment.objects.count() == 1 and orders_told(order, "order_accepted").count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("status", "message"),
    [
        (OrderStatus.WITHDRAWN, "The orderer has withdrawn this request."),
        (OrderStatus.DECLINED, "This request has already been declined."),
    ],
)
def test_a_request_handled_meanwhile_leaves_no_assignment(client, coordinator, order, status, message):
    url = f"{reverse('bookings:assignment_create')}?order={order.pk}"
    as_user(client, coordinator).get(url)
    OrderRequest.objects.filter(pk=order.pk).update(status=status)  # while the form was open
    response = client.post(url, assignment_data(order, coordinator))
    assert response.status_code == 200 and message in response.content.decode()
    assert not Assignment.objects.exists()
    order.refresh_from_db()
    assert order.status == status and order.assignment is None


@pytest.mark.django_db
def test_an_unknown_request_on_the_assignment_form_is_not_found(client, coordinator):
    as_user(client, coordinator)
    assert client.get(f"{reverse('bookings:assignment_create')}?order=999999").status_code == 404
    assert client.get(f"{reverse('bookings:assignment_create')}?order=x1").status_code == 404


@pytest.mark.django_db
def test_declining_needs_a_reason(client, coordinator, order):
    url = reverse("bookings:order_decline", args=[order.pk])
    response = as_user(client, coordinator).post(url, {"reason": "  "})
    assert response.status_code == 200
    assert "Tell the orderer why the request is declined." in response.content.decode()
    order.refresh_from_db()
    assert order.status == OrderStatus.SUBMITTED and not orders_told(order, "order_declined").exists()


@pytest.mark.django_db
def test_declining_tells_the_orderer_the_reason_once(client, coordinator, order):
    url = reverse("bookings:order_decline", args=[order.pk])
    as_user(client, coordinator).post(url, {"reason": "Toukokuussa ei ole vapaita kokemusasiantuntijoita."})
    order.refresh_from_db()
    assert order.status == OrderStatus.DECLINED and order.handled_by == coordinator
    second = client.post(url, {"reason": "Uudestaan."}, follow=True)
    assert "This request has already been declined." in second.content.decode()
    (told,) = orders_told(order, "order_declined")
    told.language = "en"
    message = render_notification(told)
    assert "Toukokuussa ei ole vapaita" in message.text and "declined" in message.subject
    page = as_user(client, order.orderer).get(reverse("bookings:order_detail", args=[order.pk])).content.decode()
    assert "Toukokuussa ei ole vapaita" in page and "Withdraw the request" not in page


# --- The whole way: request → assignment → confirmed → completed → the orderer's feedback ------------


@pytest.mark.django_db
def test_from_request_to_the_orderers_feedback(client, coordinator, orderer):
    as_user(client, orderer).post(reverse("bookings:order_create"), order_data())
    order = OrderRequest.objects.get()
    assignment = accept(order, coordinator, client)

    booking = confirmed_booking(assignment, coordinator, display_name="Säde K.")
    (confirmed,) = orders_told(order, "order_confirmed")
    assert confirmed.target == booking
    message = render_notification(confirmed)
    assert "Säde K." in message.text and "Säde K." in message.html
    assert timezone.localtime(assignment.starts_at).strftime("%-d.%-m.%Y") in message.text
    assert reverse("bookings:order_detail", args=[order.pk]) in message.text
    page = as_user(client, orderer).get(reverse("bookings:order_detail", args=[order.pk])).content.decode()
    assert "Expert confirmed" in page and "Säde K." in page

    move_to_the_past(assignment)
    booking_services.complete_booking(booking=booking, completed=True, hours=None, actor=coordinator)
    (asked,) = orders_told(order, "order_feedback")
    asked.language = "en"
    assert "give the expert private feedback" in render_notification(asked).text

    page = client.get(reverse("bookings:order_detail", args=[order.pk])).content.decode()
    assert reverse("bookings:order_feedback", args=[booking.pk]) in page
    response = client.post(reverse("bookings:order_feedback", args=[booking.pk]), {"text": "Kiitos, upea puheenvuoro!"})
    assert response.status_code == 302
    feedback = PrivateFeedback.objects.get(booking=booking)
    assert (feedback.side, feedback.author, feedback.text) == ("orderer", orderer, "Kiitos, upea puheenvuoro!")
    # Sent again, it replaces the first.
    client.post(reverse("bookings:order_feedback", args=[booking.pk]), {"text": "Kiitos vielä."})
    assert PrivateFeedback.objects.get(booking=booking).text == "Kiitos vielä."


@pytest.mark.django_db
def test_feedback_is_refused_before_the_booking_is_completed(client, coordinator, order):
    assignment = accept(order, coordinator, client)
    booking = confirmed_booking(assignment, coordinator)
    as_user(client, order.orderer)
    assert client.post(reverse("bookings:order_feedback", args=[booking.pk]), {"text": "Hyvä!"}).status_code == 404
    assert not PrivateFeedback.objects.exists()


@pytest.mark.django_db
def test_empty_feedback_is_a_message(client, coordinator, order):
    booking = completed_booking(order, coordinator)
    response = as_user(client, order.orderer).post(reverse("bookings:order_feedback", args=[booking.pk]), {"text": ""})
    assert response.status_code == 200 and "This field is required." in response.content.decode()
    assert not PrivateFeedback.objects.exists()


@pytest.mark.django_db
def test_no_orderer_message_for_an_assignment_nobody_ordered(coordinator):
    assignment = AssignmentFactory(contact_person=coordinator)
    booking = confirmed_booking(assignment, coordinator)
    move_to_the_past(assignment)
    booking_services.complete_booking(booking=booking, completed=True, hours=None, actor=coordinator)
    assert not Notification.objects.filter(kind__startswith="bookings.order_").exists()


@pytest.mark.django_db
def test_the_orderer_sees_the_experts_display_name_and_nothing_else(client, coordinator, order):
    booking = completed_booking(
        order,
        coordinator,
        display_name="Kaisa",
        bio="Olen toipunut syömishäiriöstä.",
        user__first_name="Kaisa-Liisa",
        user__last_name="Oikeanimi",
        user__email="kaisa.salainen@example.fi",
        user__phone="0401234567",
    )
    response = as_user(client, order.orderer).get(reverse("bookings:order_detail", args=[order.pk]))
    page = response.content.decode()
    assert "Kaisa" in page
    for secret in ["Oikeanimi", "Kaisa-Liisa", "kaisa.salainen", "0401234567", "syömishäiriöstä"]:
        assert secret not in page
    assert reverse("experts:detail", args=[booking.expert_id]) not in page
    assert reverse("experts:photo", args=[booking.expert_id]) not in page
    # Nothing of the profile is even loaded: a template cannot reach what the view did not fetch.
    (row,) = response.context["rows"]
    assert "expert" not in row.booking._state.fields_cache and row.booking.expert_name == "Kaisa"


@pytest.mark.django_db
def test_pending_and_cancelled_experts_are_not_shown_to_the_orderer(client, coordinator, order):
    assignment = accept(order, coordinator, client)
    for name, status in [("Kutsuttu", "invited"), ("Suostunut", "accepted"), ("Peruttu", "cancelled")]:
        BookingFactory(assignment=assignment, expert=ExpertProfileFactory(display_name=name), status=status)
    page = as_user(client, order.orderer).get(reverse("bookings:order_detail", args=[order.pk])).content.decode()
    assert "No expert is confirmed yet." in page
    for name in ["Kutsuttu", "Suostunut", "Peruttu"]:
        assert name not in page


@pytest.mark.django_db
def test_a_cancelled_assignment_shows_as_cancelled(client, coordinator, order):
    assignment = accept(order, coordinator, client)
    booking_services.cancel_assignment(assignment=assignment, reason="not_needed", actor=coordinator)
    response = as_user(client, order.orderer).get(reverse("bookings:order_list"))
    (row,) = response.context["orders"]
    assert row.stage.code == AssignmentStatus.CANCELLED


# --- The orderer's messages --------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["fi", "sv", "en"])
@pytest.mark.parametrize("kind", ["order_accepted", "order_declined", "order_feedback"])
def test_each_message_on_a_request_renders(order, coordinator, kind, language):
    if kind != "order_declined":
        order.assignment = AssignmentFactory(contact_person=coordinator, title="Luento: Äänten kuuleminen")
        order.save()
    notification = Notification(
        kind=f"bookings.{kind}",
        target=order,
        recipient=order.orderer,
        language=language,
        context={"path": reverse("bookings:order_detail", args=[order.pk])},
    )
    message = render_notification(notification)
    if kind == "order_declined":
        assert message.subject and order.unit in message.text and order.unit in message.html
    else:
        assert "Äänten kuuleminen" in message.subject and "Äänten kuuleminen" in message.html
    assert reverse("bookings:order_detail", args=[order.pk]) in message.text


@pytest.mark.django_db
def test_the_feedback_request_can_be_turned_off_but_the_others_not():
    from notifications import kinds

    assert not kinds.get("bookings.order_feedback").transactional
    assert all(
        kinds.get(f"bookings.{code}").transactional for code in ["order_accepted", "order_declined", "order_confirmed"]
    )


# --- Navigation, front page, invitations -------------------------------------------------------------


@pytest.mark.django_db
def test_the_orderer_has_orders_in_the_navigation_and_on_the_front_page(client, order):
    page = as_user(client, order.orderer).get(reverse("home")).content.decode()
    assert reverse("bookings:order_list") in page and reverse("bookings:order_create") in page
    assert reverse("bookings:order_detail", args=[order.pk]) in page  # the latest requests
    assert f'href="{reverse("experts:index")}"' not in page
    assert f'href="{reverse("bookings:assignment_list")}"' not in page


@pytest.mark.django_db
def test_coordinators_and_experts_have_no_orders_link(client, coordinator, expert):
    for user in (coordinator, expert):
        page = as_user(client, user).get(reverse("home")).content.decode()
        assert reverse("bookings:order_list") not in page


@pytest.mark.django_db
def test_a_coordinator_invites_an_orderer_who_signs_up_as_one(
    client, coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    as_user(client, coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("accounts:invitation_create"), {"email": "yksikko@example.fi", "language": "en", "role": "orderer"}
        )
    invitation = Invitation.objects.get()
    assert invitation.role == "orderer"
    # An orderer keeps no profile: the mail does not ask for one.
    assert "order experience experts for your unit" in mailoutbox[0].body and "profile" not in mailoutbox[0].body
    client.logout()
    link = next(word for word in mailoutbox[0].body.split() if "/tili/kutsu/" in word)
    client.get(link)
    password = "Tilaaja-salasana-42"
    client.post(
        reverse("account_signup"), {"email": "yksikko@example.fi", "password1": password, "password2": password}
    )
    user = User.objects.get(email="yksikko@example.fi")
    assert user.has_role("orderer") and not user.has_role("expert")
    assert client.get(reverse("bookings:order_create")).status_code == 200


@pytest.mark.django_db
def test_an_invitation_without_a_role_is_for_an_expert(client, coordinator):
    as_user(client, coordinator).post(
        reverse("accounts:invitation_create"), {"email": "a@example.fi", "language": "fi"}
    )
    assert Invitation.objects.get().role == "expert"


@pytest.mark.django_db
def test_a_coordinator_cannot_invite_an_administrator(client, coordinator):
    response = as_user(client, coordinator).post(
        reverse("accounts:invitation_create"), {"email": "a@example.fi", "language": "fi", "role": "admin"}
    )
    assert response.status_code == 200 and "Select a valid choice." in response.content.decode()
    assert not Invitation.objects.exists()


# --- Query counts -------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 5])
def test_the_orderers_list_queries_do_not_grow(client, orderer, coordinator, django_assert_num_queries, count):
    for number in range(count):
        item = OrderRequestFactory(orderer=orderer)
        if number % 2:
            item.assignment = AssignmentFactory(contact_person=coordinator)
            item.status = OrderStatus.ACCEPTED
            item.save()
    as_user(client, orderer)
    # session, the user with roles, permissions and MFA status (accounts.backends); the requests
    # with task type and assignment; then the idle-timeout session save (savepoint, update, release).
    with django_assert_num_queries(6):
        response = client.get(reverse("bookings:order_list"))
    assert len(response.context["orders"]) == count


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 4])
def test_the_orderers_detail_queries_do_not_grow(client, order, coordinator, django_assert_num_queries, count):
    assignment = AssignmentFactory(contact_person=coordinator, starts_in=-timedelta(hours=5), experts_needed=count)
    OrderRequest.objects.filter(pk=order.pk).update(assignment=assignment, status=OrderStatus.ACCEPTED)
    for _number in range(count):
        booking = BookingFactory(
            assignment=assignment, expert=ExpertProfileFactory(), status="completed", with_fee=True
        )
        PrivateFeedback.objects.create(booking=booking, side="orderer", text="Kiitos.", author=order.orderer)
        PrivateFeedback.objects.create(booking=booking, side="expert", text="Hyvät järjestelyt.")
    as_user(client, order.orderer)
    # session, the user with roles, permissions and MFA status; the request with task type,
    # municipality, language and assignment; the confirmed and completed bookings with the experts'
    # names; the orderer's feedback on them; then the idle-timeout session save (savepoint, update,
    # release).
    with django_assert_num_queries(8):
        response = client.get(reverse("bookings:order_detail", args=[order.pk]))
    assert len(response.context["rows"]) == count
    assert all(row.feedback.text == "Kiitos." for row in response.context["rows"])


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 4])
def test_the_inbox_queries_do_not_grow(client, coordinator, django_assert_num_queries, count):
    for _number in range(count):
        OrderRequestFactory()
        OrderRequestFactory(status=OrderStatus.DECLINED, decline_reason="Ei.")
    as_user(client, coordinator)
    # session, the user with roles, permissions and MFA status; the waiting requests with orderer and
    # task type; the handled ones with orderer, task type and assignment; then the idle-timeout
    # session save (savepoint, update, release).
    with django_assert_num_queries(7):
        response = client.get(reverse("bookings:order_inbox"))
    assert len(response.context["waiting"]) == count


@pytest.mark.django_db
def test_the_coordinators_request_page_query_count(client, coordinator, order, django_assert_num_queries):
    as_user(client, coordinator)
    # session, the user with roles, permissions and MFA status; the request with orderer, task type,
    # municipality, language, assignment and handler; then the idle-timeout session save.
    with django_assert_num_queries(6):
        client.get(reverse("bookings:order_request_detail", args=[order.pk]))


@pytest.mark.django_db
def test_the_assignment_page_names_the_request_without_another_query(client, coordinator, order):
    ordered = accept(order, coordinator, client)
    plain = AssignmentFactory(contact_person=coordinator)
    ContentType.objects.get_for_model(Assignment)  # cached for the process: read once, not per page
    counts = []
    for assignment in (plain, ordered):
        with CaptureQueriesContext(connection) as queries:
            client.get(assignment.get_absolute_url())
        counts.append(len(queries))
    assert counts[0] == counts[1]


@pytest.mark.django_db
def test_admin_shows_order_requests_without_editing(client, admin_user, order):
    client.force_login(admin_user)
    change = reverse("admin:bookings_orderrequest_change", args=[order.pk])
    assert client.get(reverse("admin:bookings_orderrequest_changelist"), {"q": "Lahti"}).status_code == 200
    assert client.get(change).status_code == 200
    assert client.post(change, {"unit": "Muutettu"}).status_code == 403
    order.refresh_from_db()
    assert order.unit != "Muutettu"
