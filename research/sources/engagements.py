"""The public videos an account liked, reposted or pinned, most recent first."""

from catalog.models import VideoStatus
from research.keyset import db_time
from research.sources import Source, videos
from research.sources.users import account


class EngagedVideos(Source):
    fields = videos.FIELDS
    table = "catalog_engagement e JOIN catalog_video v ON v.id = e.video_id"
    keys = ("e.created_at", "e.id")

    def __init__(self, kind: str):
        self.kind = kind

    def search_params(self, request, pseudonyms):
        return {"username": account(request.username, pseudonyms)}

    def where(self, params, pseudonyms, snapshot, sql):
        return (
            f"e.creator_id = {sql.param(params['username'])} "
            f"AND e.kind = {sql.param(self.kind)} "
            f"AND v.status = {sql.param(VideoStatus.PUBLIC)} "
            f"AND e.ingested_at <= {sql.param(db_time(snapshot))}"
        )
