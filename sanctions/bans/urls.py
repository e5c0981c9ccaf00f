from django.urls import path

from sanctions.bans import views

urlpatterns = [
    path("incidents/<int:pk>/bans/new/", views.ban_new, name="ban_new"),
    path("bans/register/", views.ban_register, name="ban_register"),
    path("bans/register/print/", views.ban_register_print, name="ban_register_print"),
    path("bans/register/check/", views.ban_check, name="ban_check"),
    path("bans/register/export.csv", views.ban_register_export, name="ban_register_export"),
    path("bans/register/<int:pk>/breach/", views.ban_breach_new, name="ban_breach_new"),
    path("bans/register/<int:pk>/photo/", views.register_photo, name="register_photo"),
    path("bans/<int:pk>/", views.ban_detail, name="ban_detail"),
    path("bans/<int:pk>/representations/new/", views.representation_new, name="representation_new"),
    path("bans/<int:pk>/no-representations/", views.ban_no_representations, name="ban_no_representations"),
    path("bans/<int:pk>/confirm/", views.ban_confirm, name="ban_confirm"),
    path("bans/<int:pk>/withdraw/", views.ban_withdraw, name="ban_withdraw"),
    path("bans/<int:pk>/review/", views.ban_review_new, name="ban_review_new"),
    path("bans/<int:pk>/extension-consultation/", views.ban_extension_consult, name="ban_extension_consult"),
    path("bans/<int:pk>/end/", views.ban_end, name="ban_end"),
    path("representations/<int:pk>/attachment/", views.representation_attachment, name="representation_attachment"),
]
