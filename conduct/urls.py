from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from conduct import views

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/2fa/", include("conduct.twofactor")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("incidents.urls")),
    path("", include("sanctions.urls")),
    path("reports/", include("reports.urls")),
    path("privacy/", include("privacy.urls")),
    path(settings.ADMIN_URL, admin.site.urls),
]
