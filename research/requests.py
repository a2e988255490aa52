"""The request bodies of the research listings, as TikTok's API defines them."""

from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from research.query_language import (
    Cursor,
    MaxCount,
    condition_model,
    json_integer,
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
