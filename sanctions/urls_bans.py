from django.urls import path

from sanctions import views_bans as views

urlpatterns = [
    path("incidents/<int:pk>/letters/new/", views.letter_new, name="letter_new"),
    path("incidents/<int:pk>/summary.pdf", views.case_summary, name="case_summary"),
    path("incidents/<int:pk>/bans/new/", views.ban_new, name="ban_new"),
    path("letters/<int:pk>/", views.letter_detail, name="letter_detail"),
    path("letters/<int:pk>/edit/", views.letter_edit, name="letter_edit"),
    path("letters/<int:pk>/preview/", views.letter_preview, name="letter_preview"),
    path("letters/<int:pk>/preview.pdf", views.letter_preview_pdf, name="letter_preview_pdf"),
    path("letters/<int:pk>/issue/", views.letter_issue, name="letter_issue"),
    path("letters/<int:pk>/download/", views.letter_download, name="letter_download"),
    path("letters/<int:pk>/correct/", views.letter_correct, name="letter_correct"),
    path("letters/<int:pk>/discard/", views.letter_discard, name="letter_discard"),
    path("bans/register/", views.ban_register, name="ban_register"),
    path("bans/register/print/", views.ban_register_print, name="ban_register_print"),
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
