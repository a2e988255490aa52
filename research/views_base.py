"""What every research endpoint shares: project-token authentication, a scope per endpoint,
the datasets the project was granted, request validation, the audit of every read and
TikTok's response envelope. Subclass ResearchAPIView; answer with `respond()`."""

from datetime import datetime

import orjson
from django.http import HttpResponse
from pydantic import BaseModel, ValidationError
from rest_framework import permissions
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import JSONParser
from rest_framework.views import APIView

from accounts.oauth import ProjectTokenAuthentication
from audit import events
from audit.services import entry as audit_entry
from audit.services import record_now
from quotas.services import Meter, RateLimited
from research import settlement
from research.pseudonyms import Pseudonyms
from research_api import validation
from research_api.errors import InvalidParams, envelope, log_id_of


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
    dataset: str | None = None  # the dataset a project must have been granted

    family: str | None = None  # the quota family an endpoint is metered in
    meter = None
    denial = None

    def dispatch(self, request, *args, **kwargs):
        # A request reads without a transaction and writes once, at its end (conclude): its
        # search, bookmark, quota charge and audit entry are saved together or not at all,
        # so a request that fails on the way costs nothing.
        response = super().dispatch(request, *args, **kwargs)
        if self.denial is not None:
            caller = request.user
            record_now(
                events.QUOTA_DENIED,
                actor_label="client",
                project=caller.project,
                client_id=caller.client_id,
                target=self.family,
                details={"limit": self.denial.name, "quota": self.denial.quota},
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

    def allowance(self, wanted: int) -> int:
        """How many records this request may return (its page is cut to the quota left)."""
        return self.meter.records_allowed(wanted) if self.meter is not None else wanted

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if self.dataset and self.dataset not in request.user.project.datasets:
            raise PermissionDenied(f"Your project was not granted the {self.dataset} dataset.")
        if self.family is not None:
            caller = request.user
            self.meter = Meter(
                caller.project, self.family, caller.client_id, caller.now, caller.standing
            )
            self.meter.refuse_if_used_up()

    @property
    def pseudonyms(self) -> Pseudonyms:
        return self.request.user.pseudonyms

    def validated(self, model: type[BaseModel]):
        data = self.request.data
        if not isinstance(data, dict):
            raise InvalidParams("The request body must be a JSON object.")
        try:
            return model.model_validate(data)
        except ValidationError as error:
            raise InvalidParams(
                "; ".join(
                    f"{path}: {reason}" if path else reason
                    for path, reason in validation.describe(error)
                )
            ) from None

    def conclude(self, endpoint: str, records: int, page=None, **details):
        """Charge the read to the project's quota, save the page's search and bookmark and
        record the read in the audit log, together (research.settlement); return the data
        snapshot the answer reflects."""
        caller = self.request.user
        entry = audit_entry(
            events.DATA_READ,
            actor_label="client",
            project=caller.project,
            client_id=caller.client_id,
            target=endpoint,
            details={"records": records, **details},
        )
        return settlement.conclude(entry, meter=self.meter, records=records, page=page)

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
