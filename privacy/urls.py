from django.urls import path

from privacy.views import access, requests, retention

app_name = "privacy"

urlpatterns = [
    path("requests/", requests.request_list, name="request_list"),
    path("requests/new/", requests.request_new, name="request_new"),
    path("requests/<int:pk>/", requests.request_detail, name="request_detail"),
    path("requests/<int:pk>/identity/", requests.request_identity, name="request_identity"),
    path("requests/<int:pk>/extend/", requests.request_extend, name="request_extend"),
    path("requests/<int:pk>/pause/", requests.request_pause, name="request_pause"),
    path("requests/<int:pk>/resume/", requests.request_resume, name="request_resume"),
    path("requests/<int:pk>/gather/", requests.request_gather, name="request_gather"),
    path("requests/<int:pk>/review/", requests.request_review, name="request_review"),
    path("requests/<int:pk>/preview.pdf", requests.request_preview, name="request_preview"),
    path("requests/<int:pk>/release/", requests.request_release, name="request_release"),
    path("requests/<int:pk>/pack.pdf", requests.pack_pdf, name="pack_pdf"),
    path("requests/<int:pk>/pack.zip", requests.pack_zip, name="pack_zip"),
    path("records/<int:pk>/", requests.item_detail, name="item_detail"),
    path("records/<int:pk>/decide/", requests.item_decide, name="item_decide"),
    path("redactions/<int:pk>/", requests.redaction_decide, name="redaction_decide"),
    path("people/<int:pk>/access-log.csv", access.access_export, name="access_export"),
    path("retention/", retention.retention_overview, name="retention"),
    path("retention/schedule/", retention.policy_edit, name="policy_edit"),
    path("cases/<int:pk>/hold/", retention.hold_new, name="hold_new"),
    path("holds/<int:pk>/release/", retention.hold_release, name="hold_release"),
]
