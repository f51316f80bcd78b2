from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import CareRecord, Household, Representative, Resident, ResidentGroup, ResidentLabel


@admin.register(Resident)
class ResidentAdmin(SimpleHistoryAdmin):
    """Read only, without ID and phone numbers: changes and exports go through the app, which keeps the
    registry's rules and logs who saw whose numbers."""

    list_display = ["name", "community", "household", "relation", "group", "living"]
    list_filter = ["community", "living", "registration"]
    search_fields = ["name", "household__number"]
    list_select_related = ["community", "household", "group"]
    exclude = ["id_number", "phone"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


for model in (ResidentGroup, Household, ResidentLabel, Representative, CareRecord):
    admin.site.register(model, SimpleHistoryAdmin)
