"""Trainings in admin: programmes with their modules and materials, cohorts with their participants,
sessions and costs, the onboarding checklist and the toolkit's guides (fi/sv/en through
modeltranslation). Attendance corrections are a log: read-only."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationStackedInline

from .forms import MaterialForm
from .models import (
    Attendance,
    AttendanceChange,
    Cohort,
    Cost,
    Guide,
    Material,
    Module,
    OnboardingItem,
    OnboardingStep,
    Participant,
    Programme,
    TrainingSession,
)


class ModuleInline(TranslationStackedInline):
    model = Module
    extra = 0
    fields = [("order", "hours", "is_required"), "name", "goals"]


class MaterialInline(admin.TabularInline):
    # The same checks as the programme page: allowed types, size, content matching the extension.
    model = Material
    form = MaterialForm
    extra = 0
    fields = ["title", "module", "file", "url", "filename", "size"]
    readonly_fields = ["filename", "size"]


@admin.register(Programme)
class ProgrammeAdmin(TranslationAdmin):
    list_display = ["name", "slug", "completion_attendance", "training_level", "is_active"]
    list_filter = ["is_active", "training_level"]
    search_fields = ["name_fi", "name_sv", "name_en", "slug"]
    prepopulated_fields = {"slug": ["name_fi"]}
    inlines = [ModuleInline, MaterialInline]

    def save_formset(self, request, form, formset, change):
        # A material added here is recorded as added by the admin, as on the programme page.
        for obj in formset.save(commit=False):
            if isinstance(obj, Material) and obj.added_by_id is None:
                obj.added_by = request.user
            obj.save()
        for obj in formset.deleted_objects:
            obj.delete()
        formset.save_m2m()


@admin.register(Module)
class ModuleAdmin(TranslationAdmin):
    list_display = ["name", "programme", "order", "hours", "is_required"]
    list_filter = ["programme", "is_required"]
    search_fields = ["name_fi", "name_sv", "name_en"]
    list_select_related = ["programme"]


@admin.register(Material)
class MaterialAdmin(admin.ModelAdmin):
    form = MaterialForm
    fields = ["programme", "module", "title", "file", "url", "filename", "content_type", "size", "added_by", "added_at"]
    list_display = ["title", "programme", "module", "filename", "size", "added_at"]
    list_filter = ["programme", "added_at"]
    search_fields = ["title", "filename", "url"]
    readonly_fields = ["filename", "content_type", "size", "added_by", "added_at"]
    list_select_related = ["programme", "module"]

    def save_model(self, request, obj, form, change):
        if obj.added_by_id is None:
            obj.added_by = request.user
        super().save_model(request, obj, form, change)


class ParticipantInline(admin.TabularInline):
    model = Participant
    extra = 0
    fields = ["name", "email", "phone", "language", "contact_consent", "removed_at", "completed_on"]
    show_change_link = True


class SessionInline(admin.TabularInline):
    model = TrainingSession
    extra = 0
    fields = ["title", "module", "starts_at", "ends_at", "place", "cancelled"]
    show_change_link = True


class CostInline(admin.TabularInline):
    model = Cost
    extra = 0
    fields = ["kind", "amount", "incurred_on", "note"]


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    list_display = ["name", "programme", "status", "starts_on", "ends_on", "coordinator"]
    list_filter = ["status", "programme", "starts_on"]
    search_fields = ["name", "place"]
    date_hierarchy = "starts_on"
    raw_id_fields = ["coordinator"]
    filter_horizontal = ["partners", "trainers"]
    list_select_related = ["programme", "coordinator"]
    inlines = [ParticipantInline, SessionInline, CostInline]


@admin.register(Participant)
class ParticipantAdmin(admin.ModelAdmin):
    list_display = ["name", "cohort", "contact_consent", "completed_on", "certificate_number", "removed_at"]
    list_filter = ["cohort__programme", "cohort", "contact_consent", "completed_on", "removed_at"]
    search_fields = ["name", "email", "certificate_number"]
    raw_id_fields = ["cohort", "user", "added_by", "removed_by", "completed_by", "bank_invitation", "expert_profile"]
    readonly_fields = ["contact_consent_at", "added_at"]
    list_select_related = ["cohort"]


@admin.register(TrainingSession)
class TrainingSessionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "cohort", "starts_at", "ends_at", "place", "cancelled"]
    list_filter = ["cancelled", "cohort__programme", "cohort", "starts_at"]
    search_fields = ["title", "place", "cohort__name"]
    date_hierarchy = "starts_at"
    raw_id_fields = ["cohort"]
    filter_horizontal = ["trainers"]
    list_select_related = ["cohort", "module"]


@admin.register(Attendance)
class AttendanceAdmin(admin.ModelAdmin):
    """Read here, taken and corrected on the session's page (trainings.services.save_attendance), where
    a change after the session's day goes into the corrections log; an edit here would bypass it."""

    list_display = ["participant", "session", "status", "marked_by", "marked_at"]
    list_filter = ["status", "session__cohort", "marked_at"]
    search_fields = ["participant__name", "session__title"]
    raw_id_fields = ["session", "participant", "marked_by"]
    list_select_related = ["participant", "session__module", "session__cohort", "marked_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(AttendanceChange)
class AttendanceChangeAdmin(admin.ModelAdmin):
    """Who corrected which attendance, when and why: a log nobody edits."""

    list_display = ["attendance", "old_status", "new_status", "changed_by", "changed_at", "reason"]
    list_filter = ["new_status", "changed_at"]
    search_fields = ["attendance__participant__name", "reason"]
    list_select_related = ["attendance__participant", "changed_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Cost)
class CostAdmin(admin.ModelAdmin):
    list_display = ["cohort", "kind", "amount", "incurred_on", "note"]
    list_filter = ["kind", "cohort", "incurred_on"]
    search_fields = ["note", "cohort__name"]
    raw_id_fields = ["cohort", "added_by"]
    list_select_related = ["cohort"]


@admin.register(OnboardingStep)
class OnboardingStepAdmin(TranslationAdmin):
    list_display = ["name", "order", "due_days", "required", "is_active"]
    list_editable = ["order", "due_days", "required", "is_active"]
    list_filter = ["required", "is_active"]
    search_fields = ["name_fi", "name_sv", "name_en"]
    ordering = ["order", "pk"]


@admin.register(OnboardingItem)
class OnboardingItemAdmin(admin.ModelAdmin):
    list_display = ["profile", "step", "done_on", "done_by"]
    list_filter = ["step", "done_on"]
    search_fields = ["profile__display_name", "note"]
    raw_id_fields = ["profile", "done_by"]
    list_select_related = ["profile", "step", "done_by"]


@admin.register(Guide)
class GuideAdmin(TranslationAdmin):
    """The body is HTML: on save it keeps only paragraphs, headings, lists, emphasis, links, quotes and
    tables (trainings/guides.py), in every language."""

    list_display = ["title", "slug", "is_published", "updated_at", "updated_by"]
    list_filter = ["is_published", "updated_at"]
    search_fields = ["title_fi", "title_sv", "title_en", "summary_fi", "slug"]
    prepopulated_fields = {"slug": ["title_fi"]}
    readonly_fields = ["updated_by", "updated_at"]
    list_select_related = ["updated_by"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        for name, field in form.base_fields.items():
            if name.startswith("body"):
                field.help_text = _(
                    "HTML: paragraphs, headings (h2–h4), lists, bold, italics, links, quotes and tables. "
                    "Anything else is removed on save."
                )
        return form

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)
