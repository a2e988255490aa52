"""Moderation decisions: the video query's grammar and paging over decisions, newest action
first, with the decided video's metadata. Removed videos' metadata stays available here for
auditing (never their media); the video query keeps hiding them."""

import re

from django.db import connection

import codebook
from catalog.models import VideoStatus
from moderation.taxonomy import (
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
from research.keyset import db_time
from research.query_language import (
    EQUALITY,
    OPERATIONS,
    QueryField,
    id_value,
    one_of,
    region_value,
    text_value,
)
from research.rendering import fields_of
from research.sources import (
    Source,
    Sql,
    compared,
    equal_to,
    pseudonymous,
    query_conditions,
    random_rank,
    window_bounds,
)
from research.sources.videos import keyword  # over the decided video, joined as v

FIELDS = fields_of(
    codebook.DECISION,
    {
        "id": ("d.id", "decision_id"),
        "target_type": ("d.target_type", "plain"),
        "video_id": ("d.video_id", "video_id"),
        "comment_id": ("d.comment_id", "comment_id"),
        "username": ("d.creator_id", "username"),
        "decision_visibility": ("d.decision_visibility", "plain"),
        "decision_account": ("d.decision_account", "plain"),
        "decision_ground": ("d.decision_ground", "plain"),
        "category": ("d.category", "plain"),
        "category_keywords": ("d.category_keywords", "json"),
        "policy": ("p.code", "plain"),
        "sub_policy": ("sp.code", "plain"),
        "source_type": ("d.source_type", "plain"),
        "detection_method": ("d.detection_method", "plain"),
        "automated_detection": ("d.automated_detection", "bool"),
        "automated_decision": ("d.automated_decision", "plain"),
        "content_language": ("d.content_language", "plain"),
        "market": ("d.market", "plain"),
        "territorial_scope": ("d.territorial_scope", "json"),
        "content_created_at": ("d.content_created_at", "unix"),
        "first_detected_at": ("d.first_detected_at", "unix"),
        "first_reported_at": ("d.first_reported_at", "unix"),
        "actioned_at": ("d.actioned_at", "unix"),
        "views_at_action": ("d.views_at_action", "plain"),
        "appeal_filed_at": ("d.appeal_filed_at", "unix"),
        "appeal_outcome": ("d.appeal_outcome", "plain"),
        "appeal_decided_at": ("d.appeal_decided_at", "unix"),
        "reinstated_at": ("d.reinstated_at", "unix"),
        "video_description": ("v.description", "text"),
        "video_create_time": ("v.create_time", "unix"),
        "video_region_code": ("v.region_code", "plain"),
        "video_view_count": ("v.view_count", "plain"),
        "video_like_count": ("v.like_count", "plain"),
        "video_comment_count": ("v.comment_count", "plain"),
        "video_share_count": ("v.share_count", "plain"),
        "video_hashtag_names": ("v.hashtag_names", "json"),
    },
)


_COUNT = re.compile(r"[0-9]{1,18}")


def _category_keyword(values, operation, sql, pseudonyms) -> str:
    """Decisions whose DSA keywords include any of `values`."""
    if connection.vendor == "postgresql":
        return f"d.category_keywords ?| ARRAY[{sql.params_in(values)}]::text[]"
    return (
        "EXISTS (SELECT 1 FROM json_each(d.category_keywords) k "
        f"WHERE k.value IN ({sql.params_in(values)}))"
    )


def _choice(column: str, choices) -> QueryField:
    values = [str(c) for c in choices.values]
    return QueryField(EQUALITY, f"one of {', '.join(values)}", one_of(*values), equal_to(column))


def _count(value: str) -> str | None:
    return None if _COUNT.fullmatch(value) else f"{value!r} is not a count"


QUERY_FIELDS = {
    "target_type": _choice("d.target_type", TargetType),
    "video_id": QueryField(
        EQUALITY, "a video id (a positive integer)", id_value, pseudonymous("d.video_id", "video")
    ),
    "comment_id": QueryField(
        EQUALITY,
        "a comment id (a positive integer)",
        id_value,
        pseudonymous("d.comment_id", "comment"),
    ),
    "username": QueryField(
        EQUALITY, "a username", text_value, pseudonymous("d.creator_id", "creator")
    ),
    "category": _choice("d.category", Category),
    "category_keyword": QueryField(
        EQUALITY, "a DSA keyword, e.g. TERRORIST_CONTENT", text_value, _category_keyword
    ),
    "policy": QueryField(EQUALITY, "a policy code", text_value, equal_to("p.code")),
    "sub_policy": QueryField(EQUALITY, "a sub-policy code", text_value, equal_to("sp.code")),
    "decision_visibility": _choice("d.decision_visibility", DecisionVisibility),
    "decision_account": _choice("d.decision_account", DecisionAccount),
    "decision_ground": _choice("d.decision_ground", DecisionGround),
    "source_type": _choice("d.source_type", SourceType),
    "detection_method": _choice("d.detection_method", DetectionMethod),
    "automated_detection": QueryField(
        EQUALITY,
        "true or false",
        one_of("true", "false"),
        equal_to("d.automated_detection", lambda value: value == "true"),
    ),
    "automated_decision": _choice("d.automated_decision", AutomatedDecision),
    "market": QueryField(
        EQUALITY, "a two-letter region code", region_value, equal_to("d.market", str.upper)
    ),
    "content_language": QueryField(
        EQUALITY, "a language code", text_value, equal_to("d.content_language", str.lower)
    ),
    "views_at_action": QueryField(
        OPERATIONS, "a count of views", _count, compared("d.views_at_action")
    ),
    "appeal_outcome": _choice("d.appeal_outcome", AppealOutcome),
    "keyword": QueryField(
        EQUALITY,
        "a keyword or phrase in the decided video's description or transcript",
        text_value,
        keyword,
    ),
}


class DecisionSearch(Source):
    # The decided video's metadata, if it is public or was removed by moderation: never of
    # a video its creator made private (nor its text for keyword searches).
    table = (
        "moderation_decision d JOIN moderation_policy p ON p.id = d.policy_id "
        "LEFT JOIN moderation_policy sp ON sp.id = d.sub_policy_id "
        "LEFT JOIN catalog_video v ON v.id = d.video_id "
        f"AND v.status IN ('{VideoStatus.PUBLIC}', '{VideoStatus.REMOVED}')"
    )
    fields = FIELDS
    keys = ("d.actioned_at", "d.id")

    def search_params(self, request, pseudonyms):
        return request.search_params()

    def where(self, params, pseudonyms, snapshot, sql: Sql):
        start, end = window_bounds(params)
        parts = [
            f"d.ingested_at <= {sql.param(db_time(snapshot))}",
            f"d.actioned_at >= {sql.param(db_time(start))}",
            f"d.actioned_at < {sql.param(db_time(end))}",
        ]
        parts += query_conditions(params["query"], QUERY_FIELDS, sql, pseudonyms)
        return " AND ".join(parts)

    def order(self, seed):
        if seed:
            return (random_rank(seed, "d.id"), "d.id"), False
        return self.keys, True
