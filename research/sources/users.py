"""Accounts: an account's profile, and the look-up every per-account listing starts from."""

import codebook
from catalog.models import CreatorStatus
from core.errors import NotFound
from research.rendering import fields_of
from research.sources import Source, Sql, exists
from research.sources.videos import VideoSearch

FIELDS = fields_of(
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
        "avatar_url": (None, "null"),
        "bio_url": (None, "null"),
    },
)


def account(username: str, pseudonyms) -> int:
    """The internal id of the account a project names by its pseudonymous username (deleted
    accounts, and names that are not the project's pseudonyms, are not found)."""
    creator_id = pseudonyms.username_ids([username])[0]
    if not creator_id or not exists(
        "catalog_creator", creator_id, "status <> %s", [CreatorStatus.DELETED]
    ):
        raise NotFound("No account with this username (usernames are your project's pseudonyms).")
    return creator_id


class AccountProfile(Source):
    table = "catalog_creator u"
    fields = FIELDS
    keys = ("u.id", "u.id")

    def search_params(self, request, pseudonyms):
        return {"username": account(request.username, pseudonyms)}

    def where(self, params, pseudonyms, snapshot, sql: Sql):
        return f"u.id = {sql.param(params['username'])}"


class AuthorsOfVideoSearch(Source):
    """The accounts that posted the videos a video query finds (exports)."""

    table = "catalog_creator u"
    fields = FIELDS
    keys = ("u.id", "u.id")
    descending = False

    def search_params(self, request, pseudonyms):
        return request.search_params()

    def where(self, params, pseudonyms, snapshot, sql: Sql):
        # Parameters bind in the order the text names them: the videos' come first.
        videos = VideoSearch().where(params, pseudonyms, snapshot, sql)
        return (
            f"u.id IN (SELECT v.creator_id FROM catalog_video v WHERE {videos}) "
            f"AND u.status <> {sql.param(CreatorStatus.DELETED)}"
        )

    def order(self, seed):
        return self.keys, self.descending
