"""The orderer's private feedback reaches the expert: on their booking page, and a message through the
outbox (bookings.orderer_feedback) that says where to read it. The expert's debrief wish is in the
coordinator's message, and starts the debrief's asked → agreed → held."""

from datetime import timedelta

import pytest
from django.urls import reverse

from bookings import services as booking_services
from bookings.models import BookingStatus, CheckIn, DebriefStatus, PrivateFeedback
from notifications import kinds
from notifications.emails import render_notification
from notifications.models import Notification, Status
from tests.factories import BookingFactory, ExpertProfileFactory

FEEDBACK = "Puheenvuorosi kosketti koko ryhmää."


@pytest.fixture
def booking(coordinator, profile):
    return BookingFactory(
        expert=profile,
        status=BookingStatus.COMPLETED,
        with_fee=True,
        assignment__contact_person=coordinator,
        assignment__starts_in=-timedelta(days=2),
        assignment__title="Luento: Äänten kuuleminen",
    )


@pytest.fixture
def coordinator_client(client, coordinator):
    client.force_login(coordinator)
    client.cookies["kp_language"] = "en"
    return client


def give_feedback(booking, author, text=FEEDBACK):
    return booking_services.give_private_feedback(
        booking=booking, side=PrivateFeedback.Side.ORDERER, text=text, author=author
    )


def test_the_kind_is_registered_with_its_own_templates():
    kind = kinds.get("bookings.orderer_feedback")
    assert kind.template == "bookings/email/orderer_feedback"
    assert not kind.transactional  # the expert may turn these messages off


@pytest.mark.django_db
def test_the_coordinators_feedback_tells_the_expert(coordinator_client, booking, profile):
    response = coordinator_client.post(reverse("bookings:booking_feedback", args=[booking.pk]), {"text": FEEDBACK})
    assert response.status_code == 302
    notification = Notification.objects.for_target(booking).get(kind="bookings.orderer_feedback")
    assert notification.recipient == profile.user
    assert notification.status == Status.PENDING


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_the_message_names_the_assignment_and_links_to_the_booking_but_not_the_text(booking, coordinator, language):
    give_feedback(booking, coordinator)
    notification = Notification.objects.for_target(booking).get(kind="bookings.orderer_feedback")
    notification.language = language
    message = render_notification(notification)
    assert "Äänten kuuleminen" in message.subject and "Äänten kuuleminen" in message.text
    assert booking.get_absolute_url() in message.text and booking.get_absolute_url() in message.html
    assert FEEDBACK not in message.text and FEEDBACK not in message.html  # read it signed in, not by email


@pytest.mark.django_db
def test_changing_the_feedback_does_not_send_another_message(booking, coordinator):
    give_feedback(booking, coordinator)
    Notification.objects.filter(kind="bookings.orderer_feedback").update(status=Status.SENT)
    give_feedback(booking, coordinator, text="Tarkennus: kiitos myös kysymyksiin vastaamisesta.")
    (notification,) = Notification.objects.filter(kind="bookings.orderer_feedback")
    assert notification.status == Status.SENT


@pytest.mark.django_db
def test_the_experts_own_feedback_tells_nobody(booking, profile):
    booking_services.give_private_feedback(
        booking=booking, side=PrivateFeedback.Side.EXPERT, text="Tauko olisi ollut hyvä.", author=profile.user
    )
    assert not Notification.objects.filter(kind="bookings.orderer_feedback").exists()


@pytest.mark.django_db
def test_the_expert_reads_the_feedback_on_their_booking_page(signed_in, booking, coordinator):
    page = signed_in.get(booking.get_absolute_url()).content.decode()
    assert "Feedback from the orderer" not in page
    give_feedback(booking, coordinator)
    page = signed_in.get(booking.get_absolute_url()).content.decode()
    assert "Feedback from the orderer" in page
    assert FEEDBACK in page


@pytest.mark.django_db
def test_another_experts_feedback_is_not_shown(signed_in, booking, coordinator):
    other = BookingFactory(
        expert=ExpertProfileFactory(),
        status=BookingStatus.COMPLETED,
        assignment=booking.assignment,
    )
    give_feedback(other, coordinator, text="Toiselle asiantuntijalle.")
    page = signed_in.get(booking.get_absolute_url()).content.decode()
    assert "Toiselle asiantuntijalle." not in page
    assert signed_in.get(reverse("bookings:my_assignment", args=[other.pk])).status_code == 404


@pytest.mark.django_db
def test_the_booking_page_reads_both_sides_feedback_in_one_query(
    signed_in, booking, coordinator, django_assert_num_queries
):
    from django.contrib.contenttypes.models import ContentType

    from bookings.models import Assignment

    give_feedback(booking, coordinator)
    PrivateFeedback.objects.create(booking=booking, side="expert", text="Kiitos järjestelyistä.")
    ContentType.objects.get_for_model(Assignment)  # cached for the process: read once, not per page
    # session, the user with roles and permissions (accounts.backends), the profile; the booking with
    # assignment, task type, contact person and tariff; the check-in, the private feedback of both
    # sides, the expense lines; the participants' feedback rounds; the idle-timeout session save:
    # savepoint, update, release.
    with django_assert_num_queries(11):
        response = signed_in.get(booking.get_absolute_url())
    assert response.context["orderer_feedback"].text == FEEDBACK
    assert response.context["feedback"].text == "Kiitos järjestelyistä."


# --- The debrief wish -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_debrief_wish_is_asked_for_and_in_the_coordinators_message(booking, coordinator):
    booking_services.submit_check_in(booking=booking, feeling=2, text="Jännitti.", wants_debrief=True)

    check_in = CheckIn.objects.get(booking=booking)
    assert check_in.debrief_status == DebriefStatus.ASKED
    assert check_in.debrief_updated_at is not None
    notification = Notification.objects.for_target(booking).get(kind="bookings.checked_in")
    assert notification.recipient == coordinator
    notification.language = "en"
    message = render_notification(notification)
    name = booking.expert.display_name
    assert message.subject == "Debrief asked for: Luento: Äänten kuuleminen"
    assert f"{name} would like to talk it through: please agree on a debrief with them." in message.text
    assert "would like to talk it through" in message.html


@pytest.mark.django_db
def test_without_the_wish_no_debrief_and_no_word_of_it(booking):
    booking_services.submit_check_in(booking=booking, feeling=4, text="", wants_debrief=False)
    check_in = CheckIn.objects.get(booking=booking)
    assert check_in.debrief_status == ""
    notification = Notification.objects.for_target(booking).get(kind="bookings.checked_in")
    notification.language = "en"
    message = render_notification(notification)
    assert message.subject == "How it went: Luento: Äänten kuuleminen"
    assert "talk it through" not in message.text
