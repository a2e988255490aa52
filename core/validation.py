"""Pydantic validation errors as (where, why) pairs a person can act on."""

import reprlib

import orjson
from pydantic import ValidationError


def json_type(value) -> str:
    return {
        bool: "boolean",
        int: "integer",
        float: "number",
        str: "string",
        list: "array",
        dict: "object",
        type(None): "null",
    }.get(type(value), type(value).__name__)


def shorten(value) -> str:
    try:
        text = repr(value) if isinstance(value, str) else orjson.dumps(value).decode()
    except TypeError:  # not JSON, or nested past orjson's depth: a repr that stops early
        text = reprlib.repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def describe(error: ValidationError, prefix: str = "") -> list[tuple[str, str]]:
    """[('query.and[0].field_values[2]', "'2024' is not a date in YYYYMMDD form"), ...]"""
    problems = []
    for detail in error.errors(include_url=False):
        parts = [prefix] if prefix else []
        for part in detail["loc"]:
            if isinstance(part, int):
                parts[-1:] = [f"{parts[-1]}[{part}]"] if parts else [f"[{part}]"]
            else:
                parts.append(str(part))
        path = ".".join(parts)
        reason = detail["msg"].removeprefix("Value error, ")
        kind = detail["type"]
        if kind == "missing":
            reason = "required field is missing"
        elif kind == "extra_forbidden":
            reason = "unknown field"
        elif kind.endswith(("_type", "_parsing")) or kind == "literal_error":
            reason += f" (got {json_type(detail['input'])} {shorten(detail['input'])})"
        problems.append((path, reason))
    return problems
