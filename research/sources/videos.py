"""Videos: the video query, compiled from the query language to one SQL statement per page.

Order: newest first, by (create_time, id); a random search orders by a permutation of ids
drawn from the search's seed instead, so a sample is uniform and reproducible by search_id.
Only public videos are found (removed, private and deleted ones never are).
"""

from datetime import UTC, datetime, timedelta

from django.db import connection

import codebook
from catalog.fulltext import SQLITE_TABLE
from catalog.models import VideoStatus
from research.keyset import db_time
from research.query_language import (
    EQUALITY,
    OPERATIONS,
    QueryField,
    date_value,
    id_value,
    one_of,
    region_value,
    text_value,
)
from research.rendering import fields_of
from research.sources import (
    Source,
    Sql,
    equal_to,
    pseudonymous,
    query_conditions,
    random_rank,
    window_bounds,
)

VIDEO_LENGTHS = {  # seconds, [low, high)
    "SHORT": (0, 15),
    "MID": (15, 61),
    "LONG": (61, 301),
    "EXTRA_LONG": (301, None),
}

# Every field of the codebook's video resource: the column it reads and how it is rendered.
FIELDS = fields_of(
    codebook.VIDEO,
    {
        "id": ("v.id", "video_id"),
        "create_time": ("v.create_time", "unix"),
        "username": ("v.creator_id", "username"),
        "region_code": ("v.region_code", "plain"),
        "video_description": ("v.description", "text"),
        "voice_to_text": ("v.voice_to_text", "text"),
        "video_duration": ("v.duration", "plain"),
        "music_id": ("v.music_id", "plain"),
        "effect_ids": ("v.effect_ids", "json"),
        "playlist_id": ("v.playlist_id", "playlist_id"),
        "hashtag_names": ("v.hashtag_names", "json"),
        "view_count": ("v.view_count", "plain"),
        "like_count": ("v.like_count", "plain"),
        "comment_count": ("v.comment_count", "plain"),
        "share_count": ("v.share_count", "plain"),
        "favorites_count": ("v.favorites_count", "plain"),
        "is_stem_verified": ("v.is_stem_verified", "bool"),
        "language": ("v.language", "plain"),
        "favourites_count": ("v.favorites_count", "plain"),
        "hashtag_info_list": ("v.hashtag_names", "hashtag_info"),
        "video_mention_list": ("v.description", "mentions"),
        "sticker_info_list": (None, "null"),
        "effect_info_list": (None, "null"),
        "video_label": (None, "null"),
        "video_tag": (None, "null"),
    },
)


def _day(value: str) -> datetime:
    return datetime(int(value[:4]), int(value[4:6]), int(value[6:]), tzinfo=UTC)


def day_condition(column: str, operation: str, day: datetime, sql: Sql) -> str:
    next_day = day + timedelta(days=1)
    if operation == "EQ":
        return (
            f"({column} >= {sql.param(db_time(day))} AND {column} < {sql.param(db_time(next_day))})"
        )
    bound, comparison = {
        "GT": (next_day, ">="),
        "GTE": (day, ">="),
        "LT": (day, "<"),
        "LTE": (next_day, "<"),
    }[operation]
    return f"{column} {comparison} {sql.param(db_time(bound))}"


def keyword_condition(keywords: list[str], sql: Sql) -> str:
    """A phrase match on the video's description and transcript."""
    keywords = [k.strip() for k in keywords]
    if connection.vendor == "postgresql":
        queries = " || ".join(
            f"phraseto_tsquery('simple'::regconfig, {sql.param(k)})" for k in keywords
        )
        return f"v.search_vector @@ ({queries})"
    match = " OR ".join('"' + k.replace('"', '""') + '"' for k in keywords)
    return (
        f"v.id IN (SELECT rowid FROM {SQLITE_TABLE} WHERE {SQLITE_TABLE} MATCH {sql.param(match)})"
    )


def _create_date(values, operation, sql, pseudonyms) -> str:
    operation = "EQ" if operation == "IN" else operation
    days = [day_condition("v.create_time", operation, _day(v), sql) for v in values]
    return "(" + " OR ".join(days) + ")"


def _hashtag(values, operation, sql, pseudonyms) -> str:
    names = [v.strip().removeprefix("#").lower() for v in values]
    return (
        f"v.id IN (SELECT vh.video_id FROM catalog_videohashtag vh JOIN catalog_hashtag h "
        f"ON h.id = vh.hashtag_id WHERE h.name IN ({sql.params_in(names)}))"
    )


def _music(values, operation, sql, pseudonyms) -> str:
    return f"(v.music_id IS NOT NULL AND v.music_id IN ({sql.params_in(map(int, values))}))"


def _effect(values, operation, sql, pseudonyms) -> str:
    return (
        f"v.id IN (SELECT ve.video_id FROM catalog_videoeffect ve WHERE ve.effect_id IN "
        f"({sql.params_in(map(int, values))}))"
    )


def _length(values, operation, sql, pseudonyms) -> str:
    ranges = []
    for value in values:
        low, high = VIDEO_LENGTHS[value]
        lower = f"v.duration >= {sql.param(low)}"  # parameters bind in this order
        upper = f" AND v.duration < {sql.param(high)}" if high is not None else ""
        ranges.append(f"({lower}{upper})")
    return "(" + " OR ".join(ranges) + ")"


def keyword(values, operation, sql, pseudonyms) -> str:
    return keyword_condition(values, sql)


QUERY_FIELDS = {
    "create_date": QueryField(OPERATIONS, "a date in YYYYMMDD form", date_value, _create_date),
    "username": QueryField(
        EQUALITY, "a username", text_value, pseudonymous("v.creator_id", "creator")
    ),
    "region_code": QueryField(
        EQUALITY, "a two-letter region code", region_value, equal_to("v.region_code", str.upper)
    ),
    "video_id": QueryField(
        EQUALITY, "a video id (a positive integer)", id_value, pseudonymous("v.id", "video")
    ),
    "hashtag_name": QueryField(EQUALITY, "a hashtag name", text_value, _hashtag),
    "keyword": QueryField(EQUALITY, "a keyword or phrase", text_value, keyword),
    "music_id": QueryField(EQUALITY, "a music id (a positive integer)", id_value, _music),
    "effect_id": QueryField(EQUALITY, "an effect id (a positive integer)", id_value, _effect),
    "video_length": QueryField(
        EQUALITY, f"one of {', '.join(VIDEO_LENGTHS)}", one_of(*VIDEO_LENGTHS), _length
    ),
}


class VideoSearch(Source):
    table = "catalog_video v"
    fields = FIELDS
    keys = ("v.create_time", "v.id")

    def search_params(self, request, pseudonyms):
        return request.search_params()

    def where(self, params, pseudonyms, snapshot, sql):
        start, end = window_bounds(params)
        parts = [
            f"v.status = {sql.param(VideoStatus.PUBLIC)}",
            f"v.ingested_at <= {sql.param(db_time(snapshot))}",
            f"v.create_time >= {sql.param(db_time(start))}",
            f"v.create_time < {sql.param(db_time(end))}",
        ]
        parts += query_conditions(params["query"], QUERY_FIELDS, sql, pseudonyms)
        return " AND ".join(parts)

    def order(self, seed):
        if seed:
            return (random_rank(seed), "v.id"), False
        return self.keys, True
