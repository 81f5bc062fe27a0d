from django.urls import path

from rumbo.metrics import views

app_name = "metrics"

urlpatterns = [
    path("scorecard/", views.scorecard, name="scorecard"),
    path("scorecard/settings/", views.scorecard_settings, name="scorecard_settings"),
    path("leaderboard/", views.leaderboard_page, name="leaderboard"),
]
