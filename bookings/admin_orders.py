"""Admin of units' order requests (bookings/admin.py imports this module): shown, never edited, since
a request moves only through orders.py (which tells the orderer); the coordinators' inbox handles them."""

from django.contrib import admin

from .models import OrderRequest


@admin.register(OrderRequest)
class OrderRequestAdmin(admin.ModelAdmin):
    list_display = ["unit", "task_type", "date", "start_time", "status", "orderer", "created_at"]
    list_filter = ["status", "task_type", "date"]
    date_hierarchy = "date"
    search_fields = ["unit", "audience", "orderer__email"]
    list_select_related = ["task_type", "orderer"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
