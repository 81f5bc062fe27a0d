from django.urls import path

from rumbo.tenancy import views
from rumbo.web.crud import resource_urls

app_name = "tenancy"

urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("organisation/", views.organization_settings, name="organization"),
    path("organisation/switch/", views.switch_organization, name="switch_organization"),
    path("tokens/", views.token_list, name="token_list"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
    path("members/<int:pk>/invite/", views.member_invite, name="member_invite"),
    *resource_urls(views.members, "tenancy", "members"),
    *resource_urls(views.teams, "tenancy", "teams"),
]
