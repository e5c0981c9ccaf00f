from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("board.pdf", views.board_pdf, name="board_pdf"),
    path("incidents.csv", views.incidents_csv, name="incidents_csv"),
    path("course-of-conduct/", views.course_of_conduct, name="course_of_conduct"),
]
