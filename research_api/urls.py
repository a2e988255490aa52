from django.contrib import admin
from django.urls import include, path
from django.views import defaults
from django.views.generic import TemplateView
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from accounts.apis import TokenView
from accounts.views import sign_up
from research import apis as research
from research_api.errors import ErrorCode, json_error_view
from research_api.health import healthz

urlpatterns = [
    path("", TemplateView.as_view(template_name="home.html"), name="home"),
    path("healthz", healthz, name="healthz"),
    path("accounts/sign-up/", sign_up, name="sign_up"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("portal/", include("accounts.urls")),
    path("v2/oauth/token/", TokenView.as_view(), name="oauth_token"),
    path("v2/research/project/info/", research.ProjectInfoView.as_view(), name="project_info"),
    path("v2/research/catalogue/", research.CatalogueView.as_view(), name="catalogue"),
    path("v2/research/usage/", research.UsageView.as_view(), name="usage"),
    path("v2/research/video/query/", research.VideoQueryView.as_view(), name="video_query"),
    path(
        "v2/research/video/comment/list/", research.CommentListView.as_view(), name="comment_list"
    ),
    path("v2/research/user/info/", research.UserInfoView.as_view(), name="user_info"),
    path("v2/research/user/followers/", research.FollowersView.as_view(), name="user_followers"),
    path("v2/research/user/following/", research.FollowingView.as_view(), name="user_following"),
    path(
        "v2/research/user/liked_videos/",
        research.LikedVideosView.as_view(),
        name="user_liked_videos",
    ),
    path(
        "v2/research/user/pinned_videos/",
        research.PinnedVideosView.as_view(),
        name="user_pinned_videos",
    ),
    path(
        "v2/research/user/reposted_videos/",
        research.RepostedVideosView.as_view(),
        name="user_reposted_videos",
    ),
    path("v2/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="docs"),
    path("docs/redoc/", SpectacularRedocView.as_view(url_name="schema"), name="redoc"),
    path("admin/", admin.site.urls),
]

handler400 = json_error_view(400, ErrorCode.INVALID_PARAMS, "Bad request.", defaults.bad_request)
handler403 = json_error_view(
    403, ErrorCode.SCOPE_NOT_AUTHORIZED, "Permission denied.", defaults.permission_denied
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
