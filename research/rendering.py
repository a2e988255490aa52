"""Turning catalogue rows into what a project receives: chosen fields, pseudonyms for every
id and username, mentions rendered as the reader's pseudonyms, Unix times.

Rows come from raw SQL as tuples (the fast path, see docs/benchmarks.md); `Column` says
which columns a field needs, so a request for three fields reads three columns.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

import orjson

from catalog import mentions
from research import codebook
from research.pseudonyms import Pseudonyms
from research_api.errors import InvalidParams


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
    # kind: plain, unix, json, video_id, comment_id, decision_id, username, text
    kind: str = "plain"


def fields_param(request, available: dict[str, Field], resource: str) -> list[Field]:
    """The `?fields=a,b,c` of a request (all fields when absent), checked."""
    raw = request.query_params.get("fields")
    if raw is None or raw.strip() == "":
        return list(available.values())
    wanted = [name.strip() for name in raw.split(",") if name.strip()]
    unknown = [name for name in wanted if name not in available]
    if unknown:
        raise InvalidParams(
            f"fields: {', '.join(repr(u) for u in unknown)} "
            f"{'is not a field' if len(unknown) == 1 else 'are not fields'} "
            f"of {resource}; available: {', '.join(available)}"
        )
    return [available[name] for name in dict.fromkeys(wanted)]


def select_list(fields: Iterable[Field], offset: int = 2) -> tuple[str, dict]:
    """SELECT list for `fields` and where each expression lands in a row (after `offset`
    leading keyset columns)."""
    positions: dict[str, int] = {}
    for expression in (c for f in fields for c in f.columns):
        positions.setdefault(expression, offset + len(positions))
    return ", ".join(positions), positions


class Renderer:
    """Renders rows of one page for one project: pseudonyms are computed for the whole page
    at once (one vectorised call per kind of id)."""

    def __init__(self, pseudonyms: Pseudonyms, fields: list[Field], positions: dict[str, int]):
        self.pseudonyms = pseudonyms
        self.fields = fields
        self.positions = positions

    def render(self, rows: list[tuple]) -> list[dict]:
        if not rows:
            return []
        columns = {}  # field name -> list of rendered values, one per row
        texts = [f for f in self.fields if f.kind == "text"]
        mentioned = {
            i
            for f in texts
            for row in rows
            for i in mentions.referenced_ids(row[self.positions[f.columns[0]]] or "")
        }
        mention_names = {}
        if mentioned:
            ordered = sorted(mentioned)
            mention_names = dict(zip(ordered, self.pseudonyms.usernames(ordered), strict=True))
        for field in self.fields:
            values = [row[self.positions[field.columns[0]]] for row in rows]
            columns[field.name] = self._column(field, values, mention_names.get)
        names = list(columns)
        return [
            dict(zip(names, values, strict=True)) for values in zip(*columns.values(), strict=True)
        ]

    def _column(self, field: Field, values: list, mention_name: Callable) -> list:
        kind = field.kind
        if kind == "plain":
            return values
        if kind == "unix":
            return [unix(v) for v in values]
        if kind == "json":
            return [json_list(v) for v in values]
        if kind == "bool":
            return [bool(v) for v in values]
        if kind == "month":
            return [v.strftime("%Y-%m") if hasattr(v, "strftime") else str(v)[:7] for v in values]
        if kind == "text":
            return [
                mentions.render(v or "", lambda i: mention_name(i) or "[MENTION]") for v in values
            ]
        if kind == "username":
            return self._encode(values, self.pseudonyms.usernames)
        entity = kind.removesuffix("_id")
        return self._encode(values, lambda ids: self.pseudonyms.encode(entity, ids))

    @staticmethod
    def _encode(values: list, encode) -> list:
        present = [v for v in values if v is not None]
        encoded = iter(encode(present))
        return [next(encoded) if v is not None else None for v in values]


def _video_fields() -> dict[str, Field]:
    spec = {
        "id": ("v.id", "video_id"),
        "create_time": ("v.create_time", "unix"),
        "username": ("v.creator_id", "username"),
        "region_code": ("v.region_code", "plain"),
        "video_description": ("v.description", "text"),
        "voice_to_text": ("v.voice_to_text", "text"),
        "video_duration": ("v.duration", "plain"),
        "music_id": ("v.music_id", "plain"),
        "effect_ids": ("v.effect_ids", "json"),
        "playlist_id": ("v.playlist_id", "plain"),
        "hashtag_names": ("v.hashtag_names", "json"),
        "view_count": ("v.view_count", "plain"),
        "like_count": ("v.like_count", "plain"),
        "comment_count": ("v.comment_count", "plain"),
        "share_count": ("v.share_count", "plain"),
        "favorites_count": ("v.favorites_count", "plain"),
        "is_stem_verified": ("v.is_stem_verified", "bool"),
        "language": ("v.language", "plain"),
    }
    return _checked(codebook.VIDEO, spec)


def _checked(resource, spec: dict) -> dict[str, Field]:
    """Every codebook field of `resource` has a rendering and nothing else does."""
    names = [f.name for f in resource.fields]
    if set(names) != set(spec):
        raise RuntimeError(
            f"rendering of {resource.name} out of step with the codebook: "
            f"{sorted(set(names) ^ set(spec))}"
        )
    return {name: Field(name, (spec[name][0],), spec[name][1]) for name in names}


VIDEO_FIELDS = _video_fields()
COMMENT_FIELDS = _checked(
    codebook.COMMENT,
    {
        "id": ("c.id", "comment_id"),
        "video_id": ("c.video_id", "video_id"),
        "text": ("c.text", "text"),
        "like_count": ("c.like_count", "plain"),
        "reply_count": ("c.reply_count", "plain"),
        "parent_comment_id": ("c.parent_id", "comment_id"),
        "create_time": ("c.create_time", "unix"),
    },
)
USER_FIELDS = _checked(
    codebook.USER,
    {
        "username": ("u.id", "username"),
        "display_name": ("u.display_name", "text"),
        "bio_description": ("u.bio", "text"),
        "is_verified": ("u.is_verified", "bool"),
        "follower_count": ("u.follower_count", "plain"),
        "following_count": ("u.following_count", "plain"),
        "likes_count": ("u.likes_count", "plain"),
        "video_count": ("u.video_count", "plain"),
        "region_code": ("u.region_code", "plain"),
        "created_month": ("u.created_month", "month"),
    },
)
FOLLOW_FIELDS = _checked(
    codebook.FOLLOW,
    {
        "username": ("u.id", "username"),
        "display_name": ("u.display_name", "text"),
        "create_time": ("f.created_at", "unix"),
    },
)
