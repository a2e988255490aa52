"""Moderation decisions, shaped like the DSA Transparency Database's statements of reasons."""

from codebook.fields import (
    COUNT,
    PSEUDONYM,
    SCRUBBED,
    UNIX,
    USERNAME_PSEUDONYM,
    Field,
    Resource,
)

DECISION = Resource(
    "moderation_decision",
    "A moderation decision, one per action taken, shaped like a statement of reasons of the "
    "EU DSA Transparency Database (enumeration keys without their prefixes). Who reported "
    "the content and who decided are never stored.",
    ("/v2/research/moderation/decision/query/", "/v2/research/export/"),
    (
        Field("id", "int64", "The decision.", "moderation.Decision.id", PSEUDONYM),
        Field(
            "target_type",
            "string: video, comment, account",
            "What was actioned.",
            "moderation.Decision.target_type",
        ),
        Field(
            "video_id",
            "int64 or null",
            "The video, for decisions on videos.",
            "moderation.Decision.video",
            PSEUDONYM,
        ),
        Field(
            "comment_id",
            "int64 or null",
            "The comment, for decisions on comments.",
            "moderation.Decision.comment",
            PSEUDONYM,
        ),
        Field(
            "username",
            "string",
            "The account whose content, or which account, was actioned.",
            "moderation.Decision.creator",
            USERNAME_PSEUDONYM,
        ),
        Field(
            "decision_visibility",
            "string or empty",
            "CONTENT_REMOVED, CONTENT_DISABLED, "
            "CONTENT_DEMOTED, CONTENT_AGE_RESTRICTED, CONTENT_INTERACTION_RESTRICTED, "
            "CONTENT_LABELLED or OTHER.",
            "moderation.Decision.decision_visibility",
            coverage="decisions on content; empty for account-only decisions",
        ),
        Field(
            "decision_account",
            "string or empty",
            "SUSPENDED or TERMINATED.",
            "moderation.Decision.decision_account",
            coverage="decisions on accounts; empty otherwise",
        ),
        Field(
            "decision_ground",
            "string",
            "ILLEGAL_CONTENT or INCOMPATIBLE_CONTENT (with the terms of service).",
            "moderation.Decision.decision_ground",
        ),
        Field(
            "category",
            "string",
            "One of the 16 DSA categories, e.g. "
            "RISK_FOR_PUBLIC_SECURITY, ILLEGAL_OR_HARMFUL_SPEECH.",
            "moderation.Decision.category",
        ),
        Field(
            "category_keywords",
            "list of string",
            "DSA keywords specifying the category, e.g. TERRORIST_CONTENT, HATE_SPEECH.",
            "moderation.Decision.category_keywords",
        ),
        Field(
            "policy",
            "string",
            "The platform's policy (code), e.g. violent_hateful_orgs.",
            "moderation.Decision.policy",
        ),
        Field(
            "sub_policy",
            "string or null",
            "The sub-policy (code), e.g. violent_extremism.",
            "moderation.Decision.sub_policy",
        ),
        Field(
            "source_type",
            "string",
            "SOURCE_ARTICLE_16 (notice), SOURCE_TRUSTED_FLAGGER, "
            "SOURCE_TYPE_OTHER_NOTIFICATION or SOURCE_VOLUNTARY (own initiative).",
            "moderation.Decision.source_type",
        ),
        Field(
            "detection_method",
            "string",
            "CLASSIFIER, HASH_MATCH (shared database of known "
            "content), USER_REPORT, TRUSTED_FLAGGER or AUTHORITY_ORDER.",
            "moderation.Decision.detection_method",
        ),
        Field(
            "automated_detection",
            "bool",
            "Detected by automated means (true exactly for CLASSIFIER and HASH_MATCH).",
            "moderation.Decision.automated_detection",
        ),
        Field(
            "automated_decision",
            "string",
            "FULLY, PARTIALLY or NOT_AUTOMATED.",
            "moderation.Decision.automated_decision",
        ),
        Field(
            "content_language",
            "string, ISO 639-1/639-3",
            "Language of the content.",
            "moderation.Decision.content_language",
        ),
        Field(
            "market",
            "string, ISO 3166-1 alpha-2",
            "Market where the decision was taken.",
            "moderation.Decision.market",
        ),
        Field(
            "territorial_scope",
            "list of string",
            "Countries where the restriction applies.",
            "moderation.Decision.territorial_scope",
        ),
        Field(
            "content_created_at",
            UNIX,
            "When the content (or account) was created.",
            "moderation.Decision.content_created_at",
        ),
        Field(
            "first_detected_at",
            UNIX,
            "When the platform first detected it.",
            "moderation.Decision.first_detected_at",
        ),
        Field(
            "first_reported_at",
            f"{UNIX}, or null",
            "First user report; null when never "
            "reported. A decision is proactive when this is null or after actioned_at.",
            "moderation.Decision.first_reported_at",
            coverage="reported content only",
        ),
        Field(
            "actioned_at", UNIX, "When the decision was applied.", "moderation.Decision.actioned_at"
        ),
        Field(
            "views_at_action",
            COUNT,
            "Views when actioned (0: removed before any view).",
            "moderation.Decision.views_at_action",
            coverage="decisions on videos; 0 otherwise",
        ),
        Field(
            "appeal_filed_at",
            f"{UNIX}, or null",
            "When the account holder appealed.",
            "moderation.Decision.appeal_filed_at",
            coverage="appealed decisions",
        ),
        Field(
            "appeal_outcome",
            "string or empty",
            "UPHELD or REVERSED.",
            "moderation.Decision.appeal_outcome",
            coverage="decided appeals",
        ),
        Field(
            "appeal_decided_at",
            f"{UNIX}, or null",
            "When the appeal was decided.",
            "moderation.Decision.appeal_decided_at",
            coverage="decided appeals",
        ),
        Field(
            "reinstated_at",
            f"{UNIX}, or null",
            "When the content was restored.",
            "moderation.Decision.reinstated_at",
            coverage="reinstated content",
        ),
        *(
            Field(
                f"video_{name}",
                type_,
                f"The decided video's {meaning} (null for decisions on comments and accounts). "
                "Kept for removed videos, for auditing; the media never are.",
                f"catalog.Video.{column}",
                anonymisation,
                "decisions on videos",
            )
            for name, type_, meaning, column, anonymisation in (
                ("description", "string or null", "caption", "description", SCRUBBED),
                ("create_time", f"{UNIX}, or null", "posting time", "create_time", "none"),
                ("region_code", "string or null", "region", "region_code", "none"),
                ("view_count", "int64 or null", "views now", "view_count", "none"),
                ("like_count", "int64 or null", "likes", "like_count", "none"),
                ("comment_count", "int64 or null", "comments", "comment_count", "none"),
                ("share_count", "int64 or null", "shares", "share_count", "none"),
                ("hashtag_names", "list of string", "hashtags", "hashtag_names", "none"),
            )
        ),
    ),
    plural="moderation decisions",
    title="Moderation decisions",
)
