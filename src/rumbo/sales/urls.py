from rumbo.sales.views import RESOURCES
from rumbo.web.crud import resource_urls

app_name = "sales"

urlpatterns = [
    url
    for prefix, resource in RESOURCES.items()
    for url in resource_urls(resource, "sales", prefix)
]
