from django.urls import path

from sanctions.letters import views

urlpatterns = [
    path("incidents/<int:pk>/letters/new/", views.letter_new, name="letter_new"),
    path("incidents/<int:pk>/summary.pdf", views.case_summary, name="case_summary"),
    path("letters/<int:pk>/", views.letter_detail, name="letter_detail"),
    path("letters/<int:pk>/edit/", views.letter_edit, name="letter_edit"),
    path("letters/<int:pk>/preview/", views.letter_preview, name="letter_preview"),
    path("letters/<int:pk>/preview.pdf", views.letter_preview_pdf, name="letter_preview_pdf"),
    path("letters/<int:pk>/issue/", views.letter_issue, name="letter_issue"),
    path("letters/<int:pk>/download/", views.letter_download, name="letter_download"),
    path("letters/<int:pk>/correct/", views.letter_correct, name="letter_correct"),
    path("letters/<int:pk>/discard/", views.letter_discard, name="letter_discard"),
]
