"""Research endpoints."""

from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers

from research.views_base import ResearchAPIView

_PROJECT = inline_serializer(
    "ProjectInfo",
    {
        "id": serializers.UUIDField(),
        "title": serializers.CharField(),
        "kind": serializers.ChoiceField(["researcher", "auditor"]),
        "status": serializers.CharField(),
        "scopes": serializers.ListField(child=serializers.CharField()),
        "datasets": serializers.ListField(child=serializers.CharField()),
        "daily_requests": serializers.IntegerField(),
        "daily_records": serializers.IntegerField(),
        "access_start": serializers.DateField(),
        "access_end": serializers.DateField(),
    },
)


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
                    {"data": inline_serializer("ProjectInfoData", {"project": _PROJECT})},
                ),
                description="The project of the calling token.",
            )
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
                    "daily_requests": project.daily_requests,
                    "daily_records": project.daily_records,
                    "access_start": project.access_start.isoformat(),
                    "access_end": project.access_end.isoformat(),
                }
            }
        )
