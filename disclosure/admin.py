"""Admin: published items (and their attachments and feedback questions) are read-only and never deleted."""

from django.contrib import admin

from org.admin import AuditedAdmin

from .models import Attachment, DisclosureRequest, Feedback, Item, Status, SupervisionGroup, SupervisionMember


class AttachmentInline(admin.TabularInline):
    model = Attachment
    extra = 0
    fields = ["name", "content_type", "size", "uploaded_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Item)
class ItemAdmin(AuditedAdmin):
    list_display = ["title", "community", "category", "status", "published_at"]
    list_filter = ["status", "category", "community__street"]
    search_fields = ["title"]
    raw_id_fields = ["corrects", "request", "signed_by", "created_by"]
    inlines = [AttachmentInline]

    def get_actions(self, request):
        # Bulk deletion would sweep published items along: the queryset refuses it anyway.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.status == Status.PUBLISHED:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.status == Status.PUBLISHED:
            return False
        return super().has_delete_permission(request, obj)


@admin.register(Feedback)
class FeedbackAdmin(AuditedAdmin):
    list_display = ["item", "received_at", "answered_at"]
    readonly_fields = ["item", "text", "name", "contact", "received_at"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DisclosureRequest)
class DisclosureRequestAdmin(AuditedAdmin):
    list_display = ["subject", "community", "basis", "signatures", "required", "due_on"]


class SupervisionMemberInline(admin.TabularInline):
    model = SupervisionMember
    extra = 0
    raw_id_fields = ["resident", "user"]


@admin.register(SupervisionGroup)
class SupervisionGroupAdmin(AuditedAdmin):
    list_display = ["community", "term", "elected_on"]
    inlines = [SupervisionMemberInline]
