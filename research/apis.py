"""Research endpoints, wire-compatible with the TikTok Research API (see docs and codebook):
one view per listing, made from its declaration (research.listings), and the project's own
endpoints (usage, project info) and the public catalogue."""

import re

import orjson
from django.http import HttpResponse
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    inline_serializer,
)
from rest_framework import serializers
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView

import codebook
from accounts.services.projects import compliance_synced
from codebook.scopes import Scope
from core.errors import InvalidParams, PayloadTooLarge, envelope, log_id_of
from quotas import selectors as usage_selectors
from quotas.models import Family
from quotas.services import QUOTA_FIELDS
from research import engine, schemas, statistics, validation
from research.listings import LISTINGS, Listing
from research.statistics import StatsRequest
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
    return {code: error for code in (400, 401, 403, 404, 413, 415, 429, 500, 503)}


def _doc(operation_id: str, request, data, fields: dict | None, summary: str, query=None):
    parameters = [_fields_parameter(fields)] if fields else []
    if query is not None:  # a GET listing's request is its query string
        parameters += [
            OpenApiParameter(
                name, str, required=field.is_required(), description=field.description or ""
            )
            for name, field in query.model_fields.items()
        ]
    return extend_schema(
        operation_id=operation_id,
        summary=summary,
        tags=["research"],
        request=request,
        parameters=parameters,
        responses={200: schemas.envelope(f"{data.__name__}Response", data), **_errors()},
    )


class ListingView(ResearchAPIView):
    """A research listing over HTTP: the shared path (research.engine) for `listing`."""

    listing: Listing

    def serve(self, request):
        listing = self.listing
        fields = engine.chosen_fields(listing, request.query_params.get("fields"))
        if listing.method == "GET":
            body = {k: v for k, v in request.query_params.items() if k != "fields"}
        else:
            body = self.body()
        data, data_as_of = engine.answer(listing, request.user, body, fields, self.meter)
        if listing.syncs_compliance and not data.get("has_more"):
            compliance_synced(request.user.project, request.user.now)
        return self.respond(data, data_as_of)


def listing_view(listing: Listing) -> type[ListingView]:
    """The view of one listing, documented in the OpenAPI schema from its declaration."""
    get = listing.method == "GET"
    document = _doc(
        listing.operation_id,
        None if get else listing.request,
        schemas.answer_model(listing),
        listing.fields,
        listing.summary,
        query=listing.request if get else None,
    )

    @document
    def handle(self, request):
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
            "reads_data": not listing.syncs_compliance,
            listing.method.lower(): handle,
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


class StatsView(ResearchAPIView):
    """Aggregate moderation statistics: group decisions by up to three dimensions and a
    period, with the metrics of a transparency report, exact with small cells suppressed, or
    differentially private (charged to your project's privacy budget). Each metric's
    definition is in the catalogue and the codebook."""

    required_scopes = (Scope.STATS,)
    family = Family.VIDEOS

    @extend_schema(
        operation_id="moderation_stats",
        summary="Moderation statistics, privacy-protected",
        tags=["research"],
        request=StatsRequest,
        responses={200: schemas.envelope("StatsResponse", schemas.StatsAnswer), **_errors()},
    )
    def post(self, request):
        data, data_as_of = statistics.answer(request.user, self.body(), self.meter)
        return self.respond(data, data_as_of)


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


_ID = re.compile(r"^[1-9]\d{0,18}$")
MAX_VALIDATION_IDS = 10_000
MAX_VALIDATION_BYTES = 1_000_000


class ValidationTaskCreateView(ResearchAPIView):
    """TikTok's batch compliance: upload a text file of up to 10,000 video or comment ids
    (`file_data`, one per line or separated by commas) and their `category`; which are still
    available is known at once (POST /v2/research/validation_task_status/get/)."""

    required_scopes = (Scope.COMPLIANCE,)
    dataset = "deletion"
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        operation_id="validation_task_create",
        summary="Check a file of ids against deletions (batch compliance)",
        tags=["compliance"],
        request={
            "multipart/form-data": {
                "type": "object",
                "properties": {
                    "file_data": {"type": "string", "format": "binary"},
                    "category": {"type": "string", "enum": ["video", "comment"]},
                },
                "required": ["file_data", "category"],
            }
        },
        responses={
            200: schemas.envelope("ValidationTaskCreated", schemas.ValidationTaskId),
            **_errors(),
        },
    )
    def post(self, request):
        category = request.data.get("category", "")
        if category not in ("video", "comment"):
            raise InvalidParams(f"category must be video or comment, got {category!r}.")
        upload = request.FILES.get("file_data")
        if upload is None:
            raise InvalidParams("file_data is missing: send the ids as a file (multipart).")
        if upload.size > MAX_VALIDATION_BYTES:
            raise PayloadTooLarge(f"file_data is larger than {MAX_VALIDATION_BYTES:,} bytes.")
        ids = _ids_of(upload.read())
        task = validation.validate(request.user, category, ids)
        compliance_synced(request.user.project, request.user.now)
        return self.respond({"task_id": task.id})


def _ids_of(raw: bytes) -> list[int]:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidParams("file_data must be UTF-8 text: ids, one per line.") from None
    ids = []
    for number, line in enumerate(text.splitlines(), start=1):
        for token in line.replace(",", " ").split():
            if not _ID.match(token):
                raise InvalidParams(f"file_data line {number}: {token[:30]!r} is not an id.")
            ids.append(int(token))
    ids = list(dict.fromkeys(ids))
    if not ids:
        raise InvalidParams("file_data holds no ids.")
    if len(ids) > MAX_VALIDATION_IDS:
        raise InvalidParams(f"file_data holds {len(ids):,} ids; at most {MAX_VALIDATION_IDS:,}.")
    return ids


class ValidationTaskStatusView(ResearchAPIView):
    """A batch compliance task's result: which of its ids are still available."""

    required_scopes = (Scope.COMPLIANCE,)
    dataset = "deletion"

    @extend_schema(
        operation_id="validation_task_status",
        summary="Get a batch compliance task's result",
        tags=["compliance"],
        request=schemas.ValidationTaskId,
        responses={
            200: schemas.envelope("ValidationTaskStatus", schemas.ValidationTaskResult),
            **_errors(),
        },
    )
    def post(self, request):
        body = engine.validated(schemas.ValidationTaskId, self.body())
        task = validation.of_project(request.user.project, body.task_id)
        return self.respond(
            {
                "task_id": task.id,
                "status": task.status,
                "category": task.category,
                "total_ids": task.total,
                "valid_ids": task.valid_ids,
                "invalid_ids": task.invalid_ids,
            }
        )
