import logging
from time import perf_counter

import orjson
from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt

from core.errors import ErrorCode, error_response

logger = logging.getLogger(__name__)


@csrf_exempt  # changes nothing; must answer any client with JSON, never a CSRF page
def healthz(request):
    """Liveness and database reachability for load balancers and operators."""
    if request.method not in ("GET", "HEAD"):
        return error_response(
            request,
            ErrorCode.METHOD_NOT_ALLOWED,
            f"{request.method} is not allowed here; use GET.",
            405,
            {"Allow": "GET, HEAD"},
        )
    started = perf_counter()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        reachable = True
    except DatabaseError:
        logger.exception("health check: database unreachable")
        reachable = False
    body = {
        "status": "ok" if reachable else "unavailable",
        "database": {
            "reachable": reachable,
            "vendor": connection.vendor,
            "latency_ms": round((perf_counter() - started) * 1000, 2),
        },
    }
    response = HttpResponse(
        orjson.dumps(body), status=200 if reachable else 503, content_type="application/json"
    )
    response["Cache-Control"] = "no-store"
    return response
