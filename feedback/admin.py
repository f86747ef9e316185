"""Forms, versions and rounds in admin. Answers are not listed here: admin reads results through the
same anonymity rule as everyone else (the round's page)."""

from django.contrib import admin, messages
from django.db.models import Count
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationStackedInline, TranslationTabularInline

from .models import FormTemplate, FormVersion, Item, ItemChoice, Round, Series
from .services import editable_version


class VersionInline(admin.TabularInline):
    model = FormVersion
    fields = ["number", "created_at", "link"]
    readonly_fields = ["number", "created_at", "link"]
    extra = 0
    can_delete = False
    show_change_link = True

    @admin.display(description=_("questions"))
    def link(self, version):
        url = reverse("admin:feedback_formversion_change", args=[version.pk])
        return format_html('<a href="{}">{}</a>', url, _("Show or edit the questions"))

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(FormTemplate)
class FormTemplateAdmin(TranslationAdmin):
    list_display = ["name", "kind", "is_active", "versions_count"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name"]
    inlines = [VersionInline]
    actions = ["edit_questions"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(versions_count=Count("versions"))

    @admin.display(description=_("versions"), ordering="versions_count")
    def versions_count(self, template):
        return template.versions_count

    @admin.action(description=_("Edit the questions (a new version if the form has answers)"))
    def edit_questions(self, request, queryset):
        template = queryset.first()
        version = editable_version(template=template)
        return redirect("admin:feedback_formversion_change", version.pk)


class ItemInline(TranslationStackedInline):
    model = Item
    extra = 0
    show_change_link = True  # a choice question's options are edited on the question's own page
    fields = [
        ("order", "key", "kind"),
        "section",
        "text",
        "help_text",
        ("low_label", "high_label"),
        ("allow_dont_know", "required"),
    ]


class ItemChoiceInline(TranslationTabularInline):
    model = ItemChoice
    extra = 0


@admin.register(FormVersion)
class FormVersionAdmin(TranslationAdmin):
    """A version with answers is read-only: its questions are what those answers answered. "Edit the
    questions" on the form makes a new version to edit."""

    list_display = ["template", "number", "created_at"]
    list_filter = ["template"]
    search_fields = ["template__name", "intro"]
    inlines = [ItemInline]

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.has_answers():
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.rounds.exists():
            return False
        return super().has_delete_permission(request, obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        version = self.get_object(request, object_id)
        if version is not None and version.has_answers():
            messages.info(
                request,
                _(
                    "This version has answers, so its questions stay as they are. Use “Edit the questions” "
                    "on the form to make a new version."
                ),
            )
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(Item)
class ItemAdmin(TranslationAdmin):
    """For a choice question's options."""

    list_display = ["text", "version", "kind", "order"]
    list_filter = ["kind", "version__template"]
    search_fields = ["text", "key"]
    inlines = [ItemChoiceInline]

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.version.has_answers():
            return False
        return super().has_change_permission(request, obj)

    def has_module_permission(self, request):
        return False  # reached from a version's page


@admin.register(ItemChoice)
class ItemChoiceAdmin(TranslationAdmin):
    """Reached from its question's page."""

    list_display = ["label", "item", "order"]
    list_filter = ["item__version__template"]
    search_fields = ["label"]

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.item.version.has_answers():
            return False
        return super().has_change_permission(request, obj)

    def has_module_permission(self, request):
        return False


@admin.register(Series)
class SeriesAdmin(admin.ModelAdmin):
    list_display = ["name", "owner", "created_at"]
    list_filter = ["created_at"]
    search_fields = ["name"]
    autocomplete_fields = ["owner"]


@admin.register(Round)
class RoundAdmin(admin.ModelAdmin):
    list_display = ["title", "code", "opens_at", "closes_at", "threshold", "answer_count", "results"]
    list_filter = ["version__template"]
    search_fields = ["title", "code"]
    readonly_fields = ["code", "target_type", "target_id", "version", "owner"]
    fields = [
        "title",
        "code",
        "version",
        "target_type",
        "target_id",
        "series",
        "opens_at",
        "closes_at",
        "threshold",
        "owner",
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(answer_count=Count("answers"))

    @admin.display(description=_("answers"), ordering="answer_count")
    def answer_count(self, round_):
        return round_.answer_count

    @admin.display(description=_("results"))
    def results(self, round_):
        return format_html('<a href="{}">{}</a>', round_.get_absolute_url(), _("Results"))

    def has_add_permission(self, request):
        return False  # a round starts from its session's page, which knows the target
