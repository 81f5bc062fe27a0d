from django.urls import path

from rumbo.dashboards import views

app_name = "dashboards"

urlpatterns = [
    path("dashboard/rep/", views.rep_dashboard, name="rep"),
    path("dashboard/team/", views.team_dashboard, name="team"),
    path("dashboard/organisation/", views.organisation_dashboard, name="organisation"),
]
