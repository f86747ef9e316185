from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from .models import (
    Assignment,
    BlockedPeriod,
    Booking,
    CalendarFeed,
    CheckIn,
    Consent,
    ConsentText,
    ExpenseLine,
    ExperienceArea,
    ExpertProfile,
    Language,
    Municipality,
    Organisation,
    PrivateFeedback,
    ProfileExperience,
    Tariff,
    TaskType,
    WeeklyAvailability,
)
from .services import refresh_search_document


class TaxonomyAdmin(TranslationAdmin):
    list_display = ["name", "slug", "order", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name_fi", "name_sv", "name_en", "slug"]
    list_editable = ["order", "is_active"]
    prepopulated_fields = {"slug": ["name_fi"]}


for taxonomy in (ExperienceArea, TaskType, Language, Municipality, Organisation):
    admin.site.register(taxonomy, TaxonomyAdmin)


@admin.register(ConsentText)
class ConsentTextAdmin(TranslationAdmin):
    list_display = ["version", "published_at"]
    list_filter = ["published_at"]
    search_fields = ["text_fi"]


class ExperienceInline(admin.TabularInline):
    model = ProfileExperience
    extra = 0


class WeeklyInline(admin.TabularInline):
    model = WeeklyAvailability
    extra = 0


class BlockedInline(admin.TabularInline):
    model = BlockedPeriod
    extra = 0


@admin.register(ExpertProfile)
class ExpertProfileAdmin(admin.ModelAdmin):
    list_display = ["display_name", "status", "training_level", "organisation", "consent_version", "updated_at"]
    list_filter = ["status", "training_level", "organisation", "remote_ok", "is_public", "municipalities"]
    search_fields = ["display_name", "user__email"]
    filter_horizontal = ["task_types", "languages", "municipalities"]
    raw_id_fields = ["user"]
    list_select_related = ["organisation"]
    inlines = [ExperienceInline, WeeklyInline, BlockedInline]

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


@admin.register(Consent)
class ConsentAdmin(admin.ModelAdmin):
    list_display = ["profile", "text", "given_at", "withdrawn_at"]
    list_filter = ["text", "given_at", "withdrawn_at"]
    search_fields = ["profile__display_name", "profile__user__email"]
    raw_id_fields = ["profile"]


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


# --- Booking (models/booking.py). Bookings move only through services_booking.py (notifications,
# the calendar sequence, the rotation count), so admin shows them rather than edits them.


@admin.register(Tariff)
class TariffAdmin(TranslationAdmin):
    list_display = ["name", "kind", "amount", "is_active", "order"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name_fi", "name_sv", "name_en"]
    list_editable = ["order"]


class ViewOnlyMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class BookingInline(ViewOnlyMixin, admin.TabularInline):
    model = Booking
    fields = ["expert", "status", "volunteered", "hours", "fee", "fee_waived", "confirmed_at"]
    readonly_fields = fields
    extra = 0
    show_change_link = True


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["title", "starts_at", "unit", "task_type", "status", "experts_needed", "open_to_all"]
    list_filter = ["status", "task_type", "unit", "open_to_all", "tariff"]
    date_hierarchy = "starts_at"
    search_fields = ["title", "unit"]
    list_select_related = ["task_type"]
    raw_id_fields = ["contact_person"]
    readonly_fields = ["status", "cancel_reason", "cancel_note", "created_by", "created_at", "updated_at"]
    inlines = [BookingInline]
    # Meeting links are https; Django 6 assumes so too (and warns until then).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_readonly_fields(self, request, obj=None):
        # The bookings copy the time for the double-booking constraint: a new time goes through
        # move_assignment (calendars and reminders follow), never a plain save here.
        if obj is not None and obj.bookings.exists():
            return [*self.readonly_fields, "starts_at", "ends_at"]
        return self.readonly_fields

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


class ExpenseLineInline(ViewOnlyMixin, admin.TabularInline):
    model = ExpenseLine
    fields = ["kind", "quantity", "amount", "note"]
    readonly_fields = fields
    extra = 0


@admin.register(Booking)
class BookingAdmin(ViewOnlyMixin, admin.ModelAdmin):
    list_display = ["assignment", "starts_at", "expert", "status", "hours", "fee", "fee_waived"]
    list_filter = ["status", "fee_waived", "volunteered", "cancel_reason", "assignment__task_type"]
    date_hierarchy = "assignment__starts_at"
    search_fields = ["assignment__title", "assignment__unit", "expert__display_name"]
    list_select_related = ["assignment", "expert"]
    exclude = ["during"]
    inlines = [ExpenseLineInline]

    @admin.display(description=_("starts"), ordering="assignment__starts_at")
    def starts_at(self, obj):
        return obj.assignment.starts_at


@admin.register(ExpenseLine)
class ExpenseLineAdmin(ViewOnlyMixin, admin.ModelAdmin):
    list_display = ["booking", "kind", "quantity", "amount"]
    list_filter = ["kind"]
    search_fields = ["booking__assignment__title", "booking__expert__display_name"]
    list_select_related = ["booking__assignment", "booking__expert"]


@admin.register(CheckIn)
class CheckInAdmin(ViewOnlyMixin, admin.ModelAdmin):
    """The expert's private word to the coordinator: readable, never edited by someone else."""

    list_display = ["booking", "feeling", "wants_debrief", "created_at"]
    list_filter = ["feeling", "wants_debrief", "created_at"]
    search_fields = ["booking__assignment__title", "booking__expert__display_name"]
    list_select_related = ["booking__assignment", "booking__expert"]


@admin.register(PrivateFeedback)
class PrivateFeedbackAdmin(ViewOnlyMixin, admin.ModelAdmin):
    list_display = ["booking", "side", "author", "created_at"]
    list_filter = ["side", "created_at"]
    search_fields = ["booking__assignment__title", "booking__expert__display_name"]
    list_select_related = ["booking__assignment", "booking__expert", "author"]


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    """Who has a feed, never its hash. Deleting revokes the feed (the user can make a new one)."""

    list_display = ["user", "created_at"]
    list_filter = ["created_at"]
    search_fields = ["user__email"]
    list_select_related = ["user"]
    fields = ["user", "created_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False
