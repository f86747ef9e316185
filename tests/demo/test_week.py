"""The coordinator's week (demo/week.py): every section of the to-do has something in it, the orderer
sees her four requests, the reception shift is a weekly series that Aino hears of, the past is
recorded, corrected and claimed, a new consent text is in its grace period, and loading again
changes nothing until the week has gone stale."""

import html
from datetime import time, timedelta
from decimal import Decimal
from io import BytesIO

import pytest
from allauth.mfa.models import Authenticator
from cryptography.fernet import Fernet
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from accounts.models import AuditAction, AuditEvent, User
from bookings import payees
from bookings.eligibility import outside_hours
from bookings.models import (
    Assignment,
    AssignmentSeries,
    AssignmentStatus,
    Booking,
    BookingCorrection,
    BookingStatus,
    CheckIn,
    ClaimStatus,
    DebriefStatus,
    ExpenseClaim,
    ExpenseKind,
    ExpenseLine,
    MatchDigest,
    NotCompletedReason,
    OrderRequest,
    OrderStatus,
    Payee,
    PrivateFeedback,
)
from bookings.todo import todo_for
from demo import accounts as demo_accounts
from demo import bookings as demo_bookings
from demo import expert_bank as demo_expert_bank
from demo import experts as demo_experts
from demo import week as demo_week
from experts.models import Consent, ConsentText, ExpertProfile
from notifications.models import Channel, Notification, Status

MODELS = (
    Assignment,
    AssignmentSeries,
    Booking,
    BookingCorrection,
    CheckIn,
    ExpenseClaim,
    ExpenseLine,
    MatchDigest,
    OrderRequest,
    Payee,
    Consent,
    Notification,
    AuditEvent,
)


def load_all() -> demo_week.Week:
    demo_accounts.load()
    demo_experts.load()
    demo_expert_bank.load()
    demo_bookings.load()
    return demo_week.load()


def counts() -> list[int]:
    return [model.objects.count() for model in MODELS]


def profile(name: str) -> ExpertProfile:
    return ExpertProfile.objects.get(display_name=name)


def page_of(response) -> str:
    assert response.status_code == 200
    return html.unescape(response.content.decode())


@pytest.fixture
def coordinator():
    return User.objects.get(email=demo_week.COORDINATOR_EMAIL)


@pytest.fixture
def orderer():
    return User.objects.get(email=demo_week.ORDERER_EMAIL)


@pytest.fixture
def week(db):
    return load_all()


def test_every_section_of_the_coordinators_todo_has_something(week, client, coordinator):
    todo = todo_for(timezone.now())
    assert {name: count for name, count in todo.counts.items() if not count} == {}
    # The page lists them: Ville's unanswered invitation, yesterday's evening to record, the debriefs.
    client.force_login(coordinator)
    page = page_of(client.get(reverse("bookings:todo")))
    for text in [demo_week.MARKER, demo_week.FAMILY_EVENING.title, "Linnea", "Tuomas", "Hollolan sosiaalipalvelut"]:
        assert text in page
    assert week.orders == 4 and week.series_dates == demo_week.SERIES_WEEKS
    assert demo_week.waiting() == todo.total


def test_an_invitation_unanswered_for_three_days_outside_the_experts_hours(week):
    booking = Booking.objects.select_related("assignment", "expert").get(assignment__title=demo_week.MARKER)
    assert booking.status == BookingStatus.INVITED and booking.expert.display_name == "Ville"
    assert timedelta(days=3) < timezone.now() - booking.invited_at < timedelta(days=4)
    assert booking.assignment.starts_at > timezone.now()
    assert outside_hours(booking.expert, booking.assignment)
    # The reminder to him and the note to the coordinator were due since: they go at once.
    due = Notification.objects.for_target(booking).filter(kind="bookings.unanswered").get()
    assert due.status == Status.PENDING and due.due_at <= timezone.now()


def test_the_orderer_sees_her_four_requests_and_gives_feedback_on_the_done_one(week, client, orderer):
    assert not Authenticator.objects.filter(user=orderer).exists()  # no two-factor: she sees no one's data
    assert Authenticator.objects.filter(user__email=demo_week.COORDINATOR_EMAIL).exists()
    requests = {order.status: order for order in OrderRequest.objects.filter(orderer=orderer)}
    assert sorted(OrderRequest.objects.values_list("status", flat=True)) == sorted(
        [OrderStatus.SUBMITTED, OrderStatus.DECLINED, OrderStatus.ACCEPTED, OrderStatus.ACCEPTED]
    )
    assert requests[OrderStatus.DECLINED].decline_reason
    accepted = OrderRequest.objects.filter(orderer=orderer, status=OrderStatus.ACCEPTED).select_related("assignment")
    statuses = {order.assignment.status: order for order in accepted}
    assert set(statuses) == {AssignmentStatus.FILLED, AssignmentStatus.DONE}
    confirmed = statuses[AssignmentStatus.FILLED].assignment.bookings.get()
    assert confirmed.status == BookingStatus.CONFIRMED and confirmed.expert.display_name == "Helmi"
    assert not outside_hours(confirmed.expert, confirmed.assignment)
    done = statuses[AssignmentStatus.DONE]
    completed = done.assignment.bookings.get()
    assert completed.status == BookingStatus.COMPLETED and completed.expert.display_name == "Mikko"
    assert not PrivateFeedback.objects.filter(booking=completed).exists()
    assert Notification.objects.for_target(done).filter(kind="bookings.order_feedback").exists()
    assert all(order.created_at < timezone.now() - timedelta(days=1) for order in requests.values())

    client.force_login(orderer)
    page = page_of(client.get(reverse("bookings:order_list")))
    for order in OrderRequest.objects.filter(orderer=orderer):
        assert reverse("bookings:order_detail", args=[order.pk]) in page
    detail = page_of(client.get(reverse("bookings:order_detail", args=[done.pk])))
    assert reverse("bookings:order_feedback", args=[completed.pk]) in detail and "Mikko" in detail


def test_a_weekly_reception_shift_open_to_all_with_one_date_cancelled(week):
    dates = list(Assignment.objects.filter(title=demo_week.SERIES_TITLE).select_related("municipality", "language"))
    assert len(dates) == demo_week.SERIES_WEEKS and len({date.series_id for date in dates}) == 1
    for date in dates:
        starts, ends = timezone.localtime(date.starts_at), timezone.localtime(date.ends_at)
        assert starts.weekday() == 2 and (starts.time(), ends.time()) == (time(12), time(16))
        assert date.open_to_all and date.municipality.slug == "lahti" and date.language.slug == "suomi"
        assert date.starts_at > timezone.now()
    assert [date.status for date in dates].count(AssignmentStatus.CANCELLED) == 1
    # Katja volunteered for the first date; Aino matches the shift and hears of it in her daily digest.
    assert dates[0].bookings.get().expert.display_name == "Katja"
    aino = profile("Aino")
    assert not outside_hours(aino, dates[1])
    digest = MatchDigest.objects.get(profile=aino)
    assert digest.assignments.filter(title=demo_week.SERIES_TITLE).exists()
    assert Notification.objects.for_target(digest).filter(status=Status.PENDING, kind="bookings.open_digest").exists()


def test_the_past_recorded_corrected_not_completed_and_debriefed(week, coordinator):
    recorded = Assignment.objects.get(recorded_afterwards=True)
    assert recorded.status == AssignmentStatus.DONE and recorded.ends_at < timezone.now()
    gig = recorded.bookings.get()
    assert gig.status == BookingStatus.COMPLETED and gig.expert.display_name == "Juha"
    assert gig.expense_lines.get().kind == ExpenseKind.TRAVEL_KM

    correction = BookingCorrection.objects.get()
    assert correction.reason == "Keskustelu jatkui sovitusti tunnin pidempään."
    assert (correction.before["hours"], correction.after["hours"]) == ("2.00", "3.00")
    assert correction.booking.hours == Decimal("3") and correction.corrected_by == coordinator

    ill = Booking.objects.get(status=BookingStatus.NOT_COMPLETED)
    assert ill.not_completed_reason == NotCompletedReason.ILLNESS and ill.expert.display_name == "Helmi"

    to_record = Booking.objects.get(assignment__title=demo_week.FAMILY_EVENING.title)
    assert to_record.status == BookingStatus.CONFIRMED and to_record.assignment.ends_at < timezone.now()
    # Its invitation and reminders went out back then: nothing about it waits to be sent now.
    assert not Notification.objects.for_target(to_record).filter(status=Status.PENDING).exists()

    debriefs = {check_in.debrief_status: check_in for check_in in CheckIn.objects.filter(wants_debrief=True)}
    assert set(debriefs) == {DebriefStatus.ASKED, DebriefStatus.AGREED}
    assert debriefs[DebriefStatus.AGREED].debrief_on > timezone.localdate()


def test_claims_waiting_with_a_receipt_approved_and_returned(week):
    claims = {claim.status: claim for claim in ExpenseClaim.objects.select_related("booking__expert")}
    assert set(claims) == {ClaimStatus.SUBMITTED, ClaimStatus.APPROVED, ClaimStatus.REJECTED}
    waiting = claims[ClaimStatus.SUBMITTED]
    assert waiting.booking.expert.display_name == "Aino" and waiting.tickets == Decimal("12.40")
    with waiting.receipt.open("rb") as receipt:
        image = Image.open(BytesIO(receipt.read()))
        assert image.format == "JPEG" and image.width < image.height
    approved = claims[ClaimStatus.APPROVED]
    assert approved.booking.expense_lines.filter(claim=approved, kind=ExpenseKind.TRAVEL_KM).exists()
    assert claims[ClaimStatus.REJECTED].decision_note


def test_a_new_consent_text_in_its_grace_period_and_a_consent_on_paper(week, coordinator):
    text = ConsentText.current()
    assert text.version == demo_week.RENEWED_VERSION and text.grace_days == 30
    assert timedelta(days=21) < timezone.now() - text.published_at < timedelta(days=23)
    older = ConsentText.objects.get(version=text.version - 1)
    assert older.published_at < text.published_at
    waiting = set(ExpertProfile.objects.consent_expiring().values_list("display_name", flat=True))
    assert waiting == set(demo_week.NOT_ANSWERED)
    # Still listed, and reminded before the grace period ends; everyone else has answered.
    assert set(ExpertProfile.objects.consented().values_list("display_name", flat=True)) >= waiting
    renewal = Notification.objects.for_target(text).filter(kind="experts.consent_renewal_reminder")
    assert set(renewal.filter(status=Status.PENDING).values_list("recipient__first_name", flat=True)) == waiting
    others = ExpertProfile.objects.exclude(display_name__in=waiting)
    assert set(others.values_list("consent_version", flat=True)) == {text.version}

    sirpa = profile(demo_week.ON_PAPER)
    paper = Consent.objects.get(profile=sirpa, text=text)
    assert paper.on_paper and paper.recorded_by == coordinator
    assert sirpa.accessibility_needs == demo_week.SIRPA_NEEDS
    assert AuditEvent.objects.filter(
        actor=coordinator, subject=sirpa.user, action=AuditAction.CHANGE, what="expert profile"
    ).exists()


def test_aino_has_payee_details_a_mobile_number_and_chosen_text_messages(week, coordinator):
    aino = profile("Aino")
    payee = Payee.objects.get(profile=aino)
    assert (payee.legal_name, payee.payee_number) == ("Aino Mäkelä", "P-104233")
    assert payee.tax_card_delivered and payee.tax_card_year == timezone.localdate().year
    assert payee.bank_account_encrypted == "" and payee.identity_code_encrypted == ""
    assert aino.user.phone == "+358401234567"
    chosen = aino.user.notification_preferences.filter(channel=Channel.SMS, enabled=True)
    assert set(chosen.values_list("kind", flat=True)) == set(demo_experts.AINO_TEXT_MESSAGES)


@pytest.mark.django_db
def test_with_an_sms_backend_aino_gets_her_invitation_as_a_text_message_too(settings):
    settings.KP_SMS_BACKEND = "notifications.backends.FileSmsBackend"
    load_all()
    invitation = Booking.objects.get(expert__display_name="Aino", assignment__title=demo_bookings.MARKER)
    channels = Notification.objects.for_target(invitation).filter(kind="bookings.invitation")
    assert set(channels.values_list("channel", flat=True)) == {Channel.EMAIL, Channel.SMS}
    # Texts about assignments that are over were never left waiting.
    over = Booking.objects.filter(assignment__ends_at__lt=timezone.now()).values_list("pk", flat=True)
    assert Booking.objects.filter(expert__display_name="Aino", pk__in=over).count() == 2
    pending = Notification.objects.filter(channel=Channel.SMS, status=Status.PENDING, content_type__model="booking")
    assert not pending.filter(object_id__in=[str(pk) for pk in over])


@pytest.mark.django_db
def test_with_sensitive_payee_details_on_aino_has_a_bank_account(settings):
    settings.KP_PAYROLL_SENSITIVE = True
    settings.KP_PAYROLL_KEY = Fernet.generate_key().decode()
    load_all()
    secrets = payees.decrypted(Payee.objects.get(profile__display_name="Aino"))
    assert secrets.bank_account == payees.validate_finnish_iban("FI49 5000 9420 0287 30")
    assert secrets.identity_code == payees.validate_identity_code("131052-308T")


def test_loading_twice_changes_nothing(week):
    before = counts()
    assert load_all() == week
    assert counts() == before


def test_a_week_gone_stale_is_rebuilt_around_today(week, orderer, django_capture_on_commit_callbacks):
    old_assignments = set(Assignment.objects.filter(title__in=demo_week.TITLES).values_list("pk", flat=True))
    old_requests = set(OrderRequest.objects.values_list("pk", flat=True))
    receipt = ExpenseClaim.objects.get(status=ClaimStatus.SUBMITTED).receipt
    storage, name = receipt.storage, receipt.name
    # Ten days later: the invitation's panel has passed, the consent text's grace period has ended.
    ten_days = timedelta(days=10)
    Assignment.objects.filter(pk__in=old_assignments).update(
        starts_at=timezone.now() - ten_days, ends_at=timezone.now() - ten_days + timedelta(hours=2)
    )
    text = ConsentText.current()
    ConsentText.objects.filter(pk=text.pk).update(published_at=text.published_at - ten_days)
    assert set(ExpertProfile.objects.consent_expiring().values_list("display_name", flat=True)) == set()

    with django_capture_on_commit_callbacks(execute=True):
        assert load_all() == week
    assert not old_assignments & set(Assignment.objects.values_list("pk", flat=True))
    assert not old_requests & set(OrderRequest.objects.values_list("pk", flat=True))
    assert OrderRequest.objects.filter(orderer=orderer).count() == 4
    assert Assignment.objects.get(title=demo_week.MARKER).starts_at > timezone.now()
    assert not storage.exists(name)  # the old claim's receipt went with it
    waiting = set(ExpertProfile.objects.consent_expiring().values_list("display_name", flat=True))
    assert waiting == set(demo_week.NOT_ANSWERED)
    assert {name: count for name, count in todo_for(timezone.now()).counts.items() if not count} == {}
