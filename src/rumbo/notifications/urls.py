from django.urls import path

from rumbo.notifications import views

app_name = "notifications"

urlpatterns = [
    path("notifications/", views.notification_list, name="list"),
    path("notifications/<int:pk>/read/", views.notification_mark_read, name="mark_read"),
    path("notifications/read-all/", views.notifications_mark_all_read, name="mark_all_read"),
    path("notifications/email/", views.notification_preferences, name="preferences"),
]
