from django.urls import path

from sanctions.responses import views

urlpatterns = [
    path("incidents/<int:pk>/propose/", views.proposal_new, name="proposal_new"),
    path("incidents/<int:pk>/consultation/", views.consultation_new, name="consultation_new"),
    path("incidents/<int:pk>/decide/", views.decision_new, name="decision_new"),
    path("actions/<int:pk>/done/", views.action_done, name="action_done"),
    path("incidents/<int:pk>/close/", views.case_close, name="case_close"),
    path("incidents/<int:pk>/reopen/", views.case_reopen, name="case_reopen"),
]
