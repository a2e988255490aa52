"""The follow graph: who follows an account, or whom it follows, most recent first. Lists
are complete, however long (TikTok's stop at a few thousand)."""

from datetime import UTC, datetime

import codebook
from catalog.models import CreatorStatus
from research.keyset import db_time
from research.rendering import fields_of
from research.sources import Source
from research.sources.users import account
from research.sources.videos import VideoSearch

# A cursor this large is TikTok's "followed on or before this Unix time", not a position.
TIMESTAMP_CURSOR = 1_000_000_000

FIELDS = fields_of(
    codebook.FOLLOW,
    {
        "username": ("u.id", "username"),
        "display_name": ("u.display_name", "text"),
        "create_time": ("f.created_at", "unix"),
    },
)


class FollowEdges(Source):
    """Edges whose `anchor` column is the account asked about; `listed` names the accounts
    returned."""

    fields = FIELDS
    keys = ("f.created_at", "f.id")

    def __init__(self, anchor: str, listed: str):
        self.anchor, self.listed = anchor, listed
        self.table = f"catalog_follow f JOIN catalog_creator u ON u.id = f.{listed}"

    def search_params(self, request, pseudonyms):
        params = {"username": account(request.username, pseudonyms)}
        if request.cursor >= TIMESTAMP_CURSOR:
            params["before"] = request.cursor
        return params

    def cursor(self, request) -> int:
        return 0 if request.cursor >= TIMESTAMP_CURSOR else request.cursor

    def where(self, params, pseudonyms, snapshot, sql):
        condition = (
            f"f.{self.anchor} = {sql.param(params['username'])} "
            f"AND f.ingested_at <= {sql.param(db_time(snapshot))} "
            f"AND u.status <> {sql.param(CreatorStatus.DELETED)}"
        )
        if "before" in params:
            before = datetime.fromtimestamp(params["before"], UTC)
            condition += f" AND f.created_at <= {sql.param(db_time(before))}"
        return condition


EDGE_FIELDS = fields_of(
    codebook.FOLLOW_EDGE,
    {
        "follower": ("f.follower_id", "username"),
        "followee": ("f.followee_id", "username"),
        "create_time": ("f.created_at", "unix"),
    },
)


class EdgesAroundVideoSearch(Source):
    """Every follow edge into or out of the accounts that posted the videos a video query
    finds: the graph a snowball sample starts from (exports)."""

    table = (
        "catalog_follow f JOIN catalog_creator a ON a.id = f.follower_id "
        "JOIN catalog_creator b ON b.id = f.followee_id"
    )
    fields = EDGE_FIELDS
    keys = ("f.created_at", "f.id")

    def search_params(self, request, pseudonyms):
        return request.search_params()

    def where(self, params, pseudonyms, snapshot, sql):
        # Parameters bind in the order the text names them: build each part in turn.
        out_of = VideoSearch().where(params, pseudonyms, snapshot, sql)
        condition = f"(f.follower_id IN (SELECT v.creator_id FROM catalog_video v WHERE {out_of})"
        into = VideoSearch().where(params, pseudonyms, snapshot, sql)
        condition += (
            f" OR f.followee_id IN (SELECT v.creator_id FROM catalog_video v WHERE {into}))"
        )
        condition += f" AND f.ingested_at <= {sql.param(db_time(snapshot))}"
        condition += f" AND a.status <> {sql.param(CreatorStatus.DELETED)}"
        return condition + f" AND b.status <> {sql.param(CreatorStatus.DELETED)}"

    def order(self, seed):
        return self.keys, self.descending
