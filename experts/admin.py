from django.contrib import admin, messages
from django.db.models.functions import Length
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TranslationAdmin

from .consent_renewal import publish_consent_text
from .models import (
    BlockedPeriod,
    CompletedTraining,
    Consent,
    ConsentText,
    ExperienceArea,
    ExpertProfile,
    Language,
    Municipality,
    Organisation,
    ProfileExperience,
    SearchWord,
    TaskType,
    WeeklyAvailability,
)
from .services import refresh_search_document


class TaxonomyAdmin(TranslationAdmin):
    list_display = ["name", "slug", "order", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name_fi", "name_sv", "name_en", "slug", "related_words"]
    list_editable = ["order", "is_active"]
    prepopulated_fields = {"slug": ["name_fi"]}


for taxonomy in (ExperienceArea, TaskType, Language, Municipality, Organisation):
    admin.site.register(taxonomy, TaxonomyAdmin)


@admin.register(ConsentText)
class ConsentTextAdmin(TranslationAdmin):
    list_display = ["version", "published_at", "grace_days"]
    list_filter = ["published_at"]
    search_fields = ["text_fi"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # Setting the publication time publishes the text: the experts on older versions are asked to
        # consent again (consent_renewal.py). A changed time or grace period moves those messages.
        if {"published_at", "grace_days"} & set(form.changed_data) and (obj.published_at or change):
            asked = publish_consent_text(text=obj)
            if obj.published_at:
                self.message_user(
                    request,
                    ngettext(
                        "%d expert will be asked to consent to this version.",
                        "%d experts will be asked to consent to this version.",
                        asked,
                    )
                    % asked,
                    messages.SUCCESS,
                )


class ExperienceInline(admin.TabularInline):
    model = ProfileExperience
    extra = 0


class WeeklyInline(admin.TabularInline):
    model = WeeklyAvailability
    extra = 0


class BlockedInline(admin.TabularInline):
    model = BlockedPeriod
    extra = 0


class CompletedTrainingInline(admin.TabularInline):
    # Records written by trainings (source "record") are kept as they are; the expert's own stay editable.
    model = CompletedTraining
    extra = 0
    fields = ["title", "provider", "completed_on", "source", "record_key"]
    readonly_fields = ["record_key"]


@admin.register(ExpertProfile)
class ExpertProfileAdmin(admin.ModelAdmin):
    list_display = ["display_name", "status", "training_level", "organisation", "consent_version", "updated_at"]
    list_filter = ["status", "training_level", "organisation", "remote_ok", "is_public", "municipalities"]
    search_fields = ["display_name", "user__email"]
    filter_horizontal = ["task_types", "languages", "municipalities"]
    raw_id_fields = ["user"]
    list_select_related = ["organisation"]
    inlines = [ExperienceInline, WeeklyInline, BlockedInline, CompletedTrainingInline]

    def save_related(self, request, form, formsets, change):
        # The search reads the lists and weekly slots from the profile's search columns.
        super().save_related(request, form, formsets, change)
        refresh_search_document(form.instance)


class RefreshesProfileSearch:
    """For the admins of a profile's own rows: the search columns follow every change."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        refresh_search_document(obj.profile)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        refresh_search_document(obj.profile)

    def delete_queryset(self, request, queryset):
        profiles = list(ExpertProfile.objects.filter(pk__in=queryset.values("profile_id")))
        super().delete_queryset(request, queryset)
        for profile in profiles:
            refresh_search_document(profile)


@admin.register(CompletedTraining)
class CompletedTrainingAdmin(admin.ModelAdmin):
    list_display = ["title", "profile", "provider", "completed_on", "source"]
    list_filter = ["source", "completed_on"]
    search_fields = ["title", "provider", "profile__display_name"]
    raw_id_fields = ["profile"]
    readonly_fields = ["record_key", "created_at"]
    list_select_related = ["profile"]


@admin.register(Consent)
class ConsentAdmin(admin.ModelAdmin):
    list_display = ["profile", "text", "given_at", "withdrawn_at", "on_paper", "recorded_by"]
    list_filter = ["text", "given_at", "withdrawn_at", "on_paper"]
    search_fields = ["profile__display_name", "profile__user__email"]
    raw_id_fields = ["profile", "recorded_by"]


@admin.register(ProfileExperience)
class ProfileExperienceAdmin(RefreshesProfileSearch, admin.ModelAdmin):
    list_display = ["profile", "area", "relation"]
    list_filter = ["area", "relation"]
    search_fields = ["profile__display_name"]
    raw_id_fields = ["profile"]


@admin.register(WeeklyAvailability)
class WeeklyAvailabilityAdmin(RefreshesProfileSearch, admin.ModelAdmin):
    list_display = ["profile", "weekday", "start", "end"]
    list_filter = ["weekday"]
    search_fields = ["profile__display_name"]
    raw_id_fields = ["profile"]


@admin.register(BlockedPeriod)
class BlockedPeriodAdmin(admin.ModelAdmin):
    list_display = ["profile", "start", "end"]
    list_filter = ["start"]
    search_fields = ["profile__display_name"]
    raw_id_fields = ["profile"]


class TypoToleranceFilter(admin.SimpleListFilter):
    """How many edits a query word may be from a stored word of this length (text_search.allowed_edits)."""

    title = _("typo tolerance")
    parameter_name = "edits"

    def lookups(self, request, model_admin):
        return [("1", _("one edit (under 7 letters)")), ("2", _("two edits (7 letters or more)"))]

    def queryset(self, request, queryset):
        lengths = queryset.annotate(length=Length("word"))
        if self.value() == "1":
            return lengths.filter(length__lt=7)
        if self.value() == "2":
            return lengths.filter(length__gte=7)
        return queryset


@admin.register(SearchWord)
class SearchWordAdmin(admin.ModelAdmin):
    """The words typos are read against, made from the profiles (services.rebuild_search_words):
    admins can look one up or remove it (it comes back while a listed profile still uses it)."""

    list_display = ["word"]
    list_filter = [TypoToleranceFilter]
    search_fields = ["word"]
    list_per_page = 200

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
