"""trainings/seed.py: the pilot's programme, the onboarding checklist and the two guides, created once."""

import pytest
from django.utils import translation

from feedback.models import FormKind
from trainings.models import Guide, Module, OnboardingStep, Programme
from trainings.seed import seed_guides, seed_onboarding_steps, seed_programme


@pytest.mark.django_db
def test_programme_has_the_pilots_structure_in_three_languages():
    programme = seed_programme()
    assert programme.name_fi == "Kasvava kokemusasiantuntijuus"
    assert programme.name_sv == "Växande erfarenhetsexpertis"
    assert programme.name_en == "Growing experience expertise"
    assert programme.completion_attendance == 80
    assert programme.feedback_template.kind == FormKind.PARTICIPANT
    modules = list(programme.modules.all())
    assert 6 <= len(modules) <= 8
    assert [m.order for m in modules] == list(range(1, len(modules) + 1))
    assert all(m.name_fi and m.name_sv and m.name_en and m.hours > 0 for m in modules)
    with translation.override("sv"):
        assert len(programme.goal_lines()) == len(programme.requirement_lines()) == 5


@pytest.mark.django_db
def test_programme_goals_cover_the_service_environments():
    goals = seed_programme().learning_goals_fi
    for environment in ("terveydenhuollon", "sosiaalipalvelut", "työllisyyspalvelut", "jatkokoulutuksen"):
        assert environment in goals


@pytest.mark.django_db
def test_seeding_twice_creates_nothing_new():
    seed_programme(), seed_onboarding_steps(), seed_guides()
    counts = [model.objects.count() for model in (Programme, Module, OnboardingStep, Guide)]
    seed_programme(), seed_onboarding_steps(), seed_guides()
    assert [model.objects.count() for model in (Programme, Module, OnboardingStep, Guide)] == counts


@pytest.mark.django_db
def test_seeding_again_keeps_an_admins_edits():
    programme = seed_programme()
    Programme.objects.filter(pk=programme.pk).update(completion_attendance=75)
    assert seed_programme().completion_attendance == 75


@pytest.mark.django_db
def test_onboarding_steps_in_order_with_the_mentor_step_not_blocking_booking():
    steps = seed_onboarding_steps()
    assert [s.name_fi for s in OnboardingStep.objects.all()] == [s.name_fi for s in steps]
    assert steps[0].name_fi == "Salassapitositoumus"
    assert all(s.name_sv and s.name_en and s.description_fi for s in steps)
    mentor = OnboardingStep.objects.get(name_en="First assignment with a mentor")
    assert not mentor.required  # an expert cannot do an assignment before being bookable


@pytest.mark.django_db
def test_guides_are_safe_searchable_and_in_three_languages():
    panel, ordering = seed_guides()
    assert panel.title_fi == "Näin järjestät asiakasraadin"
    assert ordering.title_fi == "Näin tilaat kokemusasiantuntijan"
    for guide in (panel, ordering):
        for code in ("fi", "sv", "en"):
            body = getattr(guide, f"body_{code}")
            assert body.startswith("<p>") and "<h2>" in body
            assert 250 <= len(body.split()) <= 600
    assert " asiakasraati " in panel.search_words and " klientrad " in panel.search_words
