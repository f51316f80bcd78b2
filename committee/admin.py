from django.contrib import admin

from org.admin import AuditedAdmin

from . import models


@admin.register(models.Term)
class TermAdmin(AuditedAdmin):
    list_display = ["community", "number", "starts", "ends"]
    list_filter = ["community__street"]


@admin.register(models.CommitteeMember)
class CommitteeMemberAdmin(AuditedAdmin):
    list_display = ["name", "position", "duties", "term"]
    list_filter = ["position", "term__community"]


@admin.register(models.Meeting)
class MeetingAdmin(AuditedAdmin):
    list_display = ["title", "kind", "composition", "starts", "status", "community"]
    list_filter = ["kind", "status", "community"]
    search_fields = ["title"]


@admin.register(models.Decision)
class DecisionAdmin(AuditedAdmin):
    list_display = ["text", "owner", "due", "status", "done_on", "meeting"]
    list_filter = ["status"]


for model in (models.Motion, models.Petition, models.MediationMatter, models.ReviewSubject, models.SubCommittee,
              models.VolunteerTeam, models.DutySlot, models.MailboxItem, models.ResponsibilityZone, models.SealUse,
              models.Asset, models.AssetCount, models.Activity):
    admin.site.register(model, AuditedAdmin)
