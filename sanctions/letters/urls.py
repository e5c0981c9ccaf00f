from django.urls import path

from sanctions.letters import delivery_views, format_views, views

urlpatterns = [
    path("incidents/<int:pk>/letters/new/", views.letter_new, name="letter_new"),
    path("incidents/<int:pk>/letters/account/", views.case_account_edit, name="case_account_edit"),
    path("incidents/<int:pk>/summary.pdf", views.case_summary, name="case_summary"),
    path("letters/<int:pk>/", views.letter_detail, name="letter_detail"),
    path("letters/<int:pk>/edit/", views.letter_edit, name="letter_edit"),
    path("letters/<int:pk>/facts/", views.letter_facts, name="letter_facts"),
    path("letters/<int:pk>/preview/", views.letter_preview, name="letter_preview"),
    path("letters/<int:pk>/preview.pdf", views.letter_preview_pdf, name="letter_preview_pdf"),
    path("letters/<int:pk>/issue/", views.letter_issue, name="letter_issue"),
    path("letters/<int:pk>/download/", views.letter_download, name="letter_download"),
    path("letters/<int:pk>/correct/", views.letter_correct, name="letter_correct"),
    path("letters/<int:pk>/discard/", views.letter_discard, name="letter_discard"),
    path("letters/<int:pk>/large-print/", format_views.letter_large_print_make, name="letter_large_print_make"),
    path("letters/<int:pk>/large-print.pdf", format_views.letter_large_print, name="letter_large_print"),
    # Sending issued letters (issue 22.4): email again, posted, handed over; the office's print pack.
    path("letters/<int:pk>/send/", delivery_views.letter_send, name="letter_send"),
    path("letters/<int:pk>/posted/", delivery_views.letter_posted, name="letter_posted"),
    path("letters/<int:pk>/handed/", delivery_views.letter_handed, name="letter_handed"),
    path("letters/to-post/", delivery_views.letters_to_post, name="letters_to_post"),
    path("letters/to-post/pack.pdf", delivery_views.letters_to_post_pack, name="letters_to_post_pack"),
    path("letters/to-post/posted/", delivery_views.letters_to_post_mark, name="letters_to_post_mark"),
]
