"""Clients written for TikTok's Research API work here by changing the base URL: their
default field lists are answered, and the published clients themselves, installed from the
package registry, read every endpoint against a live server."""

import json
from datetime import date

import pytest

from catalog.models import Creator, Video
from tests.conftest import provision
from tests.research_fixtures import Researcher, internal_id, load, study_records

# The field lists published clients ask for by default, as they send them (spaces and all):
# TikTok's own wrapper (tiktokresearchapi 1.0.4), tiktok-research-api-helper 0.1.3,
# researchtikpy 0.2.2, tiktok-metadata-kit 0.1.3 and traktok (R).
VIDEO_DEFAULTS = [
    "id,video_description,create_time, region_code,share_count,view_count,like_count,"
    "comment_count, music_id,hashtag_names, username,effect_ids,playlist_id,voice_to_text",
    "id,video_description,create_time,region_code,share_count,view_count,like_count,"
    "comment_count,music_id,hashtag_names,username,effect_ids,voice_to_text,playlist_id",
    "id, video_description, create_time, region_code, share_count, view_count, like_count, "
    "comment_count, music_id, hashtag_names, username, effect_ids, playlist_id, voice_to_text, "
    "is_stem_verified, video_duration, hashtag_info_list, sticker_info_list, effect_info_list, "
    "video_mention_list, video_label, video_tag, favorites_count",
]
USER_DEFAULTS = [
    "display_name,bio_description,avatar_url,is_verified,follower_count,following_count,"
    "likes_count,video_count",
    "display_name,bio_description,avatar_url,is_verified,follower_count,following_count,"
    "likes_count,video_count,bio_url",
]
COMMENT_DEFAULTS = [
    "id, video_id, text, like_count, reply_count, parent_comment_id, create_time",
    "id,like_count,create_time,text,video_id,parent_comment_id",
    "id,video_id,text,like_count,reply_count, create_time, parent_comment_id",
]
ENGAGEMENT_DEFAULTS = [
    "id,create_time,username,region_code,video_description,music_id,like_count,"
    "comment_count,share_count,view_count,hashtag_names",
    "id,create_time,region_code,music_id,like_count,comment_count,share_count,view_count,"
    "hashtag_names",
    "id,create_time,username,region_code,video_description,music_id,like_count,"
    "comment_count,share_count,view_count,hashtag_names,is_stem_verified,favourites_count,"
    "video_duration",
]


def _names(fields: str) -> set[str]:
    return {name.strip() for name in fields.split(",") if name.strip()}


def _records(data: dict, key: str | None) -> list[dict]:
    return [data] if key is None else data[key]


class TestDefaultFieldLists:
    @pytest.fixture
    def alpha(self, script):
        return script.username(internal_id(Creator, 1))

    @pytest.mark.parametrize("fields", VIDEO_DEFAULTS)
    def test_video_query(self, script, fields):
        body = {
            "query": {
                "and": [{"operation": "EQ", "field_name": "hashtag_name", "field_values": ["fyp"]}]
            },
            "start_date": "20260101",
            "end_date": "20261231",
            "max_count": 10,
            "cursor": None,
            "search_id": None,
            "is_random": False,
        }
        response = script.post("video/query", body, fields=fields)
        assert response.status_code == 200, response.content
        videos = response.json()["data"]["videos"]
        assert len(videos) == 2 and all(set(v) == _names(fields) for v in videos)

    @pytest.mark.parametrize("fields", USER_DEFAULTS)
    def test_user_info(self, script, alpha, fields):
        response = script.post("user/info", {"username": alpha}, fields=fields)
        assert response.status_code == 200, response.content
        info = response.json()["data"]
        assert set(info) - {"data_as_of"} == _names(fields)
        assert info["is_verified"] is False and info["avatar_url"] is None

    @pytest.mark.parametrize("fields", COMMENT_DEFAULTS)
    def test_comments(self, script, fields):
        video = script.video_id(internal_id(Video, 100))
        response = script.post(
            "video/comment/list", {"video_id": video, "max_count": 100, "cursor": None}, fields
        )
        assert response.status_code == 200, response.content
        comments = response.json()["data"]["comments"]
        assert len(comments) == 100 and all(set(c) == _names(fields) for c in comments)

    @pytest.mark.parametrize(
        ("path", "key", "count"),
        [
            ("user/liked_videos", "user_liked_videos", 2),
            ("user/pinned_videos", "pinned_videos_list", 1),
            ("user/reposted_videos", "reposted_videos", 1),
        ],
    )
    @pytest.mark.parametrize("fields", ENGAGEMENT_DEFAULTS)
    def test_liked_pinned_and_reposted_videos(self, script, alpha, path, key, count, fields):
        response = script.post(path, {"username": alpha}, fields=fields)
        assert response.status_code == 200, response.content
        videos = response.json()["data"][key]
        assert len(videos) == count and all(set(v) == _names(fields) for v in videos)

    @pytest.mark.parametrize("path", ["user/followers", "user/following"])
    def test_follower_lists_take_no_fields(self, script, alpha, path):
        response = script.post(path, {"username": alpha, "max_count": 20, "cursor": None})
        assert response.status_code == 200, response.content
        assert all(
            {"username", "display_name"} <= set(u)
            for u in response.json()["data"][path.replace("/", "_")]
        )

    @pytest.mark.parametrize(
        ("path", "body", "fields"),
        [
            ("user/info", "account", "avatar_url"),
            ("user/info", "account", "avatar_url,bio_url"),
            ("video/query", "query", "sticker_info_list,video_tag"),
            ("user/liked_videos", "account", "video_label"),
        ],
    )
    def test_asking_only_for_fields_that_are_always_null(self, script, alpha, path, body, fields):
        payload = (
            {"username": alpha}
            if body == "account"
            else {
                "query": {
                    "and": [
                        {"operation": "EQ", "field_name": "hashtag_name", "field_values": ["fyp"]}
                    ]
                },
                "start_date": "20260101",
                "end_date": "20261231",
            }
        )
        response = script.post(path, payload, fields=fields)
        assert response.status_code == 200, response.content
        data = response.json()["data"]
        records = (
            [data] if path == "user/info" else next(v for v in data.values() if isinstance(v, list))
        )
        assert records and all(
            record[name] is None for record in records for name in _names(fields)
        )

    def test_the_new_fields_have_their_documented_values(self, script):
        body = {
            "query": {
                "and": [
                    {
                        "operation": "EQ",
                        "field_name": "video_id",
                        "field_values": [str(script.video_id(internal_id(Video, 100)))],
                    }
                ]
            },
            "start_date": "20260101",
            "end_date": "20261231",
        }
        fields = "hashtag_info_list,video_mention_list,favourites_count,favorites_count,video_tag"
        (video,) = script.post("video/query", body, fields=fields).json()["data"]["videos"]
        assert video["hashtag_info_list"] == [
            {"hashtag_id": None, "hashtag_name": name, "hashtag_description": None}
            for name in ("news", "fyp")
        ]
        assert video["video_mention_list"] == [script.username(internal_id(Creator, 2))]
        assert video["favourites_count"] == video["favorites_count"]
        assert video["video_tag"] is None


# --- the published clients, against a live server ------------------------------------------


@pytest.fixture
def served(django_db_serialized_rollback, transactional_db, live_server, tmp_path):
    """The study's platform, a project with credentials, and the live server's URL."""
    load(tmp_path, study_records())
    project, key, secret = provision(owner_email="pi@uni.example")
    researcher = Researcher(project, key, secret)  # for the pseudonyms the answers must carry
    return live_server.url, key, secret, researcher


def test_tiktoks_own_wrapper_reads_every_endpoint(served):
    from tiktok_research_api import (
        Criteria,
        Query,
        QueryUserFollowersRequest,
        QueryUserFollowingRequest,
        QueryUserInfoRequest,
        QueryUserLikedVideosRequest,
        QueryUserPinnedVideosRequest,
        QueryUserRepostedVideosRequest,
        QueryVideoCommentsRequest,
        QueryVideoRequest,
        TikTokResearchAPI,
    )

    base, key, secret, researcher = served

    class Here(TikTokResearchAPI):
        # The wrapper hard-codes TikTok's host in __init__; this is the only change a
        # researcher makes.
        url = property(lambda self: base, lambda self, value: None)

    api = Here(key, secret, qps=1000)
    alpha = researcher.username(internal_id(Creator, 1))
    query = Query(and_criteria=[Criteria("IN", "region_code", ["DE", "US", "FR"])])
    videos, search_id, _, has_more, _, _ = api.query_videos(
        QueryVideoRequest(query=query, start_date="20260528", end_date="20260626", max_count=1),
        fetch_all_pages=True,
    )
    assert sorted(researcher.internal_videos(videos)) == sorted(
        internal_id(Video, n) for n in (100, 101, 102, 103)
    )
    assert search_id and not has_more

    info = api.query_user_info(QueryUserInfoRequest(alpha))
    assert info["is_verified"] is False and info["avatar_url"] is None

    video = researcher.video_id(internal_id(Video, 100))
    comments, _, more = api.query_video_comments(
        QueryVideoCommentsRequest(video_id=video, max_count=100), fetch_all_pages=True
    )
    assert len(comments) == 151 and not more

    followers, _, more = api.query_user_followers(
        QueryUserFollowersRequest(alpha, max_count=50), fetch_all_pages=True
    )
    assert len({f["username"] for f in followers}) == 130 and not more
    following, _, _ = api.query_user_following(QueryUserFollowingRequest(alpha))
    assert len(following) == 2

    liked, _, _ = api.query_user_liked_videos(QueryUserLikedVideosRequest(alpha))
    pinned = api.query_user_pinned_videos(QueryUserPinnedVideosRequest(alpha))
    reposted, _, _ = api.query_user_reposted_videos(QueryUserRepostedVideosRequest(alpha))
    assert (len(liked), len(pinned), len(reposted)) == (2, 1, 1)


def test_a_client_that_sends_json_as_text_plain_reads_videos_users_and_comments(served):
    import requests
    from tiktok_research_api_helper import api_client

    base, key, secret, researcher = served
    tiktok = "https://open.tiktokapis.com"

    class Here(requests.Session):  # the client takes its sessions as arguments
        def request(self, method, url, *args, **kwargs):
            return super().request(method, url.replace(tiktok, base), *args, **kwargs)

    tokens, research = Here(), Here()
    client = api_client.TikTokApiRequestClient(
        credentials=api_client.TikTokCredentials(client_key=key, client_secret=secret),
        access_token_fetcher_session=tokens,
        api_request_session=research,
    )
    try:
        _read_with_the_helper(client, api_client, researcher)
    finally:  # no kept-alive connection outlives the live server
        tokens.close()
        research.close()


def _read_with_the_helper(client, api_client, researcher):
    from tiktok_research_api_helper.query import Condition, Fields, Operations, VideoQuery

    assert client._api_request_session.headers["Content-Type"] == "text/plain"
    query = VideoQuery(and_=[Condition(Fields.hashtag_name, ["fyp"], Operations.EQ)])
    videos = client.fetch_videos(
        api_client.TikTokVideoRequest(
            query=query, start_date="20260101", end_date="20261231", max_count=10
        )
    )
    assert sorted(researcher.internal_videos(videos.videos)) == sorted(
        internal_id(Video, n) for n in (100, 102)
    )
    alpha = researcher.username(internal_id(Creator, 1))
    info = client.fetch_user_info(api_client.TikTokUserInfoRequest(alpha))
    assert info.user_info["is_verified"] is False
    video = researcher.video_id(internal_id(Video, 100))
    comments = client.fetch_comments(api_client.TikTokCommentsRequest(video_id=video))
    assert len(comments.comments) == 100 and comments.data["has_more"]

    crawler = api_client.TikTokApiClient(
        request_client=client,
        config=api_client.ApiClientConfig(api_credentials_file=None),
    )
    everything = crawler.fetch_all(
        api_client.VideoQueryConfig(
            query=query, start_date=date(2026, 1, 1), end_date=date(2026, 12, 31), max_count=1
        )
    )
    assert len(everything.videos) == 2
    assert json.dumps(everything.videos)  # plain JSON values, as the client stores them
