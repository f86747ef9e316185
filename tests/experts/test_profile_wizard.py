"""The guided profile form: six steps, each saved; progress resumes where it was left off."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent, Invitation
from experts.models import (
    VISIBLE_FIELDS,
    ExperienceArea,
    ExpertProfile,
    Language,
    Municipality,
    ProfileExperience,
    Relation,
    TaskType,
    TrainingLevel,
)
from tests.factories import ExpertProfileFactory


def step_url(number: int) -> str:
    return reverse("experts:profile_step", args=[number])


def area(slug: str) -> ExperienceArea:
    return ExperienceArea.objects.get(slug=slug)


def pk_of(model, slug: str) -> int:
    return model.objects.get(slug=slug).pk


def step_data(number: int) -> dict:
    """Valid answers for each step, as the browser posts them."""
    return {
        1: {"display_name": "Aino", "bio": "Kerron masennuksesta toipumisesta."},
        2: {
            f"area_{area('masennus').pk}": Relation.OWN,
            f"area_{area('paihteet').pk}": Relation.CLOSE_ONE,
            "topics_not_discussed": "Lapsuuteni",
        },
        3: {
            "task_types": [pk_of(TaskType, "vastaanotto"), pk_of(TaskType, "luento")],
            "languages": [pk_of(Language, "suomi"), pk_of(Language, "selkokieli")],
            "municipalities": [pk_of(Municipality, "hollola"), pk_of(Municipality, "lahti")],
            "work_mode": ["remote", "in_person"],
            "training_level": TrainingLevel.TRAINED,
            "organisation": "",
        },
        4: {"accessibility_needs": "Hiljainen tila ennen puheenvuoroa"},
        5: {f"visibility_{field}": "coordinators" for field in VISIBLE_FIELDS} | {"visibility_bio": "public"},
        6: {"agree": "on"},
    }[number]


@pytest.fixture
def signed_in(client, expert):
    client.force_login(expert)
    return client


@pytest.mark.django_db
def test_step_one_creates_the_profile_and_advances(signed_in, expert):
    response = signed_in.post(step_url(1), step_data(1))
    assert response.status_code == 302 and response.url == step_url(2)
    profile = ExpertProfile.objects.get(user=expert)
    assert profile.display_name == "Aino"
    assert profile.onboarding_step == 1
    assert profile.consent_version is None  # nothing is listed before the consent step


@pytest.mark.django_db
def test_step_one_offers_the_first_name_as_the_name_shown(signed_in, expert):
    response = signed_in.get(step_url(1))
    assert response.status_code == 200
    assert f'value="{expert.first_name}"' in response.content.decode()


@pytest.mark.django_db
def test_step_one_requires_a_name_and_keeps_the_introduction(signed_in, expert):
    signed_in.cookies["kp_language"] = "en"
    response = signed_in.post(step_url(1), {"display_name": "  ", "bio": "Teksti jää talteen"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "This field is required." in body
    assert "Teksti jää talteen" in body
    assert 'aria-invalid="true"' in body
    assert not ExpertProfile.objects.filter(user=expert).exists()


@pytest.mark.django_db
def test_step_two_saves_experience_areas_and_relations(signed_in, expert):
    ExpertProfileFactory(user=expert, onboarding_step=1, consent=False)
    response = signed_in.post(step_url(2), step_data(2))
    assert response.url == step_url(3)
    profile = ExpertProfile.objects.get(user=expert)
    assert dict(profile.experiences.values_list("area__slug", "relation")) == {
        "masennus": Relation.OWN,
        "paihteet": Relation.CLOSE_ONE,
    }
    assert profile.topics_not_discussed == "Lapsuuteni"
    assert profile.onboarding_step == 2


@pytest.mark.django_db
def test_step_two_submitted_twice_stores_each_area_once(signed_in, expert):
    ExpertProfileFactory(user=expert, onboarding_step=1, consent=False)
    signed_in.post(step_url(2), step_data(2))
    signed_in.post(step_url(2), step_data(2))
    assert ProfileExperience.objects.filter(profile__user=expert).count() == 2


@pytest.mark.django_db
def test_step_two_unchoosing_an_area_removes_it(signed_in, expert):
    profile = ExpertProfileFactory(user=expert, onboarding_step=2, experiences=[("masennus", "own"), ("syopa", "own")])
    signed_in.post(step_url(2), {f"area_{area('masennus').pk}": "close_one", f"area_{area('syopa').pk}": ""})
    assert dict(profile.experiences.values_list("area__slug", "relation")) == {"masennus": "close_one"}


@pytest.mark.django_db
def test_step_three_saves_tasks_languages_areas_and_ways_of_working(signed_in, expert):
    ExpertProfileFactory(user=expert, onboarding_step=2, consent=False)
    response = signed_in.post(step_url(3), step_data(3))
    assert response.url == step_url(4)
    profile = ExpertProfile.objects.get(user=expert)
    assert set(profile.task_types.values_list("slug", flat=True)) == {"vastaanotto", "luento"}
    assert set(profile.languages.values_list("slug", flat=True)) == {"suomi", "selkokieli"}
    assert set(profile.municipalities.values_list("slug", flat=True)) == {"hollola", "lahti"}
    assert profile.remote_ok and profile.in_person_ok
    assert profile.training_level == TrainingLevel.TRAINED


@pytest.mark.django_db
def test_step_three_needs_remote_or_in_person_and_keeps_the_other_choices(signed_in, expert):
    ExpertProfileFactory(user=expert, onboarding_step=2, consent=False)
    signed_in.cookies["kp_language"] = "en"
    response = signed_in.post(step_url(3), {**step_data(3), "work_mode": []})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Choose remote, in person or both." in body
    assert re.search(rf'name="municipalities" value="{pk_of(Municipality, "hollola")}"[^>]*checked', body)
    assert ExpertProfile.objects.get(user=expert).onboarding_step == 2


@pytest.mark.django_db
def test_step_four_saves_own_needs(signed_in, expert):
    ExpertProfileFactory(user=expert, onboarding_step=3, consent=False)
    response = signed_in.post(step_url(4), step_data(4))
    assert response.url == step_url(5)
    assert ExpertProfile.objects.get(user=expert).accessibility_needs == "Hiljainen tila ennen puheenvuoroa"


@pytest.mark.django_db
def test_step_five_saves_visibility_and_the_directory_choice(signed_in, expert):
    ExpertProfileFactory(user=expert, onboarding_step=4, consent=False)
    response = signed_in.post(step_url(5), {**step_data(5), "is_public": "on"})
    assert response.url == step_url(6)
    profile = ExpertProfile.objects.get(user=expert)
    assert profile.visibility["bio"] == "public"
    assert profile.visibility["experience"] == "coordinators"
    assert profile.is_public


@pytest.mark.django_db
def test_step_six_consents_and_finishes(signed_in, expert):
    ExpertProfileFactory(user=expert, onboarding_step=5, consent=False)
    response = signed_in.post(step_url(6), step_data(6))
    assert response.url == reverse("experts:my_profile")
    profile = ExpertProfile.objects.get(user=expert)
    assert profile.onboarding_step == 6
    assert profile.consent_version == 1
    assert ExpertProfile.objects.listed().filter(pk=profile.pk).exists()


@pytest.mark.django_db
def test_step_six_without_the_tick_does_not_consent(signed_in, expert):
    ExpertProfileFactory(user=expert, onboarding_step=5, consent=False)
    signed_in.cookies["kp_language"] = "en"
    response = signed_in.post(step_url(6), {})
    assert response.status_code == 200
    assert "Tick the box to give your consent." in response.content.decode()
    profile = ExpertProfile.objects.get(user=expert)
    assert profile.consent_version is None and profile.onboarding_step == 5


@pytest.mark.django_db
def test_the_whole_guided_form_from_start_to_finish(signed_in, expert):
    for number in range(1, 7):
        response = signed_in.post(step_url(number), step_data(number))
        assert response.status_code == 302, (number, response.content.decode()[:2000])
    profile = ExpertProfile.objects.get(user=expert)
    assert profile.onboarding_step == 6
    # Consented, but not offered in search before a coordinator marks the onboarding done.
    assert ExpertProfile.objects.consented().filter(pk=profile.pk).exists()
    assert not ExpertProfile.objects.listed().filter(pk=profile.pk).exists()
    assert profile.search_text.startswith("aino")  # the search document was kept up to date


@pytest.mark.django_db
def test_continue_goes_to_the_saved_step(signed_in, expert):
    ExpertProfileFactory(user=expert, onboarding_step=3, consent=False)
    response = signed_in.get(reverse("experts:profile_continue"))
    assert response.url == step_url(4)


@pytest.mark.django_db
def test_continue_without_a_profile_goes_to_step_one(signed_in):
    assert signed_in.get(reverse("experts:profile_continue")).url == step_url(1)


@pytest.mark.django_db
def test_continue_after_finishing_goes_to_my_profile(signed_in, expert):
    ExpertProfileFactory(user=expert, onboarding_step=6)
    assert signed_in.get(reverse("experts:profile_continue")).url == reverse("experts:my_profile")


@pytest.mark.django_db
def test_a_later_step_cannot_be_opened_before_the_earlier_ones(signed_in, expert):
    ExpertProfileFactory(user=expert, onboarding_step=1, consent=False)
    response = signed_in.get(step_url(5))
    assert response.url == step_url(2)


@pytest.mark.django_db
def test_without_a_profile_every_step_leads_to_step_one(signed_in):
    assert signed_in.post(step_url(3), step_data(1)).url == step_url(1)
    assert not ExpertProfile.objects.exists()


@pytest.mark.django_db
def test_going_back_to_an_earlier_step_keeps_the_progress(signed_in, expert):
    ExpertProfileFactory(user=expert, onboarding_step=4, consent=False)
    signed_in.post(step_url(1), step_data(1))
    assert ExpertProfile.objects.get(user=expert).onboarding_step == 4


@pytest.mark.django_db
def test_step_page_announces_the_step(signed_in, expert):
    ExpertProfileFactory(user=expert, onboarding_step=1, consent=False)
    signed_in.cookies["kp_language"] = "en"
    body = signed_in.get(step_url(2)).content.decode()
    assert "Step 2/6" in body
    assert body.count('aria-current="step"') == 1
    assert f'<a class="button secondary" href="{step_url(1)}">Back</a>' in body


@pytest.mark.django_db
def test_a_step_save_is_audited_with_field_names_only(signed_in, expert):
    signed_in.post(step_url(1), step_data(1))
    event = AuditEvent.objects.get(subject=expert, what="expert profile")
    assert event.action == "change"
    assert event.fields == ["bio", "display_name"]
    assert "Aino" not in str(event.fields)


@pytest.mark.django_db
def test_an_unchanged_step_is_not_audited_again(signed_in, expert):
    signed_in.post(step_url(1), step_data(1))
    signed_in.post(step_url(1), step_data(1))
    assert AuditEvent.objects.filter(subject=expert, what="expert profile").count() == 1


@pytest.mark.django_db
def test_a_step_save_refreshes_the_search_document(signed_in, expert):
    ExpertProfileFactory(user=expert, onboarding_step=2, consent=False)
    signed_in.post(step_url(3), step_data(3))
    assert "hollola" in ExpertProfile.objects.get(user=expert).search_text


@pytest.mark.django_db
def test_signing_up_through_an_invitation_lands_on_step_one(client, coordinator):
    invitation = Invitation(
        email="uusi@example.fi", invited_by=coordinator, expires_at=timezone.now() + timedelta(days=1)
    )
    token = invitation.new_token()
    invitation.save()
    client.get(reverse("accounts:invitation_accept", args=[token]))
    password = "Kokemus-on-tietoa-42"
    response = client.post(
        reverse("account_signup"), {"email": "uusi@example.fi", "password1": password, "password2": password}
    )
    assert response.status_code == 302
    assert response.url == step_url(1)
    assert client.get(response.url).status_code == 200
