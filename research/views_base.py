"""What every research endpoint shares: project-token authentication, a scope per endpoint
and TikTok's response envelope. Subclass ResearchAPIView; answer with `respond()`."""

import orjson
from django.http import HttpResponse
from rest_framework import permissions
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import JSONParser
from rest_framework.views import APIView

from accounts.oauth import ProjectTokenAuthentication
from research_api.errors import envelope, log_id_of


class HasEndpointScope(permissions.BasePermission):
    """The caller's token carries every scope in the view's `required_scopes`."""

    def has_permission(self, request, view):
        caller = request.user
        if caller is None or not getattr(caller, "is_authenticated", False):
            return False
        missing = [scope for scope in view.required_scopes if not caller.has_scope(scope)]
        if missing:
            raise PermissionDenied(
                f"This endpoint needs the scope {', '.join(missing)}; your token carries "
                f"{', '.join(sorted(caller.scopes)) or 'no scopes'}."
            )
        return True


class ResearchAPIView(APIView):
    authentication_classes = [ProjectTokenAuthentication]
    permission_classes = [HasEndpointScope]
    parser_classes = [JSONParser]
    required_scopes: tuple[str, ...] = ()

    def respond(self, data: dict, status: int = 200) -> HttpResponse:
        body = orjson.dumps(envelope(data, log_id=log_id_of(self.request)))
        return HttpResponse(body, status=status, content_type="application/json")
