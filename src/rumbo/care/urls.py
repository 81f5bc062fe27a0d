from django.urls import path

from rumbo.care import health_urls, survey_urls, views
from rumbo.web.crud import resource_urls

app_name = "care"

urlpatterns = [
    *survey_urls.urlpatterns,
    *health_urls.urlpatterns,
    *resource_urls(views.follow_ups, "care", "follow-ups"),
    *resource_urls(views.care_plans, "care", "care-plans"),
    *(
        path(f"follow-ups/<int:pk>/{action}/",
             views.FollowUpAction.as_view(resource=views.follow_ups, namespace="care",
                                          action=action),
             name=f"followup_{action}")
        for action in views.ACTIONS
    ),
]  # fmt: skip
