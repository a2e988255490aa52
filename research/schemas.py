"""Response shapes of the research endpoints, for the OpenAPI schema (and schemathesis).

Every field is optional because `?fields=` picks them; a test keeps the field names equal to
the codebook's."""

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model

import codebook
from core.errors import ErrorCode
from quotas.models import Family
from research.listings import Listing, Paging


class HashtagInfo(BaseModel):
    hashtag_id: None = Field(description="not in this service's data: always null")
    hashtag_name: str
    hashtag_description: None = Field(description="not in this service's data: always null")


# Each field's type by resource: the OpenAPI schema is made from it, and export files' types.
PYTHON_TYPES = {
    "video": {
        "id": int,
        "create_time": int,
        "username": str,
        "region_code": str,
        "video_description": str,
        "voice_to_text": str,
        "video_duration": int,
        "music_id": int | None,
        "effect_ids": list[int],
        "playlist_id": int | None,
        "hashtag_names": list[str],
        "view_count": int,
        "like_count": int,
        "comment_count": int,
        "share_count": int,
        "favorites_count": int,
        "is_stem_verified": bool,
        "language": str,
        "favourites_count": int,
        "hashtag_info_list": list[HashtagInfo],
        "video_mention_list": list[str],
        "sticker_info_list": None,
        "effect_info_list": None,
        "video_label": None,
        "video_tag": None,
    },
    "comment": {
        "id": int,
        "video_id": int,
        "text": str,
        "like_count": int,
        "reply_count": int,
        "parent_comment_id": int | None,
        "create_time": int,
    },
    "user": {
        "username": str,
        "display_name": str,
        "bio_description": str,
        "is_verified": bool,
        "follower_count": int,
        "following_count": int,
        "likes_count": int,
        "video_count": int,
        "region_code": str,
        "created_month": str,
        "avatar_url": None,
        "bio_url": None,
    },
    "follow": {"username": str, "display_name": str, "create_time": int},
    "follow_edge": {"follower": str, "followee": str, "create_time": int},
    "deletion": {"entity": str, "id": int | str, "deleted_at": int, "recorded_at": int},
    "moderation_decision": {
        "id": int,
        "target_type": str,
        "video_id": int,
        "comment_id": int,
        "username": str,
        "decision_visibility": str,
        "decision_account": str,
        "decision_ground": str,
        "category": str,
        "category_keywords": list[str],
        "policy": str,
        "sub_policy": str,
        "source_type": str,
        "detection_method": str,
        "automated_detection": bool,
        "automated_decision": str,
        "content_language": str,
        "market": str,
        "territorial_scope": list[str],
        "content_created_at": int,
        "first_detected_at": int,
        "first_reported_at": int,
        "actioned_at": int,
        "views_at_action": int,
        "appeal_filed_at": int,
        "appeal_outcome": str,
        "appeal_decided_at": int,
        "reinstated_at": int,
        "video_description": str,
        "video_create_time": int,
        "video_region_code": str,
        "video_view_count": int,
        "video_like_count": int,
        "video_comment_count": int,
        "video_share_count": int,
        "video_hashtag_names": list[str],
    },
}


def _model(resource, name: str) -> type[BaseModel]:
    types = PYTHON_TYPES[resource.name]
    described = {f.name: f.description for f in resource.fields}
    return create_model(
        name,
        __config__=ConfigDict(extra="forbid"),
        **{
            field: (
                None if kind is None else kind | None,
                Field(None, description=described[field]),
            )
            for field, kind in types.items()
        },
    )


Video = _model(codebook.VIDEO, "Video")
Comment = _model(codebook.COMMENT, "Comment")
User = _model(codebook.USER, "User")
FollowEdge = _model(codebook.FOLLOW, "FollowEdge")


class ErrorStruct(BaseModel):
    code: str = Field(description=", ".join(ErrorCode))
    message: str
    log_id: str = Field(description="quote it when you report a problem")


class ErrorResponse(BaseModel):
    data: dict = Field(description="empty when the request was refused")
    error: ErrorStruct


def envelope(name: str, data: type[BaseModel]) -> type[BaseModel]:
    return create_model(name, data=(data, ...), error=(ErrorStruct, ...))


Decision = _model(codebook.DECISION, "Decision")
Deletion = _model(codebook.DELETION, "Deletion")
_ITEMS = {
    "video": Video,
    "comment": Comment,
    "user": User,
    "follow": FollowEdge,
    "moderation_decision": Decision,
    "deletion": Deletion,
}


def answer_model(listing: Listing) -> type[BaseModel]:
    """The `data` of a listing's answer, as its declaration shapes it."""
    name = "".join(part.title() for part in listing.operation_id.split("_"))
    item = _ITEMS[listing.resource.name]
    as_of = (str, Field(description="when the data this answer reads was received (RFC 3339)"))
    if listing.key is None:
        return create_model(name, __base__=item, data_as_of=as_of)
    fields = {listing.key: (list[item], ...), "data_as_of": as_of}
    if listing.paging is not Paging.NONE:
        fields["cursor"] = (
            int,
            Field(description="items returned so far; send it back for the next page"),
        )
        fields["has_more"] = (bool, ...)
    if listing.paging is Paging.SEARCH:
        fields["search_id"] = (
            str,
            Field(description="send back with `cursor` for the next page; valid 24 hours"),
        )
    return create_model(name, **fields)


FamilyName = Literal[tuple(Family.values)]


class Meter(BaseModel):
    used: int
    limit: int
    remaining: int


class FamilyUsage(BaseModel):
    endpoints: str = Field(description="which endpoints spend this family's quotas")
    requests: Meter
    records: Meter


class Burst(BaseModel):
    requests: int
    seconds: int
    per: Literal["client"]


class DayUsage(BaseModel):
    date: str = Field(description="YYYY-MM-DD (UTC)")
    family: FamilyName
    requests: int
    records: int


class PrivacyBudget(BaseModel):
    rho_total: float = Field(description="the project's budget for private answers (zCDP rho)")
    rho_spent: float
    rho_left: float


class Usage(BaseModel):
    date: str = Field(description="today, YYYY-MM-DD (UTC)")
    resets_at: str = Field(description="next 00:00 UTC, when the daily quotas reset")
    families: dict[FamilyName, FamilyUsage]
    burst: Burst = Field(description="the short-window limit of each client")
    history: list[DayUsage] = Field(description="the last 30 days, oldest first")
    privacy_budget: PrivacyBudget = Field(
        description="what differentially private statistics may still spend"
    )


class StatsAnswer(BaseModel):
    cells: list[dict[str, Any]] = Field(
        description="one per combination of the grouped values (and period): the groups' "
        "values, `decisions` (what the cell rests on), each metric asked for (a rate with "
        "`<metric>_n`, its denominator), and `suppressed` naming what was withheld; withheld "
        "figures are null"
    )
    totals: list[dict[str, Any]] | None = Field(
        None, description="exact answers grouped by something: the same figures per period"
    )
    min_cell: int = Field(description="k: figures resting on fewer decisions are withheld")
    suppressed_cells: int = Field(description="cells withheld whole")
    privacy: dict[str, Any] | None = Field(
        description="differentially private answers: the mechanism and what it was "
        "calibrated to (rho, noise scale, contribution bounds); null for exact answers"
    )
    release_id: str | None = Field(None, description="a private answer's stored release")
    repeat: bool | None = Field(None, description="true: a stored release, at no cost")
    budget: PrivacyBudget | None = None
    data_as_of: str


class ValidationTaskId(BaseModel):
    model_config = ConfigDict(extra="forbid")

    task_id: int = Field(description="from POST /v2/research/validation_task/create/")


class ValidationTaskResult(BaseModel):
    task_id: int
    status: Literal["COMPLETED"]
    category: Literal["video", "comment"]
    total_ids: int = Field(description="distinct ids checked")
    valid_ids: list[int] = Field(description="still available, as you sent them")
    invalid_ids: list[int] = Field(description="deleted, removed, private, or not yours")
