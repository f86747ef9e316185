"""The onboarding checklist pages: the list, one expert's checklist, ticking steps, "ready to be booked"."""

import html
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditAction, AuditEvent
from experts.models import ProfileStatus
from notifications.models import Notification
from tests.factories import ExpertProfileFactory, OnboardingStepFactory, UserFactory
from trainings.models import OnboardingItem
from trainings.onboarding import READY_KIND


@pytest.fixture
def steps(db):
    return [
        OnboardingStepFactory(name="Vaitiolositoumus", due_days=7),
        OnboardingStepFactory(name="Perehdytyskeskustelu", due_days=30),
        OnboardingStepFactory(name="Mentorin tapaaminen", due_days=60, required=False),
    ]


@pytest.fixture
def newcomer(steps):
    return ExpertProfileFactory(display_name="Uusi Ursula", ready_at=None, onboarding_step=6)


@pytest.fixture
def signed_in(client, coordinator):
    client.force_login(coordinator)
    client.cookies["kp_language"] = "en"
    return client


def detail_url(profile):
    return reverse("trainings:onboarding_detail", args=[profile.pk])


def step_url(profile, step):
    return reverse("trainings:onboarding_step", args=[profile.pk, step.pk])


def ready_url(profile):
    return reverse("trainings:onboarding_ready", args=[profile.pk])


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def done(profile, step, by):
    return OnboardingItem.objects.update_or_create(
        profile=profile, step=step, defaults={"done_on": timezone.localdate(), "done_by": by}
    )[0]


# --- Access ---------------------------------------------------------------------------------


def _urls(profile, steps):
    return [
        ("get", reverse("trainings:onboarding_list")),
        ("get", detail_url(profile)),
        ("post", step_url(profile, steps[0])),
        ("post", ready_url(profile)),
    ]


@pytest.mark.django_db
def test_anonymous_is_sent_to_sign_in(client, newcomer, steps):
    for method, url in _urls(newcomer, steps):
        response = getattr(client, method)(url, {"action": "done"})
        assert response.status_code == 302 and "/login/" in response.url, url


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["expert", "trainer"])
def test_experts_and_trainers_are_refused(client, newcomer, steps, role):
    client.force_login(UserFactory(role=role, mfa=True))
    for method, url in _urls(newcomer, steps):
        assert getattr(client, method)(url, {"action": "done"}).status_code == 403, url
    assert not OnboardingItem.objects.filter(done_on__isnull=False).exists()
    newcomer.refresh_from_db()
    assert newcomer.ready_at is None


@pytest.mark.django_db
def test_the_coordinator_opens_the_list_and_the_checklist(signed_in, newcomer):
    assert signed_in.get(reverse("trainings:onboarding_list")).status_code == 200
    assert signed_in.get(detail_url(newcomer)).status_code == 200


@pytest.mark.django_db
def test_a_profile_that_left_or_does_not_exist_is_not_found(signed_in, steps):
    left = ExpertProfileFactory(ready_at=None, status=ProfileStatus.LEFT)
    assert signed_in.get(detail_url(left)).status_code == 404
    assert signed_in.post(step_url(left, steps[0]), {"action": "done"}).status_code == 404
    assert signed_in.get(reverse("trainings:onboarding_detail", args=[987654])).status_code == 404


@pytest.mark.django_db
def test_the_checklist_pages_answer_get_only_or_post_only(signed_in, newcomer, steps):
    assert signed_in.get(step_url(newcomer, steps[0])).status_code == 405
    assert signed_in.get(ready_url(newcomer)).status_code == 405


# --- The list ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_list_shows_progress_and_overdue_steps_newest_first(signed_in, coordinator, steps, newcomer):
    older = ExpertProfileFactory(display_name="Vanha Veikko", ready_at=None)
    # Joined 10 days ago: the 7-day step is overdue, the 30-day one is not yet.
    type(older).objects.filter(pk=older.pk).update(created_at=timezone.now() - timedelta(days=10))
    done(newcomer, steps[0], coordinator)

    response = signed_in.get(reverse("trainings:onboarding_list"))

    rows = response.context["waiting"]
    assert [row.profile.display_name for row in rows] == ["Uusi Ursula", "Vanha Veikko"]
    assert (rows[0].done, rows[0].total, rows[0].overdue) == (1, 3, 0)
    assert (rows[1].done, rows[1].total, rows[1].overdue) == (0, 3, 1)
    page = html.unescape(response.content.decode())
    assert "1/3" in page and "1 step overdue" in page


@pytest.mark.django_db
def test_the_list_leaves_out_ready_and_departed_experts_and_names_the_recently_ready(signed_in, coordinator, steps):
    ExpertProfileFactory(display_name="Lähtenyt Leena", ready_at=None, status=ProfileStatus.LEFT)
    ExpertProfileFactory(display_name="Valmis Ville", ready_by=coordinator)

    response = signed_in.get(reverse("trainings:onboarding_list"))

    assert response.context["waiting"] == []
    assert [profile.display_name for profile in response.context["recent"]] == ["Valmis Ville"]
    assert "Lähtenyt Leena" not in html.unescape(response.content.decode())


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 6])
def test_list_queries_do_not_grow_with_experts(signed_in, coordinator, steps, count, django_assert_num_queries):
    for _n in range(count):
        profile = ExpertProfileFactory(ready_at=None)
        done(profile, steps[0], coordinator)
        ExpertProfileFactory(ready_by=coordinator)
    # session, user with roles and permissions and MFA (accounts.backends); the active steps; the
    # waiting profiles; their done items; the recently ready with who marked them; then the
    # idle-timeout session save (savepoint, update, release).
    with django_assert_num_queries(9):
        response = signed_in.get(reverse("trainings:onboarding_list"))
    assert len(response.context["waiting"]) == count


# --- One expert's checklist -------------------------------------------------------------------


@pytest.mark.django_db
def test_detail_queries_and_its_view_is_audited(signed_in, coordinator, newcomer, steps, django_assert_num_queries):
    done(newcomer, steps[0], coordinator)
    done(newcomer, steps[1], coordinator)
    # session, user with roles and permissions and MFA; the profile with its user and who marked it
    # ready; the active steps; its items with who did them; the audit row; the session save (3).
    with django_assert_num_queries(9):
        response = signed_in.get(detail_url(newcomer))
    assert response.status_code == 200
    event = AuditEvent.objects.get(what="onboarding", action=AuditAction.VIEW)
    assert (event.actor, event.subject, event.fields) == (coordinator, newcomer.user, ["email", "phone"])


@pytest.mark.django_db
def test_detail_shows_each_step_with_its_state_and_the_missing_required_steps(signed_in, coordinator, newcomer, steps):
    done(newcomer, steps[0], coordinator)

    page = html.unescape(signed_in.get(detail_url(newcomer)).content.decode())

    assert "1 of 3 steps done." in page
    assert newcomer.user.email in page
    assert "These required steps must be done first:" in page
    missing = page.split("These required steps must be done first:")[1]
    assert "Perehdytyskeskustelu" in missing and "Vaitiolositoumus" not in missing
    assert "Mentorin tapaaminen" not in missing  # optional


@pytest.mark.django_db
def test_ticking_a_step_records_the_day_who_and_the_note(signed_in, coordinator, newcomer, steps):
    response = signed_in.post(
        step_url(newcomer, steps[0]), {"action": "done", "note": "  Allekirjoitettu   paperilla "}
    )

    assert response.status_code == 302
    assert response.url == f"{detail_url(newcomer)}#step-{steps[0].pk}"
    item = OnboardingItem.objects.get(profile=newcomer, step=steps[0])
    assert (item.done_on, item.done_by, item.note) == (timezone.localdate(), coordinator, "Allekirjoitettu paperilla")
    assert AuditEvent.objects.filter(what="onboarding step", subject=newcomer.user).exists()


@pytest.mark.django_db
def test_ticking_twice_keeps_one_item_and_the_first_tick(signed_in, newcomer, steps):
    signed_in.post(step_url(newcomer, steps[0]), {"action": "done"})
    other = UserFactory(role="coordinator", mfa=True)
    signed_in.force_login(other)

    signed_in.post(step_url(newcomer, steps[0]), {"action": "done"})

    item = OnboardingItem.objects.get(profile=newcomer, step=steps[0])
    assert item.done_by != other
    assert OnboardingItem.objects.filter(profile=newcomer, step=steps[0]).count() == 1


@pytest.mark.django_db
def test_undo_marks_the_step_not_done(signed_in, coordinator, newcomer, steps):
    done(newcomer, steps[0], coordinator)

    signed_in.post(step_url(newcomer, steps[0]), {"action": "undo"})

    item = OnboardingItem.objects.get(profile=newcomer, step=steps[0])
    assert item.done_on is None and item.done_by is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"action": "done", "note": "x" * 301}, "Ensure this value has at most 300 characters (it has 301)."),
        ({"action": "delete"}, "Select a valid choice. delete is not one of the available choices."),
        ({}, "This field is required."),
    ],
)
def test_bad_input_is_a_message_and_changes_nothing(signed_in, newcomer, steps, data, error):
    response = signed_in.post(step_url(newcomer, steps[0]), data, follow=True)

    assert response.status_code == 200
    assert messages_of(response) == [error]
    assert not OnboardingItem.objects.filter(done_on__isnull=False).exists()


@pytest.mark.django_db
def test_a_step_no_longer_in_use_cannot_be_ticked(signed_in, newcomer, steps):
    steps[0].is_active = False
    steps[0].save()

    assert signed_in.post(step_url(newcomer, steps[0]), {"action": "done"}).status_code == 404


# --- Ready to be booked -----------------------------------------------------------------------


@pytest.mark.django_db
def test_ready_is_refused_with_the_missing_steps_named(signed_in, coordinator, newcomer, steps):
    done(newcomer, steps[0], coordinator)

    response = signed_in.post(ready_url(newcomer), follow=True)

    assert messages_of(response) == [
        "The expert cannot be marked ready yet: these required steps are not done: Perehdytyskeskustelu."
    ]
    newcomer.refresh_from_db()
    assert newcomer.ready_at is None
    assert not Notification.objects.filter(kind=READY_KIND).exists()


@pytest.mark.django_db
def test_ready_with_the_required_steps_done_sets_it_audits_and_tells_the_expert(
    signed_in, coordinator, newcomer, steps
):
    done(newcomer, steps[0], coordinator)
    done(newcomer, steps[1], coordinator)  # the optional third step is not needed

    response = signed_in.post(ready_url(newcomer), follow=True)

    assert messages_of(response) == ["Uusi Ursula is ready to be booked and has been told so."]
    newcomer.refresh_from_db()
    assert newcomer.ready_at is not None and newcomer.ready_by == coordinator
    assert AuditEvent.objects.filter(
        actor=coordinator, subject=newcomer.user, what="onboarding", fields=["ready_at"]
    ).exists()
    message = Notification.objects.get(kind=READY_KIND)
    assert message.recipient == newcomer.user and message.context == {"path": reverse("experts:my_profile")}


@pytest.mark.django_db
def test_ready_twice_changes_nothing_the_second_time(signed_in, coordinator, newcomer, steps):
    done(newcomer, steps[0], coordinator)
    done(newcomer, steps[1], coordinator)
    signed_in.post(ready_url(newcomer), follow=True)  # the page that shows (and uses up) its message
    newcomer.refresh_from_db()
    first = newcomer.ready_at

    response = signed_in.post(ready_url(newcomer), follow=True)

    assert messages_of(response) == ["Uusi Ursula was already ready to be booked."]
    newcomer.refresh_from_db()
    assert newcomer.ready_at == first
    assert Notification.objects.filter(kind=READY_KIND).count() == 1
