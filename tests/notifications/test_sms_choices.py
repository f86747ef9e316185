"""Text messages where chosen: offered only with an SMS backend, opt-in per kind, a mobile number
needed; the booking chain schedules them beside the email, and moves and cancels both together."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from bookings import services as booking_services
from notifications import kinds
from notifications.emails import render_text_message
from notifications.models import Channel, Notification, NotificationPreference, Status
from notifications.services import (
    channels_for,
    schedule_for_channels,
    send_notification,
    set_preference,
    sweep_due_notifications,
)
from notifications.tasks import send_notification_task
from tests.factories import AssignmentFactory, ExpertProfileFactory, UserFactory

SMS_REMINDER = kinds.register(
    kinds.Kind(code="tests.sms_reminder", label="Test text reminder", template="tests/email/reminder", sms=True)
)
SMS_RECEIPT = kinds.register(
    kinds.Kind(
        code="tests.sms_receipt",
        label="Test text receipt",
        template="tests/email/reminder",
        transactional=True,
        sms=True,
    )
)
PREFERENCES = reverse("notifications:preferences")
FILE_BACKEND = "notifications.backends.FileSmsBackend"


@pytest.fixture
def sms_on(settings, tmp_path):
    settings.KP_SMS_BACKEND = FILE_BACKEND
    settings.DATA_DIR = tmp_path
    return tmp_path


def choose_sms(user, kind="tests.sms_reminder"):
    set_preference(user=user, kind=kind, channel=Channel.SMS, enabled=True)


@pytest.fixture
def enqueued(monkeypatch):
    calls = []
    monkeypatch.setattr(send_notification_task, "delay", lambda *args: calls.append(args))
    return calls


def sweep_and_send(enqueued):
    sweep_due_notifications(enqueue=send_notification_task.delay)
    results = [send_notification(notification_id=nid, claim_token=token) for nid, token in enqueued]
    enqueued.clear()
    return results


# --- Who gets a text message ------------------------------------------------------------------------


@pytest.mark.django_db
def test_no_text_message_without_an_sms_backend(person):
    choose_sms(person)
    assert channels_for(person, "tests.sms_reminder") == [Channel.EMAIL]


@pytest.mark.django_db
def test_a_text_message_too_for_who_chose_it_and_has_a_mobile_number(person, sms_on):
    choose_sms(person)
    assert channels_for(person, "tests.sms_reminder") == [Channel.EMAIL, Channel.SMS]


@pytest.mark.django_db
def test_text_messages_are_off_until_chosen(person, sms_on):
    assert channels_for(person, "tests.sms_reminder") == [Channel.EMAIL]


@pytest.mark.django_db
@pytest.mark.parametrize("phone", ["", "09 1234567", "12"])
def test_no_text_message_without_a_mobile_number(person, sms_on, phone):
    choose_sms(person)
    User.objects.filter(pk=person.pk).update(phone=phone)
    person.refresh_from_db()
    assert channels_for(person, "tests.sms_reminder") == [Channel.EMAIL]


@pytest.mark.django_db
def test_no_text_message_for_a_kind_not_offered_by_text(person, sms_on):
    NotificationPreference.objects.create(user=person, kind="tests.reminder", channel=Channel.SMS, enabled=True)
    assert channels_for(person, "tests.reminder") == [Channel.EMAIL]


@pytest.mark.django_db
def test_a_transactional_kind_can_come_by_text_but_email_cannot_be_turned_off(person, sms_on):
    choose_sms(person, "tests.sms_receipt")
    assert channels_for(person, "tests.sms_receipt") == [Channel.EMAIL, Channel.SMS]
    with pytest.raises(ValueError, match="cannot be turned off"):
        set_preference(user=person, kind="tests.sms_receipt", channel=Channel.EMAIL, enabled=False)


@pytest.mark.django_db
def test_schedule_for_channels_makes_one_row_per_channel_and_again_none(person, sms_on):
    choose_sms(person)
    due = timezone.now() + timedelta(hours=1)
    for _ in range(2):  # scheduling again moves the rows instead of adding
        rows = schedule_for_channels(kind="tests.sms_reminder", target=person, recipient=person, due_at=due)
    assert sorted(row.channel for row in rows) == [Channel.EMAIL, Channel.SMS]
    assert Notification.objects.filter(kind="tests.sms_reminder").count() == 2


# --- When due -------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_chosen_text_message_is_sent_in_short(person, sms_on, enqueued):
    choose_sms(person)
    schedule_for_channels(
        kind="tests.sms_reminder",
        target=person,
        recipient=person,
        due_at=timezone.now() - timedelta(minutes=1),
        context={"title": 'Luento "Toivo" & vertaistuki'},
    )
    assert sweep_and_send(enqueued) == ["sent", "sent"]
    log = next((sms_on / "sms").iterdir()).read_text()
    # Without an _sms.txt template: the subject and the link, not HTML-escaped.
    assert 'To: +358401234567\nReminder: Luento "Toivo" & vertaistuki\nhttp' in log


@pytest.mark.django_db
def test_a_text_message_turned_off_after_scheduling_is_not_sent(person, sms_on, enqueued):
    choose_sms(person)
    rows = schedule_for_channels(
        kind="tests.sms_reminder", target=person, recipient=person, due_at=timezone.now() - timedelta(minutes=1)
    )
    set_preference(user=person, kind="tests.sms_reminder", channel=Channel.SMS, enabled=False)
    sweep_and_send(enqueued)
    sms = Notification.objects.get(pk=next(row.pk for row in rows if row.channel == Channel.SMS))
    assert sms.status == Status.CANCELLED and sms.last_error == "recipient turned this kind off"
    assert Notification.objects.get(kind="tests.sms_reminder", channel=Channel.EMAIL).status == Status.SENT


@pytest.mark.django_db
def test_a_text_message_waiting_when_the_backend_is_removed_is_not_sent(person, sms_on, settings, enqueued):
    choose_sms(person)
    schedule_for_channels(
        kind="tests.sms_reminder", target=person, recipient=person, due_at=timezone.now() - timedelta(minutes=1)
    )
    settings.KP_SMS_BACKEND = ""
    sweep_and_send(enqueued)
    sms = Notification.objects.get(kind="tests.sms_reminder", channel=Channel.SMS)
    assert sms.status == Status.CANCELLED and sms.last_error == "no SMS backend is configured"


# --- The preferences page -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_preferences_show_no_text_message_choice_without_a_backend(client, person):
    client.force_login(person)
    body = client.get(PREFERENCES).content.decode()
    assert ':sms"' not in body
    assert "text-messages" not in body


@pytest.mark.django_db
def test_preferences_offer_text_messages_with_a_backend(client, person, sms_on):
    client.force_login(person)
    client.cookies["kp_language"] = "en"
    body = client.get(PREFERENCES).content.decode()
    assert 'name="tests.sms_reminder:sms"' in body
    assert 'name="tests.sms_receipt:sms"' in body  # transactional kinds too: by text is a choice
    assert 'name="tests.reminder:sms"' not in body  # not offered by text
    assert "Text messages go to +358 40 1234567." in body
    assert 'name="tests.sms_reminder:sms" id="id_tests.sms_reminder:sms"' in body
    assert 'name="tests.sms_reminder:sms" id="id_tests.sms_reminder:sms" checked' not in body  # off by default


@pytest.mark.django_db
def test_choosing_a_text_message_on_the_preferences_page(client, person, sms_on):
    client.force_login(person)
    response = client.post(PREFERENCES, {"tests.sms_reminder:sms": "on", "tests.reminder:email": "on"})
    assert response.status_code == 302
    assert NotificationPreference.objects.get(user=person, kind="tests.sms_reminder", channel=Channel.SMS).enabled
    assert channels_for(person, "tests.sms_reminder") == [Channel.EMAIL, Channel.SMS]
    assert 'id="id_tests.sms_reminder:sms" checked' in client.get(PREFERENCES).content.decode()


@pytest.mark.django_db
def test_choosing_a_text_message_without_a_number_asks_for_one(client, sms_on):
    person = UserFactory(role="expert", phone="")
    client.force_login(person)
    client.cookies["kp_language"] = "en"
    response = client.post(PREFERENCES, {"tests.sms_reminder:sms": "on"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Add your mobile number first: text messages need one." in body
    assert f"{reverse('accounts:phone')}?next=" in body
    assert not NotificationPreference.objects.filter(user=person).exists()


@pytest.mark.django_db
def test_preferences_page_queries_with_text_messages(client, person, sms_on, django_assert_num_queries):
    client.force_login(person)
    # session, the user with roles, permissions and MFA status (accounts.backends), the person's
    # stored choices, then the idle-timeout session save (savepoint, update, release)
    with django_assert_num_queries(6):
        assert client.get(PREFERENCES).status_code == 200


# --- The booking chain ----------------------------------------------------------------------------------


@pytest.fixture
def texting_expert(sms_on):
    profile = ExpertProfileFactory(user=UserFactory(role="expert", phone="+358401234567"))
    for kind in ("invitation", "invitation_reminder", "confirmed", "reminder_early", "reminder_late"):
        choose_sms(profile.user, f"bookings.{kind}")
    return profile


def rows_of(booking, status=Status.PENDING):
    return sorted(
        Notification.objects.for_target(booking).filter(status=status).values_list("kind", "channel"),
    )


@pytest.mark.django_db
def test_an_invitation_goes_by_text_too_and_cancelling_cancels_both(texting_expert, coordinator):
    assignment = AssignmentFactory(contact_person=coordinator)
    (booking,), _refused = booking_services.invite_experts(
        assignment=assignment, profiles=[texting_expert], actor=coordinator
    )
    assert rows_of(booking) == [
        ("bookings.invitation", "email"),
        ("bookings.invitation", "sms"),
        ("bookings.invitation_reminder", "email"),
        ("bookings.invitation_reminder", "sms"),
        ("bookings.unanswered", "email"),  # to the coordinator, who chose no text messages
    ]
    booking_services.cancel_booking(booking=booking, by_expert=False, reason="other", actor=coordinator)
    assert ("bookings.invitation_reminder", "sms") in rows_of(booking, Status.CANCELLED)
    assert ("bookings.invitation_reminder", "email") in rows_of(booking, Status.CANCELLED)


@pytest.mark.django_db
def test_reminders_by_text_move_with_the_assignment(texting_expert, coordinator):
    assignment = AssignmentFactory(contact_person=coordinator)
    (booking,), _refused = booking_services.invite_experts(
        assignment=assignment, profiles=[texting_expert], actor=coordinator
    )
    booking_services.answer_invitation(booking=booking, accept=True)
    booking_services.confirm_booking(booking=booking, actor=coordinator)
    late = Notification.objects.for_target(booking).filter(kind="bookings.reminder_late")
    assert sorted(late.values_list("channel", flat=True)) == ["email", "sms"]
    starts = assignment.starts_at + timedelta(days=1)
    booking_services.move_assignment(
        assignment=assignment, starts_at=starts, ends_at=starts + timedelta(hours=2), actor=coordinator
    )
    assert {row.due_at for row in late.filter(status=Status.PENDING)} == {starts - timedelta(hours=2)}
    assert late.filter(status=Status.PENDING).count() == 2


@pytest.mark.django_db
def test_a_booking_text_message_names_the_assignment_time_and_link(texting_expert, coordinator):
    assignment = AssignmentFactory(contact_person=coordinator, title='Luento "Toivo" & vertaistuki')
    (booking,), _refused = booking_services.invite_experts(
        assignment=assignment, profiles=[texting_expert], actor=coordinator
    )
    sms = Notification.objects.get(kind="bookings.invitation", channel=Channel.SMS, object_id=booking.pk)
    sms.language = "en"
    lines = render_text_message(sms).splitlines()
    assert lines[0] == 'Invitation: Luento "Toivo" & vertaistuki'
    starts = timezone.localtime(assignment.starts_at)
    assert f"{starts.day}.{starts.month}.{starts.year} at {starts.hour}:{starts:%M}" in lines[1]
    assert lines[-1].startswith("http") and lines[-1].endswith(booking.get_absolute_url())
    assert len("\n".join(lines)) < 320
