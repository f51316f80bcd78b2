from django.contrib import admin
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from org.admin import AuditedAdmin

from .models import Election, RuleSet
from .rulesets import parameters


@admin.register(RuleSet)
class RuleSetAdmin(AuditedAdmin):
    """The named rule sets staff choose from; an election's own frozen copy is never edited here."""

    list_display = ["name", "term_years", "roll_posted_days", "candidates_posted_days", "voter_cards_days",
                    "proxy_limit", "turnout_representative", "handover_days"]
    exclude = ["is_template", "copied_from"]
    readonly_fields = ["clause_table"]

    @admin.display(description=_("逐项取值和依据"))
    def clause_table(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        return format_html("<table>{}</table>", format_html_join(
            "", "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            ((row["label"], row["value"], row["clause"]) for row in parameters(obj))))

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
