"""Travel and expense claims: the expert's claim with its receipt (upload checks, one claim in play,
a new one after a return), the receipt served only to the expert and coordinators, and the
coordinator's approval into expense lines (once) or return with a reason, each told and audited."""

from datetime import timedelta
from decimal import Decimal
from io import BytesIO

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from accounts.models import AuditAction, AuditEvent
from bookings.claims import approve_expense_claim, return_expense_claim, submit_expense_claim
from bookings.models import Assignment, ClaimStatus, ExpenseClaim, ExpenseLine
from bookings.services import BookingError
from notifications.emails import render_notification, render_text_message
from notifications.models import Notification, NotificationPreference
from tests.factories import BookingFactory, ExpenseClaimFactory, ExpertProfileFactory, UserFactory

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
GPS_IFD = 0x8825


def jpeg_with_gps() -> bytes:
    """A receipt photographed with a phone: GPS position and camera model in EXIF."""
    image = Image.new("RGB", (800, 1200), (250, 250, 245))
    exif = Image.Exif()
    exif[0x0110] = "Puhelin X"
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (60.0, 59.0, 0.0), 3: "E", 4: (25.0, 39.0, 0.0)})
    buffer = BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


def png() -> bytes:
    buffer = BytesIO()
    Image.new("RGBA", (300, 400), (255, 255, 255, 255)).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def sign_in(client, user):
    client.force_login(user)
    client.cookies["kp_language"] = "en"
    return client


@pytest.fixture
def booking(profile, coordinator):
    """The signed-in expert's completed booking (a lecture two days ago)."""
    return BookingFactory(
        expert=profile,
        status="completed",
        with_fee=True,
        assignment__starts_in=timedelta(days=-2),
        assignment__contact_person=coordinator,
        assignment__title="Luento Heinolassa",
    )


def claim_url(booking) -> str:
    return reverse("bookings:expense_claim", args=[booking.pk])


def post_claim(client, booking, **data):
    return client.post(claim_url(booking), {"kilometres": "", "tickets": "", "note": "", **data})


def receipt_of(content: bytes, name: str = "IMG_2041.jpg", content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def stored_claim(booking, *, receipt: bytes | None = PDF, extension="pdf", **fields) -> ExpenseClaim:
    claim = ExpenseClaimFactory.build(booking=booking, **fields)
    if receipt is not None:
        claim.receipt.save(f"0123456789abcdef.{extension}", ContentFile(receipt), save=False)
    claim.save()
    return claim


# --- The expert's claim --------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_booking_page_links_to_the_claim_of_a_completed_booking(signed_in, booking):
    page = signed_in.get(booking.get_absolute_url()).content.decode()
    assert claim_url(booking) in page and "Claim travel and expenses" in page


@pytest.mark.django_db
def test_no_claim_link_before_the_booking_is_completed(signed_in, profile):
    confirmed = BookingFactory(expert=profile, status="confirmed")
    assert claim_url(confirmed) not in signed_in.get(confirmed.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_expert_claims_kilometres_and_tickets_with_a_photo(signed_in, booking):
    response = post_claim(
        signed_in, booking, kilometres="42,5", tickets="12,40", note="Bussi", receipt=receipt_of(jpeg_with_gps())
    )
    assert response.status_code == 302 and response["Location"] == claim_url(booking)
    claim = ExpenseClaim.objects.get()
    assert (claim.booking, claim.kilometres, claim.tickets, claim.note, claim.status) == (
        booking,
        Decimal("42.5"),
        Decimal("12.40"),
        "Bussi",
        ClaimStatus.SUBMITTED,
    )
    # A random name of our own: nothing of the phone's file name, nothing to guess.
    assert claim.receipt.name.startswith("bookings/receipts/") and claim.receipt.name.endswith(".jpg")
    assert "IMG_2041" not in claim.receipt.name and len(claim.receipt.name.rsplit("/", 1)[1]) == 36


@pytest.mark.django_db
def test_the_stored_photo_has_no_location(signed_in, booking):
    post_claim(signed_in, booking, tickets="5", receipt=receipt_of(jpeg_with_gps()))
    with ExpenseClaim.objects.get().receipt.open("rb") as stored:
        image = Image.open(stored)
        assert image.format == "JPEG"
        assert GPS_IFD not in image.getexif() and 0x0110 not in image.getexif()


@pytest.mark.django_db
def test_a_png_and_a_pdf_are_accepted(signed_in, booking, profile):
    post_claim(signed_in, booking, tickets="5", receipt=receipt_of(png(), "kuitti.png", "image/png"))
    assert ExpenseClaim.objects.get().receipt.name.endswith(".png")
    other = BookingFactory(expert=profile, status="completed", assignment__starts_in=timedelta(days=-5))
    post_claim(signed_in, other, tickets="7,90", receipt=receipt_of(PDF, "kuitti.pdf", "application/pdf"))
    claim = ExpenseClaim.objects.get(booking=other)
    assert claim.receipt.name.endswith(".pdf")
    with claim.receipt.open("rb") as stored:
        assert stored.read() == PDF


@pytest.mark.django_db
def test_kilometres_alone_need_no_receipt(signed_in, booking):
    assert post_claim(signed_in, booking, kilometres="18").status_code == 302
    assert ExpenseClaim.objects.get().receipt.name == ""


@pytest.mark.django_db
def test_tickets_need_a_receipt(signed_in, booking):
    response = post_claim(signed_in, booking, kilometres="18", tickets="12,40", note="Juna")
    assert response.status_code == 200
    assert "Add a photo or a PDF of the receipt for the tickets." in response.content.decode()
    assert not ExpenseClaim.objects.exists()


@pytest.mark.django_db
def test_a_fake_image_with_a_jpg_name_is_refused_and_the_rest_kept(signed_in, booking):
    response = post_claim(
        signed_in, booking, kilometres="18", tickets="12,40", note="Juna", receipt=receipt_of(b"MZ\x90\x00 not a photo")
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "The file is not a photo or a PDF we can use" in page
    assert 'value="18"' in page and 'value="12,40"' in page and "Juna</textarea>" in page
    assert "Choose the receipt file again" in page
    assert not ExpenseClaim.objects.exists()


@pytest.mark.django_db
def test_a_gif_is_refused(signed_in, booking):
    buffer = BytesIO()
    Image.new("RGB", (10, 10)).save(buffer, format="GIF")
    response = post_claim(signed_in, booking, tickets="3", receipt=receipt_of(buffer.getvalue(), "kuitti.gif"))
    assert "The file is not a photo or a PDF we can use" in response.content.decode()
    assert not ExpenseClaim.objects.exists()


@pytest.mark.django_db
def test_a_file_over_the_limit_is_refused(signed_in, booking, settings):
    settings.KP_RECEIPT_MAX_BYTES = 1024
    big = PDF + b"0" * 2048
    response = post_claim(signed_in, booking, tickets="3", receipt=receipt_of(big, "kuitti.pdf", "application/pdf"))
    assert "The file is too large. The largest allowed size is 1.0\xa0KB." in response.content.decode()
    assert not ExpenseClaim.objects.exists()


@pytest.mark.django_db
def test_a_claim_of_nothing_is_an_error(signed_in, booking):
    response = post_claim(signed_in, booking, kilometres="0")
    assert "Enter the kilometres or the ticket costs." in response.content.decode()
    assert not ExpenseClaim.objects.exists()


@pytest.mark.django_db
def test_negative_or_huge_amounts_are_errors_not_crashes(signed_in, booking):
    response = post_claim(signed_in, booking, kilometres="-5", tickets="99999")
    assert response.status_code == 200
    assert not ExpenseClaim.objects.exists()


@pytest.mark.django_db
def test_a_double_submit_makes_one_claim_and_shows_it(signed_in, booking):
    post_claim(signed_in, booking, kilometres="18")
    response = post_claim(signed_in, booking, kilometres="18")
    assert response.status_code == 302
    assert ExpenseClaim.objects.count() == 1
    page = signed_in.get(claim_url(booking)).content.decode()
    assert "Your claim has already been sent." in page and "Waiting for approval" in page
    assert "Send the claim" not in page


@pytest.mark.django_db
def test_the_service_returns_the_claim_already_in_play(booking):
    first, created = submit_expense_claim(booking=booking, kilometres=Decimal("10"), tickets=0, receipt=None, note="")
    again, created_again = submit_expense_claim(
        booking=booking, kilometres=Decimal("99"), tickets=0, receipt=None, note=""
    )
    assert created and not created_again and again == first
    assert ExpenseClaim.objects.get().kilometres == Decimal("10")


@pytest.mark.django_db
def test_a_booking_not_completed_cannot_be_claimed(signed_in, profile):
    confirmed = BookingFactory(expert=profile, status="confirmed", assignment__starts_in=timedelta(days=-1))
    response = signed_in.get(claim_url(confirmed))
    assert response["Location"] == confirmed.get_absolute_url()
    post_claim(signed_in, confirmed, kilometres="18")
    assert not ExpenseClaim.objects.exists()
    with pytest.raises(BookingError):
        submit_expense_claim(booking=confirmed, kilometres=Decimal("1"), tickets=0, receipt=None, note="")


@pytest.mark.django_db
def test_a_returned_claim_shows_why_and_a_new_one_can_be_sent(signed_in, booking, coordinator):
    claim = stored_claim(booking, receipt=None)
    return_expense_claim(claim=claim, reason="Kilometrit eivät täsmää reittiin.", actor=coordinator)
    page = signed_in.get(claim_url(booking)).content.decode()
    assert "Kilometrit eivät täsmää reittiin." in page and "Send a new claim" in page
    assert post_claim(signed_in, booking, kilometres="30").status_code == 302
    assert list(ExpenseClaim.objects.order_by("pk").values_list("status", flat=True)) == ["rejected", "submitted"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "status"),
    [("self", 200), ("other_expert", 404), ("coordinator", 403), ("orderer", 403), ("anonymous", 302)],
)
def test_claim_page_access(client, booking, coordinator, who, status):
    users = {
        "self": booking.expert.user,
        "other_expert": ExpertProfileFactory().user,
        "coordinator": coordinator,
        "orderer": UserFactory(role="orderer"),
    }
    if who != "anonymous":
        sign_in(client, users[who])
    assert client.get(claim_url(booking)).status_code == status
    assert client.post(claim_url(booking), {"kilometres": "5"}).status_code in (status, 302)
    assert ExpenseClaim.objects.exists() == (who == "self")


# --- The receipt ---------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("self", 200),
        ("coordinator", 200),
        ("other_expert", 404),
        ("orderer", 404),
        ("trainer", 404),
        ("anonymous", 302),
    ],
)
def test_receipt_access(client, booking, coordinator, who, status):
    claim = stored_claim(booking, receipt=jpeg_with_gps(), extension="jpg", tickets=5)
    users = {
        "self": booking.expert.user,
        "coordinator": coordinator,
        "other_expert": ExpertProfileFactory().user,
        "orderer": UserFactory(role="orderer"),
        "trainer": UserFactory(role="trainer", mfa=True),
    }
    if who != "anonymous":
        sign_in(client, users[who])
    response = client.get(reverse("bookings:claim_receipt", args=[claim.pk]))
    assert response.status_code == status
    if status == 200:
        assert response["Content-Type"] == "image/jpeg"
        assert response["Content-Disposition"].startswith("inline")
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "no-store" in response["Cache-Control"]
        b"".join(response.streaming_content)


@pytest.mark.django_db
def test_a_coordinator_looking_at_a_receipt_is_audited_the_expert_not(client, booking, coordinator):
    claim = stored_claim(booking)
    url = reverse("bookings:claim_receipt", args=[claim.pk])
    sign_in(client, booking.expert.user).get(url)
    assert not AuditEvent.objects.filter(what="expense claim receipt").exists()
    sign_in(client, coordinator).get(url)
    event = AuditEvent.objects.get(what="expense claim receipt")
    assert (event.actor, event.subject, event.action) == (coordinator, booking.expert.user, AuditAction.VIEW)


@pytest.mark.django_db
def test_a_pdf_receipt_is_downloaded_not_shown(client, booking, coordinator):
    claim = stored_claim(booking)
    response = sign_in(client, coordinator).get(reverse("bookings:claim_receipt", args=[claim.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="kuitti-{claim.pk}.pdf"'
    assert b"".join(response.streaming_content) == PDF


@pytest.mark.django_db
def test_a_claim_without_a_receipt_has_none_to_serve(signed_in, booking):
    claim = stored_claim(booking, receipt=None)
    assert signed_in.get(reverse("bookings:claim_receipt", args=[claim.pk])).status_code == 404


# --- The coordinator's review --------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "status"), [("coordinator", 200), ("expert", 403), ("orderer", 403), ("anonymous", 302)]
)
def test_list_and_review_access(client, booking, coordinator, who, status):
    claim = stored_claim(booking)
    users = {"coordinator": coordinator, "expert": booking.expert.user, "orderer": UserFactory(role="orderer")}
    if who != "anonymous":
        sign_in(client, users[who])
    assert client.get(reverse("bookings:claim_list")).status_code == status
    review = reverse("bookings:claim_review", args=[claim.pk])
    assert client.get(review).status_code == status
    client.post(review, {"action": "approve"})
    claim.refresh_from_db()
    assert claim.status == (ClaimStatus.APPROVED if who == "coordinator" else ClaimStatus.SUBMITTED)


@pytest.mark.django_db
def test_the_list_shows_waiting_claims_and_links_to_each(client, booking, coordinator):
    claim = stored_claim(booking)
    decided = stored_claim(
        BookingFactory(status="completed", assignment__starts_in=timedelta(days=-9)),
        receipt=None,
        status=ClaimStatus.REJECTED,
    )
    response = sign_in(client, coordinator).get(reverse("bookings:claim_list"))
    assert response.context["waiting"] == [claim] and response.context["decided"] == [decided]
    assert reverse("bookings:claim_review", args=[claim.pk]) in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 4])
def test_list_queries_do_not_grow_with_claims(client, coordinator, django_assert_num_queries, count):
    for _ in range(count):
        stored_claim(BookingFactory(status="completed", assignment__starts_in=timedelta(days=-3)), receipt=None)
        stored_claim(
            BookingFactory(status="completed", assignment__starts_in=timedelta(days=-3)),
            receipt=None,
            status=ClaimStatus.APPROVED,
        )
    sign_in(client, coordinator)
    # session; the user with roles, permissions and MFA status (accounts.backends); the waiting claims
    # with booking, assignment and expert; the decided ones with the same and the decider; the
    # idle-timeout session save (savepoint, update, release).
    with django_assert_num_queries(7):
        response = client.get(reverse("bookings:claim_list"))
    assert len(response.context["waiting"]) == count


@pytest.mark.django_db
def test_review_page_queries(client, booking, coordinator, django_assert_num_queries):
    claim = stored_claim(booking, receipt=jpeg_with_gps(), extension="jpg", kilometres=42, tickets=5)
    ExpenseLine.objects.create(booking=booking, kind="meal", quantity=1, amount=Decimal("13.25"))
    sign_in(client, coordinator)
    ContentType.objects.get_for_model(Assignment)
    # session; the user with roles, permissions and MFA status; the claim with booking, assignment,
    # task type, expert, user and decider; the audit event; the kilometre tariff; the booking's
    # expense lines; the idle-timeout session save (savepoint, update, release).
    with django_assert_num_queries(9):
        response = client.get(reverse("bookings:claim_review", args=[claim.pk]))
    page = response.content.decode()
    assert reverse("bookings:claim_receipt", args=[claim.pk]) in page  # the photo, shown
    assert "Expenses already recorded for this booking" in page and "Meal" in page
    assert "€23.10" in page  # 42 km × 0.55 €
    assert reverse("bookings:payee", args=[booking.expert_id]) in page


@pytest.mark.django_db
def test_approving_creates_the_expense_lines_tells_the_expert_and_audits(client, booking, coordinator):
    claim = stored_claim(booking, kilometres=Decimal("42.5"), tickets=Decimal("12.40"))
    response = sign_in(client, coordinator).post(
        reverse("bookings:claim_review", args=[claim.pk]), {"action": "approve"}
    )
    assert response.status_code == 302
    claim.refresh_from_db()
    assert (claim.status, claim.decided_by) == (ClaimStatus.APPROVED, coordinator) and claim.decided_at
    lines = {line.kind: line for line in ExpenseLine.objects.filter(claim=claim)}
    assert set(lines) == {"travel_km", "ticket"}
    assert (lines["travel_km"].quantity, lines["travel_km"].amount) == (Decimal("42.5"), Decimal("23.38"))
    assert (lines["ticket"].quantity, lines["ticket"].amount) == (Decimal("1"), Decimal("12.40"))
    assert all(line.booking == booking for line in lines.values())
    notification = Notification.objects.get(kind="bookings.claim_approved")
    assert notification.recipient == booking.expert.user and notification.target == claim
    event = AuditEvent.objects.get(what="expense claim approved")
    assert (event.actor, event.subject, event.action, event.fields) == (
        coordinator,
        booking.expert.user,
        AuditAction.CHANGE,
        ["status"],
    )


@pytest.mark.django_db
def test_approving_twice_creates_the_lines_once(client, booking, coordinator):
    claim = stored_claim(booking, kilometres=10, tickets=3)
    sign_in(client, coordinator)
    url = reverse("bookings:claim_review", args=[claim.pk])
    client.post(url, {"action": "approve"})
    response = client.post(url, {"action": "approve"}, follow=True)
    assert "This claim has already been decided: Approved." in response.content.decode()
    assert ExpenseLine.objects.filter(claim=claim).count() == 2
    with pytest.raises(BookingError):
        approve_expense_claim(claim=claim, actor=coordinator)
    assert ExpenseLine.objects.filter(claim=claim).count() == 2
    assert Notification.objects.filter(kind="bookings.claim_approved").count() == 1


@pytest.mark.django_db
def test_returning_needs_a_reason(client, booking, coordinator):
    claim = stored_claim(booking)
    response = sign_in(client, coordinator).post(
        reverse("bookings:claim_review", args=[claim.pk]), {"action": "return", "reason": "  "}
    )
    assert response.status_code == 200
    assert "Tell the expert why the claim is returned." in response.content.decode()
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.SUBMITTED


@pytest.mark.django_db
def test_returning_tells_the_expert_why_and_audits_without_the_reason(client, booking, coordinator):
    claim = stored_claim(booking)
    reason = "Kuitista ei saa selvää, ota uusi kuva."
    sign_in(client, coordinator).post(
        reverse("bookings:claim_review", args=[claim.pk]), {"action": "return", "reason": reason}
    )
    claim.refresh_from_db()
    assert (claim.status, claim.decision_note) == (ClaimStatus.REJECTED, reason)
    assert not ExpenseLine.objects.exists()
    notification = Notification.objects.get(kind="bookings.claim_returned")
    assert notification.recipient == booking.expert.user
    notification.language = "en"
    message = render_notification(notification)
    assert message.subject == "Your travel and expense claim was returned: Luento Heinolassa"
    assert reason in message.text and reason in message.html
    assert claim_url(booking) in message.text
    for event in AuditEvent.objects.filter(subject=booking.expert.user):
        assert reason not in event.what and reason not in str(event.fields)


@pytest.mark.django_db
def test_a_claim_of_a_booking_no_longer_completed_is_not_approved(booking, coordinator):
    claim = stored_claim(booking)
    booking.status = "not_completed"
    booking.save(update_fields=["status"])
    with pytest.raises(BookingError):
        approve_expense_claim(claim=claim, actor=coordinator)
    assert not ExpenseLine.objects.exists()


@pytest.mark.django_db
def test_the_decision_goes_by_text_message_too_to_an_expert_who_chose_it(settings, coordinator):
    settings.KP_SMS_BACKEND = "notifications.backends.FileSmsBackend"
    expert = UserFactory(role="expert", phone="+358401234567")
    NotificationPreference.objects.create(user=expert, kind="bookings.claim_returned", channel="sms", enabled=True)
    booking = BookingFactory(
        expert=ExpertProfileFactory(user=expert),
        status="completed",
        assignment__starts_in=timedelta(days=-2),
        assignment__title="Luento Heinolassa",
    )
    claim = stored_claim(booking, receipt=None)
    return_expense_claim(claim=claim, reason="Puuttuu kuitti.", actor=coordinator)
    rows = Notification.objects.filter(kind="bookings.claim_returned").order_by("channel")
    assert [row.channel for row in rows] == ["email", "sms"]
    sms = rows.get(channel="sms")
    sms.language = "en"
    text = render_text_message(sms)
    assert "Your travel and expense claim was returned: Luento Heinolassa" in text and claim_url(booking) in text


@pytest.mark.django_db
def test_claim_page_queries(signed_in, booking, coordinator, django_assert_num_queries):
    claim = stored_claim(booking, receipt=None)
    return_expense_claim(claim=claim, reason="Reitti puuttuu.", actor=coordinator)
    stored_claim(booking, receipt=None)
    # session; the user with roles, permissions and MFA status; the expert's profile; the booking with
    # assignment, task type, contact person and tariff; its claims with their deciders; the
    # idle-timeout session save (savepoint, update, release).
    with django_assert_num_queries(8):
        response = signed_in.get(claim_url(booking))
    assert "Reitti puuttuu." in response.content.decode()


@pytest.mark.django_db
def test_a_deleted_claim_takes_its_receipt_with_it(booking, tmp_path, django_capture_on_commit_callbacks):
    claim = stored_claim(booking)
    path = tmp_path / claim.receipt.name
    assert path.exists()
    with django_capture_on_commit_callbacks(execute=True):
        booking.delete()
    assert not ExpenseClaim.objects.exists() and not path.exists()
