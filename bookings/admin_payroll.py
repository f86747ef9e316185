"""Admin of payroll's personal data: payee details and the experts' expense claims (bookings/admin.py
imports this module).

Payee details show without their encrypted fields: the bank account and the identity code are typed
on the coordinators' page, which validates and encrypts them. Each look at payee details here (the
list, one payee) and each change is in the audit log, as on that page. Claims are shown, never edited
(a decision goes through claims.py, which tells the expert), and without the receipt: receipts come
only from the coordinators' claim page, never from /media/.
"""

from django.contrib import admin

from accounts.models import AuditAction
from accounts.services import record_audit_event, record_audit_events

from .models import ExpenseClaim, Payee
from .payees import PLAIN_FIELDS, record_payee_read


@admin.register(Payee)
class PayeeAdmin(admin.ModelAdmin):
    list_display = ["legal_name", "profile", "payee_number", "tax_card_delivered", "tax_card_year", "updated_at"]
    list_filter = ["tax_card_delivered", "tax_card_year"]
    search_fields = ["legal_name", "payee_number", "profile__display_name"]
    list_select_related = ["profile"]
    fields = ["profile", *PLAIN_FIELDS, "updated_at"]
    readonly_fields = ["updated_at"]
    raw_id_fields = ["profile"]

    def get_readonly_fields(self, request, obj=None):
        return ["profile", "updated_at"] if obj is not None else self.readonly_fields

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if changelist is not None:
            rows = [
                (payee.profile.user_id, ["legal_name", "payee_number", "tax_card_delivered", "tax_card_year"])
                for payee in changelist.result_list
            ]
            record_audit_events(actor=request.user, action=AuditAction.VIEW, what="payee details", entries=rows)
        return response

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # Every showing of one payee's form: the first look and a re-shown form with an error.
        if obj is not None and obj.pk:
            record_payee_read(actor=request.user, profile=obj.profile, fields=PLAIN_FIELDS)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)
        record_audit_event(
            actor=request.user,
            subject=obj.profile.user,
            action=AuditAction.CHANGE,
            what="payee details",
            fields=list(form.changed_data),
        )

    def delete_model(self, request, obj):
        subject = obj.profile.user
        super().delete_model(request, obj)
        record_audit_event(actor=request.user, subject=subject, action=AuditAction.ERASE, what="payee details")

    def delete_queryset(self, request, queryset):
        subjects = list(queryset.values_list("profile__user", flat=True))
        super().delete_queryset(request, queryset)
        record_audit_events(
            actor=request.user, action=AuditAction.ERASE, what="payee details", entries=[(pk, []) for pk in subjects]
        )


@admin.register(ExpenseClaim)
class ExpenseClaimAdmin(admin.ModelAdmin):
    list_display = ["booking", "status", "kilometres", "tickets", "submitted_at", "decided_at"]
    list_filter = ["status", "submitted_at"]
    search_fields = ["booking__assignment__title", "booking__expert__display_name"]
    list_select_related = ["booking__assignment", "booking__expert"]
    date_hierarchy = "submitted_at"
    fields = [
        "booking",
        "status",
        "kilometres",
        "tickets",
        "note",
        "submitted_at",
        "decided_by",
        "decided_at",
        "decision_note",
    ]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
