"""django-modeltranslation: feedback forms in fi, sv and en columns (participants read them)."""

from modeltranslation.translator import TranslationOptions, register

from .models import FormTemplate, FormVersion, Item, ItemChoice


@register(FormTemplate)
class FormTemplateTranslation(TranslationOptions):
    fields = ("name", "description")


@register(FormVersion)
class FormVersionTranslation(TranslationOptions):
    fields = ("intro",)


@register(Item)
class ItemTranslation(TranslationOptions):
    fields = ("section", "text", "help_text", "low_label", "high_label")


@register(ItemChoice)
class ItemChoiceTranslation(TranslationOptions):
    fields = ("label",)
