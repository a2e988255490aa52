"""One error shape for the whole API: the TikTok Research API envelope.

    {"data": {}, "error": {"code": "invalid_params", "message": "...", "log_id": "..."}}

Domain code raises `ApiError` (or a subclass) with a stable code; `api_exception_handler`
renders those and every DRF exception, and research_api.error_pages renders Django's own
400/403/404/500 for API paths, so an API client never receives an HTML page.
"""

import logging
from enum import StrEnum

import orjson
from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db import OperationalError
from django.http import Http404, HttpResponse
from psycopg.errors import QueryCanceled
from rest_framework import exceptions as drf

logger = logging.getLogger(__name__)


class ErrorCode(StrEnum):
    OK = "ok"
    INVALID_PARAMS = "invalid_params"
    ACCESS_TOKEN_INVALID = "access_token_invalid"  # noqa: S105 - an error code, not a secret
    SCOPE_NOT_AUTHORIZED = "scope_not_authorized"
    DATASET_NOT_GRANTED = "dataset_not_granted"
    COMPLIANCE_SYNC_OVERDUE = "compliance_sync_overdue"
    PERMISSION_DENIED = "permission_denied"
    NOT_FOUND = "not_found"
    METHOD_NOT_ALLOWED = "method_not_allowed"
    CONFLICT = "conflict"
    RATE_LIMIT_EXCEEDED = "rate_limit_exceeded"
    PRIVACY_BUDGET_EXHAUSTED = "privacy_budget_exhausted"
    QUERY_TIMEOUT = "query_timeout"
    INTERNAL_ERROR = "internal_error"


class ApiError(Exception):
    """A refusal: a stable `code`, an HTTP `status`, and a message the caller can act on.
    Services raise these too; the portal and the admin show the message, the API renders the
    envelope, the command line prints it."""

    code = ErrorCode.INTERNAL_ERROR
    status = 500

    def __init__(self, message: str, *, headers: dict[str, str] | None = None, **context):
        super().__init__(message)
        self.message = message
        self.headers = headers or {}
        self.context = context


class InvalidParams(ApiError):
    """The request (or a form, or a command's arguments) is malformed or incomplete."""

    code = ErrorCode.INVALID_PARAMS
    status = 400


class PayloadTooLarge(ApiError):
    """The request body is larger than the service accepts."""

    code = ErrorCode.INVALID_PARAMS
    status = 413


class AccessTokenInvalid(ApiError):
    """No usable access token: missing, malformed, expired, or its project may not read."""

    code = ErrorCode.ACCESS_TOKEN_INVALID
    status = 401

    def __init__(self, message: str, **context):
        super().__init__(
            message, headers={"WWW-Authenticate": 'Bearer realm="research-api"'}, **context
        )


class ScopeNotAuthorized(ApiError):
    """The token does not carry the scope the endpoint needs."""

    code = ErrorCode.SCOPE_NOT_AUTHORIZED
    status = 403


class DatasetNotGranted(ApiError):
    """The project was not granted the dataset the endpoint reads."""

    code = ErrorCode.DATASET_NOT_GRANTED
    status = 403


class ComplianceSyncOverdue(ApiError):
    """The project must sync its copies with the deletions before it reads more data."""

    code = ErrorCode.COMPLIANCE_SYNC_OVERDUE
    status = 403


class NotAllowed(ApiError):
    """This person may not do this (to this object)."""

    code = ErrorCode.PERMISSION_DENIED
    status = 403


class NotFound(ApiError):
    """No such thing, or not the caller's: the two look the same."""

    code = ErrorCode.NOT_FOUND
    status = 404


class Conflict(ApiError):
    """Refused in the object's current state (a decided application, a revoked project)."""

    code = ErrorCode.CONFLICT
    status = 409


class RateLimited(ApiError):
    """A quota or the burst limit is used up; `context["limit"]` names which."""

    code = ErrorCode.RATE_LIMIT_EXCEEDED
    status = 429


class PrivacyBudgetExhausted(ApiError):
    """A differentially private answer would spend more than the project's budget left."""

    code = ErrorCode.PRIVACY_BUDGET_EXHAUSTED
    status = 403


def _timed_out(exc) -> bool:
    return isinstance(exc, OperationalError) and isinstance(exc.__cause__, QueryCanceled)


def log_id_of(request) -> str:
    return getattr(request, "log_id", "") if request is not None else ""


def envelope(data, *, log_id: str, code: ErrorCode = ErrorCode.OK, message: str = "") -> dict:
    return {"data": data, "error": {"code": str(code), "message": message, "log_id": log_id}}


def error_response(
    request, code: ErrorCode, message: str, status: int, headers: dict | None = None
) -> HttpResponse:
    body = orjson.dumps(envelope({}, log_id=log_id_of(request), code=code, message=message))
    response = HttpResponse(body, status=status, content_type="application/json")
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def flatten_validation_detail(detail, prefix: str = "") -> list[str]:
    """Turn DRF's nested error detail into 'field: reason' strings a researcher can act on."""
    if isinstance(detail, dict):
        messages = []
        for key, value in detail.items():
            name = key if key != "non_field_errors" else ""
            path = f"{prefix}.{name}" if prefix and name else (prefix or name)
            messages.extend(flatten_validation_detail(value, path))
        return messages
    if isinstance(detail, list):
        messages = []
        for index, value in enumerate(detail):
            nested = isinstance(value, dict | list)
            path = f"{prefix}[{index}]" if nested else prefix
            messages.extend(flatten_validation_detail(value, path))
        return messages
    return [f"{prefix}: {detail}" if prefix else str(detail)]


_DRF_CODES = (
    (drf.ValidationError, ErrorCode.INVALID_PARAMS, 400),
    (drf.ParseError, ErrorCode.INVALID_PARAMS, 400),
    (drf.UnsupportedMediaType, ErrorCode.INVALID_PARAMS, 415),
    (drf.NotAcceptable, ErrorCode.INVALID_PARAMS, 406),
    (drf.NotAuthenticated, ErrorCode.ACCESS_TOKEN_INVALID, 401),
    (drf.AuthenticationFailed, ErrorCode.ACCESS_TOKEN_INVALID, 401),
    (drf.PermissionDenied, ErrorCode.PERMISSION_DENIED, 403),
    (drf.NotFound, ErrorCode.NOT_FOUND, 404),
    (drf.MethodNotAllowed, ErrorCode.METHOD_NOT_ALLOWED, 405),
    (drf.Throttled, ErrorCode.RATE_LIMIT_EXCEEDED, 429),
)


def api_exception_handler(exc, context):
    """DRF's EXCEPTION_HANDLER: every exception raised in an API view ends here."""
    request = context.get("request")
    if isinstance(exc, ApiError):
        return error_response(request, exc.code, exc.message, exc.status, exc.headers)
    if _timed_out(exc):
        return error_response(
            request,
            ErrorCode.QUERY_TIMEOUT,
            f"The query ran longer than {settings.RESEARCH_API_QUERY_TIMEOUT_SECONDS} s and was "
            "cancelled; it was not charged to your quota. Narrow the date window or the "
            "conditions, or ask for fewer records per page.",
            503,
            {"Retry-After": "1"},
        )
    if isinstance(exc, Http404):
        return error_response(request, ErrorCode.NOT_FOUND, "Not found.", 404)
    if isinstance(exc, DjangoPermissionDenied):
        return error_response(request, ErrorCode.PERMISSION_DENIED, "Permission denied.", 403)
    for exc_class, code, status in _DRF_CODES:
        if isinstance(exc, exc_class):
            if isinstance(exc, drf.ValidationError):
                message = "; ".join(flatten_validation_detail(exc.detail))
            else:
                message = str(exc.detail)
            headers = {}
            if getattr(exc, "wait", None) is not None:
                headers["Retry-After"] = str(int(exc.wait))
            if getattr(exc, "auth_header", None):
                headers["WWW-Authenticate"] = exc.auth_header
            return error_response(request, code, message, status, headers)
    logger.exception("unhandled error in API view (log_id=%s)", log_id_of(request))
    return error_response(
        request,
        ErrorCode.INTERNAL_ERROR,
        "The server failed to answer this request; it was not charged to your quota. "
        "Quote the log_id if you report it.",
        500,
    )
