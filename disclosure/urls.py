from django.urls import path

from . import views

app_name = "disclosure"
urlpatterns = [
    path("", views.index, name="index"),
    path("street/", views.my_street_calendar, name="my_street_calendar"),
    path("street/<int:street_pk>/", views.street_calendar, name="street_calendar"),
    path("feedback/", views.feedback_list, name="feedback"),
    path("feedback/<int:pk>/answer/", views.feedback_answer, name="feedback_answer"),
    path("feedback/<int:pk>/seen/", views.feedback_seen, name="feedback_seen"),
    path("items/<int:pk>/", views.item_detail, name="item"),
    path("items/<int:pk>/edit/", views.item_edit, name="item_edit"),
    path("items/<int:pk>/submit/", views.item_submit, name="item_submit"),
    path("items/<int:pk>/sign/", views.item_sign, name="item_sign"),
    path("items/<int:pk>/return/", views.item_return, name="item_return"),
    path("items/<int:pk>/schedule/", views.item_schedule, name="item_schedule"),
    path("items/<int:pk>/withdraw/", views.item_withdraw, name="item_withdraw"),
    path("items/<int:pk>/delete/", views.item_delete, name="item_delete"),
    path("items/<int:pk>/correct/", views.item_correct, name="item_correct"),
    path("items/<int:pk>/attachments/", views.attachment_add, name="attachment_add"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
    path("<str:code>/new/", views.item_create, name="item_create"),
    path("<str:code>/requests/", views.request_create, name="request_create"),
    path("<str:code>/supervision/", views.supervision, name="supervision"),
    path("<str:code>/supervision/elect/", views.supervision_elect, name="supervision_elect"),
    path("supervision/members/<int:pk>/account/", views.supervision_account, name="supervision_account"),
]
