"""The record types of a platform export, validated strictly.

Strict means a count sent as "12" or 12.0 is an error, not a guess: a platform export with
wrong types is a bug upstream that must be seen, not papered over.
"""

from datetime import UTC, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StrictBool, StrictStr

from catalog.models import CommentStatus, CreatorStatus, EngagementKind, VideoStatus
from moderation.taxonomy import (
    AUTOMATED_DETECTION_METHODS,
    CATEGORY_KEYWORDS,
    MAX_CATEGORY_KEYWORDS,
    AppealOutcome,
    AutomatedDecision,
    Category,
    DecisionAccount,
    DecisionGround,
    DecisionVisibility,
    DetectionMethod,
    SourceType,
    TargetType,
)

INT64_MAX = 2**63 - 1
_EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
_LATEST = datetime(2100, 1, 1, tzinfo=UTC)


def _timestamp(value):
    if isinstance(value, bool):
        raise ValueError("expected an RFC 3339 date-time or Unix seconds, got a boolean")
    if isinstance(value, int):
        if not _EARLIEST.timestamp() <= value < _LATEST.timestamp():
            raise ValueError("Unix seconds out of range (2000 to 2100)")
        return datetime.fromtimestamp(value, UTC)
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            raise ValueError(f"{value!r} is not an RFC 3339 date-time") from None
        if parsed.tzinfo is None:
            raise ValueError(f"{value!r} has no time zone (add Z or an offset)")
        parsed = parsed.astimezone(UTC)
        if not _EARLIEST <= parsed < _LATEST:
            raise ValueError(f"{value!r} is out of range (2000 to 2100)")
        return parsed
    raise ValueError("expected an RFC 3339 date-time string or Unix seconds")


def _hashtag(value):
    if not isinstance(value, str):
        raise ValueError("a hashtag must be a string")
    name = value.removeprefix("#").strip().lower()
    if not name or len(name) > 100 or any(c.isspace() or c == "#" for c in name):
        raise ValueError(f"{value!r} is not a hashtag (1-100 characters, no spaces or '#')")
    return name


def _lower(value):
    return value.lower() if isinstance(value, str) else value


PlatformId = Annotated[int, Field(strict=True, ge=1, le=INT64_MAX)]
Count = Annotated[int, Field(strict=True, ge=0, le=INT64_MAX)]
Timestamp = Annotated[datetime, BeforeValidator(_timestamp)]
RegionCode = Annotated[str, Field(strict=True, pattern=r"^[A-Z]{2}$")]
Language = Annotated[str, Field(strict=True, pattern=r"^[a-z]{2,3}$")]
Username = Annotated[
    str, BeforeValidator(_lower), Field(strict=True, pattern=r"^[a-z0-9_.]{1,64}$")
]
HashtagName = Annotated[str, BeforeValidator(_hashtag)]


def Text(max_length: int):
    return Annotated[StrictStr, Field(max_length=max_length)]


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CreatorRecord(Record):
    type: Literal["creator"]
    id: PlatformId
    username: Username
    display_name: Text(128) = ""
    bio: Text(2_000) = ""
    region_code: RegionCode
    language: Language
    is_verified: StrictBool = False
    follower_count: Count = 0
    following_count: Count = 0
    likes_count: Count = 0
    video_count: Count = 0
    created_at: Timestamp
    status: Literal[tuple(CreatorStatus.values)] = CreatorStatus.ACTIVE.value


class VideoRecord(Record):
    type: Literal["video"]
    id: PlatformId
    creator_id: PlatformId
    create_time: Timestamp
    region_code: RegionCode
    language: Language
    description: Text(10_000) = ""
    voice_to_text: Text(200_000) = ""
    duration: Annotated[int, Field(strict=True, ge=0, le=86_400)]
    music_id: PlatformId | None = None
    playlist_id: PlatformId | None = None
    hashtag_names: Annotated[list[HashtagName], Field(max_length=100)] = []
    effect_ids: Annotated[list[PlatformId], Field(max_length=50)] = []
    view_count: Count = 0
    like_count: Count = 0
    comment_count: Count = 0
    share_count: Count = 0
    favorites_count: Count = 0
    is_stem_verified: StrictBool = False
    status: Literal[tuple(VideoStatus.values)] = VideoStatus.PUBLIC.value


class CommentRecord(Record):
    type: Literal["comment"]
    id: PlatformId
    video_id: PlatformId
    parent_comment_id: PlatformId | None = None
    author_id: PlatformId
    text: Text(10_000) = ""
    like_count: Count = 0
    reply_count: Count = 0
    create_time: Timestamp
    status: Literal[tuple(CommentStatus.values)] = CommentStatus.VISIBLE.value


class FollowRecord(Record):
    type: Literal["follow"]
    follower_id: PlatformId
    followee_id: PlatformId
    created_at: Timestamp
    removed: StrictBool = False


class EngagementRecord(Record):
    type: Literal["engagement"]
    kind: Literal[tuple(EngagementKind.values)]
    creator_id: PlatformId
    video_id: PlatformId
    created_at: Timestamp
    removed: StrictBool = False


class PolicyRecord(Record):
    type: Literal["policy"]
    code: Annotated[str, Field(strict=True, pattern=r"^[a-z0-9_-]{1,64}$")]
    name: Text(200)
    parent: Annotated[str, Field(strict=True, pattern=r"^[a-z0-9_-]{1,64}$")] | None = None
    dsa_category: Literal[tuple(Category.values)]
    dsa_keyword: Text(64) = ""


class Appeal(Record):
    filed_at: Timestamp
    outcome: Literal[tuple(AppealOutcome.values)] | None = None
    decided_at: Timestamp | None = None


class DecisionRecord(Record):
    type: Literal["decision"]
    id: PlatformId
    target_type: Literal[tuple(TargetType.values)]
    video_id: PlatformId | None = None
    comment_id: PlatformId | None = None
    account_id: PlatformId | None = None
    decision_visibility: Literal[tuple(DecisionVisibility.values)] | None = None
    decision_account: Literal[tuple(DecisionAccount.values)] | None = None
    decision_ground: Literal[tuple(DecisionGround.values)]
    category: Literal[tuple(Category.values)]
    category_keywords: Annotated[list[StrictStr], Field(max_length=MAX_CATEGORY_KEYWORDS)] = []
    policy: Annotated[str, Field(strict=True, pattern=r"^[a-z0-9_-]{1,64}$")]
    sub_policy: Annotated[str, Field(strict=True, pattern=r"^[a-z0-9_-]{1,64}$")] | None = None
    source_type: Literal[tuple(SourceType.values)]
    detection_method: Literal[tuple(DetectionMethod.values)]
    automated_detection: StrictBool
    automated_decision: Literal[tuple(AutomatedDecision.values)]
    content_language: Language
    market: RegionCode
    territorial_scope: Annotated[list[RegionCode], Field(max_length=60)] = []
    content_created_at: Timestamp
    first_detected_at: Timestamp
    first_reported_at: Timestamp | None = None
    actioned_at: Timestamp
    views_at_action: Count = 0
    appeal: Appeal | None = None
    reinstated_at: Timestamp | None = None

    def problems(self) -> list[tuple[str, str]]:
        """Cross-field rules, as (field, reason) pairs."""
        found = []
        targets = {"video": self.video_id, "comment": self.comment_id}
        for kind, value in targets.items():
            if kind == self.target_type and value is None:
                found.append((f"{kind}_id", f"required when target_type is {kind!r}"))
            if kind != self.target_type and value is not None:
                found.append(
                    (f"{kind}_id", f"must be absent when target_type is {self.target_type!r}")
                )
        if self.target_type == TargetType.ACCOUNT and self.account_id is None:
            found.append(("account_id", "required when target_type is 'account'"))
        if self.decision_visibility is None and self.decision_account is None:
            found.append(
                ("decision_visibility", "a decision needs decision_visibility or decision_account")
            )
        automated = self.detection_method in AUTOMATED_DETECTION_METHODS
        if self.automated_detection != automated:
            found.append(
                (
                    "automated_detection",
                    f"must be {str(automated).lower()} for "
                    f"detection_method {self.detection_method}",
                )
            )
        allowed = set(CATEGORY_KEYWORDS[self.category]) | {"OTHER"}
        for index, keyword in enumerate(self.category_keywords):
            if keyword not in allowed:
                found.append(
                    (
                        f"category_keywords[{index}]",
                        f"{keyword!r} is not a DSA keyword of category {self.category}",
                    )
                )
        if self.first_detected_at < self.content_created_at:
            found.append(("first_detected_at", "is before content_created_at"))
        if self.actioned_at < self.first_detected_at:
            found.append(("actioned_at", "is before first_detected_at"))
        if self.reinstated_at is not None and self.reinstated_at < self.actioned_at:
            found.append(("reinstated_at", "is before actioned_at"))
        if self.appeal is not None:
            if self.appeal.filed_at < self.actioned_at:
                found.append(("appeal.filed_at", "is before actioned_at"))
            if (self.appeal.outcome is None) != (self.appeal.decided_at is None):
                found.append(("appeal.outcome", "outcome and decided_at go together"))
            if self.appeal.decided_at is not None and self.appeal.decided_at < self.appeal.filed_at:
                found.append(("appeal.decided_at", "is before appeal.filed_at"))
        return found


class DeletionRecord(Record):
    type: Literal["deletion"]
    entity: Literal["creator", "video", "comment"]
    id: PlatformId
    deleted_at: Timestamp


RECORD_TYPES: dict[str, type[Record]] = {
    model.model_fields["type"].annotation.__args__[0]: model
    for model in (
        PolicyRecord,
        CreatorRecord,
        VideoRecord,
        CommentRecord,
        FollowRecord,
        EngagementRecord,
        DecisionRecord,
        DeletionRecord,
    )
}
# The order in which a batch is applied: what a record refers to is applied before it.
APPLY_ORDER = tuple(RECORD_TYPES)
