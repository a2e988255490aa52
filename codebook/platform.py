"""The platform's content: videos, comments, accounts and the follow graph."""

from codebook.fields import (
    COUNT,
    GLOBAL_ID,
    NOT_IN_DATA,
    PSEUDONYM,
    SCRUBBED,
    UNIX,
    USERNAME_PSEUDONYM,
    Field,
    Resource,
)

VIDEO = Resource(
    "video",
    "A public video, as returned by video queries and by the liked, pinned and reposted "
    "video lists. Removed, private and deleted videos are not returned by queries.",
    (
        "/v2/research/video/query/",
        "/v2/research/user/liked_videos/",
        "/v2/research/user/pinned_videos/",
        "/v2/research/user/reposted_videos/",
        "/v2/research/export/",
    ),
    (
        Field("id", "int64", "The video.", "catalog.Video.id", PSEUDONYM),
        Field("create_time", UNIX, "When the video was posted.", "catalog.Video.create_time"),
        Field(
            "username",
            "string",
            "The account that posted it.",
            "catalog.Video.creator",
            USERNAME_PSEUDONYM,
        ),
        Field(
            "region_code",
            "string, ISO 3166-1 alpha-2",
            "Region the video was posted from, as the platform records it.",
            "catalog.Video.region_code",
        ),
        Field(
            "video_description",
            "string",
            "The caption, hashtags included.",
            "catalog.Video.description",
            SCRUBBED,
        ),
        Field(
            "voice_to_text",
            "string",
            "Automatic transcript of the speech in the video.",
            "catalog.Video.voice_to_text",
            SCRUBBED,
            "only videos with speech the platform transcribed (about a third); empty "
            "string otherwise",
        ),
        Field("video_duration", "int, seconds", "Length of the video.", "catalog.Video.duration"),
        Field(
            "music_id",
            "int64 or null",
            "The sound used (platform catalogue id).",
            "catalog.Video.music_id",
            GLOBAL_ID,
            coverage="videos with a sound (about 85%)",
        ),
        Field(
            "effect_ids",
            "list of int64",
            "Effects used (platform catalogue ids).",
            "catalog.Video.effect_ids",
            GLOBAL_ID,
            coverage="empty list when none (about 75%)",
        ),
        Field(
            "playlist_id",
            "int64 or null",
            "The creator's playlist the video is in.",
            "catalog.Video.playlist_id",
            PSEUDONYM + " (a playlist belongs to one account, so its id would link projects)",
            coverage="videos in a playlist (about 5%)",
        ),
        Field(
            "hashtag_names",
            "list of string",
            "Hashtags, lower case, without '#'.",
            "catalog.Video.hashtag_names",
        ),
        Field(
            "view_count",
            COUNT,
            "Views. For a video later removed, frozen at removal.",
            "catalog.Video.view_count",
        ),
        Field("like_count", COUNT, "Likes.", "catalog.Video.like_count"),
        Field(
            "comment_count",
            COUNT,
            "Comments, replies included; equals what the comment "
            "list returns, deleted comments aside.",
            "catalog.Video.comment_count",
        ),
        Field("share_count", COUNT, "Shares.", "catalog.Video.share_count"),
        Field(
            "favorites_count", COUNT, "Times saved to favourites.", "catalog.Video.favorites_count"
        ),
        Field(
            "is_stem_verified",
            "bool",
            "Verified as science, technology, engineering or mathematics content.",
            "catalog.Video.is_stem_verified",
        ),
        Field(
            "language",
            "string, ISO 639-1/639-3",
            "Main language of the video (extension to TikTok's fields).",
            "catalog.Video.language",
        ),
        Field(
            "favourites_count",
            COUNT,
            "The same as favorites_count, under the spelling of TikTok's older documentation "
            "(clients written against it ask for this name).",
            "catalog.Video.favorites_count",
        ),
        Field(
            "hashtag_info_list",
            "list of objects {hashtag_id, hashtag_name, hashtag_description}",
            "The hashtags, in TikTok's richer form. Only hashtag_name has a value here: the "
            "platform's hashtag ids and descriptions are not in this service's data "
            "(hashtag_id and hashtag_description are null).",
            "catalog.Video.hashtag_names",
        ),
        Field(
            "video_mention_list",
            "list of string",
            "The accounts the caption mentions, as your pseudonymous usernames (the same as "
            "the @mentions rendered in video_description).",
            "catalog.Video.description",
            USERNAME_PSEUDONYM,
            "empty list when the caption mentions nobody",
        ),
        *(
            Field(
                name,
                "null",
                f"{meaning} Not in this service's data: always null, accepted so that clients "
                "asking for TikTok's full field list work.",
                NOT_IN_DATA,
                coverage="no record (always null)",
            )
            for name, meaning in (
                ("sticker_info_list", "TikTok: the stickers on the video."),
                ("effect_info_list", "TikTok: the effects, with names (see effect_ids)."),
                ("video_label", "TikTok: a label shown on the video, e.g. election information."),
                ("video_tag", "TikTok: tags the platform gave the video."),
            )
        ),
    ),
    title="Videos",
)

COMMENT = Resource(
    "comment",
    "A visible comment or reply. The author is never returned.",
    ("/v2/research/video/comment/list/", "/v2/research/export/"),
    (
        Field("id", "int64", "The comment.", "catalog.Comment.id", PSEUDONYM),
        Field(
            "video_id", "int64", "The video it was posted on.", "catalog.Comment.video", PSEUDONYM
        ),
        Field("text", "string", "The comment.", "catalog.Comment.text", SCRUBBED),
        Field("like_count", COUNT, "Likes.", "catalog.Comment.like_count"),
        Field("reply_count", COUNT, "Direct replies.", "catalog.Comment.reply_count"),
        Field(
            "parent_comment_id",
            "int64 or null",
            "The comment this one replies to; null for a top-level comment.",
            "catalog.Comment.parent",
            PSEUDONYM,
        ),
        Field("create_time", UNIX, "When it was posted.", "catalog.Comment.create_time"),
    ),
    title="Comments",
)

USER = Resource(
    "user",
    "An account's public profile. Accounts are looked up by their pseudonymous username.",
    ("/v2/research/user/info/", "/v2/research/export/"),
    (
        Field("username", "string", "The account.", "catalog.Creator.id", USERNAME_PSEUDONYM),
        Field(
            "display_name",
            "string",
            "Name shown on the profile.",
            "catalog.Creator.display_name",
            SCRUBBED,
        ),
        Field(
            "bio_description",
            "string",
            "Profile text.",
            "catalog.Creator.bio",
            SCRUBBED,
            "empty string when the account has none (about 40%)",
        ),
        Field("is_verified", "bool", "Verified account.", "catalog.Creator.is_verified"),
        Field(
            "follower_count",
            COUNT,
            "Followers; equals what the follower list returns.",
            "catalog.Creator.follower_count",
        ),
        Field(
            "following_count",
            COUNT,
            "Accounts followed; equals the following list.",
            "catalog.Creator.following_count",
        ),
        Field(
            "likes_count",
            COUNT,
            "Likes received on the account's videos.",
            "catalog.Creator.likes_count",
        ),
        Field(
            "video_count", COUNT, "Videos posted and not deleted.", "catalog.Creator.video_count"
        ),
        Field(
            "region_code",
            "string, ISO 3166-1 alpha-2",
            "Region of the account (extension).",
            "catalog.Creator.region_code",
        ),
        Field(
            "created_month",
            "string, YYYY-MM",
            "Month the account was created; coarsened to the month (extension).",
            "catalog.Creator.created_month",
            "coarsened from the exact time",
        ),
        Field(
            "avatar_url",
            "null",
            "TikTok: the profile picture's address. Always null here: a face identifies a "
            "person, and no picture leaves this service.",
            NOT_IN_DATA,
            "withheld: identifies a person",
            "no record (always null)",
        ),
        Field(
            "bio_url",
            "null",
            "TikTok: the link in the profile. Always null here: links are scrubbed from "
            "texts at ingestion (they appear as [URL] in bio_description).",
            NOT_IN_DATA,
            "withheld: links are scrubbed",
            "no record (always null)",
        ),
    ),
    title="Account profiles",
)

FOLLOW = Resource(
    "follow",
    "One edge of the follow graph: who follows an account, or whom it follows. Lists are "
    "complete, however long.",
    ("/v2/research/user/followers/", "/v2/research/user/following/"),
    (
        Field(
            "username",
            "string",
            "The follower (or followed) account.",
            "catalog.Follow.follower",
            USERNAME_PSEUDONYM,
        ),
        Field(
            "display_name", "string", "Its display name.", "catalog.Creator.display_name", SCRUBBED
        ),
        Field(
            "create_time", UNIX, "When the follow began (extension).", "catalog.Follow.created_at"
        ),
    ),
    plural="follow edges",
    title="Follow graph",
)

FOLLOW_EDGE = Resource(
    "follow_edge",
    "One edge of the follow graph with both its ends, as exports write it: every edge into or "
    "out of the accounts that posted the videos an export's query finds.",
    ("/v2/research/export/",),
    (
        Field(
            "follower",
            "string",
            "The account that follows.",
            "catalog.Follow.follower",
            USERNAME_PSEUDONYM,
        ),
        Field(
            "followee",
            "string",
            "The account followed.",
            "catalog.Follow.followee",
            USERNAME_PSEUDONYM,
        ),
        Field("create_time", UNIX, "When the follow began.", "catalog.Follow.created_at"),
    ),
    plural="follow edges",
)
