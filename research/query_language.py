"""The TikTok Research API's request bodies and query language, validated strictly.

    {"query": {"and": [...], "or": [...], "not": [...]},
     "start_date": "20240101", "end_date": "20240331", "max_count": 100, ...}

A video matches when it meets every `and` condition, at least one `or` condition (if any),
and no `not` condition. Each condition is {"operation", "field_name", "field_values"}.
Every malformed request is refused with a message naming the condition, field and value.
"""

import re
from datetime import date, timedelta
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    field_validator,
    model_validator,
)

MAX_WINDOW_DAYS = 365
MAX_VALUES = 1_000
OPERATIONS = ("EQ", "IN", "GT", "GTE", "LT", "LTE")
VIDEO_LENGTHS = {  # seconds, [low, high)
    "SHORT": (0, 15),
    "MID": (15, 61),
    "LONG": (61, 301),
    "EXTRA_LONG": (301, None),
}
_DATE = re.compile(r"^\d{8}$")
DATE_PATTERN = r"^\d{4}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])$"
_REGION = re.compile(r"^[A-Za-z]{2}$")
_DIGITS = re.compile(r"^[1-9]\d{0,18}$")


def _json_integer(value):
    """What JSON Schema calls an integer: 86 and 86.0, not 86.5, "86" or true."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


JsonInt = Annotated[int, Field(strict=True), BeforeValidator(_json_integer)]
# field -> (operations allowed, what a value must look like)
FIELDS = {
    "create_date": (OPERATIONS, "a date in YYYYMMDD form"),
    "username": (("EQ", "IN"), "a username"),
    "region_code": (("EQ", "IN"), "a two-letter region code"),
    "video_id": (("EQ", "IN"), "a video id (a positive integer)"),
    "hashtag_name": (("EQ", "IN"), "a hashtag name"),
    "keyword": (("EQ", "IN"), "a keyword or phrase"),
    "music_id": (("EQ", "IN"), "a music id (a positive integer)"),
    "effect_id": (("EQ", "IN"), "an effect id (a positive integer)"),
    "video_length": (("EQ", "IN"), "one of SHORT, MID, LONG, EXTRA_LONG"),
}


def parse_date(value: str, name: str) -> date:
    if not isinstance(value, str) or not _DATE.match(value):
        raise ValueError(f"{name} must be a date in YYYYMMDD form, got {value!r}")
    try:
        return date(int(value[:4]), int(value[4:6]), int(value[6:]))
    except ValueError:
        raise ValueError(f"{name} {value!r} is not a calendar date") from None


def _value_problem(field: str, value: str) -> str | None:
    if field == "create_date":
        try:
            parse_date(value, "the value")
        except ValueError as error:
            return str(error)
    elif field == "region_code" and not _REGION.match(value):
        return f"{value!r} is not a two-letter region code"
    elif field in ("video_id", "music_id", "effect_id") and not _DIGITS.match(value):
        return f"{value!r} is not a positive integer id"
    elif field == "video_length" and value not in VIDEO_LENGTHS:
        return f"{value!r} is not one of {', '.join(VIDEO_LENGTHS)}"
    elif field in ("hashtag_name", "keyword", "username") and not value.strip():
        return "an empty value matches nothing; remove it"
    elif "\x00" in value:
        return "values cannot contain NUL characters"
    return None


class Condition(BaseModel):
    model_config = ConfigDict(extra="forbid")

    operation: str
    field_name: str
    field_values: Annotated[list[str | JsonInt], Field(min_length=1, max_length=MAX_VALUES)]

    @field_validator("field_values", mode="after")
    @classmethod
    def _as_strings(cls, values):
        return [str(v) for v in values]

    @model_validator(mode="after")
    def _check(self):
        if self.field_name not in FIELDS:
            raise ValueError(
                f"field_name {self.field_name!r} is not a query field; use one of "
                f"{', '.join(FIELDS)}"
            )
        allowed, _ = FIELDS[self.field_name]
        if self.operation not in OPERATIONS:
            raise ValueError(f"operation {self.operation!r} is not one of {', '.join(OPERATIONS)}")
        if self.operation not in allowed:
            raise ValueError(
                f"operation {self.operation} cannot be used with "
                f"{self.field_name} (use {' or '.join(allowed)})"
            )
        if self.operation != "IN" and len(self.field_values) != 1:
            raise ValueError(
                f"operation {self.operation} takes exactly one value, got "
                f"{len(self.field_values)} (use IN for several)"
            )
        for index, value in enumerate(self.field_values):
            problem = _value_problem(self.field_name, value)
            if problem:
                raise ValueError(f"field_values[{index}]: {problem}")
        return self


class Query(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        populate_by_name=True,
        # At least one of and/or/not has a condition (documented; enforced below).
        json_schema_extra={
            "anyOf": [
                {"required": [k], "properties": {k: {"minItems": 1}}} for k in ("and", "or", "not")
            ]
        },
    )

    and_: Annotated[list[Condition], Field(alias="and", max_length=50)] = []
    or_: Annotated[list[Condition], Field(alias="or", max_length=50)] = []
    not_: Annotated[list[Condition], Field(alias="not", max_length=50)] = []

    @model_validator(mode="after")
    def _not_empty(self):
        if not (self.and_ or self.or_ or self.not_):
            raise ValueError("the query needs at least one condition in and, or or not")
        return self

    def canonical(self) -> dict:
        return self.model_dump(by_alias=True)


# Constraints before the validator in one Annotated, or the JSON Schema loses them.
MaxCount = Annotated[int, Field(strict=True, ge=1, le=100), BeforeValidator(_json_integer)]
Cursor = Annotated[int, Field(strict=True, ge=0, le=2**63 - 1), BeforeValidator(_json_integer)]


class VideoQueryRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    query: Query
    start_date: Annotated[str, Field(pattern=DATE_PATTERN, description="YYYYMMDD, UTC")]
    end_date: Annotated[
        str,
        Field(pattern=DATE_PATTERN, description="YYYYMMDD, UTC; at most 365 days after start_date"),
    ]
    max_count: MaxCount = 20
    cursor: Cursor = 0
    search_id: Annotated[str, Field(max_length=64)] | None = None
    is_random: StrictBool = False

    @field_validator("start_date", "end_date", mode="before")
    @classmethod
    def _date(cls, value, info):  # before the pattern: a message that says what is expected
        parse_date(value, info.field_name)
        return value

    @model_validator(mode="after")
    def _window(self):
        start = parse_date(self.start_date, "start_date")
        end = parse_date(self.end_date, "end_date")
        if end < start:
            raise ValueError(f"end_date {self.end_date} is before start_date {self.start_date}")
        if (end - start).days + 1 > MAX_WINDOW_DAYS:
            raise ValueError(
                f"the date window may span at most {MAX_WINDOW_DAYS} days; "
                f"split it into several searches"
            )
        return self

    @property
    def window(self) -> tuple[date, date]:
        """[first day, day after the last day) in UTC."""
        return (
            parse_date(self.start_date, "start_date"),
            parse_date(self.end_date, "end_date") + timedelta(days=1),
        )


class CommentListRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    video_id: (
        Annotated[int, Field(strict=True, ge=1, le=2**63 - 1), BeforeValidator(_json_integer)]
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


PagingOrder = Literal["asc", "desc"]
