"""The TikTok Research API's query language, validated strictly, for any listing.

    {"query": {"and": [...], "or": [...], "not": [...]},
     "start_date": "20240101", "end_date": "20240331", "max_count": 100, ...}

A record matches when it meets every `and` condition, at least one `or` condition (if any),
and no `not` condition. Each condition is {"operation", "field_name", "field_values"}. The
grammar is shared; which fields a query may name, with which operations and what their
values look like, is a listing's own table of `QueryField`s (research.sources), so a new
searchable resource is a new table, not a new language. Every malformed request is refused
with a message naming the condition, field and value.
"""

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any, ClassVar

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    create_model,
    field_validator,
    model_validator,
)

MAX_WINDOW_DAYS = 365
# What one query may hold, all of and / or / not together: enough for a study's list of a few
# hundred keywords (the study DESIGN.md describes searched 157), not enough for one request
# to keep the database busy for everyone else (docs/security.md).
MAX_CONDITIONS = 50
MAX_VALUES = 1_000
MAX_KEYWORDS = 300  # phrases searched in the full-text index
MAX_VALUE_LENGTH = 200
LAST_DAY = date(9999, 12, 31)
OPERATIONS = ("EQ", "IN", "GT", "GTE", "LT", "LTE")
_DATE = re.compile(r"^\d{8}$")
DATE_PATTERN = r"^\d{4}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])$"
_REGION = re.compile(r"^[A-Za-z]{2}$")
_DIGITS = re.compile(r"^[1-9]\d{0,18}$")


def json_integer(value):
    """What JSON Schema calls an integer: 86 and 86.0, not 86.5, "86" or true."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def cursor_value(value):
    """A cursor: a JSON integer, or null for the first page (as published clients send it)."""
    return 0 if value is None else json_integer(value)


JsonInt = Annotated[int, Field(strict=True), BeforeValidator(json_integer)]


def parse_date(value: str, name: str) -> date:
    if not isinstance(value, str) or not _DATE.match(value):
        raise ValueError(f"{name} must be a date in YYYYMMDD form, got {value!r}")
    try:
        day = date(int(value[:4]), int(value[4:6]), int(value[6:]))
    except ValueError:
        raise ValueError(f"{name} {value!r} is not a calendar date") from None
    if day >= LAST_DAY:  # a window ends the day after its last day
        raise ValueError(f"{name} {value!r} is too far in the future")
    return day


# What a value of a query field must look like: each returns the problem, or None.
def date_value(value: str) -> str | None:
    try:
        parse_date(value, "the value")
    except ValueError as error:
        return str(error)
    return None


def region_value(value: str) -> str | None:
    return None if _REGION.match(value) else f"{value!r} is not a two-letter region code"


def id_value(value: str) -> str | None:
    return None if _DIGITS.match(value) else f"{value!r} is not a positive integer id"


def text_value(value: str) -> str | None:
    return "an empty value matches nothing; remove it" if not value.strip() else None


def one_of(*choices: str) -> Callable[[str], str | None]:
    def check(value: str) -> str | None:
        return None if value in choices else f"{value!r} is not one of {', '.join(choices)}"

    return check


@dataclass(frozen=True)
class QueryField:
    """A field a query may name: the operations it takes, what its values look like, and
    how its listing's source turns a condition on it into SQL (research.sources)."""

    operations: tuple[str, ...]
    expects: str  # said in messages and in the schema, e.g. "a date in YYYYMMDD form"
    check: Callable[[str], str | None] | None = None
    sql: Callable | None = None  # (values, operation, sql, pseudonyms) -> a SQL condition

    def problem(self, value: str) -> str | None:
        if len(value) > MAX_VALUE_LENGTH:
            return f"a value may be at most {MAX_VALUE_LENGTH} characters long"
        problem = self.check(value) if self.check else None
        if problem is None and "\x00" in value:
            return "values cannot contain NUL characters"
        return problem


EQUALITY = ("EQ", "IN")


class Condition(BaseModel):
    """One condition; FIELDS is the listing's table of query fields (a subclass's)."""

    model_config = ConfigDict(extra="forbid")
    FIELDS: ClassVar[Mapping[str, QueryField]] = {}

    operation: str
    field_name: str
    field_values: Annotated[list[str | JsonInt], Field(min_length=1, max_length=MAX_VALUES)]

    @field_validator("field_values", mode="after")
    @classmethod
    def _as_strings(cls, values):
        return [str(v) for v in values]

    @model_validator(mode="after")
    def _check(self):
        fields = type(self).FIELDS
        if self.field_name not in fields:
            raise ValueError(
                f"field_name {self.field_name!r} is not a query field; use one of "
                f"{', '.join(fields)}"
            )
        allowed = fields[self.field_name].operations
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
            problem = fields[self.field_name].problem(value)
            if problem:
                raise ValueError(f"field_values[{index}]: {problem}")
        return self


def condition_model(name: str, fields: Mapping[str, QueryField]) -> type[Condition]:
    """The condition of a listing whose query fields are `fields`."""
    described = "; ".join(
        f"{field} ({'/'.join(spec.operations)}): {spec.expects}" for field, spec in fields.items()
    )
    return type(
        name,
        (Condition,),
        {
            "FIELDS": fields,
            "__doc__": f"A condition on one of the query fields: {described}.",
            "__module__": __name__,
        },
    )


class Query(BaseModel):
    """and / or / not lists of conditions (a subclass's condition type, see query_model)."""

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

    @model_validator(mode="after")
    def _not_empty_nor_too_big(self):
        conditions = [*self.and_, *self.or_, *self.not_]
        if not conditions:
            raise ValueError("the query needs at least one condition in and, or or not")
        if len(conditions) > MAX_CONDITIONS:
            raise ValueError(
                f"the query has {len(conditions)} conditions; at most {MAX_CONDITIONS} in "
                "and, or and not together (put several values in one IN condition)"
            )
        values = sum(len(c.field_values) for c in conditions)
        if values > MAX_VALUES:
            raise ValueError(
                f"the query has {values:,} values; at most {MAX_VALUES:,} in all its "
                "conditions together: split it into several searches"
            )
        keywords = sum(len(c.field_values) for c in conditions if c.field_name == "keyword")
        if keywords > MAX_KEYWORDS:
            raise ValueError(
                f"the query searches {keywords} keywords; at most {MAX_KEYWORDS}: split the "
                "list into several searches"
            )
        return self

    def canonical(self) -> dict:
        return self.model_dump(by_alias=True)


def query_model(name: str, condition: type[Condition]) -> type[Query]:
    conditions: Any = list[condition]
    return create_model(
        name,
        __base__=Query,
        __module__=__name__,
        and_=(Annotated[conditions, Field(alias="and", max_length=MAX_CONDITIONS)], []),
        or_=(Annotated[conditions, Field(alias="or", max_length=MAX_CONDITIONS)], []),
        not_=(Annotated[conditions, Field(alias="not", max_length=MAX_CONDITIONS)], []),
    )


# Constraints before the validator in one Annotated, or the JSON Schema loses them.
MaxCount = Annotated[int, Field(strict=True, ge=1, le=100), BeforeValidator(json_integer)]
Cursor = Annotated[
    int,
    Field(strict=True, ge=0, le=2**63 - 1, json_schema_extra={"type": ["integer", "null"]}),
    BeforeValidator(cursor_value),
]


class Search(BaseModel):
    """A query over a date window, paged by search_id and cursor (search_model makes one)."""

    model_config = ConfigDict(extra="forbid")

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

    def search_params(self) -> dict:
        """What defines the search (its fingerprint): the query and the window."""
        return {
            "query": self.query.canonical(),
            "start_date": self.start_date,
            "end_date": self.end_date,
            "is_random": self.is_random,
        }


def search_model(name: str, query: type[Query], doc: str) -> type[Search]:
    return create_model(name, __base__=Search, __module__=__name__, __doc__=doc, query=(query, ...))
