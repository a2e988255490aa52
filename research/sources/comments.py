"""Comments: every visible comment and reply of a video, oldest first. Never the author."""

import codebook
from catalog.models import CommentStatus, VideoStatus
from core.errors import NotFound
from research.keyset import db_time
from research.rendering import fields_of
from research.sources import Source, exists
from research.sources.videos import VideoSearch

FIELDS = fields_of(
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


class VideoComments(Source):
    table = "catalog_comment c"
    fields = FIELDS
    keys = ("c.create_time", "c.id")
    descending = False

    def search_params(self, request, pseudonyms):
        video_id = pseudonyms.decode("video", [int(request.video_id)])[0]
        if not video_id or not exists(
            "catalog_video", video_id, "status = %s", [VideoStatus.PUBLIC]
        ):
            raise NotFound(
                "No public video with this video_id (ids are your project's pseudonyms)."
            )
        return {"video_id": video_id}

    def where(self, params, pseudonyms, snapshot, sql):
        return (
            f"c.video_id = {sql.param(params['video_id'])} "
            f"AND c.status = {sql.param(CommentStatus.VISIBLE)} "
            f"AND c.ingested_at <= {sql.param(db_time(snapshot))}"
        )


class CommentsOfVideoSearch(Source):
    """Every visible comment and reply under the videos a video query finds (exports), video
    by video: the order of the comments' index, so millions stream without a sort."""

    table = "catalog_comment c JOIN catalog_video v ON v.id = c.video_id"
    fields = FIELDS
    keys = ("c.video_id", "c.id")
    descending = False

    def search_params(self, request, pseudonyms):
        return request.search_params()

    def where(self, params, pseudonyms, snapshot, sql):
        videos = VideoSearch().where(params, pseudonyms, snapshot, sql)
        return (
            f"{videos} AND c.status = {sql.param(CommentStatus.VISIBLE)} "
            f"AND c.ingested_at <= {sql.param(db_time(snapshot))}"
        )

    def order(self, seed):
        return self.keys, self.descending
