"""Completion → invitation into the bank → the invited person signs up → a draft profile with the
training record and the training level from it; and the profile pages that show it."""

import re

import pytest
from django.urls import reverse

from accounts.models import Invitation, User
from experts.models import CompletedTraining, ExpertProfile
from tests.factories import ExpertProfileFactory, UserFactory
from trainings.completion import add_training_record, record_completions
from trainings.models import Participant

from ._completion_setup import finished_cohort

PASSWORD = "Kokemus-on-tietoa-42"


@pytest.fixture
def completed(db):
    """Sari of the finished cohort, completed; the programme gives "trained"."""
    cohort, people = finished_cohort()
    record_completions(cohort=cohort, participant_ids=[people["Sari"].pk], by=cohort.coordinator)
    return Participant.objects.select_related("cohort__programme", "cohort__coordinator").get(pk=people["Sari"].pk)


def invite_url(participant):
    return reverse("trainings:bank_invite", args=[participant.cohort_id, participant.pk])


def invite(client, participant, capture):
    client.force_login(participant.cohort.coordinator)
    client.cookies["kp_language"] = "en"
    with capture(execute=True):
        return client.post(invite_url(participant))


def test_the_whole_path_ends_in_a_draft_profile_with_the_record(
    client, completed, mailoutbox, django_capture_on_commit_callbacks
):
    assert invite(client, completed, django_capture_on_commit_callbacks).status_code == 302
    completed.refresh_from_db()
    assert completed.bank_invitation.email == completed.email
    assert mailoutbox[0].to == [completed.email]
    link = re.search(r"https?://\S+/tili/kutsu/\S+/", mailoutbox[0].body).group(0)

    client.logout()
    client.get(link)
    response = client.post(
        reverse("account_signup"), {"email": completed.email, "password1": PASSWORD, "password2": PASSWORD}
    )
    assert response.status_code == 302
    user = User.objects.get(email=completed.email)
    profile = ExpertProfile.objects.get(user=user)
    record = CompletedTraining.objects.get(profile=profile)
    assert (record.source, record.record_key) == ("record", f"trainings.participant:{completed.pk}")
    assert record.title == completed.cohort.programme.name and record.completed_on == completed.completed_on
    assert (profile.training_level, profile.training_level_source) == ("trained", "record")
    # A draft: not ready to be booked, the guided form not yet done, no consent.
    assert profile.ready_at is None and profile.onboarding_step == 0 and profile.consent_version is None
    completed.refresh_from_db()
    assert completed.expert_profile == profile and completed.user == user


def test_inviting_twice_keeps_one_invitation(client, completed, django_capture_on_commit_callbacks):
    invite(client, completed, django_capture_on_commit_callbacks)
    invite(client, completed, django_capture_on_commit_callbacks)
    assert Invitation.objects.count() == 1


def test_a_participant_with_a_profile_gets_the_record_at_once(client, completed, django_capture_on_commit_callbacks):
    profile = ExpertProfileFactory(training_level="activist")
    Participant.objects.filter(pk=completed.pk).update(user=profile.user)
    invite(client, completed, django_capture_on_commit_callbacks)
    profile.refresh_from_db()
    assert not Invitation.objects.exists()
    assert profile.completed_trainings.get().source == "record"
    assert (profile.training_level, profile.training_level_source) == ("trained", "record")


def test_a_profile_made_later_by_a_participant_with_an_account_gets_the_record(completed):
    user = UserFactory(role="expert")
    Participant.objects.filter(pk=completed.pk).update(user=user)
    profile = ExpertProfile.objects.create(user=user, display_name="Sari")
    assert profile.completed_trainings.get().record_key == f"trainings.participant:{completed.pk}"


def test_writing_the_record_twice_writes_it_once(completed):
    profile = ExpertProfileFactory()
    add_training_record(participant=completed, profile=profile, actor=completed.cohort.coordinator)
    add_training_record(participant=completed, profile=profile, actor=completed.cohort.coordinator)
    assert profile.completed_trainings.count() == 1


def test_a_participant_not_completed_cannot_be_invited(client, completed, django_capture_on_commit_callbacks):
    Participant.objects.filter(pk=completed.pk).update(completed_on=None)
    response = invite(client, completed, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert not Invitation.objects.exists()
    assert "Only a participant who has completed" in client.get(response.url).content.decode()


def test_a_participant_without_email_gets_a_clear_message(client, completed, django_capture_on_commit_callbacks):
    Participant.objects.filter(pk=completed.pk).update(email="")
    response = invite(client, completed, django_capture_on_commit_callbacks)
    assert "Add the participant&#x27;s email address first." in client.get(response.url).content.decode()


def test_an_address_with_an_account_already_is_a_clear_message(client, completed, django_capture_on_commit_callbacks):
    UserFactory(email=completed.email)
    response = invite(client, completed, django_capture_on_commit_callbacks)
    assert "This address already has an account." in client.get(response.url).content.decode()


def test_a_trainer_cannot_invite(client, completed):
    completed.cohort.trainers.add(trainer := UserFactory(role="trainer", mfa=True))
    client.force_login(trainer)
    assert client.post(invite_url(completed)).status_code == 403


def test_undo_is_refused_once_invited(client, completed, django_capture_on_commit_callbacks):
    invite(client, completed, django_capture_on_commit_callbacks)
    client.post(reverse("trainings:completion_undo", args=[completed.cohort_id, completed.pk]), {"reason": "Virhe"})
    completed.refresh_from_db()
    assert completed.completed_on is not None


# --- The expert's side


@pytest.fixture
def recorded_profile(completed):
    profile = ExpertProfileFactory(onboarding_step=6)
    add_training_record(participant=completed, profile=profile, actor=completed.cohort.coordinator)
    CompletedTraining.objects.create(profile=profile, title="Kokemusasiantuntijakoulutus", provider="Mieli ry")
    return profile


def test_my_profile_lists_trainings_marking_self_reported_ones(client, recorded_profile, completed):
    client.force_login(recorded_profile.user)
    client.cookies["kp_language"] = "en"
    content = client.get(reverse("experts:my_profile")).content.decode()
    assert completed.cohort.programme.name in content
    assert 'Kokemusasiantuntijakoulutus, Mieli ry <span class="muted">(self-reported)</span>' in content
    assert "(from training records)" in content


def test_staff_see_the_completed_trainings(client, recorded_profile, completed):
    client.force_login(completed.cohort.coordinator)
    client.cookies["kp_language"] = "en"
    content = client.get(recorded_profile.get_absolute_url()).content.decode()
    assert "Completed trainings" in content and completed.cohort.programme.name in content


def test_the_training_level_from_records_cannot_be_changed_by_the_expert(client, recorded_profile):
    client.force_login(recorded_profile.user)
    client.cookies["kp_language"] = "en"
    edit = reverse("experts:profile_edit", args=["tehtavat"])
    content = client.get(edit).content.decode()
    assert 'name="training_level"' not in content and "(from training records)" in content
    client.post(edit, {"work_mode": ["in_person"], "training_level": "activist"})
    recorded_profile.refresh_from_db()
    assert recorded_profile.training_level == "trained"


def test_a_self_reported_level_stays_the_experts_to_choose(client, db):
    profile = ExpertProfileFactory(onboarding_step=6)
    client.force_login(profile.user)
    assert 'name="training_level"' in client.get(reverse("experts:profile_edit", args=["tehtavat"])).content.decode()
