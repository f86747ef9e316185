"""django-modeltranslation: the admin-kept fee table in fi, sv and en columns."""

from modeltranslation.translator import TranslationOptions, register

from .models import Tariff


@register(Tariff)
class TariffTranslation(TranslationOptions):
    fields = ("name",)
