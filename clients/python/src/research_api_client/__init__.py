"""Research API client: every listing as an iterator that pages for you, rate limits
honoured, pulls that resume, exports checked and opened as DataFrames, statistics,
compliance and usage.

    >>> from research_api_client import Client, condition, query
    >>> client = Client()  # RESEARCH_API_URL, RESEARCH_API_CLIENT_KEY, RESEARCH_API_CLIENT_SECRET
    >>> videos = client.videos(query(condition("hashtag_name", ["fyp"])), "20260101", "20261231")
    >>> frame = videos.to_pandas()
"""

__version__ = "0.1.0"

from research_api_client.client import Client, Export, Stats, condition, query
from research_api_client.errors import (
    ApiError,
    AuthError,
    ChecksumMismatch,
    ConfigError,
    RateLimited,
    ResearchApiError,
)
from research_api_client.pulls import Pull, SearchExpired, StateMismatch

__all__ = [
    "ApiError",
    "AuthError",
    "ChecksumMismatch",
    "Client",
    "ConfigError",
    "Export",
    "Pull",
    "RateLimited",
    "ResearchApiError",
    "SearchExpired",
    "StateMismatch",
    "Stats",
    "condition",
    "query",
]
