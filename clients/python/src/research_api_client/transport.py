"""One HTTP conversation with the API: a token fetched and renewed before it expires, the
answer's envelope unwrapped, 429s waited out as the server asks, and ``query_timeout`` and
gateway errors retried with back-off. Every wait is bounded and reported."""

from __future__ import annotations

import logging
import random
import re
import time
from collections.abc import Callable
from typing import Any

import httpx

from research_api_client import __version__
from research_api_client.config import Credentials
from research_api_client.errors import ApiError, AuthError, RateLimited

log = logging.getLogger("research_api_client")

RENEW_BEFORE = 120.0  # seconds before a token expires that a new one is fetched
RETRIED_CODES = {"query_timeout", "internal_error", "service_unavailable"}
RETRIED_STATUSES = {502, 503, 504}
MAX_429_RETRIES = 100  # per request, however short the waits
MAX_CONNECT_RETRIES = 2  # a server that refuses connections is down or elsewhere: say so soon
_RATELIMIT_ENTRY = re.compile(r'"?([\w.-]+)"?\s*;\s*r=(\d+)\s*;\s*t=(\d+)')

# on_wait(reason, seconds): told before every wait, so a script or a progress bar can show it.
WaitHook = Callable[[str, float], None]


def _log_wait(reason: str, seconds: float) -> None:
    log.warning("waiting %.0f s: %s", seconds, reason)


def retry_after(response: httpx.Response) -> float | None:
    """How long the server asks to wait (at least a second): Retry-After, else the RateLimit
    header's reset of the limit that is used up; None when it does not say."""
    header = response.headers.get("Retry-After", "").strip()
    if header.isdigit():
        return max(1.0, float(header))
    exhausted = [
        int(reset)
        for _, remaining, reset in _RATELIMIT_ENTRY.findall(response.headers.get("RateLimit", ""))
        if int(remaining) == 0
    ]
    return max(1.0, float(max(exhausted))) if exhausted else None


class Transport:
    def __init__(
        self,
        credentials: Credentials,
        *,
        timeout: float = 120.0,
        max_wait: float = 900.0,
        max_retries: int = 5,
        on_wait: WaitHook | None = None,
        sleep: Callable[[float], None] = time.sleep,
        http_transport: httpx.BaseTransport | None = None,
    ):
        self.credentials = credentials
        self.max_wait, self.max_retries = max_wait, max_retries
        self.on_wait = on_wait or _log_wait
        self._sleep = sleep
        self._http = httpx.Client(
            base_url=credentials.url,
            timeout=timeout,
            headers={"User-Agent": f"research-api-client/{__version__}"},
            transport=http_transport,
            # Forget idle connections after a second: servers close theirs soon after
            # (gunicorn after 2 s), and a request sent on one they closed fails half-way.
            limits=httpx.Limits(keepalive_expiry=1.0),
        )
        self._token: str | None = None
        self._expires_at = 0.0
        self.waited = 0.0  # seconds spent waiting, over the client's life

    def close(self) -> None:
        self._http.close()

    # --- Tokens ------------------------------------------------------------------------------

    def token(self) -> str:
        if self._token is None or time.monotonic() >= self._expires_at - RENEW_BEFORE:
            self._renew()
        return self._token  # type: ignore[return-value]

    def _renew(self) -> None:
        response = self._http.post(
            "/v2/oauth/token/",
            data={
                "client_key": self.credentials.client_key,
                "client_secret": self.credentials.client_secret,
                "grant_type": "client_credentials",
            },
        )
        try:
            body = response.json()
        except ValueError:
            raise AuthError(
                "http_error", f"the token endpoint answered HTTP {response.status_code}"
            ) from None
        if response.status_code == 429:
            wait = retry_after(response)
            raise AuthError(
                "too_many_attempts", f"{body.get('error_description', '')} (retry in {wait:.0f} s)"
            )
        if "access_token" not in body:
            raise AuthError(body.get("error", "invalid_client"), body.get("error_description", ""))
        self._token = body["access_token"]
        self._expires_at = time.monotonic() + float(body.get("expires_in", 7200))

    # --- Requests ------------------------------------------------------------------------------

    def _wait(self, reason: str, seconds: float) -> None:
        self.on_wait(reason, seconds)
        self._sleep(seconds)
        self.waited += seconds

    def request(self, method: str, path: str, *, idempotent: bool = True, **kwargs: Any) -> dict:
        """The answer's `data`; raises ApiError (or RateLimited) for an error envelope.

        A request that is not `idempotent` (creating an export, a validation task) is sent
        again only when it surely never reached the server (the connection failed): after a
        timeout or a server error it may have been carried out, and a second one would be a
        second export."""
        waited, attempt, renewed, limited = 0.0, 0, False, 0
        while True:
            try:
                response = self._http.request(
                    method, path, headers={"Authorization": f"Bearer {self.token()}"}, **kwargs
                )
            except httpx.TransportError as error:
                unsent = isinstance(error, httpx.ConnectError | httpx.ConnectTimeout)
                reason = str(error) or type(error).__name__
                if unsent and attempt >= MAX_CONNECT_RETRIES:
                    raise ApiError(
                        "connection_error",
                        f"cannot connect to {self.credentials.url}: {reason} (is the server "
                        "running? set RESEARCH_API_URL or --url)",
                        status=0,
                    ) from error
                if attempt >= self.max_retries or not (idempotent or unsent):
                    raise ApiError("connection_error", reason, status=0) from error
                attempt += 1
                delay = self._backoff(attempt)
                self._wait(f"{type(error).__name__} talking to {self.credentials.url}", delay)
                continue
            body = self._envelope(response)
            error = body["error"]
            code, message = error.get("code", ""), error.get("message", "")
            log_id = error.get("log_id", "")
            if code == "ok":
                return body.get("data", {})
            if response.status_code == 401 and not renewed:
                self._token, renewed = None, True  # expired or revoked: one new token, once
                continue
            if response.status_code == 429:
                delay = retry_after(response)
                limited += 1
                if delay is None or waited + delay > self.max_wait or limited > MAX_429_RETRIES:
                    raise RateLimited(
                        code, message, status=429, log_id=log_id, retry_after=delay or 0.0
                    )
                waited += delay
                self._wait(f"{code}: {message}", delay)
                continue
            retried = code in RETRIED_CODES or response.status_code in RETRIED_STATUSES
            if retried and idempotent and attempt < self.max_retries:
                attempt += 1
                delay = self._backoff(attempt)
                self._wait(
                    f"{code or response.status_code}: {message} "
                    f"(retry {attempt} of {self.max_retries})",
                    delay,
                )
                continue
            raise ApiError(
                code or "http_error", message, status=response.status_code, log_id=log_id
            )

    @staticmethod
    def _backoff(attempt: int) -> float:
        return min(60.0, 2.0**attempt) * (0.75 + random.random() / 2)  # noqa: S311 - jitter

    @staticmethod
    def _envelope(response: httpx.Response) -> dict:
        try:
            body = response.json()
        except ValueError:
            body = None
        if not isinstance(body, dict) or not isinstance(body.get("error"), dict):
            text = response.text[:200].replace("\n", " ")
            return {
                "error": {"code": "http_error", "message": f"HTTP {response.status_code}: {text}"}
            }
        return body

    def get_public(self, path: str) -> dict:
        """A public endpoint (the catalogue): no token."""
        try:
            response = self._http.get(path)
        except httpx.TransportError as error:
            raise ApiError(
                "connection_error", str(error) or type(error).__name__, status=0
            ) from error
        body = self._envelope(response)
        error = body["error"]
        if error.get("code") != "ok":
            raise ApiError(
                error.get("code", "http_error"),
                error.get("message", ""),
                status=response.status_code,
            )
        return body.get("data", {})

    def download(self, url: str, handle, progress: Callable[[int], None] | None = None) -> None:
        """Stream a signed link (no token) into `handle`."""
        try:
            self._stream(url, handle, progress)
        except httpx.TransportError as error:
            raise ApiError(
                "connection_error", str(error) or type(error).__name__, status=0
            ) from error

    def _stream(self, url: str, handle, progress: Callable[[int], None] | None) -> None:
        with self._http.stream("GET", url) as response:
            if response.status_code != 200:
                response.read()
                body = self._envelope(response)["error"]
                raise ApiError(
                    body.get("code", "http_error"),
                    body.get("message", ""),
                    status=response.status_code,
                )
            for chunk in response.iter_bytes(1 << 20):
                handle.write(chunk)
                if progress:
                    progress(len(chunk))
