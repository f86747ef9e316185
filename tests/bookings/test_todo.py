"""The coordinators' to-do (bookings/todo.py, views/todo.py): each section lists what waits and
nothing else, the debrief's steps, the count in the navigation and the front page."""

import html
import re
from datetime import time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditAction, AuditEvent
from bookings.debriefs import move_debrief
from bookings.models import (
    AssignmentStatus,
    Booking,
    BookingStatus,
    CheckIn,
    ClaimStatus,
    DebriefStatus,
    ExpenseClaim,
    OrderRequest,
    OrderStatus,
)
from bookings.services import BookingError
from bookings.todo import count_waiting, nav_total, todo_for
from experts.models import ConsentText, ProfileStatus, TaskType
from experts.services import give_consent
from tests.factories import AssignmentFactory, BookingFactory, CheckInFactory, ExpertProfileFactory, UserFactory

TODO = reverse("bookings:todo")
OTHER_PAGE = reverse("accounts:invitation_create")  # any coordinator's page


@pytest.fixture
def signed_in(client, coordinator):
    client.force_login(coordinator)
    client.cookies["kp_language"] = "en"
    return client


def page_of(response) -> str:
    return html.unescape(response.content.decode()).replace("\xa0", " ")


def section(page: str, name: str) -> str:
    """One section of the to-do page, by its heading's id (todo-unanswered, todo-short...)."""
    match = re.search(rf'<section aria-labelledby="todo-{name}">(.*?)</section>', page, re.S)
    assert match, name
    return match.group(1)


def ago(**delta):
    return timezone.now() - timedelta(**delta)


def order_request(**fields) -> OrderRequest:
    values = {
        "orderer": UserFactory(role="orderer"),
        "unit": "Lasten ja nuorten poliklinikka",
        "task_type": TaskType.objects.get(slug="luento"),
        "date": timezone.localdate() + timedelta(days=20),
        "start_time": time(12),
        "end_time": time(14),
        "audience": "Henkilökunta, noin 20",
    }
    return OrderRequest.objects.create(**{**values, **fields})


# --- Each section: what it lists and what it does not ------------------------------------------------


@pytest.mark.django_db
def test_unanswered_invitations_oldest_first_with_the_time_waited():
    newer = BookingFactory(invited_at=ago(days=1))
    older = BookingFactory(invited_at=ago(days=3, hours=2))
    BookingFactory(status="accepted")
    BookingFactory(assignment__starts_in=timedelta(hours=-1))  # begun: it can no longer be answered
    assert todo_for(timezone.now()).items["unanswered"] == [older, newer]


@pytest.mark.django_db
def test_unanswered_invitation_shows_how_long_it_has_waited_and_links_to_its_row(signed_in):
    booking = BookingFactory(invited_at=ago(days=3, hours=2))
    part = section(page_of(signed_in.get(TODO)), "unanswered")
    assert "Invited 3 days, 2 hours ago" in part
    assert f"{booking.assignment.get_absolute_url()}#booking-{booking.pk}" in part
    assert reverse("bookings:booking_cancel", args=[booking.pk]) in part


@pytest.mark.django_db
def test_accepted_experts_wait_for_confirmation_until_the_assignment_begins():
    waiting = BookingFactory(status="accepted")
    BookingFactory(status="accepted", assignment__starts_in=timedelta(hours=-1))
    BookingFactory(status="accepted", assignment__status=AssignmentStatus.CANCELLED)
    BookingFactory(status="invited")
    assert todo_for(timezone.now()).items["to_confirm"] == [waiting]


@pytest.mark.django_db
def test_a_confirmed_booking_is_to_record_only_once_its_assignment_has_ended():
    ended = BookingFactory(status="confirmed", assignment__starts_in=timedelta(hours=-3), assignment__hours=2)
    BookingFactory(status="confirmed", assignment__starts_in=timedelta(hours=-1), assignment__hours=2)  # under way
    BookingFactory(status="confirmed")  # to come
    BookingFactory(status="completed", with_fee=True, assignment__starts_in=timedelta(days=-2))
    assert todo_for(timezone.now()).items["to_record"] == [ended]


@pytest.mark.django_db
def test_debriefs_asked_for_and_agreed_are_listed_until_held():
    asked = CheckInFactory(debrief="asked")
    agreed = CheckInFactory(debrief="agreed", debrief_on=timezone.localdate() + timedelta(days=2))
    from_before = CheckInFactory(wants_debrief=True)  # asked before debriefs had a status
    CheckInFactory(debrief="held")
    CheckInFactory()  # no debrief asked for
    assert todo_for(timezone.now()).items["debriefs"] == [asked, from_before, agreed]


@pytest.mark.django_db
def test_open_assignments_short_of_experts_soonest_first():
    later = AssignmentFactory(starts_in=timedelta(days=9), experts_needed=2)
    BookingFactory(assignment=later, status="confirmed")
    BookingFactory(assignment=later, status="invited")
    sooner = AssignmentFactory(starts_in=timedelta(days=2))
    AssignmentFactory(starts_in=timedelta(days=3), status=AssignmentStatus.FILLED)
    AssignmentFactory(starts_in=timedelta(days=-1))  # begun
    AssignmentFactory(starts_in=timedelta(days=4), status=AssignmentStatus.CANCELLED)
    short = todo_for(timezone.now()).items["short"]
    assert short == [sooner, later]
    assert (short[1].confirmed, short[1].pending) == (1, 1)


@pytest.mark.django_db
def test_short_assignment_says_how_many_and_links_to_the_search_for_it(signed_in):
    assignment = AssignmentFactory(experts_needed=2)
    BookingFactory(assignment=assignment, status="confirmed")
    part = section(page_of(signed_in.get(TODO)), "short")
    assert "1 of 2 confirmed" in part
    assert f"{reverse('experts:index')}?for={assignment.pk}&task=luento" in part


@pytest.mark.django_db
def test_consents_of_the_previous_text_are_expiring_while_the_grace_period_runs(signed_in):
    old_text = ConsentText.current()
    on_old, left = ExpertProfileFactory(display_name="Vanha Suostumus"), ExpertProfileFactory()
    left.status = ProfileStatus.LEFT
    left.save(update_fields=["status"])
    new_text = ConsentText.objects.create(
        version=old_text.version + 1, text="Uusi", published_at=ago(days=5), grace_days=30
    )
    give_consent(profile=ExpertProfileFactory(), text=new_text)
    consents = todo_for(timezone.now()).items["consents"]
    assert consents == [on_old]
    assert consents[0].consent_expires_at == new_text.published_at + timedelta(days=30)
    part = section(page_of(signed_in.get(TODO)), "consents")
    expires = timezone.localtime(new_text.published_at + timedelta(days=30)).strftime("%d.%m.%Y").lstrip("0")
    assert "Vanha Suostumus" in part and reverse("experts:detail", args=[on_old.pk]) in part
    assert expires.replace(".0", ".") in part


@pytest.mark.django_db
def test_no_consent_is_expiring_once_the_grace_period_is_over():
    ExpertProfileFactory()
    old_text = ConsentText.current()
    ConsentText.objects.create(version=old_text.version + 1, text="Uusi", published_at=ago(days=31), grace_days=30)
    assert todo_for(timezone.now()).items["consents"] == []


@pytest.mark.django_db
def test_order_requests_waiting_oldest_first(signed_in):
    first, second = order_request(), order_request(unit="Aikuispsykiatria")
    order_request(status=OrderStatus.DECLINED)
    assert todo_for(timezone.now()).items["orders"] == [first, second]
    assert reverse("bookings:order_request_detail", args=[first.pk]) in section(page_of(signed_in.get(TODO)), "orders")


@pytest.mark.django_db
def test_expense_claims_waiting_for_approval():
    waiting = ExpenseClaim.objects.create(booking=CheckInFactory().booking, kilometres=12)
    ExpenseClaim.objects.create(booking=CheckInFactory().booking, status=ClaimStatus.APPROVED)
    assert todo_for(timezone.now()).items["claims"] == [waiting]


@pytest.mark.django_db
def test_a_long_section_shows_its_first_items_and_says_how_many_more_wait(signed_in, monkeypatch):
    oldest, older, _newest = (BookingFactory(invited_at=ago(days=days)) for days in (3, 2, 1))
    monkeypatch.setattr("bookings.views.todo.SECTION_LIMIT", 2)
    response = signed_in.get(TODO)
    todo = response.context["todo"]
    assert todo.items["unanswered"] == [oldest, older]
    assert (todo.counts["unanswered"], todo.more["unanswered"]) == (3, 1)
    part = section(page_of(response), "unanswered")
    assert 'Invitations not answered <span class="count">(3)</span>' in part
    assert "The first 2 are shown; 1 more is waiting." in part


@pytest.mark.django_db
def test_empty_sections_say_so(signed_in):
    page = page_of(signed_in.get(TODO))
    assert "Every invitation has been answered." in section(page, "unanswered")
    assert "No expense claim is waiting." in section(page, "claims")
    assert page.count('<span class="count">(0)</span>') == 8


# --- Everyone's and mine --------------------------------------------------------------------------


@pytest.mark.django_db
def test_everyones_items_are_shown_and_mine_are_marked(signed_in, coordinator):
    mine = BookingFactory(assignment__contact_person=coordinator, assignment__title="Oma luento")
    other = BookingFactory(assignment__title="Toisen luento")
    part = section(page_of(signed_in.get(TODO)), "unanswered")
    assert "Oma luento" in part and "Toisen luento" in part
    assert part.count("Yours") == 1
    assert f"Contact person: {other.assignment.contact_person}" in part
    assert mine.assignment.title in part.split("Yours")[0]


@pytest.mark.django_db
def test_only_mine_leaves_out_other_coordinators_assignments_but_not_orders(signed_in, coordinator):
    BookingFactory(assignment__contact_person=coordinator, assignment__title="Oma luento")
    BookingFactory(assignment__title="Toisen luento")
    order_request(unit="Lastenpsykiatria")
    response = signed_in.get(TODO, {"mine": "1"})
    page = page_of(response)
    assert "Oma luento" in page and "Toisen luento" not in page
    assert "Lastenpsykiatria" in page
    # mine: the invitation and its assignment, short of experts, and the order; everyone's: two of each and the order
    assert "Only my assignments (3)" in page and "Everyone's (5)" in page


# --- Confirming from the to-do ---------------------------------------------------------------------


@pytest.mark.django_db
def test_an_expert_to_confirm_outside_the_hours_they_gave_is_marked(signed_in):
    outside = BookingFactory(status="accepted", expert=ExpertProfileFactory(weekdays=[0, 1, 2, 3, 4, 5, 6]))
    outside.assignment.starts_at = outside.assignment.starts_at.replace(hour=20)  # 22 or 23 in Helsinki
    outside.assignment.ends_at = outside.assignment.starts_at + timedelta(hours=1)
    outside.assignment.save()
    BookingFactory(status="accepted")  # no weekly hours given: nothing is outside them
    part = section(page_of(signed_in.get(TODO)), "to-confirm")
    assert part.count("Outside the hours they gave") == 1
    assert part.index("Outside the hours they gave") > part.index(outside.expert.display_name)


@pytest.mark.django_db
def test_confirm_from_the_todo_confirms_and_returns_to_it(signed_in):
    booking = BookingFactory(status="accepted")
    url = reverse("bookings:todo_confirm", args=[booking.pk])
    response = signed_in.post(url)
    assert response.status_code == 302 and response.url == TODO
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED
    again = signed_in.post(url, follow=True)
    assert "Only an expert who has accepted can be confirmed." in page_of(again)
    assert Booking.objects.filter(status=BookingStatus.CONFIRMED).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["expert", "trainer", "orderer"])
def test_other_roles_cannot_see_the_todo_nor_confirm(client, role):
    booking = BookingFactory(status="accepted")
    client.force_login(UserFactory(role=role, mfa=role == "trainer"))
    assert client.get(TODO).status_code == 403
    assert client.post(reverse("bookings:todo_confirm", args=[booking.pk])).status_code == 403
    booking.refresh_from_db()
    assert booking.status == BookingStatus.ACCEPTED


@pytest.mark.django_db
def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(TODO)
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))


# --- The debrief: asked → agreed → held ------------------------------------------------------------


def debrief_url(check_in: CheckIn) -> str:
    return reverse("bookings:debrief", args=[check_in.booking_id])


@pytest.mark.django_db
def test_debrief_page_shows_the_check_in_and_is_in_the_audit_log(signed_in, coordinator):
    check_in = CheckInFactory(debrief="asked", text="Haluaisin puhua tästä.")
    page = page_of(signed_in.get(debrief_url(check_in)))
    assert "Haluaisin puhua tästä." in page
    assert "Agree on a date" in page
    event = AuditEvent.objects.get(actor=coordinator, action=AuditAction.VIEW)
    assert event.subject == check_in.booking.expert.user and event.what == "check-in"


@pytest.mark.django_db
def test_debrief_moves_from_asked_to_agreed_to_held(signed_in, coordinator):
    check_in = CheckInFactory(debrief="asked")
    day = timezone.localdate() + timedelta(days=3)
    response = signed_in.post(debrief_url(check_in), {"to": "agreed", "on": day.strftime("%d.%m.%Y")}, follow=True)
    check_in.refresh_from_db()
    assert (check_in.debrief_status, check_in.debrief_on) == (DebriefStatus.AGREED, day)
    assert "The debrief is agreed for" in page_of(response)
    signed_in.post(debrief_url(check_in), {"to": "held"})
    check_in.refresh_from_db()
    assert check_in.debrief_status == DebriefStatus.HELD
    assert set(AuditEvent.objects.filter(what__startswith="debrief").values_list("what", flat=True)) == {
        "debrief agreed",
        "debrief held",
    }
    assert todo_for(timezone.now()).items["debriefs"] == []


@pytest.mark.django_db
def test_agreeing_the_same_date_twice_changes_nothing(signed_in):
    check_in = CheckInFactory(debrief="asked")
    data = {"to": "agreed", "on": (timezone.localdate() + timedelta(days=3)).isoformat()}
    signed_in.post(debrief_url(check_in), data)
    check_in.refresh_from_db()
    first = check_in.debrief_updated_at
    signed_in.post(debrief_url(check_in), data)
    check_in.refresh_from_db()
    assert check_in.debrief_updated_at == first
    assert AuditEvent.objects.filter(what__startswith="debrief").count() == 1


@pytest.mark.django_db
def test_a_held_debrief_does_not_go_back(signed_in):
    check_in = CheckInFactory(debrief="held")
    response = signed_in.post(
        debrief_url(check_in), {"to": "agreed", "on": timezone.localdate().isoformat()}, follow=True
    )
    assert "The debrief has already been held." in page_of(response)
    check_in.refresh_from_db()
    assert check_in.debrief_status == DebriefStatus.HELD


@pytest.mark.django_db
def test_an_agreed_debrief_does_not_go_back_to_asked(coordinator):
    check_in = CheckInFactory(debrief="agreed", debrief_on=timezone.localdate())
    with pytest.raises(BookingError, match="cannot be moved back"):
        move_debrief(booking=check_in.booking, to=DebriefStatus.ASKED, actor=coordinator)
    with pytest.raises(BookingError, match="Choose what to do"):
        move_debrief(booking=check_in.booking, to="cancelled", actor=coordinator)


@pytest.mark.django_db
def test_a_debrief_held_at_once_may_skip_the_date(coordinator):
    check_in = CheckInFactory(debrief="asked")
    move_debrief(booking=check_in.booking, to=DebriefStatus.HELD, actor=coordinator)
    check_in.refresh_from_db()
    assert check_in.debrief_status == DebriefStatus.HELD and check_in.debrief_on is None


@pytest.mark.django_db
def test_a_date_in_the_past_or_missing_is_a_form_error(signed_in):
    check_in = CheckInFactory(debrief="asked")
    for day, error in [(timezone.localdate() - timedelta(days=1), "The date has passed."), ("", "required")]:
        response = signed_in.post(debrief_url(check_in), {"to": "agreed", "on": str(day)})
        assert response.status_code == 200
        assert error in page_of(response)
    check_in.refresh_from_db()
    assert check_in.debrief_status == DebriefStatus.ASKED


@pytest.mark.django_db
def test_debrief_page_needs_a_debrief_asked_for(signed_in):
    assert signed_in.get(debrief_url(CheckInFactory())).status_code == 404
    assert signed_in.get(reverse("bookings:debrief", args=[BookingFactory().pk])).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["expert", "trainer", "orderer"])
def test_other_roles_cannot_move_a_debrief(client, role):
    check_in = CheckInFactory(debrief="asked")
    client.force_login(UserFactory(role=role, mfa=role == "trainer"))
    assert client.get(debrief_url(check_in)).status_code == 403
    assert client.post(debrief_url(check_in), {"to": "held"}).status_code == 403
    check_in.refresh_from_db()
    assert check_in.debrief_status == DebriefStatus.ASKED


@pytest.mark.django_db
def test_the_assignment_page_links_to_the_debrief(signed_in):
    check_in = CheckInFactory(debrief="asked")
    page = page_of(signed_in.get(check_in.booking.assignment.get_absolute_url()))
    assert debrief_url(check_in) in page


# --- The count in the navigation -------------------------------------------------------------------


def nav(response) -> str:
    return re.search(r'<nav class="main-nav".*?</nav>', response.content.decode(), re.S).group(0)


@pytest.fixture
def waiting():
    """One item in each of the eight sections."""
    BookingFactory()
    BookingFactory(status="accepted")
    BookingFactory(status="confirmed", assignment__starts_in=timedelta(hours=-3), assignment__hours=2)
    check_in = CheckInFactory(debrief="asked")
    AssignmentFactory(starts_in=timedelta(days=30))
    ExpertProfileFactory()
    old_text = ConsentText.current()
    ConsentText.objects.create(version=old_text.version + 1, text="Uusi", published_at=ago(days=1))
    order_request()
    ExpenseClaim.objects.create(booking=check_in.booking, tickets=5)


@pytest.mark.django_db
def test_the_count_is_one_statement_and_agrees_with_the_page(waiting, django_assert_num_queries):
    now = timezone.now()
    todo = todo_for(now)
    # The invitation's, the acceptance's and the new assignment are short of experts; every expert
    # made here consented to the text before the new one.
    lengths = {name: len(items) for name, items in todo.items.items()}
    assert lengths == {
        "unanswered": 1,
        "to_confirm": 1,
        "to_record": 1,
        "debriefs": 1,
        "short": 3,
        "consents": 5,
        "orders": 1,
        "claims": 1,
    }
    with django_assert_num_queries(1):
        assert count_waiting(now) == todo.total == 14


@pytest.mark.django_db
def test_the_navigation_shows_the_count_with_words_for_screen_readers(signed_in, waiting):
    nav_total.forget()
    html_nav = nav(signed_in.get(OTHER_PAGE))
    todo_link = re.search(rf'<a href="{TODO}">To do(.*?)</a>', html_nav).group(1)
    assert '<span class="nav-count" aria-hidden="true">(14)</span>' in todo_link
    assert '<span class="visually-hidden">, 14 items waiting</span>' in todo_link


@pytest.mark.django_db
def test_the_count_is_remembered_for_a_while_and_the_todo_page_refreshes_it(signed_in, django_assert_num_queries):
    nav_total.forget()
    BookingFactory()
    signed_in.get(OTHER_PAGE)
    BookingFactory()
    assert "(2)" in nav(signed_in.get(OTHER_PAGE))  # two assignments short, one invitation
    response = signed_in.get(TODO)
    assert "(4)" in nav(response)
    assert 'aria-current="page">To do' in nav(response)


@pytest.mark.django_db
def test_nothing_waiting_shows_no_count(signed_in):
    nav_total.forget()
    html_nav = nav(signed_in.get(OTHER_PAGE))
    assert f'<a href="{TODO}">To do</a>' in html_nav


@pytest.mark.django_db
def test_an_expert_has_no_todo_in_the_navigation(client, expert):
    nav_total.forget()
    BookingFactory()
    client.force_login(expert)
    assert TODO not in nav(client.get(reverse("home")))


# --- The front page --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_coordinators_front_page_is_the_todo(signed_in):
    BookingFactory(status="accepted", assignment__title="Luento hoitajille")
    page = page_of(signed_in.get(reverse("home")))
    assert 'id="todo-heading"' in page and 'id="role-coordinator"' in page
    assert "Luento hoitajille" in section(page, "to-confirm")
    assert '<h3 id="todo-to-confirm">' in page  # under the front page's "To do" heading


@pytest.mark.django_db
def test_an_experts_front_page_has_no_todo(client, profile):
    BookingFactory(expert=profile)
    client.force_login(profile.user)
    page = page_of(client.get(reverse("home")))
    assert 'id="role-expert"' in page
    assert 'id="todo-heading"' not in page and TODO not in page


# --- Queries -----------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 4])
def test_todo_queries_do_not_grow_with_items(signed_in, django_assert_num_queries, count):
    for _number in range(count):
        BookingFactory()
        BookingFactory(status="accepted")
        BookingFactory(status="confirmed", assignment__starts_in=timedelta(hours=-3), assignment__hours=2)
        check_in = CheckInFactory(debrief="asked")
        order_request()
        ExpenseClaim.objects.create(booking=check_in.booking, tickets=5)
        ExpertProfileFactory()
    ConsentText.objects.create(version=ConsentText.current().version + 1, text="Uusi", published_at=ago(days=1))
    # session, the user with roles, permissions and MFA status (accounts.backends); the counts of
    # the eight sections (one statement); the invitations, the acceptances and the bookings to record,
    # each with assignments, contact persons, tasks and experts; the debriefs; the assignments short
    # of experts; the consents expiring; the order requests; the claims; the weekly hours of the
    # experts to confirm; then the idle-timeout session save (savepoint, update, release).
    with django_assert_num_queries(15):
        response = signed_in.get(TODO)
    assert len(response.context["todo"].items["orders"]) == count
