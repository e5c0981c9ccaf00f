from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from conduct import notification_settings, views
from conduct.setup.invitation import invitation_accept
from conduct.sso import views as sso_views

# A parameter conduct.params refused says what was wrong.
handler400 = "conduct.params.bad_request"

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/2fa/", include("conduct.twofactor")),
    path("accounts/notifications/", notification_settings.notification_settings, name="notification_settings"),
    path("accounts/welcome/<uidb64>/<token>/", sso_views.provider_form_action(invitation_accept),
         name="invitation_accept"),
    # Django's login and logout, with the providers' buttons and sign-out (conduct/sso), then
    # only the provider sign-in's own URLs (/accounts/oidc/<provider>/...), then the rest of Django's.
    path("accounts/login/", sso_views.login, name="login"),
    path("accounts/logout/", sso_views.logout, name="logout"),
    path("accounts/", include("conduct.sso.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("incidents.urls")),
    path("", include("sanctions.urls")),
    path("reports/", include("reports.urls")),
    path("privacy/", include("privacy.urls")),
    path("setup/", include("conduct.setup.urls")),
    path(settings.ADMIN_URL, admin.site.urls),
]
