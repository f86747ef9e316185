""" "Open to all matching" (bookings/matching.py): who an assignment open to all matches, and the
daily digest that tells them, at most once a day, through the outbox."""

from datetime import date, datetime, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bookings.matching import DIGEST_KIND, add_to_digests, matching_experts
from bookings.models import Assignment, AssignmentStatus, BookingStatus, MatchDigest, Tariff
from experts.models import BlockedPeriod, ExpertProfile, Language, Municipality, TaskType
from notifications.models import Notification, NotificationPreference, Status
from notifications.services import send_notification, sweep_due_notifications
from tests.factories import AssignmentFactory, BookingFactory, ExpertProfileFactory, UserFactory

HELSINKI = timezone.get_default_timezone()


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), HELSINKI)


def tomorrow() -> date:
    return timezone.localdate() + timedelta(days=1)


def wednesday_after(days: int) -> date:
    day = timezone.localdate() + timedelta(days=days)
    return day + timedelta(days=(2 - day.weekday()) % 7)


def open_assignment(**fields) -> Assignment:
    """A lecture open to all, next week's Wednesday 12–14 in Lahti, written directly (no digests)."""
    day = fields.pop("day", wednesday_after(7))
    fields.setdefault("starts_at", at(day, 12))
    fields.setdefault("ends_at", fields["starts_at"] + timedelta(hours=2))
    fields.setdefault("open_to_all", True)
    fields.setdefault("municipality", municipality("lahti"))
    return AssignmentFactory(**fields)


def municipality(slug: str) -> Municipality:
    return Municipality.objects.get(slug=slug)


def expert(**fields) -> ExpertProfile:
    """A listed expert who gives lectures in Lahti in Finnish, with no weekly pattern."""
    fields.setdefault("task_types", ["luento"])
    fields.setdefault("municipalities", ["lahti"])
    fields.setdefault("languages", ["suomi"])
    return ExpertProfileFactory(**fields)


def matched(assignment: Assignment) -> set[ExpertProfile]:
    return set(matching_experts(assignment))


def digests() -> list[Notification]:
    return list(Notification.objects.filter(kind=DIGEST_KIND).order_by("pk"))


def send_due(now: datetime) -> list[str]:
    """One sweep at `now` and the send of each row it claimed."""
    claimed = []
    sweep_due_notifications(enqueue=lambda nid, token: claimed.append((nid, token)), now=now)
    return [send_notification(notification_id=nid, claim_token=token) for nid, token in claimed]


# --- Who matches -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_task_must_be_one_the_expert_offers():
    lecturer, peer = expert(), expert(task_types=["vertaisryhma"])
    assert matched(open_assignment()) == {lecturer}
    assert matched(open_assignment(task_type=TaskType.objects.get(slug="vertaisryhma"))) == {peer}


@pytest.mark.django_db
def test_the_municipality_must_be_the_experts():
    in_lahti, in_heinola = expert(), expert(municipalities=["heinola"])
    assert matched(open_assignment()) == {in_lahti}
    assert matched(open_assignment(municipality=None, day=wednesday_after(14))) == {in_lahti, in_heinola}


@pytest.mark.django_db
def test_a_remote_only_assignment_matches_any_municipality_of_experts_who_work_remotely():
    remote = expert(municipalities=["heinola"], remote_ok=True)
    expert(municipalities=["heinola"])  # in person only
    in_lahti_in_person = expert()
    remote_only = open_assignment(address="", remote_link="https://teams.example.fi/kokous")
    assert matched(remote_only) == {remote}
    # With an address it is in person: the municipality counts, and in-person experts match.
    assert matched(open_assignment(remote_link="https://teams.example.fi/x", day=wednesday_after(14))) == {
        in_lahti_in_person
    }


@pytest.mark.django_db
def test_an_expert_who_works_only_remotely_does_not_match_an_assignment_in_person():
    expert(remote_ok=True, in_person_ok=False)
    assert matched(open_assignment()) == set()


@pytest.mark.django_db
def test_the_language_if_given_must_be_the_experts():
    finnish, swedish = expert(), expert(languages=["ruotsi"])
    assert matched(open_assignment(language=Language.objects.get(slug="ruotsi"))) == {swedish}
    assert matched(open_assignment(day=wednesday_after(14))) == {finnish, swedish}


@pytest.mark.django_db
def test_a_weekly_pattern_must_have_the_weekday_and_no_pattern_is_any_day():
    wednesdays, mondays, any_day = expert(weekdays=[2]), expert(weekdays=[0]), expert()
    assert matched(open_assignment()) == {wednesdays, any_day}
    assert mondays not in matched(open_assignment(day=wednesday_after(14)))


@pytest.mark.django_db
def test_a_blocked_date_paused_or_unlisted_expert_does_not_match():
    assignment = open_assignment()
    day = timezone.localdate(assignment.starts_at)
    blocked = expert()
    BlockedPeriod.objects.create(profile=blocked, start=day - timedelta(days=1), end=day)
    paused = expert(status="paused", paused_until=day)
    back_before = expert(status="paused", paused_until=day - timedelta(days=1))
    expert(consent=False)
    expert(ready_at=None)  # onboarding not done
    expert(status="left")
    assert matched(assignment) == {back_before}
    assert paused not in matched(assignment)


@pytest.mark.django_db
def test_a_full_month_or_another_assignment_at_the_time_does_not_match():
    assignment = open_assignment()
    capped, busy, free = expert(monthly_cap=1), expert(), expert()
    same_month = AssignmentFactory(starts_at=assignment.starts_at + timedelta(days=1), hours=1)
    BookingFactory(assignment=same_month, expert=capped, status=BookingStatus.CONFIRMED)
    overlapping = AssignmentFactory(starts_at=assignment.starts_at + timedelta(hours=1), hours=2)
    BookingFactory(assignment=overlapping, expert=busy, status=BookingStatus.CONFIRMED)
    assert matched(assignment) == {free}


@pytest.mark.django_db
def test_an_expert_already_on_the_assignment_does_not_match():
    assignment = open_assignment()
    on_it, other = expert(), expert()
    BookingFactory(assignment=assignment, expert=on_it)
    assert matched(assignment) == {other}


# --- The digest ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_assignments_of_one_day_go_into_one_digest_due_at_three():
    profile = expert()
    first, second = open_assignment(), open_assignment(day=wednesday_after(14))
    day = tomorrow()

    assert add_to_digests(first, now=at(day, 9)) == 1
    assert add_to_digests(second, now=at(day, 14, 59)) == 1

    digest = MatchDigest.objects.get()
    assert (digest.profile, digest.day) == (profile, day)
    assert set(digest.assignments.all()) == {first, second}
    (row,) = digests()
    assert (row.target, row.recipient, row.channel, row.due_at) == (digest, profile.user, "email", at(day, 15))


@pytest.mark.django_db
def test_an_assignment_opened_after_three_goes_into_the_next_mornings_digest():
    expert()
    day = tomorrow()
    add_to_digests(open_assignment(), now=at(day, 15))
    digest = MatchDigest.objects.get()
    assert digest.day == day + timedelta(days=1)
    assert digests()[0].due_at == at(day + timedelta(days=1), 8)


@pytest.mark.django_db
def test_the_digest_is_sent_once_and_a_later_assignment_waits_for_the_next_day(mailoutbox):
    profile = expert()
    day = tomorrow()
    first = open_assignment(title="Luento hoitajille")
    add_to_digests(first, now=at(day, 10))
    assert send_due(at(day, 15)) == ["sent"]
    assert send_due(at(day, 15, 5)) == []

    later = open_assignment(title="Puheenvuoro seminaarissa", day=wednesday_after(14))
    add_to_digests(later, now=at(day, 14))  # before three, but today's digest has gone

    assert len(mailoutbox) == 1
    today, next_day = MatchDigest.objects.order_by("day")
    assert set(today.assignments.all()) == {first}
    assert (next_day.day, set(next_day.assignments.all())) == (day + timedelta(days=1), {later})
    assert digests()[1].due_at == at(day + timedelta(days=1), 8)
    send_due(at(day + timedelta(days=1), 8))
    assert len(mailoutbox) == 2
    assert "Puheenvuoro seminaarissa" in mailoutbox[1].body
    assert "Luento hoitajille" not in mailoutbox[1].body
    assert mailoutbox[1].to == [profile.user.email]


@pytest.mark.django_db
def test_the_message_lists_the_assignments_in_the_experts_language(mailoutbox):
    profile = expert(user=UserFactory(role="expert", language="sv", first_name="Åsa"))
    assignment = open_assignment(title="Föreläsning för skötare")
    day = tomorrow()
    add_to_digests(assignment, now=at(day, 10))

    send_due(at(day, 15))

    (message,) = mailoutbox
    starts = timezone.localtime(assignment.starts_at)
    assert "Föreläsning för skötare (Föreläsning eller anförande)" in message.body  # the task in Swedish
    assert f"onsdag {starts.day}.{starts.month}.{starts.year}" in message.body
    assert "Keskussairaalankatu 7, Lahti" in message.body
    assert "/toimeksiannot/omat/#open-title" in message.body
    assert "Åsa" in message.body
    assert digests()[0].language == "sv"
    assert "Föreläsning för skötare" in message.alternatives[0][0]
    assert profile.user.email in message.to


@pytest.mark.django_db
def test_a_filled_or_cancelled_assignment_is_left_out_and_an_empty_digest_is_not_sent(mailoutbox):
    expert()
    day = tomorrow()
    kept, filled = open_assignment(title="Pysyy auki"), open_assignment(title="Täyttyi", day=wednesday_after(14))
    for assignment in (kept, filled):
        add_to_digests(assignment, now=at(day, 10))
    Assignment.objects.filter(pk=filled.pk).update(status=AssignmentStatus.FILLED)

    send_due(at(day, 15))
    assert "Pysyy auki" in mailoutbox[0].body
    assert "Täyttyi" not in mailoutbox[0].body

    other_day = day + timedelta(days=1)
    cancelled = open_assignment(title="Peruttu", day=wednesday_after(21))
    add_to_digests(cancelled, now=at(other_day, 10))
    Assignment.objects.filter(pk=cancelled.pk).update(status=AssignmentStatus.CANCELLED)
    assert send_due(at(other_day, 15)) == ["cancelled"]
    assert len(mailoutbox) == 1


@pytest.mark.django_db
def test_an_assignment_the_expert_took_meanwhile_is_left_out(mailoutbox):
    profile = expert()
    day = tomorrow()
    assignment = open_assignment()
    add_to_digests(assignment, now=at(day, 10))
    BookingFactory(assignment=assignment, expert=profile, status=BookingStatus.ACCEPTED, volunteered=True)
    assert send_due(at(day, 15)) == ["cancelled"]
    assert not mailoutbox


@pytest.mark.django_db
def test_a_digest_cancelled_empty_is_due_again_when_a_new_assignment_joins_it():
    expert()
    day = tomorrow()
    gone = open_assignment()
    add_to_digests(gone, now=at(day - timedelta(days=1), 16))  # due at 8.00
    Assignment.objects.filter(pk=gone.pk).update(status=AssignmentStatus.CANCELLED)
    assert send_due(at(day, 8)) == ["cancelled"]

    add_to_digests(open_assignment(day=wednesday_after(14)), now=at(day, 10))

    (row,) = digests()
    assert (row.status, row.due_at) == (Status.PENDING, at(day, 15))
    assert MatchDigest.objects.get().assignments.count() == 2


@pytest.mark.django_db
def test_nobody_hears_of_an_assignment_not_open_to_all():
    expert()
    assignment = open_assignment(open_to_all=False)
    assert add_to_digests(assignment) == 0
    assert not MatchDigest.objects.exists()


@pytest.mark.django_db
def test_only_matching_experts_get_a_digest():
    matching_one = expert()
    expert(municipalities=["heinola"])
    expert(status="paused")
    expert(consent=False)
    add_to_digests(open_assignment(), now=at(tomorrow(), 10))
    assert [row.recipient for row in digests()] == [matching_one.user]


@pytest.mark.django_db
def test_digests_read_a_few_queries_however_many_experts_match(django_assert_max_num_queries):
    for _number in range(8):
        expert()
    first, second = open_assignment(), open_assignment(day=wednesday_after(14))
    add_to_digests(first, now=at(tomorrow(), 10))
    # Joining digests already scheduled: the matching experts with users; insert the day's digests
    # (none new); read them; lock their outbox rows; insert the links. No query per expert.
    with django_assert_max_num_queries(6):
        assert add_to_digests(second, now=at(tomorrow(), 11)) == 8


# --- The coordinator's pages -----------------------------------------------------------------------


@pytest.fixture
def signed_in(client, coordinator):
    client.force_login(coordinator)
    client.cookies["kp_language"] = "en"
    return client


@pytest.mark.django_db
def test_creating_an_assignment_open_to_all_puts_it_in_the_matching_experts_digest(signed_in, coordinator):
    profile = expert(languages=["ruotsi"])
    expert()  # Finnish only
    day = wednesday_after(7)
    data = {
        "form_key": "avoin-1234567890abcdef",
        "title": "Föreläsning",
        "task_type": TaskType.objects.get(slug="luento").pk,
        "date": day.isoformat(),
        "start_time": "12:00",
        "end_time": "14:00",
        "address": "Kirkkokatu 1, Lahti",
        "municipality": municipality("lahti").pk,
        "language": Language.objects.get(slug="ruotsi").pk,
        "unit": "Psykiatrian poliklinikka",
        "contact_person": coordinator.pk,
        "tariff": Tariff.objects.get(kind="hourly").pk,
        "experts_needed": "1",
        "open_to_all": "on",
    }

    response = signed_in.post(reverse("bookings:assignment_create"), data, follow=True)

    assignment = Assignment.objects.get()
    assert (assignment.municipality.slug, assignment.language.slug) == ("lahti", "ruotsi")
    digest = MatchDigest.objects.get()
    assert digest.profile == profile
    assert list(digest.assignments.all()) == [assignment]
    page = response.content.decode()
    assert "1 expert matches it and hears of it in their daily digest of open assignments." in page
    assert "Lahti" in page


@pytest.mark.django_db
def test_the_matching_count_costs_one_query_on_the_assignment_page(signed_in, coordinator):
    for _number in range(3):
        expert()
    closed = AssignmentFactory(contact_person=coordinator)
    opened = open_assignment(contact_person=coordinator)

    def count(assignment):
        with CaptureQueriesContext(connection) as queries:
            page = signed_in.get(assignment.get_absolute_url()).content.decode()
        return len(queries), page

    count(closed)  # content types and the session, cached
    closed_queries, closed_page = count(closed)
    open_queries, open_page = count(opened)
    assert "3 experts match it" in open_page
    assert "match it" not in closed_page
    assert open_queries == closed_queries + 1


# --- By text message ------------------------------------------------------------------------------


def sms_expert(settings, tmp_path, *, chose_sms: bool = True) -> ExpertProfile:
    settings.DATA_DIR = tmp_path
    settings.KP_SMS_BACKEND = "notifications.backends.FileSmsBackend"
    profile = expert(user=UserFactory(role="expert", phone="+358401234567", language="en"))
    if chose_sms:
        NotificationPreference.objects.create(user=profile.user, kind=DIGEST_KIND, channel="sms", enabled=True)
    return profile


@pytest.mark.django_db
def test_the_digest_goes_by_text_message_too_to_those_who_chose_it(settings, tmp_path, mailoutbox):
    sms_expert(settings, tmp_path)
    day = tomorrow()
    add_to_digests(open_assignment(title="Luento hoitajille"), now=at(day, 10))
    add_to_digests(open_assignment(title="Puheenvuoro", day=wednesday_after(14)), now=at(day, 11))

    assert sorted(row.channel for row in digests()) == ["email", "sms"]
    assert send_due(at(day, 15)) == ["sent", "sent"]

    text = next((tmp_path / "sms").iterdir()).read_text()
    assert "To: +358401234567" in text
    assert "2 new assignments you could take" in text
    assert "Luento hoitajille" in text and "Puheenvuoro" in text
    assert "/toimeksiannot/omat/" in text
    assert len(mailoutbox) == 1


@pytest.mark.django_db
def test_no_text_message_unless_chosen_or_without_an_sms_backend(settings, tmp_path):
    sms_expert(settings, tmp_path, chose_sms=False)
    add_to_digests(open_assignment(), now=at(tomorrow(), 10))
    assert [row.channel for row in digests()] == ["email"]

    Notification.objects.all().delete()
    MatchDigest.objects.all().delete()
    NotificationPreference.objects.create(
        user=ExpertProfile.objects.get().user, kind=DIGEST_KIND, channel="sms", enabled=True
    )
    settings.KP_SMS_BACKEND = ""
    add_to_digests(open_assignment(day=wednesday_after(14)), now=at(tomorrow(), 10))
    assert [row.channel for row in digests()] == ["email"]
