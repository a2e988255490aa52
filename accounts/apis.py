"""POST /v2/oauth/token/: client credentials, in TikTok's form as well as standard OAuth."""

import base64
import binascii
from urllib.parse import unquote

import orjson
from django.core.exceptions import RequestDataTooBig
from django.db import transaction
from django.http import HttpResponse, QueryDict
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from oauth2_provider.models import Application
from oauth2_provider.oauth2_backends import get_oauthlib_core

from accounts import throttling
from accounts.oauth import project_of_application
from audit import events
from audit.services import count_refusal, record
from core.addresses import client_address
from core.errors import log_id_of


def _oauth_error(request, error: str, description: str, status: int = 400) -> HttpResponse:
    body = {"error": error, "error_description": description, "log_id": log_id_of(request)}
    return HttpResponse(orjson.dumps(body), status=status, content_type="application/json")


@method_decorator(csrf_exempt, name="dispatch")
class TokenView(View):
    """Trade a project's client key and secret for a bearer token (expires in 7200 s).

    Accepts `client_key` (TikTok) or `client_id` with `client_secret` in the form, or HTTP
    Basic; only `grant_type=client_credentials`. Errors use TikTok's OAuth shape:
    {"error", "error_description", "log_id"}.
    """

    http_method_names = ["post"]

    def http_method_not_allowed(self, request, *args, **kwargs):
        response = _oauth_error(request, "invalid_request", "Use POST.", 405)
        response["Allow"] = "POST"
        return response

    def post(self, request):
        try:
            form = _form_of(request)
        except RequestDataTooBig:
            return _oauth_error(request, "invalid_request", "The request body is too large.", 413)
        if form is None:
            return _oauth_error(
                request,
                "invalid_request",
                "Send the parameters as a form (application/x-www-form-"
                "urlencoded) or as a JSON object of strings.",
            )
        for name, values in form.lists():
            if any(len(v) > MAX_PARAMETER or not v.isprintable() for v in values):
                return _oauth_error(
                    request,
                    "invalid_request",
                    f"{name[:40]!r} holds characters or a length no key, secret or grant has.",
                )
        basic = _basic_client_id(request)
        named = form.get("client_key") or form.get("client_id")
        if basic and named and basic != named:
            return _oauth_error(
                request,
                "invalid_request",
                "HTTP Basic and the form name different clients: send the client once.",
            )
        if "client_key" in form:
            if "client_id" in form and form["client_id"] != form["client_key"]:
                return _oauth_error(
                    request, "invalid_request", "client_key and client_id disagree."
                )
            form["client_id"] = form.pop("client_key")[-1]
        grant_type = form.get("grant_type")
        if grant_type != "client_credentials":
            return _oauth_error(
                request,
                "unsupported_grant_type",
                "Only grant_type=client_credentials is supported."
                if grant_type
                else "grant_type is required (client_credentials).",
            )
        client_key = form.get("client_id") or basic or ""
        application = (
            Application.objects.filter(client_id=client_key).first() if client_key else None
        )
        address = client_address(request)
        throttle = throttling.token_failures(
            address, client_key if application is not None else None
        )
        wait = throttle.wait_seconds()
        if wait is not None:
            count_refusal(events.TOKEN_REFUSED, "throttled")
            response = _oauth_error(
                request,
                "rate_limit_exceeded",
                "Too many failed token requests from this address or for this client: "
                f"try again in {wait} s.",
                429,
            )
            response["Retry-After"] = str(wait)
            return response
        core = get_oauthlib_core()
        with transaction.atomic():
            # DOT's own request plumbing (HTTP Basic included), with the translated form.
            _, body, status = core.server.create_token_response(
                request.build_absolute_uri(),
                "POST",
                form.urlencode(),
                core.extract_headers(request),
                None,
            )
            payload = orjson.loads(body) if body else {}
            error = payload.get("error", "")
            if status == 200 or error in REFUSED_AFTER_AUTHENTICATION:
                # The client proved who it is: the issue, or the refusal, goes on the record.
                _record(application, client_key, status, payload, address)
        if status != 200 and error not in REFUSED_AFTER_AUTHENTICATION:
            # Nobody proved anything: counted, not recorded (anyone can send these), and a
            # wrong key or secret is throttled.
            if error == "invalid_client":
                throttle.count()
            count_refusal(events.TOKEN_REFUSED, error or "invalid_request")
        if status != 200:
            return _oauth_error(
                request,
                error or "invalid_request",
                payload.get("error_description")
                or _DESCRIPTIONS.get(error, "The request was refused."),
                status,
            )
        response = HttpResponse(
            orjson.dumps(
                {
                    "access_token": payload["access_token"],
                    "expires_in": payload["expires_in"],
                    "token_type": "Bearer",
                    "scope": payload.get("scope", ""),
                }
            ),
            content_type="application/json",
        )
        response["Cache-Control"] = "no-store"
        return response


def _record(application, client_id: str, status: int, payload: dict, address: str):
    project = project_of_application(application) if application else None
    if status == 200:
        record(
            events.TOKEN_ISSUED,
            actor_label="client",
            project=project,
            client_id=client_id,
            target=f"client:{client_id}",
            details={"scope": payload.get("scope", "")},
        )
    else:
        record(
            events.TOKEN_REFUSED,
            actor_label="client",
            project=project,
            client_id=client_id,
            target=f"client:{client_id}",
            details={"error": payload.get("error", ""), "ip": address},
        )


# Errors oauthlib gives only once the client has authenticated.
REFUSED_AFTER_AUTHENTICATION = {"access_denied", "invalid_scope", "unauthorized_client"}
MAX_PARAMETER = 500  # longer than any key, secret, grant type or scope list


def _basic_client_id(request) -> str | None:
    """The client an `Authorization: Basic` header names, if any."""
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if not header.lower().startswith("basic "):
        return None
    try:
        decoded = base64.b64decode(header[6:].strip(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        return None
    return unquote(decoded.split(":", 1)[0])


def _form_of(request) -> QueryDict | None:
    """The token request's parameters, from a form (urlencoded or multipart) or JSON."""
    if request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        return request.POST.copy()
    if request.content_type == "application/json":
        try:
            data = orjson.loads(request.body)
        except orjson.JSONDecodeError:
            return None
        if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
            return None
        form = QueryDict(mutable=True)
        form.update(data)
        return form
    return None


_DESCRIPTIONS = {
    "invalid_client": "Client authentication failed: check the client key and secret.",
    "invalid_scope": "A requested scope was not granted to this project.",
    "invalid_request": "The token request is malformed.",
    "unauthorized_client": "This client may not use this grant type.",
}
