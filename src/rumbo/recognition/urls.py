from django.urls import path

from rumbo.recognition import views

app_name = "recognition"

urlpatterns = [
    path("recognition/", views.feed, name="feed"),
    path("recognition/kudos/", views.kudos_new, name="kudos_new"),
    path("recognition/settings/", views.rule_settings, name="settings"),
    path("recognition/card/", views.card, name="card"),
]
