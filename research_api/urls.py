from django.contrib import admin
from django.urls import include, path, re_path
from django.views import defaults
from django.views.generic import TemplateView
from drf_spectacular.views import SpectacularAPIView

from accounts.apis import TokenView
from accounts.views import choose_password, sign_up
from core.errors import ErrorCode
from exports import apis as exports
from research import apis as research
from research.listings import LISTINGS
from research_api import api_docs
from research_api.error_pages import api_not_found, json_error_view
from research_api.health import healthz

urlpatterns = [
    path("", TemplateView.as_view(template_name="home.html"), name="home"),
    path("healthz", healthz, name="healthz"),
    path("accounts/sign-up/", sign_up, name="sign_up"),
    path("accounts/sign-up/<uidb64>/<token>/", choose_password, name="sign_up_confirm"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("portal/", include("accounts.urls")),
    path("transparency/", include("transparency.urls")),
    path("v2/oauth/token/", TokenView.as_view(), name="oauth_token"),
    path("v2/research/project/info/", research.ProjectInfoView.as_view(), name="project_info"),
    path("v2/research/catalogue/", research.CatalogueView.as_view(), name="catalogue"),
    path("v2/research/usage/", research.UsageView.as_view(), name="usage"),
    path("v2/research/moderation/stats/", research.StatsView.as_view(), name="moderation_stats"),
    *(
        path(
            listing.url.lstrip("/"),
            research.LISTING_VIEWS[listing.path].as_view(),
            name=listing.operation_id,
        )
        for listing in LISTINGS
    ),
    path(
        "v2/research/validation_task/create/",
        research.ValidationTaskCreateView.as_view(),
        name="validation_task_create",
    ),
    path(
        "v2/research/validation_task_status/get/",
        research.ValidationTaskStatusView.as_view(),
        name="validation_task_status",
    ),
    path("v2/research/export/", exports.ExportsView.as_view(), name="exports"),
    path("v2/research/export/<uuid:export_id>/", exports.ExportView.as_view(), name="export"),
    path(
        "v2/research/export/<uuid:export_id>/cancel/",
        exports.ExportCancelView.as_view(),
        name="export_cancel",
    ),
    path(
        "v2/research/export/<uuid:export_id>/files/<str:name>",
        exports.ExportDownloadView.as_view(),
        name="export_download",
    ),
    path("v2/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", api_docs.swagger, name="docs"),
    path("docs/redoc/", api_docs.redoc, name="redoc"),
    path("admin/", admin.site.urls),
    re_path(r"^v2/(?P<path>.*)$", api_not_found),  # last: what no route above matched
]

handler400 = json_error_view(400, ErrorCode.INVALID_PARAMS, "Bad request.", defaults.bad_request)
handler403 = json_error_view(
    403, ErrorCode.PERMISSION_DENIED, "Permission denied.", defaults.permission_denied
)
handler404 = json_error_view(
    404, ErrorCode.NOT_FOUND, "No such endpoint. See /docs/ for the API.", defaults.page_not_found
)
handler500 = json_error_view(
    500,
    ErrorCode.INTERNAL_ERROR,
    "The server failed to answer this request; quote the log_id if you report it.",
    defaults.server_error,
)
