"""Django's own error pages (400, 403, 404, 500, CSRF) as JSON in the API's envelope on API
paths, and as HTML for the portal and the admin."""

from django.views.decorators.csrf import csrf_exempt

from core.errors import ErrorCode, error_response

API_PATH_PREFIXES = ("/v2/", "/healthz")


def is_api_path(path: str) -> bool:
    return path.startswith(API_PATH_PREFIXES)


def json_error_view(status: int, code: ErrorCode, message: str, html_view):
    """Build a Django handlerNNN that answers JSON on API paths and HTML elsewhere."""

    def view(request, exception=None):
        if is_api_path(request.path):
            return error_response(request, code, message, status)
        return html_view(request, exception) if status != 500 else html_view(request)

    return view


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: JSON on API paths (API clients use tokens, not cookies)."""
    if is_api_path(request.path):
        return error_response(
            request, ErrorCode.PERMISSION_DENIED, f"CSRF check failed: {reason}", 403
        )
    from django.views.csrf import csrf_failure as html_csrf_failure

    return html_csrf_failure(request, reason)


@csrf_exempt  # API clients send tokens, not cookies: the answer is 404 whatever the method
def api_not_found(request, path=""):
    """The last route under /v2/: an unknown API path is answered in the envelope even with
    DEBUG on, where Django would otherwise show its HTML debug page instead of handler404."""
    return error_response(
        request, ErrorCode.NOT_FOUND, "No such endpoint. See /docs/ for the API.", 404
    )
