"""Until a coordinator marks a new expert ready to be booked, the expert is not offered in search and
cannot be invited or booked; staff still open their page, which says so, and the expert's own page
shows how far the onboarding is. After the steps and "ready", they are offered like anyone."""

import html

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.html import strip_tags

from bookings.eligibility import unbookable_reason
from bookings.models import Booking
from experts.models import ExpertProfile
from tests.factories import AssignmentFactory, ExpertProfileFactory, OnboardingStepFactory, UserFactory
from trainings import onboarding


@pytest.fixture
def steps(db):
    return [
        OnboardingStepFactory(name="Vaitiolositoumus", due_days=7),
        OnboardingStepFactory(name="Perehdytyskeskustelu", due_days=30),
    ]


@pytest.fixture
def newcomer(steps):
    return ExpertProfileFactory(display_name="Uusi Ursula", ready_at=None, onboarding_step=6, task_types=["luento"])


@pytest.fixture
def staff_client(client, coordinator):
    client.force_login(coordinator)
    client.cookies["kp_language"] = "en"
    return client


def make_ready(profile, steps, by):
    for step in steps:
        onboarding.mark_step_done(profile=profile, step=step, actor=by)
    onboarding.mark_ready(profile=profile, actor=by)


def search_names(client) -> list[str]:
    response = client.get(reverse("experts:index"))
    return [card.profile.display_name for card in response.context["cards"]]


def invite(client, assignment, profile):
    url = reverse("bookings:assignment_invite", args=[assignment.pk])
    return client.post(url, {"profile": [profile.pk]}, follow=True)


@pytest.mark.django_db
def test_listed_needs_ready_and_consented_does_not(newcomer):
    assert not ExpertProfile.objects.listed().filter(pk=newcomer.pk).exists()
    assert ExpertProfile.objects.consented().filter(pk=newcomer.pk).exists()
    assert list(ExpertProfile.objects.onboarding()) == [newcomer]


@pytest.mark.django_db
def test_a_new_expert_is_offered_in_search_only_after_being_marked_ready(staff_client, coordinator, newcomer, steps):
    ExpertProfileFactory(display_name="Vanha Veikko")
    assert search_names(staff_client) == ["Vanha Veikko"]

    make_ready(newcomer, steps, coordinator)

    assert sorted(search_names(staff_client)) == ["Uusi Ursula", "Vanha Veikko"]


@pytest.mark.django_db
def test_a_new_expert_cannot_be_invited_until_ready(staff_client, coordinator, newcomer, steps):
    assignment = AssignmentFactory(contact_person=coordinator)

    invite(staff_client, assignment, newcomer)
    assert not Booking.objects.exists()

    make_ready(newcomer, steps, coordinator)
    invite(staff_client, assignment, newcomer)
    assert list(Booking.objects.values_list("expert", flat=True)) == [newcomer.pk]


@pytest.mark.django_db
def test_a_new_expert_cannot_be_chosen_for_a_new_assignment(staff_client, newcomer):
    url = reverse("bookings:assignment_create")
    assert staff_client.get(url, {"expert": newcomer.pk}).status_code == 404


@pytest.mark.django_db
def test_the_booking_check_says_the_onboarding_is_not_finished(coordinator, newcomer):
    with translation.override("en"):
        reason = unbookable_reason(newcomer, AssignmentFactory(contact_person=coordinator))
    assert reason == "The expert's onboarding is not finished: they cannot be booked yet."


@pytest.mark.django_db
def test_staff_open_the_page_of_an_expert_still_onboarding_which_says_so(staff_client, newcomer):
    page = html.unescape(staff_client.get(newcomer.get_absolute_url()).content.decode())
    assert "Onboarding in progress" in page
    assert reverse("trainings:onboarding_detail", args=[newcomer.pk]) in page


@pytest.mark.django_db
def test_a_trainer_sees_the_status_but_no_checklist_link(client, newcomer):
    client.force_login(UserFactory(role="trainer", mfa=True))
    client.cookies["kp_language"] = "en"
    page = html.unescape(client.get(newcomer.get_absolute_url()).content.decode())
    assert "Onboarding in progress" in page
    assert reverse("trainings:onboarding_detail", args=[newcomer.pk]) not in page


@pytest.mark.django_db
def test_the_public_directory_leaves_out_experts_still_onboarding(client, settings, steps):
    settings.KP_PUBLIC_DIRECTORY = True
    ExpertProfileFactory(display_name="Uusi Ursula", ready_at=None, is_public=True)
    ExpertProfileFactory(display_name="Julkinen Juha", is_public=True)

    response = client.get(reverse("experts:directory"))

    assert [card.profile.display_name for card in response.context["cards"]] == ["Julkinen Juha"]
    assert client.get(reverse("experts:detail", args=[ExpertProfile.objects.get(ready_at=None).pk])).status_code == 404


@pytest.mark.django_db
def test_the_expert_sees_how_far_the_onboarding_is(client, coordinator, newcomer, steps):
    onboarding.mark_step_done(profile=newcomer, step=steps[0], actor=coordinator)
    client.force_login(newcomer.user)
    client.cookies["kp_language"] = "en"

    page = html.unescape(client.get(reverse("experts:my_profile")).content.decode())

    assert "Your profile is waiting for onboarding" in page
    assert "1 of 2 steps done." in page
    text = " ".join(strip_tags(page).split())
    assert "Vaitiolositoumus: done" in text and "Perehdytyskeskustelu: not yet" in text
    assert "Coordinators can book you once your onboarding is done." in page


@pytest.mark.django_db
def test_a_ready_expert_sees_no_onboarding_banner(client, steps):
    profile = ExpertProfileFactory(onboarding_step=6)
    client.force_login(profile.user)
    client.cookies["kp_language"] = "en"

    page = html.unescape(client.get(reverse("experts:my_profile")).content.decode())

    assert "Your profile is waiting for onboarding" not in page
    assert "Coordinators can book you for assignments." in page


@pytest.mark.django_db
def test_the_banner_costs_two_queries_and_only_while_onboarding(client, steps):
    """The active steps and the expert's done items; the rest of the page as for a ready expert."""

    def page_queries(profile) -> int:
        client.force_login(profile.user)
        client.get(reverse("experts:my_profile"))  # the first request's one-time work out of the way
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("experts:my_profile")).status_code == 200
        return len(queries)

    ready = page_queries(ExpertProfileFactory(onboarding_step=6))
    waiting = page_queries(ExpertProfileFactory(onboarding_step=6, ready_at=None))

    assert waiting == ready + 2
