"""Only what the sign-in needs, under /accounts/oidc/: the names are allauth's own, which its provider reverses."""

from django.urls import path

from conduct.sso import views

urlpatterns = [
    path("oidc/<str:provider_id>/login/", views.provider_login, name="openid_connect_login"),
    path("oidc/<str:provider_id>/login/callback/", views.callback, name="openid_connect_callback"),
    path("oidc/<str:provider_id>/logout/", views.provider_logout, name="sso_provider_logout"),
]
