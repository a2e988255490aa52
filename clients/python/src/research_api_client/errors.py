"""What the client raises. Every error names what went wrong in one line."""

from __future__ import annotations


class ResearchApiError(Exception):
    """Base of the client's errors."""


class ConfigError(ResearchApiError):
    """Credentials or settings are missing or malformed."""


class AuthError(ResearchApiError):
    """The token endpoint refused the client key and secret."""

    def __init__(self, error: str, description: str):
        self.error, self.description = error, description
        super().__init__(f"{error}: {description}")


class ApiError(ResearchApiError):
    """The API answered with an error envelope."""

    def __init__(self, code: str, message: str, *, status: int, log_id: str = ""):
        self.code, self.message, self.status, self.log_id = code, message, status, log_id
        where = f" (log_id {log_id})" if log_id else ""
        super().__init__(f"{code}: {message}{where}")


class RateLimited(ApiError):
    """A limit was reached and waiting for it would take longer than the client may wait."""

    def __init__(self, code: str, message: str, *, status: int, log_id: str, retry_after: float):
        super().__init__(code, message, status=status, log_id=log_id)
        self.retry_after = retry_after


class ChecksumMismatch(ResearchApiError):
    """A downloaded export file does not match the SHA-256 the API gave for it."""
