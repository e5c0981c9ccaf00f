from django.urls import path

from privacy.views import access, requests

app_name = "privacy"

urlpatterns = [
    path("requests/", requests.request_list, name="request_list"),
    path("people/<int:pk>/access-log.csv", access.access_export, name="access_export"),
]
