"""Inviting a profile that is not listed (no consent, or left) answers exactly as an id that does not
exist: the same status and message, and neither its name nor its status."""

import html

import pytest
from django.urls import reverse

from bookings.models import Booking
from experts.models import ProfileStatus
from tests.factories import AssignmentFactory, ExpertProfileFactory

UNKNOWN_ID = 987654


@pytest.fixture
def signed_in(client, coordinator):
    client.force_login(coordinator)
    client.cookies["kp_language"] = "en"
    return client


@pytest.fixture
def assignment(coordinator):
    return AssignmentFactory(contact_person=coordinator)


def invite(client, assignment, *profile_ids):
    """Post the invitation and follow to the page that shows its messages."""
    url = reverse("bookings:assignment_invite", args=[assignment.pk])
    return client.post(url, {"profile": profile_ids}, follow=True)


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "unlisted",
    [
        pytest.param(lambda: ExpertProfileFactory(display_name="Piilo Pirkko", consent=False), id="no-consent"),
        pytest.param(lambda: ExpertProfileFactory(display_name="Piilo Pirkko", status=ProfileStatus.LEFT), id="left"),
    ],
)
def test_inviting_an_unlisted_profile_answers_as_an_unknown_id(signed_in, assignment, unlisted):
    profile = unlisted()
    unknown = invite(signed_in, assignment, UNKNOWN_ID)

    response = invite(signed_in, assignment, profile.pk)

    assert response.redirect_chain == unknown.redirect_chain == [(assignment.get_absolute_url(), 302)]
    assert messages_of(response) == messages_of(unknown) == ["Choose at least one expert to invite."]
    assert "Piilo Pirkko" not in html.unescape(response.content.decode())
    assert not Booking.objects.exists()


@pytest.mark.django_db
def test_an_unlisted_profile_among_listed_ones_is_left_out_without_a_word(signed_in, assignment):
    listed = ExpertProfileFactory(display_name="Aino")
    unlisted = ExpertProfileFactory(display_name="Piilo Pirkko", consent=False)

    response = invite(signed_in, assignment, listed.pk, unlisted.pk)

    assert messages_of(response) == ["Aino was invited."]
    assert list(Booking.objects.values_list("expert", flat=True)) == [listed.pk]
