from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import Notification, NotificationPreference, Status
from .services import retry_failed_notifications


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["id", "kind", "channel", "status", "due_at", "attempts", "sent_at", "last_error"]
    list_filter = ["status", "kind", "channel", "language", "due_at"]
    search_fields = ["kind", "object_id", "recipient__email"]
    date_hierarchy = "due_at"
    readonly_fields = ["claim_token", "claimed_at", "sent_at", "created_at", "updated_at", "attempts", "last_error"]
    raw_id_fields = ["recipient"]
    actions = ["retry_failed"]

    @admin.action(description=_("Retry selected failed notifications"))
    def retry_failed(self, request, queryset):
        count = retry_failed_notifications(ids=list(queryset.filter(status=Status.FAILED).values_list("pk", flat=True)))
        self.message_user(
            request,
            ngettext("%d notification will be sent again.", "%d notifications will be sent again.", count) % count,
            messages.SUCCESS,
        )


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "channel", "enabled", "updated_at"]
    list_filter = ["kind", "channel", "enabled"]
    search_fields = ["user__email", "kind"]
    raw_id_fields = ["user"]
