"""django-modeltranslation: campaign, question, choice, finding and panel texts in fi, sv and en."""

from modeltranslation.translator import TranslationOptions, register

from .models import Campaign, Choice, Finding, Panel, Question


@register(Campaign)
class CampaignTranslation(TranslationOptions):
    fields = ("title", "summary", "background", "plain_summary", "heard_summary", "did_summary")


@register(Question)
class QuestionTranslation(TranslationOptions):
    fields = ("text", "help_text", "low_label", "high_label")


@register(Choice)
class ChoiceTranslation(TranslationOptions):
    fields = ("label",)


@register(Finding)
class FindingTranslation(TranslationOptions):
    fields = ("text",)


@register(Panel)
class PanelTranslation(TranslationOptions):
    fields = ("name", "description")
