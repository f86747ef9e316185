"""Bookings move only through services.py (notifications, the calendar sequence, the rotation
count), so admin shows them rather than edits them; tariffs and assignments are kept here."""

from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from . import (
    admin_orders,  # noqa: F401 - registers the order request admin
    admin_payroll,  # noqa: F401 - registers the payee and expense claim admins
)
from .models import Assignment, Booking, BookingCorrection, CalendarFeed, CheckIn, ExpenseLine, PrivateFeedback, Tariff


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


@admin.register(BookingCorrection)
class BookingCorrectionAdmin(ViewOnlyMixin, admin.ModelAdmin):
    """Corrections of completed bookings are kept as they were made: never edited, never deleted
    (afterwards.correct_booking writes them; the payroll export and the audit log rely on them)."""

    list_display = ["booking", "corrected_at", "corrected_by", "reason"]
    list_filter = ["corrected_at"]
    date_hierarchy = "corrected_at"
    search_fields = ["booking__assignment__title", "booking__expert__display_name", "reason"]
    list_select_related = ["booking__assignment", "booking__expert", "corrected_by"]
    fields = ["booking", "reason", "before", "after", "corrected_by", "corrected_at"]
    readonly_fields = fields
