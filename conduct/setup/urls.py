from django.urls import path

from conduct.setup import views

app_name = "setup"
urlpatterns = [
    path("", views.index, name="index"),
    path("schools/new/", views.school_new, name="school_new"),
    path("trusts/<int:pk>/complaint-days/", views.trust_complaint_days, name="trust_complaint_days"),
    path("schools/<int:pk>/edit/", views.school_edit, name="school_edit"),
    path("schools/<int:pk>/authorised/", views.authorised_people, name="authorised_people"),
    path("schools/<int:pk>/authorised/<int:ap_pk>/end/", views.authorised_person_end, name="authorised_person_end"),
    path("staff/", views.staff_list, name="staff_list"),
    path("staff/invite/", views.staff_invite, name="staff_invite"),
    path("staff/import/", views.staff_import, name="staff_import"),
    path("staff/import/confirm/", views.staff_import_confirm, name="staff_import_confirm"),
    path("staff/<int:pk>/", views.staff_detail, name="staff_detail"),
    path("staff/<int:pk>/reinvite/", views.staff_reinvite, name="staff_reinvite"),
    path("staff/<int:pk>/authenticators/reset/", views.staff_authenticators_reset, name="staff_authenticators_reset"),
    path("staff/<int:pk>/deactivate/", views.staff_deactivate, name="staff_deactivate"),
    path("roles/<int:pk>/revoke/", views.role_revoke, name="role_revoke"),
]
