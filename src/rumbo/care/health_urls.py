"""URLs of customer health and the calendar feed (included by care/urls.py)."""

from django.urls import path

from rumbo.care import calendar_views, health_views

urlpatterns = [
    path("customers-at-risk/", health_views.at_risk, name="at_risk"),
    path("customers-at-risk/settings/", health_views.settings_page, name="health_settings"),
    path("calendar/", calendar_views.calendar_page, name="calendar"),
    path("calendar/new/", calendar_views.calendar_regenerate, name="calendar_regenerate"),
    path("calendar/revoke/", calendar_views.calendar_revoke, name="calendar_revoke"),
    path("calendar/<str:token>.ics", calendar_views.calendar_feed, name="calendar_feed"),
]
