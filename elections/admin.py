from django.contrib import admin

from org.admin import AuditedAdmin

from .models import Election, RuleSet


@admin.register(RuleSet)
class RuleSetAdmin(AuditedAdmin):
    """The named rule sets staff choose from; an election's own frozen copy is never edited here."""

    list_display = ["name", "term_years", "roll_posted_days", "candidates_posted_days", "voter_cards_days",
                    "proxy_limit", "turnout_representative", "handover_days"]
    exclude = ["is_template", "copied_from"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(is_template=True)

    def save_model(self, request, obj, form, change):
        obj.is_template = True
        super().save_model(request, obj, form, change)


@admin.register(Election)
class ElectionAdmin(AuditedAdmin):
    """Read-only: elections are run through their own pages, where every rule is checked."""

    list_display = ["name", "community", "election_day", "mode", "status"]
    list_filter = ["status", "mode"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
