"""One "sanctions" URL namespace over the capabilities; names and paths are relied on outside the code."""

from django.urls import include, path

app_name = "sanctions"
urlpatterns = [
    path("", include("sanctions.responses.urls")),
    path("", include("sanctions.letters.urls")),
    path("", include("sanctions.bans.urls")),
    path("", include("sanctions.complaints.urls")),
]
