from django.urls import path

from incidents import collector_views, views

app_name = "incidents"
urlpatterns = [
    path("incidents/", views.incident_list, name="incident_list"),
    path("incidents/new/", views.incident_new, name="incident_new"),
    path("incidents/<int:pk>/", views.incident_detail, name="incident_detail"),
    path("incidents/<int:pk>/history/", views.incident_history, name="incident_history"),
    path("incidents/<int:pk>/advance/", views.incident_advance, name="incident_advance"),
    path("incidents/<int:pk>/statements/new/", views.statement_add, name="statement_add"),
    path("incidents/<int:pk>/conversation/", views.conversation_record, name="conversation_record"),
    path("incidents/<int:pk>/evidence/new/", views.evidence_add, name="evidence_add"),
    path("evidence/<int:pk>/download/", views.evidence_download, name="evidence_download"),
    path("incidents/<int:pk>/staff-harmed/new/", views.staff_harm_add, name="staff_harm_add"),
    path("staff-harmed/<int:pk>/days-off/", views.staff_harm_days, name="staff_harm_days"),
    path("staff-harmed/<int:pk>/support/new/", views.staff_support_add, name="staff_support_add"),
    path("staff-harmed/<int:pk>/riddor/", views.staff_harm_riddor, name="staff_harm_riddor"),
    path("people/", views.person_list, name="person_list"),
    path("people/new/", views.person_new, name="person_new"),
    path("people/search/", views.person_search, name="person_search"),
    path("people/<int:pk>/", views.person_detail, name="person_detail"),
    path("people/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("people/<int:pk>/merge/", views.person_merge, name="person_merge"),
    path("people/<int:pk>/code-given/new/", collector_views.code_given_new, name="code_given_new"),
    path("people/code-given/<int:pk>/remove/", collector_views.code_given_remove, name="code_given_remove"),
    path("people/<int:pk>/collectors/new/", collector_views.collector_new, name="collector_new"),
    path("people/collectors/<int:pk>/edit/", collector_views.collector_edit, name="collector_edit"),
    path("people/collectors/<int:pk>/remove/", collector_views.collector_remove, name="collector_remove"),
    path("people/matches/<int:pk>/", views.person_match_detail, name="person_match_detail"),
    path("people/matches/<int:pk>/confirm/", views.person_match_confirm, name="person_match_confirm"),
    path("people/matches/<int:pk>/dismiss/", views.person_match_dismiss, name="person_match_dismiss"),
]
