from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import set_language

from org import views as org_views
from org.forms import LoginForm

urlpatterns = [
    path("healthz", org_views.healthz, name="healthz"),
    path("accounts/login/", auth_views.LoginView.as_view(authentication_form=LoginForm), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("residents/", include("residents.urls")),
    path("committee/", include("committee.urls")),
    path("disclosure/", include("disclosure.urls")),
    path("elections/street/", include("elections.street_urls")),
    path("elections/", include("elections.urls")),
    path("board/", include("disclosure.board_urls")),
    path("", include("org.urls")),
]
