from django.urls import path
from django.views.decorators.cache import never_cache

from .views import households, importing, people, representatives

app_name = "residents"
urlpatterns = [
    path("", people.index, name="index"),
    path("new/", people.resident_add, name="add"),
    path("<int:pk>/", people.resident_detail, name="resident"),
    path("<int:pk>/edit/", people.resident_edit, name="edit"),
    path("<int:pk>/move/", people.resident_move, name="move"),
    path("<int:pk>/leave/", people.resident_leave, name="leave"),
    path("<int:pk>/reveal/", people.reveal, name="reveal"),
    path("<int:pk>/labels/", people.label_add, name="label_add"),
    path("<int:pk>/access-request/", people.access_request, name="access_request"),
    path("labels/<int:pk>/end/", people.label_end, name="label_end"),
    path("households/new/", households.household_add, name="household_add"),
    path("households/<int:pk>/", households.household_detail, name="household"),
    path("households/<int:pk>/register.pdf", households.household_pdf, name="household_pdf"),
    path("households/<int:pk>/care/", households.care_add, name="care_add"),
    path("groups/", households.groups, name="groups"),
    path("groups/<int:pk>/", households.group_detail, name="group"),
    path("groups/<int:pk>/roster.pdf", households.group_pdf, name="group_pdf"),
    path("representatives/", representatives.representatives, name="representatives"),
    path("representatives/units/add/", representatives.representative_unit_add, name="representative_unit_add"),
    path("representatives/<int:pk>/end/", representatives.representative_end, name="representative_end"),
    path("special/", households.special, name="special"),
    path("special.pdf", households.special_pdf, name="special_pdf"),
    path("import/", importing.import_upload, name="import"),
    path("import/template.xlsx", importing.import_template_download, name="import_template"),
    path("import/<uuid:pk>/", importing.import_preview, name="import_preview"),
    path("import/<uuid:pk>/confirm/", importing.import_confirm, name="import_confirm"),
    path("export/", importing.export, name="export"),
]

# Every page of the registry carries personal data (lists, dossiers, revealed numbers, PDFs, exports): no
# browser or shared proxy may keep a copy (never_cache sends "no-cache, no-store, must-revalidate, private").
# Applied to every route here, so that a page added later cannot forget it.
for _pattern in urlpatterns:
    _pattern.callback = never_cache(_pattern.callback)
