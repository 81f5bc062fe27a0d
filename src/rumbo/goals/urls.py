from django.urls import path

from rumbo.goals import cascade_views, views
from rumbo.web.crud import resource_urls

app_name = "goals"

urlpatterns = [
    *resource_urls(views.goals, "goals", "goals"),
    path("goals/<int:pk>/approve/", views.goal_approve, name="goal_approve"),
    path("goals/<int:pk>/reject/", views.goal_reject, name="goal_reject"),
    path("goals/<int:pk>/cascade/preview/", cascade_views.goal_cascade_preview,
         name="goal_cascade_preview"),
    path("goals/<int:pk>/cascade/", cascade_views.goal_cascade, name="goal_cascade"),
]
