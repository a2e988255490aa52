"""The 'physical limit' endpoint for the throughput comparison: a bare WSGI application that
runs one fixed page query with psycopg and returns the rows as JSON with orjson. It does
nothing else (no authentication, audit, pseudonyms or validation).

Run by bench/api.py under gunicorn with the same settings as the service:
RAW_DATABASE_URL, RAW_SQL_FILE (JSON: {"sql": ..., "params": [...]}) in the environment."""

import os
from datetime import datetime

import orjson
import psycopg

_conn = None
_query = orjson.loads(open(os.environ["RAW_SQL_FILE"], "rb").read())  # noqa: SIM115
_params = [
    datetime.fromisoformat(p[1:]) if isinstance(p, str) and p.startswith("\x01") else p
    for p in _query["params"]
]


def application(environ, start_response):
    global _conn
    if _conn is None:
        _conn = psycopg.connect(
            os.environ["RAW_DATABASE_URL"], autocommit=True, cursor_factory=psycopg.ClientCursor
        )
    environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
    with _conn.cursor() as cursor:
        cursor.execute(_query["sql"], _params)
        body = orjson.dumps({"data": {"videos": cursor.fetchall()}})
    start_response(
        "200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))]
    )
    return [body]
