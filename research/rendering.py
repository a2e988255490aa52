"""Turning catalogue rows into what a project receives: chosen fields, pseudonyms for every
id and username, mentions rendered as the reader's pseudonyms, Unix times.

Rows come from raw SQL as tuples (the fast path, see docs/benchmarks.md); `Column` says
which columns a field needs, so a request for three fields reads three columns.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

import orjson

from catalog import mentions
from research.pseudonyms import Pseudonyms


def as_utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def unix(value: datetime | None) -> int | None:
    return None if value is None else int(as_utc(value).timestamp())


def json_list(value) -> list:
    # PostgreSQL's jsonb arrives parsed; SQLite's JSON arrives as text.
    return orjson.loads(value) if isinstance(value, str | bytes) else (value or [])


@dataclass(frozen=True)
class Field:
    """A field of a resource: the SQL expressions it reads and how it is rendered."""

    name: str
    columns: tuple[str, ...]
    # kind: plain, unix, json, bool, month, text, mentions, hashtag_info, null (no column),
    # username, an entity's id (video_id, comment_id, decision_id), or entity_id (two
    # columns: the entity's kind and its id)
    kind: str = "plain"


def select_list(fields: Iterable[Field], offset: int = 2) -> tuple[str, dict]:
    """SELECT list for `fields` and where each expression lands in a row (after `offset`
    leading keyset columns); NULL when they read no column (fields always null)."""
    positions: dict[str, int] = {}
    for expression in (c for f in fields for c in f.columns):
        positions.setdefault(expression, offset + len(positions))
    return ", ".join(positions) or "NULL", positions


class Renderer:
    """Renders rows of one page for one project: pseudonyms are computed for the whole page
    at once (one vectorised call per kind of id)."""

    def __init__(
        self,
        pseudonyms: Pseudonyms,
        fields: list[Field],
        positions: dict[str, int],
        *,
        native: bool = False,
    ):
        self.pseudonyms = pseudonyms
        self.fields = fields
        self.positions = positions
        # For the wire: JSON lists as they arrive (JSON text, for orjson to embed) and times
        # as Unix seconds. `native`, for file writers: lists parsed and times as datetimes
        # (UTC), which Parquet stores as timestamps and the others write as Unix seconds.
        self.native = native

    def render(self, rows: list[tuple]) -> list[dict]:
        """The rows as records (dicts, field name -> value)."""
        names, columns = self.columns(rows)
        return [dict(zip(names, values, strict=True)) for values in zip(*columns, strict=True)]

    def columns(self, rows: list[tuple]) -> tuple[list[str], list]:
        """The rows as columns: the field names and, for each, its values in row order."""
        if not rows:
            return [f.name for f in self.fields], [[] for _ in self.fields]
        columns = list(zip(*rows, strict=True))  # a tuple of values per SELECT expression
        mention_names = self._mention_names(columns)
        names, rendered = [], []
        for field in self.fields:
            names.append(field.name)
            if field.kind == "null":
                rendered.append([None] * len(rows))
            elif field.kind == "entity_id":  # (entity, internal id): the reader's pseudonym
                entities, ids = (columns[self.positions[c]] for c in field.columns)
                rendered.append(self._entity_ids(entities, ids))
            else:
                values = columns[self.positions[field.columns[0]]]
                rendered.append(self._column(field, values, mention_names))
        return names, rendered

    def _mention_names(self, columns: list[tuple]) -> dict[int, str]:
        """The reader's pseudonym of every account the page's texts mention, at once."""
        mentioned = set()
        for field in self.fields:
            if field.kind in ("text", "mentions"):
                for text in columns[self.positions[field.columns[0]]]:
                    if text and mentions.OPEN in text:
                        mentioned.update(mentions.referenced_ids(text))
        if not mentioned:
            return {}
        ordered = sorted(mentioned)
        return dict(zip(ordered, self.pseudonyms.usernames(ordered), strict=True))

    def _column(self, field: Field, values: list, mention_names: dict) -> list:
        kind = field.kind
        if kind == "plain":
            return values
        if kind == "unix":
            if self.native:
                return [None if v is None else as_utc(v) for v in values]
            return [unix(v) for v in values]
        if kind == "json":
            if self.native:
                loads = orjson.loads
                return [loads(v) if isinstance(v, str | bytes) else v for v in values]
            # JSON lists arrive as JSON text (SQLite, and Django's jsonb loader): passed on
            # as they are, not parsed and encoded again. None: no row was joined (null).
            return [orjson.Fragment(v) if isinstance(v, str | bytes) else v for v in values]
        if kind == "bool":
            return [None if v is None else bool(v) for v in values]
        if kind == "month":
            return [
                None if v is None else v.strftime("%Y-%m") if hasattr(v, "strftime") else v[:7]
                for v in values
            ]
        if kind == "text":

            def name_of(creator_id: int) -> str:
                return mention_names.get(creator_id) or "[MENTION]"

            # Most texts mention nobody and pass through as they are.
            opening, render = mentions.OPEN, mentions.render
            return [v if v is None or opening not in v else render(v, name_of) for v in values]
        if kind == "mentions":
            return [
                [mention_names[i] for i in dict.fromkeys(mentions.referenced_ids(v or ""))]
                for v in values
            ]
        if kind == "hashtag_info":
            return [
                [
                    {"hashtag_id": None, "hashtag_name": name, "hashtag_description": None}
                    for name in json_list(v)
                ]
                for v in values
            ]
        if kind == "username":
            return self._encode(values, self.pseudonyms.usernames)
        entity = kind.removesuffix("_id")
        return self._encode(values, lambda ids: self.pseudonyms.encode(entity, ids))

    def _entity_ids(self, entities, ids) -> list:
        """Each id as the reader's pseudonym of its entity's kind (a username for an
        account)."""
        rendered = [None] * len(ids)
        for entity in set(entities):
            at = [i for i, e in enumerate(entities) if e == entity]
            internal = [ids[i] for i in at]
            if entity == "creator":
                encoded = self.pseudonyms.usernames(internal)
            else:
                encoded = self.pseudonyms.encode(entity, internal)
            for i, value in zip(at, encoded, strict=True):
                rendered[i] = value
        return rendered

    @staticmethod
    def _encode(values: list, encode) -> list:
        present = [v for v in values if v is not None]
        encoded = iter(encode(present))
        return [next(encoded) if v is not None else None for v in values]


def fields_of(resource, spec: dict[str, tuple[str, str]]) -> dict[str, Field]:
    """A source's fields: every codebook field of `resource`, each with the SQL expression it
    reads and its rendering kind (`spec`: name -> (expression, kind); None and "null" for a
    field TikTok documents that the data has no value for), and nothing else."""
    names = [f.name for f in resource.fields]
    if set(names) != set(spec):
        raise RuntimeError(
            f"rendering of {resource.name} out of step with the codebook: "
            f"{sorted(set(names) ^ set(spec))}"
        )
    return {
        name: Field(
            name, column if isinstance(column, tuple) else (column,) if column else (), kind
        )
        for name in names
        for column, kind in [spec[name]]
    }
