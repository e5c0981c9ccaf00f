from django.urls import path

from sanctions.complaints import views

urlpatterns = [
    path("incidents/<int:pk>/complaints/new/", views.complaint_new, name="complaint_new"),
    path("complaints/<int:pk>/", views.complaint_detail, name="complaint_detail"),
    path("complaints/<int:pk>/outcome/", views.complaint_outcome, name="complaint_outcome"),
    path("complaints/<int:pk>/escalate/", views.complaint_escalate, name="complaint_escalate"),
    path("complaints/<int:pk>/close/", views.complaint_close, name="complaint_close"),
]
