from django.urls import path
from django.views.decorators.cache import never_cache

from . import views

app_name = "residents"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.resident_add, name="add"),
    path("<int:pk>/", views.resident_detail, name="resident"),
    path("<int:pk>/edit/", views.resident_edit, name="edit"),
    path("<int:pk>/move/", views.resident_move, name="move"),
    path("<int:pk>/leave/", views.resident_leave, name="leave"),
    path("<int:pk>/reveal/", views.reveal, name="reveal"),
    path("<int:pk>/labels/", views.label_add, name="label_add"),
    path("<int:pk>/access-request/", views.access_request, name="access_request"),
    path("labels/<int:pk>/end/", views.label_end, name="label_end"),
    path("households/new/", views.household_add, name="household_add"),
    path("households/<int:pk>/", views.household_detail, name="household"),
    path("households/<int:pk>/register.pdf", views.household_pdf, name="household_pdf"),
    path("households/<int:pk>/care/", views.care_add, name="care_add"),
    path("groups/", views.groups, name="groups"),
    path("groups/<int:pk>/", views.group_detail, name="group"),
    path("groups/<int:pk>/roster.pdf", views.group_pdf, name="group_pdf"),
    path("representatives/", views.representatives, name="representatives"),
    path("representatives/<int:pk>/end/", views.representative_end, name="representative_end"),
    path("special/", views.special, name="special"),
    path("special.pdf", views.special_pdf, name="special_pdf"),
    path("import/", views.import_upload, name="import"),
    path("import/template.xlsx", views.import_template_download, name="import_template"),
    path("import/<uuid:pk>/", views.import_preview, name="import_preview"),
    path("import/<uuid:pk>/confirm/", views.import_confirm, name="import_confirm"),
    path("export/", views.export, name="export"),
]

# Every page of the registry carries personal data (lists, dossiers, revealed numbers, PDFs, exports): no
# browser or shared proxy may keep a copy (never_cache sends "no-cache, no-store, must-revalidate, private").
# Applied to every route here, so that a page added later cannot forget it.
for _pattern in urlpatterns:
    _pattern.callback = never_cache(_pattern.callback)
