"""The request bodies of the research listings, as TikTok's API defines them."""

from datetime import UTC, datetime
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator

from research.query_language import (
    Cursor,
    MaxCount,
    condition_model,
    json_integer,
    parse_date,
    query_model,
    search_model,
)
from research.sources import decisions, videos

VideoCondition = condition_model("VideoCondition", videos.QUERY_FIELDS)
VideoQuery = query_model("VideoQuery", VideoCondition)
VideoQueryRequest = search_model(
    "VideoQueryRequest",
    VideoQuery,
    "Videos posted in [start_date, end_date] that match the query.",
)

DecisionCondition = condition_model("DecisionCondition", decisions.QUERY_FIELDS)
DecisionQuery = query_model("DecisionQuery", DecisionCondition)
DecisionQueryRequest = search_model(
    "DecisionQueryRequest",
    DecisionQuery,
    "Moderation decisions actioned in [start_date, end_date] that match the query.",
)


class CommentListRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    video_id: (
        Annotated[int, Field(strict=True, ge=1, le=2**63 - 1), BeforeValidator(json_integer)]
        | Annotated[str, Field(pattern=r"^[1-9]\d{0,18}$")]
    )
    max_count: MaxCount = 20
    cursor: Cursor = 0


class UsernameRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    username: Annotated[str, Field(min_length=1, max_length=64)]


class UserListRequest(UsernameRequest):
    max_count: MaxCount = 20
    cursor: Cursor = 0


class PinnedRequest(UsernameRequest):
    pass


class DeletionsRequest(BaseModel):
    """The deletions feed's query string: since when, and a page."""

    model_config = ConfigDict(extra="forbid")

    since: Annotated[
        str,
        Field(
            pattern=r"^(\d{8}|\d{1,11})$",
            description="YYYYMMDD (UTC) or Unix seconds: deletions this service learned of "
            "since then (your last sync)",
        ),
    ]
    max_count: Annotated[int, Field(ge=1, le=1000)] = 100
    cursor: Annotated[int, Field(ge=0, le=2**63 - 1)] = 0

    @field_validator("since")
    @classmethod
    def _a_real_time(cls, value):
        if len(value) == 8:
            parse_date(value, "since")
        return value

    @property
    def since_unix(self) -> int:
        if len(self.since) == 8:
            day = parse_date(self.since, "since")
            return int(datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp())
        return int(self.since)
