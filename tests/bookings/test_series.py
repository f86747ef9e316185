"""Recurring assignments (bookings/series.py): creating a weekly series from the assignment form, and
moving or cancelling one date or that date and the following ones, all or nothing."""

from datetime import date, datetime, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bookings import series
from bookings.forms_series import AssignmentSeriesForm
from bookings.models import (
    Assignment,
    AssignmentSeries,
    AssignmentStatus,
    Booking,
    BookingStatus,
    MatchDigest,
    Tariff,
)
from bookings.services import BookingError
from experts.models import BlockedPeriod, TaskType
from notifications.models import Notification
from tests.factories import AssignmentFactory, BookingFactory, ExpertProfileFactory

HELSINKI = timezone.get_default_timezone()


@pytest.fixture
def signed_in(client, coordinator):
    client.force_login(coordinator)
    client.cookies["kp_language"] = "en"
    return client


def wednesday_after(days: int) -> date:
    """The first Wednesday at least `days` days from today."""
    day = timezone.localdate() + timedelta(days=days)
    return day + timedelta(days=(2 - day.weekday()) % 7)


def spring_change() -> date:
    """The next last Sunday of March (the clocks go forward at 3.00) at least three weeks away."""
    year = timezone.localdate().year
    while True:
        last = date(year, 3, 31)
        sunday = last - timedelta(days=(last.weekday() - 6) % 7)
        if sunday > timezone.localdate() + timedelta(days=21):
            return sunday
        year += 1


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), HELSINKI)


def form_data(first: date, **changes) -> dict:
    data = {
        "form_key": "sarja-1234567890abcdef",
        "title": "Kokemusvastaanotto Lahden terveysasemalla",
        "task_type": TaskType.objects.get(slug="vastaanotto").pk,
        "date": first.isoformat(),
        "start_time": "12:00",
        "end_time": "16:00",
        "address": "Terveyskeskus, Lahti",
        "unit": "Lahden terveysasema",
        "tariff": Tariff.objects.get(kind="hourly").pk,
        "experts_needed": "1",
    }
    data.update(changes)
    return data


def make_series(coordinator, first: date, weeks: int, **changes) -> list[Assignment]:
    """A series of `weeks` weekly dates from `first`, 12–16, through the form and the service."""
    last = first + timedelta(weeks=weeks - 1)
    data = form_data(first, contact_person=coordinator.pk, repeat="weekly", repeat_until=last.isoformat(), **changes)
    form = AssignmentSeriesForm(data, user=coordinator)
    assert form.is_valid(), form.errors
    return series.create_assignment_series(form=form, last_date=last, actor=coordinator)


def local_times(assignment: Assignment) -> tuple[date, time, time]:
    starts, ends = timezone.localtime(assignment.starts_at), timezone.localtime(assignment.ends_at)
    return starts.date(), starts.time(), ends.time()


# --- Creating --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_form_creates_a_date_every_week_until_the_last_date(signed_in, coordinator):
    first = wednesday_after(7)
    last = first + timedelta(weeks=5, days=3)  # a Saturday: the last Wednesday before it is the last date
    data = form_data(first, contact_person=coordinator.pk, repeat="weekly", repeat_until=last.strftime("%d.%m.%Y"))

    response = signed_in.post(reverse("bookings:assignment_create"), data, follow=True)

    dates = list(Assignment.objects.order_by("starts_at"))
    assert len(dates) == 6
    assert [local_times(item) for item in dates] == [
        (first + timedelta(weeks=week), time(12), time(16)) for week in range(6)
    ]
    rule = AssignmentSeries.objects.get()
    assert {item.series_id for item in dates} == {rule.pk}
    assert (rule.weekday, rule.start_time, rule.end_time) == (2, time(12), time(16))
    assert (rule.first_date, rule.last_date) == (first, first + timedelta(weeks=5))
    assert {item.title for item in dates} == {"Kokemusvastaanotto Lahden terveysasemalla"}
    assert {item.created_by for item in dates} == {coordinator}
    assert response.redirect_chain[-1][0] == dates[0].get_absolute_url()
    assert "The recurring assignment was saved: 6 dates." in response.content.decode()


@pytest.mark.django_db
def test_a_series_across_the_spring_clock_change_keeps_the_finnish_time(coordinator):
    change = spring_change()
    dates = make_series(coordinator, change - timedelta(days=11), weeks=4)

    # 12–16 on the clock on every date: two hours later in UTC in winter, three in summer time.
    assert [local_times(item)[1:] for item in dates] == [(time(12), time(16))] * 4
    assert [item.starts_at.astimezone(HELSINKI).utcoffset() for item in dates] == [
        timedelta(hours=2),
        timedelta(hours=2),
        timedelta(hours=3),
        timedelta(hours=3),
    ]
    assert {item.hours for item in dates} == {4}


@pytest.mark.django_db
def test_a_series_through_the_skipped_hour_is_refused_naming_the_date(signed_in, coordinator):
    change = spring_change()
    first = change - timedelta(weeks=2)  # Sundays at 3.30: the one of the change does not exist
    data = form_data(
        first,
        contact_person=coordinator.pk,
        start_time="03:30",
        end_time="05:00",
        repeat="weekly",
        repeat_until=(change + timedelta(weeks=1)).isoformat(),
    )

    response = signed_in.post(reverse("bookings:assignment_create"), data)

    assert response.status_code == 200
    assert f"The time does not exist on {change.day}.{change.month}.{change.year}" in response.content.decode()
    assert not Assignment.objects.exists()
    assert not AssignmentSeries.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("until", "error"),
    [
        (timedelta(weeks=60), "A recurring assignment can have at most 60 dates; this one would have 61."),
        (timedelta(days=6), "The last date must be at least a week after the first date."),
        (timedelta(days=-7), "The last date must be at least a week after the first date."),
        (None, "Give the last date of the recurring assignment."),
    ],
)
def test_a_bad_last_date_is_a_form_error_and_creates_nothing(signed_in, coordinator, until, error):
    first = wednesday_after(7)
    last = (first + until).isoformat() if until is not None else ""
    data = form_data(first, contact_person=coordinator.pk, repeat="weekly", repeat_until=last)

    response = signed_in.post(reverse("bookings:assignment_create"), data)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Please check the following" in page
    assert error in page
    assert not Assignment.objects.exists()


@pytest.mark.django_db
def test_sixty_dates_are_allowed(coordinator):
    assert len(make_series(coordinator, wednesday_after(7), weeks=60)) == 60


@pytest.mark.django_db
def test_the_service_refuses_too_many_dates_whatever_the_form_says(coordinator):
    first = wednesday_after(7)
    form = AssignmentSeriesForm(form_data(first, contact_person=coordinator.pk), user=coordinator)
    assert form.is_valid(), form.errors
    with pytest.raises(series.SeriesError):
        series.create_assignment_series(form=form, last_date=first + timedelta(weeks=70), actor=coordinator)
    assert not Assignment.objects.exists()


@pytest.mark.django_db
def test_a_last_date_without_repeat_creates_one_assignment(signed_in, coordinator):
    first = wednesday_after(7)
    data = form_data(
        first, contact_person=coordinator.pk, repeat="", repeat_until=(first + timedelta(weeks=3)).isoformat()
    )
    signed_in.post(reverse("bookings:assignment_create"), data)
    assert Assignment.objects.get().series is None


@pytest.mark.django_db
def test_double_submit_creates_one_series(signed_in, coordinator):
    first = wednesday_after(7)
    last = first + timedelta(weeks=3)
    data = form_data(first, contact_person=coordinator.pk, repeat="weekly", repeat_until=last.isoformat())

    first_response = signed_in.post(reverse("bookings:assignment_create"), data)
    second = signed_in.post(reverse("bookings:assignment_create"), data, follow=True)

    assert AssignmentSeries.objects.count() == 1
    assert Assignment.objects.count() == 4
    assert second.redirect_chain[-1][0] == first_response.url
    assert "This form was already sent" in second.content.decode()


@pytest.mark.django_db
def test_book_for_a_new_series_invites_the_expert_to_every_date(signed_in, coordinator):
    profile = ExpertProfileFactory(task_types=["vastaanotto"])
    first = wednesday_after(7)
    data = form_data(
        first, contact_person=coordinator.pk, repeat="weekly", repeat_until=(first + timedelta(weeks=2)).isoformat()
    )

    signed_in.post(f"{reverse('bookings:assignment_create')}?expert={profile.pk}", data)

    assert Booking.objects.filter(expert=profile, status=BookingStatus.INVITED).count() == 3


@pytest.mark.django_db
def test_book_for_a_new_series_saves_nothing_when_a_date_is_refused(signed_in, coordinator):
    profile = ExpertProfileFactory(task_types=["vastaanotto"])
    first = wednesday_after(7)
    blocked = first + timedelta(weeks=1)
    BlockedPeriod.objects.create(profile=profile, start=blocked, end=blocked)
    data = form_data(
        first, contact_person=coordinator.pk, repeat="weekly", repeat_until=(first + timedelta(weeks=2)).isoformat()
    )

    response = signed_in.post(f"{reverse('bookings:assignment_create')}?expert={profile.pk}", data)

    assert response.status_code == 200
    page = response.content.decode()
    assert "could not be invited to every date, so the assignment was not saved" in page
    assert f"{blocked.day}.{blocked.month}.{blocked.year}: The expert is not available on that date." in page
    assert not Assignment.objects.exists()
    assert not AssignmentSeries.objects.exists()


@pytest.mark.django_db
def test_every_date_of_a_series_open_to_all_joins_the_matching_experts_digest(coordinator):
    profile = ExpertProfileFactory(task_types=["vastaanotto"])
    make_series(coordinator, wednesday_after(7), weeks=3, open_to_all="on")
    digest = MatchDigest.objects.get()
    assert (digest.profile, digest.assignments.count()) == (profile, 3)


@pytest.mark.django_db
def test_the_digest_lists_a_series_on_one_line(coordinator, mailoutbox):
    from bookings.matching import DIGEST_KIND
    from notifications.services import send_notification

    ExpertProfileFactory(task_types=["vastaanotto"])
    dates = make_series(coordinator, wednesday_after(7), weeks=4, open_to_all="on")
    Notification.objects.filter(kind=DIGEST_KIND).update(language="en", status="sending")

    assert send_notification(notification_id=Notification.objects.get(kind=DIGEST_KIND).pk, claim_token="") == "sent"

    (message,) = mailoutbox
    last = local_times(dates[3])[0]
    assert message.subject == "4 new assignments you could take"
    assert message.body.count("Kokemusvastaanotto Lahden terveysasemalla") == 1
    assert f"and 3 more dates until {last.day}.{last.month}.{last.year}" in message.body


# --- The assignment page ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_page_of_a_date_names_the_series_and_links_every_date(signed_in, coordinator):
    dates = make_series(coordinator, wednesday_after(7), weeks=4)
    series.cancel_following(assignment=dates[3], reason="not_needed", actor=coordinator)

    page = signed_in.get(dates[1].get_absolute_url()).content.decode()

    first, last = local_times(dates[0])[0], local_times(dates[3])[0]
    assert (
        f"Part of a recurring assignment: every Wednesday 12:00–16:00, "
        f"{first.day}.{first.month}.{first.year}–{last.day}.{last.month}.{last.year} (4 dates)"
    ) in page
    for item in dates:
        assert f'href="{item.get_absolute_url()}"' in page
    assert f'href="{dates[1].get_absolute_url()}" aria-current="page"' in page
    assert "(cancelled)" in page


@pytest.mark.django_db
def test_a_single_assignment_does_not_mention_a_series(signed_in, coordinator):
    page = signed_in.get(AssignmentFactory(contact_person=coordinator).get_absolute_url()).content.decode()
    assert "Part of a recurring assignment" not in page


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.django_db
@pytest.mark.parametrize("weeks", [2, 12])
def test_a_series_adds_one_query_to_the_assignment_page_however_many_dates(signed_in, coordinator, weeks):
    single = AssignmentFactory(contact_person=coordinator, starts_in=timedelta(days=3))
    dates = make_series(coordinator, wednesday_after(7), weeks=weeks)
    count_queries(signed_in, single.get_absolute_url())  # the content types and the session, cached
    # The series row comes with the assignment (for_detail); its dates are the one more query.
    assert (
        count_queries(signed_in, dates[0].get_absolute_url()) == count_queries(signed_in, single.get_absolute_url()) + 1
    )


@pytest.mark.django_db
def test_move_and_cancel_ask_which_dates_only_for_a_series(signed_in, coordinator):
    dates = make_series(coordinator, wednesday_after(7), weeks=3)
    single = AssignmentFactory(contact_person=coordinator)
    for name in ("bookings:assignment_move", "bookings:assignment_cancel"):
        assert "This and the following dates" in signed_in.get(reverse(name, args=[dates[0].pk])).content.decode()
        assert "This and the following dates" not in signed_in.get(reverse(name, args=[single.pk])).content.decode()


# --- Moving ----------------------------------------------------------------------------------------


def move_data(day: date, start: str, end: str, scope: str) -> dict:
    return {"date": day.isoformat(), "start_time": start, "end_time": end, "scope": scope}


@pytest.mark.django_db
def test_moving_only_this_date_leaves_the_others(signed_in, coordinator):
    dates = make_series(coordinator, wednesday_after(7), weeks=4)
    day = local_times(dates[1])[0]

    response = signed_in.post(
        reverse("bookings:assignment_move", args=[dates[1].pk]), move_data(day, "13:00", "17:00", "one")
    )

    assert response.status_code == 302
    assert [local_times(Assignment.objects.get(pk=item.pk))[1] for item in dates] == [
        time(12),
        time(13),
        time(12),
        time(12),
    ]
    assert AssignmentSeries.objects.count() == 1


@pytest.mark.django_db
def test_moving_this_and_the_following_dates_moves_each_to_the_new_time(signed_in, coordinator):
    dates = make_series(coordinator, wednesday_after(7), weeks=5)
    expert = ExpertProfileFactory()
    confirmed = BookingFactory(assignment=dates[3], expert=expert, status=BookingStatus.CONFIRMED)
    day = local_times(dates[2])[0]

    response = signed_in.post(
        reverse("bookings:assignment_move", args=[dates[2].pk]),
        move_data(day, "9:00", "11:30", "following"),
        follow=True,
    )

    moved = [Assignment.objects.get(pk=item.pk) for item in dates]
    assert [local_times(item)[1:] for item in moved] == [(time(12), time(16))] * 2 + [(time(9), time(11, 30))] * 3
    assert "The time was changed on 3 dates." in response.content.decode()
    # The confirmed expert's booking follows, and they are told.
    confirmed.refresh_from_db()
    assert confirmed.during.lower == moved[3].starts_at
    assert Notification.objects.filter(kind="bookings.changed", object_id=str(confirmed.pk)).exists()
    # The moved dates are a series of their own: each part's rule is true of its dates.
    old, new = AssignmentSeries.objects.order_by("pk")
    assert {item.series_id for item in moved[:2]} == {old.pk}
    assert {item.series_id for item in moved[2:]} == {new.pk}
    assert (old.first_date, old.last_date, old.start_time) == (
        local_times(dates[0])[0],
        local_times(dates[1])[0],
        time(12),
    )
    assert (new.first_date, new.last_date, new.start_time, new.end_time) == (
        day,
        local_times(dates[4])[0],
        time(9),
        time(11, 30),
    )


@pytest.mark.django_db
def test_moving_from_the_first_date_rewrites_the_series(coordinator):
    dates = make_series(coordinator, wednesday_after(7), weeks=3)
    day = local_times(dates[0])[0] + timedelta(days=1)  # to Thursdays

    series.move_following(assignment=dates[0], starts_at=at(day, 10), ends_at=at(day, 12), actor=coordinator)

    rule = AssignmentSeries.objects.get()
    assert (rule.weekday, rule.start_time, rule.first_date) == (3, time(10), day)
    assert [local_times(Assignment.objects.get(pk=item.pk))[0] for item in dates] == [
        day + timedelta(weeks=week) for week in range(3)
    ]


@pytest.mark.django_db
def test_moving_a_week_later_does_not_collide_with_the_next_date(coordinator):
    """The same expert confirmed on every date: moving each a week later puts it where the next one
    was, so the dates move latest first, never onto one that has not moved yet."""
    dates = make_series(coordinator, wednesday_after(7), weeks=3)
    expert = ExpertProfileFactory()
    for item in dates:
        BookingFactory(assignment=item, expert=expert, status=BookingStatus.CONFIRMED)
    day = local_times(dates[0])[0] + timedelta(weeks=1)

    series.move_following(assignment=dates[0], starts_at=at(day, 12), ends_at=at(day, 16), actor=coordinator)

    assert [local_times(Assignment.objects.get(pk=item.pk))[0] for item in dates] == [
        day + timedelta(weeks=week) for week in range(3)
    ]


@pytest.mark.django_db
def test_a_date_that_cannot_move_stops_every_date_and_is_named(signed_in, coordinator):
    dates = make_series(coordinator, wednesday_after(7), weeks=4)
    expert = ExpertProfileFactory(display_name="Säde")
    BookingFactory(assignment=dates[2], expert=expert, status=BookingStatus.CONFIRMED)
    # Säde has another assignment on that day at 17–19, where the move would take this date.
    busy_day = local_times(dates[2])[0]
    other = AssignmentFactory(starts_at=at(busy_day, 17), ends_at=at(busy_day, 19))
    BookingFactory(assignment=other, expert=expert, status=BookingStatus.CONFIRMED)
    day = local_times(dates[1])[0]

    response = signed_in.post(
        reverse("bookings:assignment_move", args=[dates[1].pk]), move_data(day, "17:00", "19:00", "following")
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "Nothing was changed: 1 date could not be moved." in page
    assert f"{busy_day.day}.{busy_day.month}.{busy_day.year}: A confirmed expert already has another" in page
    assert [local_times(Assignment.objects.get(pk=item.pk))[1] for item in dates] == [time(12)] * 4
    assert AssignmentSeries.objects.count() == 1
    assert not Notification.objects.filter(kind="bookings.changed").exists()


@pytest.mark.django_db
def test_a_blocked_date_of_a_confirmed_expert_stops_the_move(coordinator):
    dates = make_series(coordinator, wednesday_after(7), weeks=3)
    expert = ExpertProfileFactory()
    BookingFactory(assignment=dates[2], expert=expert, status=BookingStatus.CONFIRMED)
    new_day = local_times(dates[2])[0] + timedelta(days=1)
    BlockedPeriod.objects.create(profile=expert, start=new_day, end=new_day)
    day = local_times(dates[0])[0] + timedelta(days=1)

    with pytest.raises(series.SeriesError, match="The time was not changed"):
        series.move_following(assignment=dates[0], starts_at=at(day, 12), ends_at=at(day, 16), actor=coordinator)

    assert [local_times(Assignment.objects.get(pk=item.pk))[0].weekday() for item in dates] == [2, 2, 2]


@pytest.mark.django_db
def test_moving_the_following_skips_done_and_cancelled_dates(coordinator):
    dates = make_series(coordinator, wednesday_after(7), weeks=4)
    Assignment.objects.filter(pk=dates[2].pk).update(status=AssignmentStatus.CANCELLED)
    day = local_times(dates[1])[0]

    moved = series.move_following(assignment=dates[1], starts_at=at(day, 8), ends_at=at(day, 10), actor=coordinator)

    assert [item.pk for item in moved] == [dates[1].pk, dates[3].pk]
    assert local_times(Assignment.objects.get(pk=dates[2].pk))[1] == time(12)


# --- Cancelling ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_cancelling_only_this_date(signed_in, coordinator):
    dates = make_series(coordinator, wednesday_after(7), weeks=3)

    response = signed_in.post(
        reverse("bookings:assignment_cancel", args=[dates[1].pk]), {"reason": "illness", "scope": "one"}
    )

    assert response.status_code == 302
    assert [Assignment.objects.get(pk=item.pk).status for item in dates] == ["open", "cancelled", "open"]


@pytest.mark.django_db
def test_cancelling_this_and_the_following_dates_tells_their_experts(signed_in, coordinator):
    dates = make_series(coordinator, wednesday_after(7), weeks=5)
    Assignment.objects.filter(pk=dates[3].pk).update(status=AssignmentStatus.CANCELLED, cancel_reason="illness")
    confirmed = BookingFactory(assignment=dates[4], status=BookingStatus.CONFIRMED)
    invited = BookingFactory(assignment=dates[2])
    earlier = BookingFactory(assignment=dates[0], status=BookingStatus.CONFIRMED)

    response = signed_in.post(
        reverse("bookings:assignment_cancel", args=[dates[2].pk]),
        {"reason": "not_needed", "scope": "following"},
        follow=True,
    )

    statuses = [Assignment.objects.get(pk=item.pk) for item in dates]
    assert [item.status for item in statuses] == ["open", "open", "cancelled", "cancelled", "cancelled"]
    assert statuses[3].cancel_reason == "illness"  # cancelled before: left as it was
    assert statuses[4].cancel_reason == "not_needed"
    assert "2 dates of the assignment were cancelled." in response.content.decode()
    for booking in (confirmed, invited):
        booking.refresh_from_db()
        assert booking.status == BookingStatus.CANCELLED
        assert Notification.objects.filter(kind="bookings.cancelled", object_id=str(booking.pk)).exists()
    earlier.refresh_from_db()
    assert earlier.status == BookingStatus.CONFIRMED


@pytest.mark.django_db
def test_cancelling_the_following_is_all_or_nothing(coordinator):
    dates = make_series(coordinator, wednesday_after(7), weeks=3)
    BookingFactory(assignment=dates[0], status=BookingStatus.CONFIRMED)
    BookingFactory(assignment=dates[2])
    # This date began a moment ago: its confirmed booking can no longer be cancelled.
    Assignment.objects.filter(pk=dates[0].pk).update(starts_at=timezone.now() - timedelta(minutes=5))

    with pytest.raises(series.SeriesError, match="The assignment has already begun"):
        series.cancel_following(assignment=dates[0], reason="not_needed", actor=coordinator)

    assert {Assignment.objects.get(pk=item.pk).status for item in dates} == {"open"}
    assert not Booking.objects.filter(status=BookingStatus.CANCELLED).exists()


@pytest.mark.django_db
def test_a_cancelled_date_cannot_be_cancelled_again(coordinator):
    dates = make_series(coordinator, wednesday_after(7), weeks=2)
    series.cancel_following(assignment=dates[0], reason="not_needed", actor=coordinator)
    with pytest.raises(BookingError):
        series.cancel_following(assignment=dates[0], reason="not_needed", actor=coordinator)


# --- Inviting to every date ------------------------------------------------------------------------


@pytest.mark.django_db
def test_invite_to_every_date_books_each_and_names_the_refused(signed_in, coordinator):
    dates = make_series(coordinator, wednesday_after(7), weeks=4)
    profile = ExpertProfileFactory(display_name="Aino", task_types=["vastaanotto"])
    blocked = local_times(dates[2])[0]
    BlockedPeriod.objects.create(profile=profile, start=blocked, end=blocked)

    response = signed_in.post(
        reverse("bookings:assignment_invite", args=[dates[1].pk]),
        {"profile": profile.pk, "all_dates": "1"},
        follow=True,
    )

    invited = Booking.objects.filter(expert=profile).values_list("assignment_id", flat=True)
    assert sorted(invited) == [dates[1].pk, dates[3].pk]  # from this date on, the blocked one refused
    page = response.content.decode()
    assert "Aino was invited to 2 dates." in page
    assert f"Aino could not be invited on {blocked.day}.{blocked.month}.{blocked.year}" in page


@pytest.mark.django_db
def test_the_search_offers_invite_to_every_date_for_a_series(signed_in, coordinator):
    dates = make_series(coordinator, wednesday_after(7), weeks=2)
    ExpertProfileFactory(task_types=["vastaanotto"])
    page = signed_in.get(reverse("experts:index"), {"for": dates[0].pk}).content.decode()
    assert 'name="all_dates" value="1"' in page
    single = AssignmentFactory(contact_person=coordinator)
    page = signed_in.get(reverse("experts:index"), {"for": single.pk}).content.decode()
    assert 'name="all_dates"' not in page
