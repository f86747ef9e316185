"""Wording a new user misread: a total fee shown as if it were a price per hour, and Finnish sentences
where a name would need a case ending it cannot get (GLOSSARY.md F4)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from tests.factories import AssignmentFactory, BookingFactory

NBSP = "\xa0"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "fee"),
    [
        ("fi", f'37,50{NBSP}€ <span class="muted">(1,5 h × 25,00{NBSP}€)</span>'),
        ("sv", f'37,50{NBSP}€ <span class="muted">(1,5 h × 25,00{NBSP}€)</span>'),
        ("en", '€37.50 <span class="muted">(1.5 h × €25.00)</span>'),
    ],
)
def test_an_invitation_shows_its_total_fee_with_how_it_is_counted(signed_in, profile, language, fee):
    BookingFactory(expert=profile, assignment=AssignmentFactory(hours=1.5, starts_in=timedelta(days=3)))
    signed_in.cookies["kp_language"] = language
    page = signed_in.get(reverse("bookings:my_assignments")).content.decode()
    assert fee in page
    assert "tunnilta" not in page.lower() and "per timme" not in page.lower()


@pytest.mark.django_db
def test_a_fixed_fee_shows_the_tariffs_name(signed_in, profile):
    assignment = AssignmentFactory(tariff_kind="lecture", starts_in=timedelta(days=3))
    booking = BookingFactory(expert=profile, assignment=assignment)
    signed_in.cookies["kp_language"] = "fi"
    page = signed_in.get(booking.get_absolute_url()).content.decode()
    assert f'100,00{NBSP}€ <span class="muted">(Luento tai puheenvuoro)</span>' in page


@pytest.mark.parametrize(
    ("msgid", "values", "finnish"),
    [
        (
            "%(name)s could not be invited: %(reason)s",
            {"reason": "Kokemusasiantuntija on tauolla."},
            "Aino: kutsua ei voitu lähettää. Kokemusasiantuntija on tauolla.",
        ),
        ("The booking of %(name)s was cancelled.", {}, "Varaus on peruttu: Aino."),
        ("The outcome was recorded: %(name)s.", {}, "Toteutuminen on kirjattu: Aino."),
        ("Cancel the booking of %(name)s", {}, "Peru varaus: Aino"),
        ("Your feedback to %(name)s", {}, "Palaute kokemusasiantuntijalle: Aino"),
        ("Confirming %(name)s would exceed their earnings limit", {}, "Aino: vahvistus ylittäisi ansaintarajan"),
    ],
)
def test_finnish_sentences_leave_the_name_in_its_base_form(msgid, values, finnish):
    with translation.override("fi"):
        assert gettext(msgid) % {"name": "Aino", **values} == finnish


def test_a_cancelled_assignment_and_a_cancelled_booking_are_two_words_in_swedish():
    from bookings.models import AssignmentStatus, BookingStatus

    with translation.override("sv"):
        assert str(AssignmentStatus.CANCELLED.label) == "Inställt"
        assert str(BookingStatus.CANCELLED.label) == "Avbokad"
    with translation.override("fi"):
        assert str(AssignmentStatus.CANCELLED.label) == str(BookingStatus.CANCELLED.label) == "Peruttu"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "language", "subject"),
    [
        ("bookings.cancelled", "sv", "Inställt: Luento"),
        ("bookings.cancelled_by_expert", "sv", "Förhinder: Luento"),
        ("bookings.cancelled_by_expert", "fi", "Kokemusasiantuntija ei pääse: Luento"),
        ("bookings.cancelled_by_expert", "en", "An expert cannot come: Luento"),
    ],
)
def test_the_two_cancellation_emails_say_different_things(coordinator, kind, language, subject):
    from notifications.emails import render_notification
    from notifications.models import Notification

    booking = BookingFactory(assignment=AssignmentFactory(contact_person=coordinator, title="Luento"))
    notification = Notification(kind=kind, target=booking, recipient=coordinator, language=language)
    assert render_notification(notification).subject == subject
