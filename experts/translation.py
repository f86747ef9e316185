"""django-modeltranslation: the admin-kept lists and the consent text in fi, sv and en columns."""

from modeltranslation.translator import TranslationOptions, register

from .models import ConsentText, ExperienceArea, Language, Municipality, Organisation, TaskType


@register(ExperienceArea)
@register(TaskType)
@register(Language)
@register(Municipality)
@register(Organisation)
class NameTranslation(TranslationOptions):
    fields = ("name",)


@register(ConsentText)
class ConsentTextTranslation(TranslationOptions):
    fields = ("text",)
