from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from conduct import views
from conduct.setup.invitation import invitation_accept

# A parameter conduct.params refused says what was wrong.
handler400 = "conduct.params.bad_request"

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/2fa/", include("conduct.twofactor")),
    path("accounts/welcome/<uidb64>/<token>/", invitation_accept, name="invitation_accept"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("incidents.urls")),
    path("", include("sanctions.urls")),
    path("reports/", include("reports.urls")),
    path("privacy/", include("privacy.urls")),
    path("setup/", include("conduct.setup.urls")),
    path(settings.ADMIN_URL, admin.site.urls),
]
