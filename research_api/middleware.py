import secrets
from datetime import UTC, datetime

from django.conf import settings


def new_log_id() -> str:
    # TikTok-style: UTC timestamp then random hex; sortable and quotable in support requests.
    return datetime.now(UTC).strftime("%Y%m%d%H%M%S") + secrets.token_hex(9).upper()


class LogIdMiddleware:
    """Give every request a log_id, echoed in the error envelope and the X-Log-Id header."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.log_id = new_log_id()
        response = self.get_response(request)
        response["X-Log-Id"] = request.log_id
        return response


class PermissionsPolicyMiddleware:
    """Deny every response, and anything it embeds, the browser features in
    settings.PERMISSIONS_POLICY_DENIED."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = ", ".join(f"{feature}=()" for feature in settings.PERMISSIONS_POLICY_DENIED)

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.header)
        return response
