"""The survey pages: public ones by token, and the send action on a follow-up."""

from django.urls import path

from rumbo.care import survey_views

urlpatterns = [
    path("survey/<str:token>/", survey_views.survey_answer, name="survey_answer"),
    path("survey/<str:token>/unsubscribe/", survey_views.survey_unsubscribe,
         name="survey_unsubscribe"),
    path("follow-ups/<int:pk>/send-survey/", survey_views.follow_up_send_survey,
         name="followup_send_survey"),
]  # fmt: skip
