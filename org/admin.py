from django.contrib import admin

from .admin_site import AuditedAdmin
from .models import Community, Membership, SensitiveAccess, StreetOffice


@admin.register(StreetOffice)
class StreetOfficeAdmin(AuditedAdmin):
    list_display = ["name", "code", "supervision_hotline"]


@admin.register(Community)
class CommunityAdmin(AuditedAdmin):
    list_display = ["name", "code", "street"]
    list_filter = ["street"]


@admin.register(Membership)
class MembershipAdmin(AuditedAdmin):
    list_display = ["user", "role", "street", "community", "starts", "ends"]
    list_filter = ["role"]


@admin.register(SensitiveAccess)
class SensitiveAccessAdmin(admin.ModelAdmin):
    list_display = ["at", "user", "action", "subject", "reason"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
