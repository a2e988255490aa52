"""Every research listing, declared once: what it takes, what it returns, where its rows come
from, and what it needs and costs. research.engine runs the declarations; research.apis
routes and documents them. A new listing is a new row here (and a source module).
"""

from dataclasses import dataclass
from enum import Enum

from pydantic import BaseModel

import codebook
from codebook.scopes import Scope
from quotas.models import Family
from research import requests
from research.rendering import Field
from research.sources import Source
from research.sources.comments import CommentsOfVideoSearch, VideoComments
from research.sources.decisions import DecisionSearch
from research.sources.deletions import DeletionFeed
from research.sources.engagements import EngagedVideos
from research.sources.follows import EdgesAroundVideoSearch, FollowEdges
from research.sources.users import AccountProfile, AuthorsOfVideoSearch
from research.sources.videos import VideoSearch


class Paging(Enum):
    SEARCH = "search"  # pages by search_id and cursor (a query, saved for 24 hours)
    CURSOR = "cursor"  # pages by cursor alone (a list of one anchor's items)
    NONE = "none"  # one answer: a short list, or a single record


@dataclass(frozen=True)
class Listing:
    path: str  # under /v2/research/; also the audit target and the search's endpoint
    operation_id: str
    summary: str
    description: str
    request: type[BaseModel]
    resource: codebook.Resource  # the codebook's description of what it returns
    source: Source
    key: str | None  # where the records go in `data`; None: the record is `data` itself
    scope: str
    dataset: str
    family: str | None  # the quota family it is metered in (None: not metered)
    paging: Paging = Paging.CURSOR
    max_records: int = 100  # per answer, for Paging.NONE
    method: str = "POST"  # GET: the request is the query string (our own extensions only)
    syncs_compliance: bool = False  # reading it to its end is a compliance sync

    @property
    def fields(self) -> dict[str, Field]:
        return self.source.fields

    @property
    def url(self) -> str:
        return f"/v2/research/{self.path}/"


LISTINGS = (
    Listing(
        path="video/query",
        operation_id="video_query",
        summary="Query videos",
        description=(
            "Search videos with TikTok's query language; page with `search_id` and `cursor`."
        ),
        request=requests.VideoQueryRequest,
        resource=codebook.VIDEO,
        source=VideoSearch(),
        key="videos",
        scope=Scope.DATA_BASIC,
        dataset="video",
        family=Family.VIDEOS,
        paging=Paging.SEARCH,
    ),
    Listing(
        path="video/comment/list",
        operation_id="video_comment_list",
        summary="List a video's comments",
        description="All comments and replies of a video, oldest first, however many there are.",
        request=requests.CommentListRequest,
        resource=codebook.COMMENT,
        source=VideoComments(),
        key="comments",
        scope=Scope.DATA_BASIC,
        dataset="comment",
        family=Family.VIDEOS,
    ),
    Listing(
        path="user/info",
        operation_id="user_info",
        summary="Look up an account",
        description="An account's public profile.",
        request=requests.UsernameRequest,
        resource=codebook.USER,
        source=AccountProfile(),
        key=None,
        scope=Scope.DATA_BASIC,
        dataset="user",
        family=Family.VIDEOS,
        paging=Paging.NONE,
        max_records=1,
    ),
    Listing(
        path="user/followers",
        operation_id="user_followers",
        summary="List an account's followers",
        description="Every account that follows this one, most recent first; the list is complete.",
        request=requests.UserListRequest,
        resource=codebook.FOLLOW,
        source=FollowEdges(anchor="followee_id", listed="follower_id"),
        key="user_followers",
        scope=Scope.DATA_BASIC,
        dataset="follow",
        family=Family.GRAPH,
    ),
    Listing(
        path="user/following",
        operation_id="user_following",
        summary="List the accounts an account follows",
        description="Every account this one follows, most recent first; the list is complete.",
        request=requests.UserListRequest,
        resource=codebook.FOLLOW,
        source=FollowEdges(anchor="follower_id", listed="followee_id"),
        key="user_following",
        scope=Scope.DATA_BASIC,
        dataset="follow",
        family=Family.GRAPH,
    ),
    Listing(
        path="user/liked_videos",
        operation_id="user_liked_videos",
        summary="List the videos an account liked",
        description="Public videos this account liked, most recent like first.",
        request=requests.UserListRequest,
        resource=codebook.VIDEO,
        source=EngagedVideos("like"),
        key="user_liked_videos",
        scope=Scope.DATA_BASIC,
        dataset="video",
        family=Family.VIDEOS,
    ),
    Listing(
        path="user/pinned_videos",
        operation_id="user_pinned_videos",
        summary="List the videos pinned to an account's profile",
        description="The public videos pinned to this account's profile.",
        request=requests.PinnedRequest,
        resource=codebook.VIDEO,
        source=EngagedVideos("pin"),
        key="pinned_videos_list",
        scope=Scope.DATA_BASIC,
        dataset="video",
        family=Family.VIDEOS,
        paging=Paging.NONE,
    ),
    Listing(
        path="user/reposted_videos",
        operation_id="user_reposted_videos",
        summary="List the videos an account reposted",
        description="Public videos this account reposted, most recent first.",
        request=requests.UserListRequest,
        resource=codebook.VIDEO,
        source=EngagedVideos("repost"),
        key="reposted_videos",
        scope=Scope.DATA_BASIC,
        dataset="video",
        family=Family.VIDEOS,
    ),
    Listing(
        path="moderation/decision/query",
        operation_id="moderation_decision_query",
        summary="Query moderation decisions",
        description=(
            "Moderation decisions with the video query's language and paging, over the date "
            "they were actioned, with the decided video's metadata."
        ),
        request=requests.DecisionQueryRequest,
        resource=codebook.DECISION,
        source=DecisionSearch(),
        key="decisions",
        scope=Scope.DATA_MODERATION,
        dataset="moderation_decision",
        family=Family.VIDEOS,
        paging=Paging.SEARCH,
    ),
    Listing(
        path="compliance/deletions",
        operation_id="compliance_deletions",
        summary="List what was deleted since your last sync",
        description=(
            "Everything deleted on the platform that this service learned of since `since`, "
            "oldest first, in your pseudonyms: purge it from your copies. Reading it to its "
            "end counts as your project's compliance sync."
        ),
        request=requests.DeletionsRequest,
        resource=codebook.DELETION,
        source=DeletionFeed(),
        key="deletions",
        scope=Scope.COMPLIANCE,
        dataset="deletion",
        family=None,
        method="GET",
        syncs_compliance=True,
    ),
)
BY_PATH = {listing.path: listing for listing in LISTINGS}


def _around_videos(name: str, description: str, resource, source, dataset: str, family: str):
    """A listing only exports read: `resource` records around the videos a video query finds."""
    return Listing(
        path=f"export/{name}",
        operation_id=f"export_{name}",
        summary=f"Export {resource.records}",
        description=description,
        request=requests.VideoQueryRequest,
        resource=resource,
        source=source,
        key=None,
        scope=Scope.DATA_BASIC,
        dataset=dataset,
        family=family,
        paging=Paging.NONE,
    )


# What an export can read (research.engine.stream), by the name an export request gives.
EXPORTABLE = {
    "videos": BY_PATH["video/query"],
    "moderation_decisions": BY_PATH["moderation/decision/query"],
    "comments": _around_videos(
        "comments",
        "Every visible comment and reply under the videos the query finds.",
        codebook.COMMENT,
        CommentsOfVideoSearch(),
        "comment",
        Family.VIDEOS,
    ),
    "accounts": _around_videos(
        "accounts",
        "The accounts that posted the videos the query finds.",
        codebook.USER,
        AuthorsOfVideoSearch(),
        "user",
        Family.VIDEOS,
    ),
    "follow_edges": _around_videos(
        "follow_edges",
        "Every follow edge into or out of the accounts that posted the videos the query finds.",
        codebook.FOLLOW_EDGE,
        EdgesAroundVideoSearch(),
        "follow",
        Family.GRAPH,
    ),
}
