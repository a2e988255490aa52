"""The export endpoints: create and list (POST/GET /v2/research/export/), one export's status
and files, cancellation, and the downloads its signed links point to."""

import re

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView

from codebook.scopes import Scope
from core.addresses import client_address
from core.errors import InvalidParams
from exports import services
from exports.models import Export
from exports.schemas import ExportAnswer, ExportList
from research.schemas import ErrorResponse, envelope
from research.views_base import ResearchAPIView

_ERRORS = {
    code: OpenApiResponse(ErrorResponse, description="Refused; `error.message` says why")
    for code in (400, 401, 403, 404, 409, 429, 500)
}


def render(request, export: Export) -> dict:
    now = timezone.now()
    files = []
    for file in export.files.all():
        path, expires_at = services.link(file, now)
        files.append(
            {
                "name": file.name,
                "size": file.size,
                "rows": file.rows,
                "sha256": file.sha256,
                "url": request.build_absolute_uri(path),
                "url_expires_at": expires_at.isoformat(),
            }
        )
    stamp = {
        name: value.isoformat() if value else None
        for name in ("created_at", "started_at", "finished_at", "expires_at")
        for value in [getattr(export, name)]
    }
    return {
        "id": str(export.id),
        "resource": export.resource,
        "format": export.format,
        "status": export.status,
        "fields": export.fields,
        "query": export.request,
        "reserved_records": export.reserved_records,
        "rows_written": export.rows_written,
        "estimated_total": export.estimated_total,
        "truncated": export.truncated,
        "error": export.error,
        **stamp,
        "files": files,
    }


class ExportsView(ResearchAPIView):
    """Create an export (202: it runs in the background), or list your project's exports."""

    required_scopes = (Scope.EXPORT,)

    @extend_schema(
        operation_id="export_create",
        summary="Export a search to CSV, JSON Lines or Parquet",
        tags=["exports"],
        request=services.ExportRequest,
        responses={202: envelope("ExportCreated", ExportAnswer), **_ERRORS},
    )
    def post(self, request):
        export = services.create(request.user, self.body())
        return self.respond({"export": render(request, export)}, status=202)

    @extend_schema(
        operation_id="export_list",
        summary="List your project's exports, newest first",
        tags=["exports"],
        request=None,
        responses={200: envelope("ExportListAnswer", ExportList), **_ERRORS},
    )
    def get(self, request):
        exports = Export.objects.filter(project=request.user.project).order_by("-created_at")
        items = [render(request, e) for e in exports.prefetch_related("files")[:100]]
        return self.respond({"exports": items})


class ExportView(ResearchAPIView):
    """One export: its status, progress and, when done, its files with signed links."""

    required_scopes = (Scope.EXPORT,)

    @extend_schema(
        operation_id="export_status",
        summary="An export's status, progress and files",
        tags=["exports"],
        request=None,
        responses={200: envelope("ExportStatus", ExportAnswer), **_ERRORS},
    )
    def get(self, request, export_id):
        export = services.of_project(request.user.project, export_id)
        return self.respond({"export": render(request, export)})


class ExportCancelView(ResearchAPIView):
    """Stop a queued or running export; its reserved records are given back."""

    required_scopes = (Scope.EXPORT,)

    @extend_schema(
        operation_id="export_cancel",
        summary="Cancel an export",
        tags=["exports"],
        request=None,
        responses={200: envelope("ExportCancelled", ExportAnswer), **_ERRORS},
    )
    def post(self, request, export_id):
        export = services.cancel(request.user, export_id)
        return self.respond({"export": render(request, export)})


_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


class ExportDownloadView(APIView):
    """A file of an export, through the signed link its status gives (no token needed: the
    link is the permission, and it expires). Answers HEAD and single byte ranges, so tools
    that read Parquet over HTTP in pieces work."""

    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="export_download",
        summary="Download an export file (signed link)",
        tags=["exports"],
        auth=[],
        parameters=[OpenApiParameter("token", str, required=True, description="from the link")],
        responses={
            (200, "application/octet-stream"): OpenApiResponse(description="the file"),
            (206, "application/octet-stream"): OpenApiResponse(description="a byte range"),
            **_ERRORS,
        },
    )
    def get(self, request, export_id, name):
        return self._serve(request, export_id, name)

    def head(self, request, export_id, name):
        return self._serve(request, export_id, name)

    def _serve(self, request, export_id, name):
        file = services.download(export_id, name, request.query_params.get("token", ""))
        first, last, partial = 0, file.size - 1, False
        asked = request.headers.get("Range", "")
        if asked:
            match = _RANGE.match(asked.strip())
            if not match or not (match.group(1) or match.group(2)):
                raise InvalidParams("Range must be one range of bytes, e.g. bytes=0-1023.")
            if match.group(1):
                first = int(match.group(1))
                last = min(int(match.group(2)), file.size - 1) if match.group(2) else last
            else:  # the last N bytes
                first = max(file.size - int(match.group(2)), 0)
            if first > last:
                response = HttpResponse(status=416)
                response["Content-Range"] = f"bytes */{file.size}"
                return response
            partial = True
        if request.method == "HEAD":
            response = HttpResponse()
        else:
            handle = services.storage().open(file.storage_name, "rb")
            handle.seek(first)
            response = StreamingHttpResponse(_limited(handle, last - first + 1))
            services.downloaded(file, client_address(request), asked or "all")
        response.status_code = 206 if partial else 200
        response["Content-Length"] = str(last - first + 1)
        response["Accept-Ranges"] = "bytes"
        response["Content-Type"] = _CONTENT_TYPES.get(
            file.name.rsplit(".", 1)[-1], "application/octet-stream"
        )
        response["Content-Disposition"] = f'attachment; filename="{file.name}"'
        response["ETag"] = f'"{file.sha256}"'
        response["X-Checksum-SHA256"] = file.sha256
        if partial:
            response["Content-Range"] = f"bytes {first}-{last}/{file.size}"
        return response


_CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "jsonl": "application/x-ndjson",
    "parquet": "application/vnd.apache.parquet",
}


def _limited(handle, length: int, chunk: int = 1 << 16):
    """The next `length` bytes of `handle`, in chunks, then closes it."""
    try:
        while length > 0:
            data = handle.read(min(chunk, length))
            if not data:
                break
            length -= len(data)
            yield data
    finally:
        handle.close()
