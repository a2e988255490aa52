"""What every research endpoint shares: project-token authentication, a scope per endpoint,
the datasets the project was granted, the quota meter, the JSON body whatever its content
type (as TikTok reads it), the audit of refusals and TikTok's response envelope. Subclass
ResearchAPIView; answer with `respond()`."""

from datetime import datetime

import orjson
from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponse
from rest_framework import authentication, exceptions, permissions
from rest_framework.views import APIView

from audit import events
from audit.services import record_now
from core.errors import (
    AccessTokenInvalid,
    ComplianceSyncOverdue,
    DatasetNotGranted,
    InvalidParams,
    PayloadTooLarge,
    RateLimited,
    ScopeNotAuthorized,
    envelope,
    log_id_of,
)
from quotas.services import Meter
from research import auth


class ProjectTokenAuthentication(authentication.BaseAuthentication):
    """Bearer tokens of project clients, checked on every request (research.auth)."""

    def authenticate(self, request):
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if not header:
            return None
        try:
            return auth.authenticate(auth.bearer_token(header)), None
        except AccessTokenInvalid as refused:  # DRF's own kind, so it settles request.user
            raise exceptions.AuthenticationFailed(refused.message) from None

    def authenticate_header(self, request):
        return 'Bearer realm="research-api"'


class HasEndpointScope(permissions.BasePermission):
    """The caller's token carries every scope in the view's `required_scopes`."""

    def has_permission(self, request, view):
        caller = request.user
        if caller is None or not getattr(caller, "is_authenticated", False):
            return False
        missing = [scope for scope in view.required_scopes if not caller.has_scope(scope)]
        if missing:
            raise ScopeNotAuthorized(
                f"This endpoint needs the scope {', '.join(missing)}; your token carries "
                f"{', '.join(sorted(caller.scopes)) or 'no scopes'}."
            )
        return True


def check_compliance(caller):
    """Refuse data to a project whose compliance sync is overdue past its grace."""
    pause = caller.project.compliance_pause(caller.now)
    if pause:
        raise ComplianceSyncOverdue(f"Data requests are paused: {pause}.")


class ResearchAPIView(APIView):
    authentication_classes = [ProjectTokenAuthentication]
    permission_classes = [HasEndpointScope]
    required_scopes: tuple[str, ...] = ()
    dataset: str | None = None  # the dataset a project must have been granted
    family: str | None = None  # the quota family an endpoint is metered in
    reads_data = False  # paused while the project's compliance sync is overdue
    meter = None
    denial = None

    def dispatch(self, request, *args, **kwargs):
        # A request reads without a transaction and writes once, at its end (research.
        # settlement): its search, bookmark, quota charge and audit entry are saved together
        # or not at all, so a request that fails on the way costs nothing.
        response = super().dispatch(request, *args, **kwargs)
        if self.denial is not None:
            caller = request.user
            record_now(
                events.QUOTA_DENIED,
                actor_label="client",
                project=caller.project,
                client_id=caller.client_id,
                target=self.family or request.path,
                details={
                    "limit": getattr(self.denial, "name", self.denial),
                    "quota": getattr(self.denial, "quota", None),
                },
            )
        return response

    def handle_exception(self, exc):
        if isinstance(exc, RateLimited):
            self.denial = exc.context["limit"]
        return super().handle_exception(exc)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if self.meter is not None:
            for name, value in self.meter.headers().items():
                response[name] = value
        return response

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        caller = request.user
        if self.dataset and self.dataset not in caller.project.datasets:
            raise DatasetNotGranted(
                f"Your project was not granted the {self.dataset} dataset; a reviewer can "
                f"add it to your project's grant."
            )
        if self.reads_data:
            check_compliance(caller)
        if self.family is not None:
            self.meter = Meter(
                caller.project.id,
                caller.limits(self.family),
                self.family,
                caller.client_id,
                caller.now,
                caller.standing,
            )
            self.meter.refuse_if_used_up()

    def body(self):
        """The request body as JSON, whatever its Content-Type says (TikTok reads it so, and
        a published client sends JSON as text/plain); an empty body is an empty object."""
        try:
            raw = self.request.body
        except RequestDataTooBig:
            raise PayloadTooLarge("The request body is too large.") from None
        if not raw.strip():
            return {}
        try:
            return orjson.loads(raw)
        except orjson.JSONDecodeError as error:
            raise InvalidParams(
                f"The request body is not JSON (JSON parse error: {error})."
            ) from None

    def respond(
        self, data: dict, data_as_of: datetime | None = None, status: int = 200
    ) -> HttpResponse:
        if data_as_of is not None:
            data["data_as_of"] = data_as_of.isoformat()
        body = orjson.dumps(envelope(data, log_id=log_id_of(self.request)))
        response = HttpResponse(body, status=status, content_type="application/json")
        if data_as_of is not None:
            response["X-Data-As-Of"] = data["data_as_of"]
        return response
