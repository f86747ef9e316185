"""Hearings in admin: topics, campaigns with their questions (and a question with its choices),
themes, offline notes, findings with their decisions, client panels with their members and meetings;
texts in fi/sv/en through modeltranslation.

Kept out on purpose (tests/test_admin.py NOT_IN_ADMIN): responses and answers (anonymous, read only
as figures on the analysis page), addresses to be told the outcome (read by nobody, deleted once
told) and the online form's receipts.
"""

from django import forms
from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationStackedInline, TranslationTabularInline

from . import reminders
from .models import (
    Campaign,
    Choice,
    Decision,
    Finding,
    Note,
    Panel,
    PanelMeeting,
    PanelMember,
    Question,
    Theme,
    Topic,
)
from .services import RESERVED_SLUGS


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["title", "priority", "status", "decision", "decision_due", "campaign"]
    list_filter = ["status", "priority", "decision_due"]
    search_fields = ["title", "description", "proposer", "decision"]
    list_select_related = ["campaign"]
    raw_id_fields = ["proposed_by", "campaign"]


class QuestionInline(TranslationStackedInline):
    model = Question
    extra = 0
    fields = [("order", "kind", "required"), "text", "help_text", ("low_label", "high_label")]
    show_change_link = True  # its choices are on the question's own page


class CampaignAdminForm(forms.ModelForm):
    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if slug in RESERVED_SLUGS:
            raise forms.ValidationError(_("This short name is taken by the staff pages. Choose another."))
        return slug


@admin.register(Campaign)
class CampaignAdmin(TranslationAdmin):
    form = CampaignAdminForm
    list_display = ["title", "opens_at", "closes_at", "is_published", "outcome_published_at", "owner"]
    list_filter = ["is_published", "opens_at", "closes_at", "outcome_published_at"]
    search_fields = ["title_fi", "title_sv", "title_en", "slug", "responsible_unit"]
    prepopulated_fields = {"slug": ["title_fi"]}
    date_hierarchy = "opens_at"
    raw_id_fields = ["owner"]
    list_select_related = ["owner"]
    inlines = [QuestionInline]

    def save_model(self, request, obj, form, change):
        # As the staff pages do (services.change_campaign): the owner's reminders follow the times.
        super().save_model(request, obj, form, change)
        reminders.schedule_campaign_reminders(obj, moved=change and "closes_at" in form.changed_data)


class ChoiceInline(TranslationTabularInline):
    model = Choice
    extra = 0
    fields = ["order", "label"]


@admin.register(Question)
class QuestionAdmin(TranslationAdmin):
    list_display = ["text", "campaign", "order", "kind", "required"]
    list_filter = ["kind", "required", "campaign"]
    search_fields = ["text_fi", "text_sv", "text_en"]
    list_select_related = ["campaign"]
    raw_id_fields = ["campaign"]
    inlines = [ChoiceInline]


@admin.register(Choice)
class ChoiceAdmin(TranslationAdmin):
    list_display = ["label", "question", "order"]
    list_filter = ["question__campaign"]
    search_fields = ["label_fi", "label_sv", "label_en"]
    list_select_related = ["question"]
    raw_id_fields = ["question"]


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["name", "campaign", "order"]
    list_filter = ["campaign"]
    search_fields = ["name"]
    list_select_related = ["campaign"]


@admin.register(Note)
class NoteAdmin(admin.ModelAdmin):
    list_display = ["title", "campaign", "channel", "held_on", "participants"]
    list_filter = ["channel", "held_on", "campaign"]
    search_fields = ["title", "text"]
    date_hierarchy = "held_on"
    list_select_related = ["campaign"]
    raw_id_fields = ["campaign", "meeting", "entered_by"]
    filter_horizontal = ["themes"]


# A link to the minutes typed without a scheme is taken as https:// (as Django 6 will).
HTTPS_LINKS = {models.URLField: {"assume_scheme": "https"}}


class DecisionInline(admin.StackedInline):
    model = Decision
    extra = 0
    fields = [("body", "decided_on", "reference"), "url", "status", "reasons"]
    formfield_overrides = HTTPS_LINKS


@admin.register(Finding)
class FindingAdmin(TranslationAdmin):
    list_display = ["__str__", "campaign", "order"]
    list_filter = ["campaign"]
    search_fields = ["text_fi", "text_sv", "text_en"]
    list_select_related = ["campaign"]
    raw_id_fields = ["campaign"]
    inlines = [DecisionInline]


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    formfield_overrides = HTTPS_LINKS
    list_display = ["body", "reference", "decided_on", "status", "finding"]
    list_filter = ["status", "decided_on"]
    search_fields = ["body", "reference", "reasons"]
    list_select_related = ["finding"]
    raw_id_fields = ["finding"]


class PanelMemberInline(admin.TabularInline):
    model = PanelMember
    extra = 0
    fields = ["expert", "name", "email", "phone", "term_starts", "term_ends", "contact_consent"]
    raw_id_fields = ["expert"]


class PanelMeetingInline(admin.TabularInline):
    model = PanelMeeting
    extra = 0
    fields = ["starts_at", "ends_at", "place"]
    show_change_link = True


@admin.register(Panel)
class PanelAdmin(TranslationAdmin):
    list_display = ["name", "unit", "coordinator", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name_fi", "name_sv", "name_en", "unit"]
    raw_id_fields = ["coordinator"]
    list_select_related = ["coordinator"]
    inlines = [PanelMemberInline, PanelMeetingInline]


@admin.register(PanelMember)
class PanelMemberAdmin(admin.ModelAdmin):
    list_display = ["__str__", "panel", "term_starts", "term_ends", "contact_consent"]
    list_filter = ["panel", "term_starts", "contact_consent"]
    search_fields = ["name", "email"]
    list_select_related = ["panel", "expert"]
    raw_id_fields = ["expert"]


@admin.register(PanelMeeting)
class PanelMeetingAdmin(admin.ModelAdmin):
    list_display = ["__str__", "panel", "starts_at", "place"]
    list_filter = ["panel", "starts_at"]
    search_fields = ["place", "agenda"]
    date_hierarchy = "starts_at"
    list_select_related = ["panel"]
