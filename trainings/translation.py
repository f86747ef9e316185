"""django-modeltranslation: programme, module, onboarding and guide texts in fi, sv and en columns."""

from modeltranslation.translator import TranslationOptions, register

from .models import Guide, Module, OnboardingStep, Programme


@register(Programme)
class ProgrammeTranslation(TranslationOptions):
    fields = ("name", "summary", "learning_goals", "competence_requirements")


@register(Module)
class ModuleTranslation(TranslationOptions):
    fields = ("name", "goals")


@register(OnboardingStep)
class OnboardingStepTranslation(TranslationOptions):
    fields = ("name", "description")


@register(Guide)
class GuideTranslation(TranslationOptions):
    fields = ("title", "summary", "body")
