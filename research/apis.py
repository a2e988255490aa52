"""Research endpoints, wire-compatible with the TikTok Research API (see docs and codebook):
one view per listing, made from its declaration (research.listings), and the project's own
endpoints (usage, project info) and the public catalogue."""

import orjson
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

import codebook
from core.errors import envelope, log_id_of
from quotas import selectors as usage_selectors
from quotas.services import QUOTA_FIELDS
from research import engine, schemas
from research.listings import LISTINGS, Listing
from research.views_base import ResearchAPIView


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


class ListingView(ResearchAPIView):
    """A research listing over HTTP: the shared path (research.engine) for `listing`."""

    listing: Listing

    def serve(self, request):
        listing = self.listing
        fields = engine.chosen_fields(listing, request.query_params.get("fields"))
        data, data_as_of = engine.answer(listing, request.user, self.body(), fields, self.meter)
        return self.respond(data, data_as_of)


def listing_view(listing: Listing) -> type[ListingView]:
    """The view of one listing, documented in the OpenAPI schema from its declaration."""

    @_doc(
        listing.operation_id,
        listing.request,
        schemas.answer_model(listing),
        listing.fields,
        listing.summary,
    )
    def post(self, request):
        return self.serve(request)

    name = "".join(part.title() for part in listing.operation_id.split("_")) + "View"
    return type(
        name,
        (ListingView,),
        {
            "__doc__": listing.description,
            "__module__": __name__,
            "listing": listing,
            "required_scopes": (listing.scope,),
            "dataset": listing.dataset,
            "family": listing.family,
            "post": post,
        },
    )


LISTING_VIEWS = {listing.path: listing_view(listing) for listing in LISTINGS}


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
