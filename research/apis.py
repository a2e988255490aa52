"""Research endpoints, wire-compatible with the TikTok Research API (see docs and codebook)."""

import orjson
from django.db import connection
from django.http import HttpResponse
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    inline_serializer,
)
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView

from accounts.access import QUOTA_FIELDS, Scope
from catalog.models import CommentStatus, CreatorStatus, VideoStatus
from quotas import selectors as usage_selectors
from quotas.models import Family
from research import codebook, keyset, paging, schemas, videos
from research.query_language import (
    CommentListRequest,
    PinnedRequest,
    UserListRequest,
    UsernameRequest,
    VideoQueryRequest,
)
from research.rendering import (
    COMMENT_FIELDS,
    FOLLOW_FIELDS,
    USER_FIELDS,
    VIDEO_FIELDS,
    Renderer,
    fields_param,
    select_list,
)
from research.views_base import ResearchAPIView
from research_api.errors import NotFound, envelope, log_id_of

# A cursor this large is TikTok's "followed on or before this Unix time", not a position.
TIMESTAMP_CURSOR = 1_000_000_000


def _fields_parameter(fields: dict) -> OpenApiParameter:
    names = "|".join(fields)
    return OpenApiParameter(
        "fields",
        str,
        pattern=f"^({names})(,({names}))*$",
        description=f"comma-separated fields to return (default: all): {', '.join(fields)}",
    )


def _errors() -> dict:
    error = OpenApiResponse(schemas.ErrorResponse, description="Refused; `error.message` says why")
    return {code: error for code in (400, 401, 403, 404, 415, 429, 500, 503)}


def _doc(operation_id: str, request, data, fields: dict | None, summary: str):
    return extend_schema(
        operation_id=operation_id,
        summary=summary,
        tags=["research"],
        request=request,
        parameters=[_fields_parameter(fields)] if fields else [],
        responses={200: schemas.envelope(f"{data.__name__}Response", data), **_errors()},
    )


class VideoQueryView(ResearchAPIView):
    """Search videos with TikTok's query language; page with `search_id` and `cursor`."""

    required_scopes = (Scope.DATA_BASIC,)
    dataset = "video"
    family = Family.VIDEOS

    @_doc("video_query", VideoQueryRequest, schemas.VideoPage, VIDEO_FIELDS, "Query videos")
    def post(self, request):
        body = self.validated(VideoQueryRequest)
        fields = fields_param(request, VIDEO_FIELDS, "videos")
        params = {
            "query": body.query.canonical(),
            "start_date": body.start_date,
            "end_date": body.end_date,
            "is_random": body.is_random,
        }
        select, positions = select_list(fields)

        def fetch(search, position, limit):
            sql, values = videos.page_sql(
                body.query,
                body.window,
                select,
                self.pseudonyms,
                snapshot=search.snapshot_at,
                seed=search.seed,
                position=position,
                limit=limit,
            )
            return keyset.run(sql, values)

        page = paging.page(
            request.user.project,
            "video_query",
            params,
            cursor=body.cursor,
            max_count=self.allowance(body.max_count),
            fetch=fetch,
            key=keyset.row_position,
            search_id=body.search_id,
            by_search_id=True,
            random=body.is_random,
        )
        items = Renderer(self.pseudonyms, fields, positions).render(page.rows)
        data_as_of = self.conclude(
            "video/query",
            len(items),
            page,
            search_id=str(page.search.id),
            fingerprint=page.search.fingerprint,
            cursor=body.cursor,
        )
        return self.respond(
            {
                "videos": items,
                "cursor": page.cursor,
                "has_more": page.has_more,
                "search_id": str(page.search.id),
            },
            data_as_of,
        )


class CommentListView(ResearchAPIView):
    """All comments and replies of a video, oldest first, however many there are."""

    required_scopes = (Scope.DATA_BASIC,)
    dataset = "comment"
    family = Family.VIDEOS

    @_doc(
        "video_comment_list",
        CommentListRequest,
        schemas.CommentPage,
        COMMENT_FIELDS,
        "List a video's comments",
    )
    def post(self, request):
        body = self.validated(CommentListRequest)
        fields = fields_param(request, COMMENT_FIELDS, "comments")
        video_id = self.pseudonyms.decode("video", [int(body.video_id)])[0]
        if not video_id or not _exists(
            "catalog_video", video_id, "status = %s", [VideoStatus.PUBLIC]
        ):
            raise NotFound(
                "No public video with this video_id (ids are your project's pseudonyms)."
            )
        select, positions = select_list(fields)

        def fetch(search, position, limit):
            return keyset.fetch(
                select,
                "catalog_comment c",
                "c.video_id = %s AND c.status = %s AND c.ingested_at <= %s",
                [video_id, CommentStatus.VISIBLE, keyset.db_time(search.snapshot_at)],
                ("c.create_time", "c.id"),
                descending=False,
                position=position,
                limit=limit,
            )

        page = paging.page(
            request.user.project,
            "comment_list",
            {"video_id": video_id},
            cursor=body.cursor,
            max_count=self.allowance(body.max_count),
            fetch=fetch,
            key=keyset.row_position,
        )
        items = Renderer(self.pseudonyms, fields, positions).render(page.rows)
        data_as_of = self.conclude("video/comment/list", len(items), page, cursor=body.cursor)
        return self.respond(
            {"comments": items, "cursor": page.cursor, "has_more": page.has_more},
            data_as_of,
        )


def _exists(table: str, pk: int, condition: str, params: list) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT 1 FROM {table} WHERE id = %s AND {condition}",  # noqa: S608
            [pk, *params],
        )
        return cursor.fetchone() is not None


class UserScopedView(ResearchAPIView):
    """Endpoints about one account, named by its pseudonymous username."""

    def creator_id(self, username: str) -> int:
        creator_id = self.pseudonyms.username_ids([username])[0]
        if not creator_id or not _exists(
            "catalog_creator", creator_id, "status <> %s", [CreatorStatus.DELETED]
        ):
            raise NotFound(
                "No account with this username (usernames are your project's pseudonyms)."
            )
        return creator_id


class UserInfoView(UserScopedView):
    """An account's public profile."""

    required_scopes = (Scope.DATA_BASIC,)
    dataset = "user"
    family = Family.VIDEOS

    @_doc("user_info", UsernameRequest, schemas.UserInfo, USER_FIELDS, "Look up an account")
    def post(self, request):
        body = self.validated(UsernameRequest)
        fields = fields_param(request, USER_FIELDS, "users")
        creator_id = self.creator_id(body.username)
        select, positions = select_list(fields, offset=0)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {select} FROM catalog_creator u WHERE u.id = %s",  # noqa: S608
                [creator_id],
            )
            rows = cursor.fetchall()
        item = Renderer(self.pseudonyms, fields, positions).render(rows)[0]
        return self.respond(item, self.conclude("user/info", 1))


class _FollowListView(UserScopedView):
    required_scopes = (Scope.DATA_BASIC,)
    dataset = "follow"
    family = Family.GRAPH
    endpoint = ""
    # the edge column naming the account asked about, and the one naming the listed accounts
    anchor, listed, key = "", "", ""

    def post(self, request):
        body = self.validated(UserListRequest)
        fields = fields_param(request, FOLLOW_FIELDS, "follow edges")
        creator_id = self.creator_id(body.username)
        params, cursor = {"username": creator_id}, body.cursor
        if cursor >= TIMESTAMP_CURSOR:  # TikTok's meaning: followed on or before this time
            params["before"], cursor = cursor, 0
        select, positions = select_list(fields)

        def fetch(search, position, limit):
            condition = f"f.{self.anchor} = %s AND f.ingested_at <= %s AND u.status <> %s"
            values = [creator_id, keyset.db_time(search.snapshot_at), CreatorStatus.DELETED]
            if "before" in search.params:
                from datetime import UTC, datetime

                condition += " AND f.created_at <= %s"
                values.append(keyset.db_time(datetime.fromtimestamp(search.params["before"], UTC)))
            return keyset.fetch(
                select,
                f"catalog_follow f JOIN catalog_creator u ON u.id = f.{self.listed}",
                condition,
                values,
                ("f.created_at", "f.id"),
                descending=True,
                position=position,
                limit=limit,
            )

        page = paging.page(
            request.user.project,
            self.endpoint,
            params,
            cursor=cursor,
            max_count=self.allowance(body.max_count),
            fetch=fetch,
            key=keyset.row_position,
        )
        items = Renderer(self.pseudonyms, fields, positions).render(page.rows)
        data_as_of = self.conclude(self.endpoint, len(items), page, cursor=body.cursor)
        return self.respond(
            {self.key: items, "cursor": page.cursor, "has_more": page.has_more}, data_as_of
        )


class FollowersView(_FollowListView):
    """Every account that follows this one, most recent first; the list is complete."""

    endpoint, anchor, listed, key = "user/followers", "followee_id", "follower_id", "user_followers"

    @_doc(
        "user_followers",
        UserListRequest,
        schemas.FollowerPage,
        FOLLOW_FIELDS,
        "List an account's followers",
    )
    def post(self, request):
        return super().post(request)


class FollowingView(_FollowListView):
    """Every account this one follows, most recent first; the list is complete."""

    endpoint, anchor, listed, key = "user/following", "follower_id", "followee_id", "user_following"

    @_doc(
        "user_following",
        UserListRequest,
        schemas.FollowingPage,
        FOLLOW_FIELDS,
        "List the accounts an account follows",
    )
    def post(self, request):
        return super().post(request)


class _EngagementListView(UserScopedView):
    required_scopes = (Scope.DATA_BASIC,)
    dataset = "video"
    family = Family.VIDEOS
    endpoint, kind, key = "", "", ""

    def post(self, request):
        body = self.validated(UserListRequest)
        fields = fields_param(request, VIDEO_FIELDS, "videos")
        creator_id = self.creator_id(body.username)
        select, positions = select_list(fields)

        def fetch(search, position, limit):
            return keyset.fetch(
                select,
                "catalog_engagement e JOIN catalog_video v ON v.id = e.video_id",
                "e.creator_id = %s AND e.kind = %s AND v.status = %s AND e.ingested_at <= %s",
                [creator_id, self.kind, VideoStatus.PUBLIC, keyset.db_time(search.snapshot_at)],
                ("e.created_at", "e.id"),
                descending=True,
                position=position,
                limit=limit,
            )

        page = paging.page(
            request.user.project,
            self.endpoint,
            {"username": creator_id},
            cursor=body.cursor,
            max_count=self.allowance(body.max_count),
            fetch=fetch,
            key=keyset.row_position,
        )
        items = Renderer(self.pseudonyms, fields, positions).render(page.rows)
        data_as_of = self.conclude(self.endpoint, len(items), page, cursor=body.cursor)
        return self.respond(
            {self.key: items, "cursor": page.cursor, "has_more": page.has_more}, data_as_of
        )


class LikedVideosView(_EngagementListView):
    """Public videos this account liked, most recent like first."""

    endpoint, kind, key = "user/liked_videos", "like", "user_liked_videos"

    @_doc(
        "user_liked_videos",
        UserListRequest,
        schemas.LikedPage,
        VIDEO_FIELDS,
        "List the videos an account liked",
    )
    def post(self, request):
        return super().post(request)


class RepostedVideosView(_EngagementListView):
    """Public videos this account reposted, most recent first."""

    endpoint, kind, key = "user/reposted_videos", "repost", "user_reposted_videos"

    @_doc(
        "user_reposted_videos",
        UserListRequest,
        schemas.RepostedPage,
        VIDEO_FIELDS,
        "List the videos an account reposted",
    )
    def post(self, request):
        return super().post(request)


class PinnedVideosView(UserScopedView):
    """The public videos pinned to this account's profile."""

    required_scopes = (Scope.DATA_BASIC,)
    dataset = "video"
    family = Family.VIDEOS

    @_doc(
        "user_pinned_videos",
        PinnedRequest,
        schemas.PinnedList,
        VIDEO_FIELDS,
        "List the videos pinned to an account's profile",
    )
    def post(self, request):
        body = self.validated(PinnedRequest)
        fields = fields_param(request, VIDEO_FIELDS, "videos")
        creator_id = self.creator_id(body.username)
        select, positions = select_list(fields)
        rows = keyset.fetch(
            select,
            "catalog_engagement e JOIN catalog_video v ON v.id = e.video_id",
            "e.creator_id = %s AND e.kind = %s AND v.status = %s",
            [creator_id, "pin", VideoStatus.PUBLIC],
            ("e.created_at", "e.id"),
            descending=True,
            position=None,
            limit=self.allowance(100),
        )
        items = Renderer(self.pseudonyms, fields, positions).render(rows)
        data_as_of = self.conclude("user/pinned_videos", len(items))
        return self.respond({"pinned_videos_list": items}, data_as_of)


class CatalogueView(APIView):
    """The codebook: every resource and field, with type, meaning, anonymisation and
    coverage, the scopes, and a changelog. Public: it is documentation."""

    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="catalogue",
        request=None,
        tags=["research"],
        auth=[],
        responses={200: OpenApiResponse(description="The codebook, in the envelope")},
    )
    def get(self, request):
        return HttpResponse(
            orjson.dumps(envelope(codebook.as_json(), log_id=log_id_of(request))),
            content_type="application/json",
        )


class UsageView(ResearchAPIView):
    """Your project's use of its daily quotas today, per endpoint family, its limits, and the
    last 30 days. Not charged to any quota."""

    @extend_schema(
        operation_id="usage",
        request=None,
        tags=["project"],
        responses={200: schemas.envelope("UsageResponse", schemas.Usage), **_errors()},
    )
    def get(self, request):
        return self.respond(usage_selectors.usage_of(request.user.project))


class ProjectInfoView(ResearchAPIView):
    """What your project was granted: scopes, datasets, daily quotas and access window."""

    @extend_schema(
        operation_id="project_info",
        request=None,
        tags=["project"],
        responses={
            200: OpenApiResponse(
                inline_serializer(
                    "ProjectInfoResponse",
                    {
                        "data": inline_serializer(
                            "ProjectInfoData",
                            {
                                "project": inline_serializer(
                                    "ProjectInfo",
                                    {
                                        "id": serializers.UUIDField(),
                                        "title": serializers.CharField(),
                                        "kind": serializers.ChoiceField(["researcher", "auditor"]),
                                        "status": serializers.CharField(),
                                        "scopes": serializers.ListField(
                                            child=serializers.CharField()
                                        ),
                                        "datasets": serializers.ListField(
                                            child=serializers.CharField()
                                        ),
                                        **{
                                            name: serializers.IntegerField()
                                            for name in QUOTA_FIELDS
                                        },
                                        "access_start": serializers.DateField(),
                                        "access_end": serializers.DateField(),
                                    },
                                )
                            },
                        )
                    },
                ),
                description="The project of the calling token.",
            ),
            **_errors(),
        },
    )
    def post(self, request):
        project = request.user.project
        return self.respond(
            {
                "project": {
                    "id": str(project.id),
                    "title": project.title,
                    "kind": project.kind,
                    "status": project.status,
                    "scopes": sorted(request.user.scopes),
                    "datasets": project.datasets,
                    **{name: getattr(project, name) for name in QUOTA_FIELDS},
                    "access_start": project.access_start.isoformat(),
                    "access_end": project.access_end.isoformat(),
                }
            }
        )
