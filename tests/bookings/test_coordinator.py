"""Coordinators' assignment pages: access, the month list, creating an assignment and the detail page.

The booking actions (invite, confirm, cancel, complete, move, feedback) are in
test_booking_coordinator_actions.py.
"""

from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from bookings import services as booking_services
from bookings.models import Assignment, Booking, BookingStatus, CheckIn, PrivateFeedback, Tariff
from experts.models import TaskType
from tests.factories import AssignmentFactory, BookingFactory, ExpertProfileFactory, UserFactory

HELSINKI = timezone.get_default_timezone()


def next_month_day(day: int, hour: int, minute: int = 0) -> datetime:
    """A Helsinki time on `day` of next month: the same month whatever day the tests run."""
    first = (timezone.localdate().replace(day=1) + timedelta(days=32)).replace(day=1)
    return datetime.combine(first.replace(day=day), time(hour, minute), HELSINKI)


@pytest.fixture
def signed_in(client, coordinator):
    client.force_login(coordinator)
    client.cookies["kp_language"] = "en"
    return client


@pytest.fixture
def assignment(coordinator):
    return AssignmentFactory(contact_person=coordinator)


def invite(assignment, coordinator, profile, *, accept=False) -> Booking:
    (booking,), _refused = booking_services.invite_experts(assignment=assignment, profiles=[profile], actor=coordinator)
    if accept:
        booking = booking_services.answer_invitation(booking=booking, accept=True)
    return booking


# --- Access ----------------------------------------------------------------------------------------

PAGES = [
    ("bookings:assignment_list", False, "get"),
    ("bookings:assignment_create", False, "get"),
    ("bookings:assignment_create", False, "post"),
    ("bookings:assignment_detail", "assignment", "get"),
    ("bookings:assignment_move", "assignment", "get"),
    ("bookings:assignment_move", "assignment", "post"),
    ("bookings:assignment_cancel", "assignment", "get"),
    ("bookings:assignment_cancel", "assignment", "post"),
    ("bookings:assignment_invite", "assignment", "post"),
    ("bookings:booking_confirm", "booking", "post"),
    ("bookings:booking_cancel", "booking", "get"),
    ("bookings:booking_cancel", "booking", "post"),
    ("bookings:booking_complete", "booking", "get"),
    ("bookings:booking_complete", "booking", "post"),
    ("bookings:booking_feedback", "booking", "get"),
    ("bookings:booking_feedback", "booking", "post"),
]


@pytest.fixture
def objects(assignment, coordinator):
    booking = invite(assignment, coordinator, ExpertProfileFactory())
    return {"assignment": assignment, "booking": booking}


def url_of(name, arg, objects):
    return reverse(name, args=[objects[arg].pk]) if arg else reverse(name)


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "arg", "method"), PAGES)
def test_anonymous_is_sent_to_sign_in(client, objects, name, arg, method):
    response = getattr(client, method)(url_of(name, arg, objects))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["expert", "trainer"])
@pytest.mark.parametrize(("name", "arg", "method"), PAGES)
def test_other_roles_are_refused(client, request, objects, role, name, arg, method):
    client.force_login(request.getfixturevalue(role))
    response = getattr(client, method)(url_of(name, arg, objects))
    assert response.status_code == 403
    assert Assignment.objects.count() == 1
    assert Booking.objects.get().status == BookingStatus.INVITED


@pytest.mark.django_db
def test_admin_may_use_the_pages(client, admin_user, assignment):
    client.force_login(admin_user)
    assert client.get(reverse("bookings:assignment_list")).status_code == 200
    assert client.get(assignment.get_absolute_url()).status_code == 200


@pytest.mark.django_db
def test_unknown_assignment_is_404(signed_in):
    assert signed_in.get(reverse("bookings:assignment_detail", args=[999999])).status_code == 404


# --- The month list --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_list_shows_this_months_assignments_with_their_experts(signed_in, coordinator):
    today = timezone.localdate()
    starts = datetime.combine(today, time(0, 30), HELSINKI)
    this_month = AssignmentFactory(
        contact_person=coordinator, title="Tämän kuun luento", starts_at=starts, ends_at=starts + timedelta(hours=1)
    )
    AssignmentFactory(
        contact_person=coordinator,
        title="Ensi kuun luento",
        starts_at=next_month_day(10, 9),
        ends_at=next_month_day(10, 11),
    )
    booking = invite(this_month, coordinator, ExpertProfileFactory(display_name="Äijä-Åsa"))

    response = signed_in.get(reverse("bookings:assignment_list"))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Tämän kuun luento" in page
    assert "Ensi kuun luento" not in page
    assert "Äijä-Åsa: invited" in page
    assert booking.assignment.unit in page
    assert reverse("bookings:assignment_create") in page
    assert reverse("bookings:assignment_export") in page


@pytest.mark.django_db
def test_list_of_another_month_with_previous_and_next_links(signed_in, coordinator):
    starts = next_month_day(10, 9)
    AssignmentFactory(
        contact_person=coordinator, title="Ensi kuun luento", starts_at=starts, ends_at=starts + timedelta(hours=2)
    )
    month = starts.strftime("%Y-%m")

    response = signed_in.get(reverse("bookings:assignment_list"), {"month": month})

    page = response.content.decode()
    assert "Ensi kuun luento" in page
    assert response.context["month"] == starts.date().replace(day=1)
    assert f"?month={timezone.localdate().strftime('%Y-%m')}" in page  # previous month: this one
    # A month typed the Finnish way works too.
    response = signed_in.get(reverse("bookings:assignment_list"), {"month": starts.strftime("%m.%Y")})
    assert "Ensi kuun luento" in response.content.decode()


@pytest.mark.django_db
def test_list_with_a_bad_month_shows_an_error_and_this_month(signed_in):
    response = signed_in.get(reverse("bookings:assignment_list"), {"month": "2026-13"})
    assert response.status_code == 200
    assert "Give the month as 11.2026 or 2026-11." in response.content.decode()
    assert response.context["month"] == timezone.localdate().replace(day=1)


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 6])
def test_list_queries_do_not_grow_with_rows(signed_in, coordinator, django_assert_num_queries, count):
    starts = next_month_day(3, 8)
    for number in range(count):
        item = AssignmentFactory(
            contact_person=coordinator,
            starts_at=starts + timedelta(hours=3 * number),
            ends_at=starts + timedelta(hours=3 * number + 2),
        )
        invite(item, coordinator, ExpertProfileFactory())
        invite(item, coordinator, ExpertProfileFactory())
    # session, the user with roles, permissions and MFA status (accounts.backends); the month's assignments with
    # task, contact person and tariff; their bookings with experts (prefetch); the units in use and the
    # filters' choices of task, contact person and expert (bookings/filters.py); then the idle-timeout
    # session save (savepoint, update, release).
    with django_assert_num_queries(11):
        response = signed_in.get(reverse("bookings:assignment_list"), {"month": starts.strftime("%Y-%m")})
    assert len(response.context["assignments"]) == count


# --- Creating --------------------------------------------------------------------------------------


def form_data(**changes) -> dict:
    day = (timezone.localdate() + timedelta(days=20)).isoformat()
    data = {
        "form_key": "avain-1234567890abcdef",
        "title": "Kokemuspuheenvuoro hoitajille",
        "description": "Mitä toipuminen on ollut.",
        "task_type": TaskType.objects.get(slug="luento").pk,
        "date": day,
        "start_time": "14:30",
        "end_time": "16:00",
        "address": "Keskussairaalankatu 7, Lahti",
        "unit": "Psykiatrian poliklinikka",
        "contact_phone": "044 123 4567",
        "tariff": Tariff.objects.get(kind="hourly").pk,
        "experts_needed": "1",
    }
    data.update(changes)
    return data


@pytest.mark.django_db
def test_create_form_defaults_to_the_current_user_and_offers_coordinators_only(signed_in, coordinator):
    other = UserFactory(role="coordinator", first_name="Kaarina", last_name="Öhman")
    expert_user = UserFactory(role="expert")
    response = signed_in.get(reverse("bookings:assignment_create"))
    form = response.context["form"]
    assert form["contact_person"].value() == coordinator.pk
    people = set(form.fields["contact_person"].queryset)
    assert {coordinator, other} <= people
    assert expert_user not in people
    # Only fee tariffs: no mileage or meal.
    assert set(form.fields["tariff"].queryset.values_list("kind", flat=True)) == {"hourly", "lecture", "meeting"}


@pytest.mark.django_db
def test_create_saves_the_assignment_in_helsinki_time(signed_in, coordinator):
    data = form_data(contact_person=coordinator.pk)
    response = signed_in.post(reverse("bookings:assignment_create"), data)
    assignment = Assignment.objects.get()
    assert response.status_code == 302
    assert response.url == assignment.get_absolute_url()
    day = timezone.localdate() + timedelta(days=20)
    assert assignment.starts_at == datetime.combine(day, time(14, 30), HELSINKI)
    assert assignment.ends_at == datetime.combine(day, time(16, 0), HELSINKI)
    assert assignment.created_by == coordinator
    assert assignment.contact_person == coordinator
    assert assignment.expected_fee() == Decimal("37.50")  # 1.5 h × 25 €


@pytest.mark.django_db
def test_create_accepts_finnish_dates_and_times_in_any_language(signed_in, coordinator):
    day = timezone.localdate() + timedelta(days=30)
    data = form_data(contact_person=coordinator.pk, date=day.strftime("%d.%m.%Y"), start_time="9.15", end_time="11.00")
    signed_in.post(reverse("bookings:assignment_create"), data)  # the page language is English
    assignment = Assignment.objects.get()
    assert assignment.starts_at == datetime.combine(day, time(9, 15), HELSINKI)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"date": "31.02.2026"}, "Enter a valid date."),
        ({"start_time": "25.99"}, "Enter a valid time."),
        ({"end_time": "13:00"}, "The end time must be after the start time."),
        ({"date": "1.1.2020"}, "The assignment cannot start in the past."),
        ({"title": ""}, "This field is required."),
        ({"remote_link": "ei linkki"}, "Enter a valid URL."),
    ],
)
def test_create_with_bad_input_shows_the_error_and_creates_nothing(signed_in, coordinator, changes, error):
    response = signed_in.post(
        reverse("bookings:assignment_create"), form_data(contact_person=coordinator.pk, **changes)
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Please check the following" in page
    assert error in page
    assert not Assignment.objects.exists()


@pytest.mark.django_db
def test_typed_finnish_date_and_time_come_back_to_the_pickers_as_iso(signed_in, coordinator):
    day = timezone.localdate() + timedelta(days=30)
    data = form_data(contact_person=coordinator.pk, title="", date=day.strftime("%d.%m.%Y"), start_time="9.15")
    page = signed_in.post(reverse("bookings:assignment_create"), data).content.decode()
    # A date picker shows "24.11.2026" as empty: the re-shown form gives it 2026-11-24.
    assert f'type="date" name="date" value="{day.isoformat()}"' in page
    assert 'type="time" name="start_time" value="09:15"' in page


@pytest.mark.django_db
def test_create_errors_are_translated(client, coordinator):
    client.force_login(coordinator)  # Finnish, the default language
    response = client.post(reverse("bookings:assignment_create"), form_data(contact_person=coordinator.pk, title=""))
    assert response.status_code == 200
    assert "Tämä kenttä vaaditaan." in response.content.decode()


@pytest.mark.django_db
def test_double_submit_creates_one_assignment(signed_in, coordinator):
    data = form_data(contact_person=coordinator.pk)
    first = signed_in.post(reverse("bookings:assignment_create"), data)
    second = signed_in.post(reverse("bookings:assignment_create"), data, follow=True)
    assert Assignment.objects.count() == 1
    assert second.redirect_chain[-1][0] == first.url
    assert "This form was already sent" in second.content.decode()
    # A new form (a new key) creates a new assignment.
    signed_in.post(reverse("bookings:assignment_create"), {**data, "form_key": "toinen-avain-1234567890"})
    assert Assignment.objects.count() == 2


@pytest.mark.django_db
def test_a_missing_form_key_asks_to_send_again(signed_in, coordinator):
    data = form_data(contact_person=coordinator.pk)
    del data["form_key"]
    response = signed_in.post(reverse("bookings:assignment_create"), data)
    assert response.status_code == 200
    assert "The form had expired" in response.content.decode()
    assert not Assignment.objects.exists()
    # The re-rendered form carries a fresh key, and sending it works.
    data["form_key"] = response.context["form"].form_key
    assert signed_in.post(reverse("bookings:assignment_create"), data).status_code == 302


@pytest.mark.django_db
def test_create_with_an_expert_invites_them_at_once(signed_in, coordinator):
    profile = ExpertProfileFactory(display_name="Säde")
    url = f"{reverse('bookings:assignment_create')}?expert={profile.pk}"
    assert "Säde is invited as soon as the assignment is saved." in signed_in.get(url).content.decode()

    response = signed_in.post(url, form_data(contact_person=coordinator.pk), follow=True)

    booking = Booking.objects.get()
    assert booking.expert == profile
    assert booking.status == BookingStatus.INVITED
    assert "Säde was invited." in response.content.decode()


@pytest.mark.django_db
def test_create_with_an_unbookable_expert_saves_nothing_and_tells_why(signed_in, coordinator):
    # All or nothing (tests/bookings/test_book_new_atomic.py): no assignment without its expert.
    profile = ExpertProfileFactory(display_name="Eero", status="paused")
    url = f"{reverse('bookings:assignment_create')}?expert={profile.pk}"
    response = signed_in.post(url, form_data(contact_person=coordinator.pk), follow=True)
    assert not Assignment.objects.exists()
    assert not Booking.objects.exists()
    assert (
        "Eero could not be invited, so the assignment was not saved: The expert has paused their assignments."
        in response.content.decode()
    )


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["abc", "999999", "²"])
def test_create_with_an_unknown_expert_is_404(signed_in, value):
    assert signed_in.get(reverse("bookings:assignment_create"), {"expert": value}).status_code == 404


# --- The detail page -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_detail_shows_the_assignment_fee_and_bookings(signed_in, coordinator, assignment):
    invite(assignment, coordinator, ExpertProfileFactory(display_name="Jyrki"))
    accepted = invite(assignment, coordinator, ExpertProfileFactory(display_name="Päivi"), accept=True)
    accepted.answer_note = "Tulen mielelläni."
    accepted.save()

    response = signed_in.get(assignment.get_absolute_url())

    page = response.content.decode()
    assert assignment.title in page
    assert "€50.00" in page  # expected fee: 2 h × 25 €
    assert "Jyrki" in page and "Päivi" in page
    assert "Tulen mielelläni." in page
    assert reverse("bookings:booking_confirm", args=[accepted.pk]) in page
    assert reverse("bookings:booking_cancel", args=[accepted.pk]) in page
    assert f"{reverse('experts:index')}?for={assignment.pk}&amp;task=luento" in page
    assert reverse("bookings:assignment_move", args=[assignment.pk]) in page
    assert reverse("bookings:assignment_cancel", args=[assignment.pk]) in page


def completed_booking(coordinator, profile, **assignment_fields) -> Booking:
    past = AssignmentFactory(contact_person=coordinator, starts_in=-timedelta(hours=4), **assignment_fields)
    # Confirmed directly: the services confirm only assignments still to come.
    booking = BookingFactory(assignment=past, expert=profile, status=BookingStatus.CONFIRMED)
    return booking_services.complete_booking(booking=booking, completed=True, hours=None, actor=coordinator)


@pytest.mark.django_db
def test_detail_shows_the_check_in_and_the_experts_feedback(signed_in, coordinator):
    booking = completed_booking(coordinator, ExpertProfileFactory())
    booking_services.submit_check_in(
        booking=booking, feeling=CheckIn.Feeling.RATHER_HARD, text="Jännitti.", wants_debrief=True
    )
    PrivateFeedback.objects.create(booking=booking, side="expert", text="Tauko olisi ollut hyvä.")

    page = signed_in.get(booking.assignment.get_absolute_url()).content.decode()

    assert "Rather hard" in page
    assert "Jännitti." in page
    assert "The expert would like to talk it through." in page
    assert "Tauko olisi ollut hyvä." in page
    assert reverse("bookings:booking_feedback", args=[booking.pk]) in page


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 5])
def test_detail_queries_do_not_grow_with_bookings(signed_in, coordinator, django_assert_num_queries, count):
    past = AssignmentFactory(contact_person=coordinator, starts_in=-timedelta(hours=4), experts_needed=count)
    bookings = [
        BookingFactory(assignment=past, expert=ExpertProfileFactory(), status=BookingStatus.CONFIRMED)
        for _number in range(count)
    ]
    for booking in bookings:
        booking_services.complete_booking(
            booking=booking,
            completed=True,
            hours=None,
            actor=coordinator,
            expenses=[booking_services.Expense("travel_km", Decimal("12"))],
        )
        booking_services.submit_check_in(booking=booking, feeling=4, text="", wants_debrief=False)
        PrivateFeedback.objects.create(booking=booking, side="expert", text="Kiitos.")
    # session, the user with roles, permissions and MFA status (accounts.backends); the assignment with task,
    # contact person, tariff and creator; its bookings with experts and check-ins; their expense lines;
    # their private feedback; the completed bookings' corrections with who made them; the participants'
    # feedback rounds with their answer counts; then the idle-timeout session save (savepoint, update,
    # release).
    ContentType.objects.get_for_model(Assignment)  # cached for the process: read once, not per page
    with django_assert_num_queries(11):
        response = signed_in.get(past.get_absolute_url())
    assert len(response.context["rows"]) == count
