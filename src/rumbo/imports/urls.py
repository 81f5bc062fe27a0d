from django.urls import path, reverse_lazy

from rumbo.imports import views, views_export, views_saved
from rumbo.imports.exports import EXPORTS
from rumbo.web.crud import EXPORT_URLS, resource_urls

app_name = "imports"

urlpatterns = [
    path("export/<slug:kind>/", views_export.export_view, name="export"),
    path("imports/", views.job_list, name="job_list"),
    path("imports/new/", views.job_create, name="job_create"),
    path("imports/<int:pk>/", views.job_detail, name="job_detail"),
    path("imports/<int:pk>/progress/", views.job_progress, name="job_progress"),
    path("imports/<int:pk>/problems.csv", views.job_problems, name="job_problems"),
    path("imports/aliases/from-problem/", views.alias_from_problem, name="alias_from_problem"),
    *resource_urls(views_saved.aliases, "imports", "imports/aliases"),
    *resource_urls(views_saved.mappings, "imports", "imports/mappings"),
]

# The list pages link to their export (see web/crud/_table.html).
EXPORT_URLS.update(
    {spec.model: reverse_lazy("imports:export", args=[kind]) for kind, spec in EXPORTS.items()}
)
