from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView
from django.views.i18n import JavaScriptCatalog

from rumbo.api import api
from rumbo.dashboards import views as dashboard_views
from rumbo.tenancy import forms as tenancy_forms
from rumbo.tenancy import views as tenancy_views
from rumbo.web import views as web_views
from rumbo.web.lookup import lookup_view

admin.site.site_header = "Rumbo"

# Error pages inside the layout, translated; JSON under /api/ (rumbo.web.errors).
handler403 = "rumbo.web.errors.forbidden"
handler404 = "rumbo.web.errors.not_found"
handler500 = "rumbo.web.errors.server_error"

urlpatterns = [
    path("", dashboard_views.home, name="home"),
    path("healthz", web_views.healthz, name="healthz"),
    path("lookup/<slug:kind>/", lookup_view, name="lookup"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("signup/", tenancy_views.signup, name="signup"),
    path("signup/confirm/<str:token>/", tenancy_views.signup_confirm, name="signup_confirm"),
    # Password change and reset: Django's own views (tokens bound to the
    # password and email, PASSWORD_RESET_TIMEOUT), reset requests throttled.
    path(
        "password/change/",
        auth_views.PasswordChangeView.as_view(form_class=tenancy_forms.PasswordChangeForm),
        name="password_change",
    ),
    path(
        "password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path(
        "password/reset/",
        tenancy_views.ThrottledPasswordResetView.as_view(
            form_class=tenancy_forms.PasswordResetForm,
            email_template_name="registration/password_reset_email.txt",
        ),
        name="password_reset",
    ),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(form_class=tenancy_forms.SetPasswordForm),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("invitation/<str:token>/", tenancy_views.invitation_accept, name="invitation_accept"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("api/v1/", api.urls),
    path("api/docs", RedirectView.as_view(pattern_name="api-1.0.0:openapi-view"), name="api_docs"),
    path("admin/", admin.site.urls),
    path("", include("rumbo.tenancy.urls")),
    path("", include("rumbo.sales.urls")),
    path("", include("rumbo.imports.urls")),
    path("", include("rumbo.goals.urls")),
    path("", include("rumbo.notifications.urls")),
    path("", include("rumbo.dashboards.urls")),
    path("", include("rumbo.metrics.urls")),
    path("", include("rumbo.search.urls")),
    path("", include("rumbo.care.urls")),
    path("", include("rumbo.recognition.urls")),
]
