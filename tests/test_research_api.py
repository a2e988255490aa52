"""The research endpoints through HTTP, as a researcher's script uses them."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from audit.models import AuditEntry
from catalog.models import Comment, Creator, Video
from tests import records as r
from tests.conftest import bearer, provision
from tests.research_fixtures import DAY, Researcher, T, cond, internal_id, load, query

pytestmark = pytest.mark.django_db


def videos(response) -> list[dict]:
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["error"]["code"] == "ok"
    return body["data"]["videos"]


def found(script, body, **kwargs) -> set[int]:
    """Platform ids of every video a query finds, across all its pages."""
    ids, body = set(), {**body, "max_count": 100}
    response = script.post("video/query", body, fields="id", **kwargs)
    for internal in script.internal_videos(videos(response)):
        ids.add(Video.objects.get(pk=internal).platform_id)
    assert not response.json()["data"]["has_more"]
    return ids


class TestQueryLanguage:
    @pytest.mark.parametrize(
        ("conditions", "kind", "expected"),
        [
            ([cond("hashtag_name", ["fyp"])], "and", {100, 102}),
            ([cond("hashtag_name", ["#FYP"], "EQ")], "and", {100, 102}),
            ([cond("region_code", ["de", "FR"])], "and", {100, 101, 103}),
            ([cond("keyword", ["great replacement"])], "and", {100}),
            ([cond("keyword", ["caliphate", "paris"])], "and", {101, 103}),
            ([cond("keyword", ["replacement great"])], "and", set()),
            ([cond("music_id", ["555"], "EQ")], "and", {100}),
            ([cond("effect_id", ["7"])], "and", {100, 103}),
            ([cond("video_length", ["SHORT"])], "and", {100}),
            ([cond("video_length", ["MID", "EXTRA_LONG"])], "and", {101, 103}),
            ([cond("create_date", ["20260529"], "EQ")], "and", {101}),
            ([cond("create_date", ["20260529"], "GT")], "and", {102, 103}),
            ([cond("create_date", ["20260529"], "LTE")], "and", {100, 101}),
            ([cond("region_code", ["DE"]), cond("region_code", ["US"])], "or", {100, 101, 102}),
            ([cond("hashtag_name", ["fyp"])], "not", {101, 103}),
        ],
    )
    def test_each_field_and_operation(self, script, conditions, kind, expected):
        assert found(script, query(*conditions, kind=kind)) == expected

    def test_and_or_not_combine(self, script):
        body = {
            "query": {
                "and": [cond("region_code", ["DE", "US", "FR"])],
                "or": [cond("hashtag_name", ["fyp"]), cond("keyword", ["paris"])],
                "not": [cond("video_length", ["MID"])],
            },
            "start_date": "20260101",
            "end_date": "20261231",
        }
        assert found(script, body) == {100, 102, 103}

    def test_username_and_video_id_take_the_projects_pseudonyms(self, script):
        alpha = script.username(internal_id(Creator, 1))
        assert found(script, query(cond("username", [alpha], "EQ"))) == {100, 101}
        pasta = script.video_id(internal_id(Video, 101))
        assert found(script, query(cond("video_id", [str(pasta), 12345]))) == {101}

    def test_only_public_videos_in_the_window_are_found(self, script):
        assert found(script, query(cond("hashtag_name", ["fyp"]))) == {100, 102}
        assert 105 in found(
            script, query(cond("hashtag_name", ["fyp"]), start="20250401", end="20250430")
        )

    def test_ids_are_64_bit_integers_and_times_unix_seconds(self, script):
        item = videos(
            script.post(
                "video/query",
                query(cond("video_id", [str(script.video_id(internal_id(Video, 100)))])),
            )
        )[0]
        assert isinstance(item["id"], int) and 0 < item["id"] < 2**63
        assert item["create_time"] == T
        assert item["username"].startswith("u")
        assert item["hashtag_names"] == ["news", "fyp"]
        assert item["effect_ids"] == [7] and item["music_id"] == 555


class TestFieldsAndEnvelope:
    def test_fields_choose_what_is_returned(self, script):
        items = videos(
            script.post("video/query", query(cond("hashtag_name", ["fyp"])), fields="id,view_count")
        )
        assert items and all(set(item) == {"id", "view_count"} for item in items)

    def test_unknown_fields_are_named(self, script):
        response = script.post(
            "video/query", query(cond("hashtag_name", ["fyp"])), fields="id,author,secret"
        )
        assert response.status_code == 400
        assert "'author', 'secret' are not fields of videos" in response.json()["error"]["message"]

    def test_every_response_says_what_data_it_reflects(self, script):
        response = script.post("video/query", query(cond("hashtag_name", ["fyp"])))
        data_as_of = response.json()["data"]["data_as_of"]
        assert data_as_of and response["X-Data-As-Of"] == data_as_of

    def test_an_empty_result_is_explicit(self, script):
        data = script.post("video/query", query(cond("hashtag_name", ["nothing"]))).json()
        assert data["data"]["videos"] == [] and data["data"]["has_more"] is False
        assert data["data"]["cursor"] == 0 and data["data"]["search_id"]


class TestPagination:
    def test_pages_follow_each_other_without_gaps_or_repeats(self, script):
        body = query(cond("region_code", ["DE", "US", "FR"]), max_count=2)
        first = script.post("video/query", body, fields="id").json()["data"]
        assert first["has_more"] and first["cursor"] == 2
        second = script.post(
            "video/query",
            {**body, "search_id": first["search_id"], "cursor": first["cursor"]},
            fields="id",
        )
        second = second.json()["data"]
        assert second["cursor"] == 4 and not second["has_more"]
        ids = [v["id"] for v in first["videos"] + second["videos"]]
        assert len(ids) == len(set(ids)) == 4

    def test_the_same_search_id_and_cursor_return_the_same_page(self, script):
        body = query(cond("region_code", ["DE", "US", "FR"]), max_count=2)
        first = script.post("video/query", body).json()["data"]
        again = {**body, "search_id": first["search_id"], "cursor": 2}
        assert (
            script.post("video/query", again).json()["data"]["videos"]
            == script.post("video/query", again).json()["data"]["videos"]
        )

    def test_a_search_ignores_data_ingested_after_it_began(self, script, tmp_path):
        body = query(cond("hashtag_name", ["fyp"]), max_count=1)
        first = script.post("video/query", body, fields="id").json()["data"]
        load(
            tmp_path,
            [
                r.video(
                    106, 4, create_time=T + 5 * DAY, hashtag_names=["fyp"], description="new #fyp"
                )
            ],
            "late.jsonl",
        )
        rest = script.post(
            "video/query",
            {**body, "search_id": first["search_id"], "cursor": 1, "max_count": 100},
            fields="id",
        )
        seen = script.internal_videos(first["videos"] + rest.json()["data"]["videos"])
        assert internal_id(Video, 106) not in seen and len(seen) == 2
        fresh = found(script, query(cond("hashtag_name", ["fyp"])))
        assert 106 in fresh

    def test_items_deleted_since_drop_out(self, script, tmp_path):
        body = query(cond("hashtag_name", ["fyp"]), max_count=1)
        first = script.post("video/query", body, fields="id").json()["data"]
        load(tmp_path, [r.deletion("video", 100)], "deleted.jsonl")
        rest = script.post(
            "video/query",
            {**body, "search_id": first["search_id"], "cursor": 1, "max_count": 100},
            fields="id",
        )
        later = script.internal_videos(rest.json()["data"]["videos"])
        assert internal_id(Video, 100) not in later

    def test_a_late_page_costs_the_same_queries_as_an_early_one(self, script):
        body = query(cond("region_code", ["DE", "US", "FR"]), max_count=1)
        first = script.post("video/query", body).json()["data"]
        counts = []
        for cursor in (1, 2):  # pages with more after them (the last page saves no bookmark)
            with CaptureQueriesContext(connection) as queries:
                script.post(
                    "video/query", {**body, "search_id": first["search_id"], "cursor": cursor}
                )
            statements = [q["sql"] for q in queries if "SAVEPOINT" not in q["sql"]]
            counts.append(len(statements))
            assert not any("OFFSET" in sql.upper() for sql in statements)
        assert counts[0] == counts[1]
        if connection.vendor == "postgresql":
            # The token with the quota standing, the search with its bookmark, the page
            # (with its timeout), and one statement for every write (research.settlement).
            assert counts[0] == 4, statements
        else:  # the writes one by one: two debits, the bookmark, the audit head and entry
            assert counts[0] <= 9, statements

    def test_random_samples_are_complete_and_reproducible(self, script, tmp_path):
        load(
            tmp_path,
            [r.video(2000 + i, 4, create_time=T + i, hashtag_names=["sample"]) for i in range(30)],
            "sample.jsonl",
        )
        body = query(cond("hashtag_name", ["sample"]), is_random=True, max_count=10)
        first = script.post("video/query", body, fields="id").json()["data"]
        pages = [first["videos"]]
        for cursor in (10, 20):
            pages.append(
                script.post(
                    "video/query",
                    {**body, "search_id": first["search_id"], "cursor": cursor},
                    fields="id",
                ).json()["data"]["videos"]
            )
        ids = [v["id"] for page in pages for v in page]
        assert len(ids) == len(set(ids)) == 30
        again = script.post(
            "video/query", {**body, "search_id": first["search_id"], "cursor": 10}, fields="id"
        ).json()["data"]
        assert again["videos"] == pages[1]
        other = script.post("video/query", body, fields="id").json()["data"]
        newest_first = videos(
            script.post("video/query", {**body, "is_random": False, "max_count": 10}, fields="id")
        )
        assert [v["id"] for v in other["videos"]] != [v["id"] for v in first["videos"]] or [
            v["id"] for v in first["videos"]
        ] != [v["id"] for v in newest_first]

    @pytest.mark.parametrize(
        ("change", "message"),
        [
            ({"search_id": "not-a-search"}, "unknown or has expired"),
            ({"search_id": "00000000-0000-0000-0000-000000000000"}, "unknown or has expired"),
            ({"cursor": 5}, "needs the search_id"),
        ],
    )
    def test_paging_mistakes_are_explained(self, script, change, message):
        response = script.post("video/query", {**query(cond("hashtag_name", ["fyp"])), **change})
        assert response.status_code == 400 and message in response.json()["error"]["message"]

    def test_a_search_id_is_tied_to_its_query_and_project(self, script, other_script):
        body = query(cond("hashtag_name", ["fyp"]), max_count=1)
        first = script.post("video/query", body).json()["data"]
        changed = script.post(
            "video/query",
            {
                **query(cond("hashtag_name", ["dance"])),
                "search_id": first["search_id"],
                "cursor": 1,
            },
        )
        assert "different query" in changed.json()["error"]["message"]
        stolen = other_script.post(
            "video/query", {**body, "search_id": first["search_id"], "cursor": 1}
        )
        assert "unknown or has expired" in stolen.json()["error"]["message"]
        bad_cursor = script.post(
            "video/query", {**body, "search_id": first["search_id"], "cursor": 7}
        )
        assert "is not where a page of this search ended" in bad_cursor.json()["error"]["message"]


class TestPseudonyms:
    def test_two_projects_see_different_ids_for_the_same_video(self, script, other_script):
        body = query(cond("keyword", ["great replacement"]))
        mine = videos(script.post("video/query", body, fields="id,username"))[0]
        theirs = videos(other_script.post("video/query", body, fields="id,username"))[0]
        assert mine["id"] != theirs["id"] and mine["username"] != theirs["username"]
        assert script.internal_videos([mine]) == other_script.internal_videos([theirs])

    def test_two_projects_share_no_identifier_that_points_to_a_person(self, script, other_script):
        import codebook
        from codebook.fields import PSEUDONYM, USERNAME_PSEUDONYM

        linked = [
            f.name
            for f in codebook.VIDEO.fields
            if f.anonymisation.startswith((PSEUDONYM, USERNAME_PSEUDONYM))
        ]
        assert {"id", "username", "playlist_id"} <= set(linked)
        body = query(cond("region_code", ["DE", "US", "FR"]))
        mine = script.post("video/query", body).json()["data"]["videos"]
        theirs = other_script.post("video/query", body).json()["data"]["videos"]

        def values(videos, name) -> set:
            found = set()
            for video in videos:
                value = video[name]
                found |= set(value) if isinstance(value, list) else {value} - {None}
            return found

        for name in linked:
            assert values(mine, name) and not values(mine, name) & values(theirs, name), name
        playlists = {v["playlist_id"] for v in mine if v["playlist_id"] is not None}
        assert len(playlists) == 1  # the two videos of one playlist keep one id in a project
        assert script.pseudonyms.decode("playlist", list(playlists)) == [31]

    def test_another_projects_ids_find_nothing(self, script, other_script):
        theirs = other_script.video_id(internal_id(Video, 100))
        assert found(script, query(cond("video_id", [str(theirs)]))) == set()
        their_user = other_script.username(internal_id(Creator, 1))
        assert script.post("user/info", {"username": their_user}).status_code == 404
        comments = script.post("video/comment/list", {"video_id": theirs})
        assert comments.status_code == 404

    def test_mentions_are_rendered_as_the_readers_pseudonyms(self, script, other_script):
        beta = internal_id(Creator, 2)
        mine = videos(
            script.post(
                "video/query", query(cond("keyword", ["great"])), fields="video_description"
            )
        )[0]
        assert mine["video_description"].endswith("@" + script.username(beta))
        theirs = videos(
            other_script.post(
                "video/query", query(cond("keyword", ["great"])), fields="video_description"
            )
        )[0]
        assert theirs["video_description"].endswith("@" + other_script.username(beta))
        assert "beta.two" not in mine["video_description"]
        bio = script.post(
            "user/info",
            {"username": script.username(internal_id(Creator, 1))},
            fields="bio_description",
        ).json()["data"]
        assert bio["bio_description"] == "hi @" + script.username(beta)


class TestAccounts:
    def test_user_info(self, script):
        data = script.post(
            "user/info", {"username": script.username(internal_id(Creator, 1))}
        ).json()["data"]
        assert data["follower_count"] == 0 or isinstance(data["follower_count"], int)
        assert data["created_month"] == "2021-03" and data["region_code"] == "DE"
        assert "data_as_of" in data

    def test_unknown_usernames_are_not_found(self, script):
        for username in ("alpha.one", "u123", "ufffffffffffffffff"):
            response = script.post("user/info", {"username": username})
            assert response.status_code == 404
            assert response.json()["error"]["code"] == "not_found"

    def test_follower_lists_are_complete_across_pages(self, script):
        alpha = script.username(internal_id(Creator, 1))
        seen, cursor = [], 0
        while True:
            data = script.post(
                "user/followers", {"username": alpha, "max_count": 50, "cursor": cursor}
            ).json()["data"]
            seen += [f["username"] for f in data["user_followers"]]
            cursor = data["cursor"]
            if not data["has_more"]:
                break
        assert len(seen) == len(set(seen)) == 130
        fans = {script.username(internal_id(Creator, 1000 + i)) for i in range(130)}
        assert set(seen) == fans

    def test_tiktoks_timestamp_cursor_is_understood(self, script):
        alpha = script.username(internal_id(Creator, 1))
        data = script.post(
            "user/followers", {"username": alpha, "max_count": 100, "cursor": T + 9}
        ).json()["data"]
        assert {f["create_time"] for f in data["user_followers"]} == {T + i for i in range(10)}

    def test_following(self, script):
        alpha = script.username(internal_id(Creator, 1))
        data = script.post("user/following", {"username": alpha}).json()["data"]
        assert [f["username"] for f in data["user_following"]] == [
            script.username(internal_id(Creator, 3)),
            script.username(internal_id(Creator, 2)),
        ]

    def test_liked_reposted_and_pinned_videos(self, script):
        alpha = script.username(internal_id(Creator, 1))
        liked = script.post("user/liked_videos", {"username": alpha}, fields="id")
        assert script.internal_videos(liked.json()["data"]["user_liked_videos"]) == [
            internal_id(Video, 103),
            internal_id(Video, 102),
        ]
        reposted = script.post("user/reposted_videos", {"username": alpha}, fields="id")
        assert len(reposted.json()["data"]["reposted_videos"]) == 1
        pinned = script.post("user/pinned_videos", {"username": alpha}, fields="id")
        assert script.internal_videos(pinned.json()["data"]["pinned_videos_list"]) == [
            internal_id(Video, 100)
        ]


class TestComments:
    def test_every_comment_and_reply_never_the_author(self, script):
        video = script.video_id(internal_id(Video, 100))
        seen, cursor = [], 0
        while True:
            data = script.post(
                "video/comment/list", {"video_id": video, "max_count": 100, "cursor": cursor}
            ).json()["data"]
            seen += data["comments"]
            cursor = data["cursor"]
            if not data["has_more"]:
                break
        assert len(seen) == 151 and len({c["id"] for c in seen}) == 151
        assert all(c["video_id"] == video for c in seen)
        assert all(
            set(c)
            == {
                "id",
                "video_id",
                "text",
                "like_count",
                "reply_count",
                "parent_comment_id",
                "create_time",
            }
            for c in seen
        )
        reply = next(c for c in seen if c["text"] == "a reply")
        parent = script.pseudonyms.decode("comment", [reply["parent_comment_id"]])[0]
        assert Comment.objects.get(pk=parent).platform_id == 5000

    def test_comments_of_a_video_that_is_not_public_are_not_found(self, script):
        removed = script.video_id(internal_id(Video, 104))
        assert script.post("video/comment/list", {"video_id": removed}).status_code == 404


class TestRefusals:
    def test_a_token_without_the_scope_is_refused(self, study):
        auditor = Researcher(
            *provision(owner_email="audit@ngo.example", scopes=("research.stats",))
        )
        response = auditor.post("video/query", query(cond("hashtag_name", ["fyp"])))
        assert response.status_code == 403
        assert response.json()["error"]["code"] == "scope_not_authorized"
        assert "research.data.basic" in response.json()["error"]["message"]

    def test_a_dataset_the_project_was_not_granted_is_refused(self, script):
        script.project.datasets = ["video"]
        script.project.save()
        alpha = script.username(internal_id(Creator, 1))
        response = script.post("user/followers", {"username": alpha})
        assert (
            response.status_code == 403 and "follow dataset" in response.json()["error"]["message"]
        )

    @pytest.mark.parametrize(
        ("body", "message"),
        [
            ("{not json", "JSON parse error"),
            ("[1, 2]", "must be a JSON object"),
            ({}, "query: required field is missing"),
            (query(cond("hashtag", ["x"])), "field_name 'hashtag' is not a query field"),
            (query(cond("region_code", ["DE", "XYZ"])), "'XYZ' is not a two-letter region code"),
            (query(cond("hashtag_name", ["a", "b"], "EQ")), "takes exactly one value"),
            (query(cond("hashtag_name", ["a"], "GT")), "cannot be used with hashtag_name"),
            (query(cond("create_date", ["20260230"], "EQ")), "is not a calendar date"),
            (query(cond("video_length", ["TINY"])), "'TINY' is not one of SHORT"),
            (query(cond("music_id", ["abc"])), "'abc' is not a positive integer id"),
            (
                {**query(cond("hashtag_name", ["x"])), "start_date": "2026-01-01"},
                "start_date must be a date in YYYYMMDD form",
            ),
            (
                query(cond("hashtag_name", ["x"]), start="20240101", end="20260101"),
                "at most 365 days",
            ),
            (query(cond("hashtag_name", ["x"]), start="20260301", end="20260101"), "is before"),
            (
                {**query(cond("hashtag_name", ["x"])), "max_count": 101},
                "max_count: Input should be less than or equal to 100",
            ),
            (
                {**query(cond("hashtag_name", ["x"])), "max_count": "10"},
                "max_count: Input should be a valid integer",
            ),
            ({**query(cond("hashtag_name", ["x"])), "colour": 1}, "colour: unknown field"),
            (query(cond("create_date", ["99991231"], "LTE")), "too far in the future"),
            (query(cond("hashtag_name", ["x"]), end="99991231"), "too far in the future"),
            ('{"query": {"and": [{"field_values": ["\\ud800"]}]}}', "not JSON"),
            ("[" * 1000 + "]" * 1000, "must be a JSON object"),
            (
                {
                    "query": {
                        "and": [
                            {"a": [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}
                        ]
                    }
                },
                "unknown field",
            ),
            (
                {"query": {}, "start_date": "20260101", "end_date": "20260102"},
                "at least one condition",
            ),
        ],
    )
    def test_malformed_requests_name_what_is_wrong(self, script, body, message):
        response = script.post("video/query", body)
        assert response.status_code == 400
        assert response.json()["error"]["code"] == "invalid_params"
        assert message in response.json()["error"]["message"], response.json()

    @pytest.mark.parametrize("where", ["query", "field_values", "max_count", "username"])
    def test_json_nested_a_thousand_deep_is_refused_wherever_it_is(self, script, where):
        deep = "[" * 1000 + "]" * 1000
        window = '"start_date": "20260101", "end_date": "20260102"'
        bodies = {
            "query": f'{{"query": {deep}, {window}}}',
            "field_values": (
                '{"query": {"and": [{"operation": "IN", "field_name": "keyword", '
                f'"field_values": {deep}}}]}}, {window}}}'
            ),
            "max_count": (
                '{"query": {"and": [{"operation": "IN", "field_name": "keyword", '
                f'"field_values": ["x"]}}]}}, {window}, "max_count": {deep}}}'
            ),
        }
        if where == "username":
            response = script.post("user/info", f'{{"username": {deep}}}')
        else:
            response = script.post("video/query", bodies[where])
        assert response.status_code == 400, response.content[:300]
        assert response.json()["error"]["code"] == "invalid_params"

    @pytest.mark.parametrize("content_type", ["text/plain", "application/json", None])
    def test_a_body_that_is_not_json_is_refused_whatever_its_content_type(
        self, script, content_type
    ):
        extra = {"CONTENT_TYPE": content_type} if content_type else {}
        response = script.client.generic(
            "POST", "/v2/research/video/query/", b"x", **extra, **bearer(script.token)
        )
        assert response.status_code == 400
        assert response.json()["error"]["code"] == "invalid_params"
        assert "not JSON" in response.json()["error"]["message"]

    @pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded"])
    def test_a_json_body_is_read_whatever_its_content_type(self, script, content_type):
        # TikTok reads the body as JSON; a published client sends it as text/plain, and
        # curl -d sends it as a form.
        body = json.dumps(query(cond("hashtag_name", ["fyp"])))
        response = script.client.generic(
            "POST",
            "/v2/research/video/query/",
            body,
            CONTENT_TYPE=content_type,
            **bearer(script.token),
        )
        assert response.status_code == 200, response.content
        assert len(response.json()["data"]["videos"]) == 2


def test_every_read_is_audited(script):
    script.post("video/query", query(cond("hashtag_name", ["fyp"])))
    script.post("user/info", {"username": script.username(internal_id(Creator, 1))})
    reads = AuditEntry.objects.filter(event="data.read", project_id=script.project.id)
    assert [(e.target, e.details["records"]) for e in reads.order_by("id")] == [
        ("video/query", 2),
        ("user/info", 1),
    ]
    query_entry = reads.order_by("id").first()
    assert query_entry.client_id and len(query_entry.details["fingerprint"]) == 64


def test_the_catalogue_describes_every_resource_and_field(client):
    data = client.get("/v2/research/catalogue/").json()["data"]
    names = {resource["name"] for resource in data["resources"]}
    assert {"video", "comment", "user", "follow", "moderation_decision", "deletion"} <= names
    video = next(res for res in data["resources"] if res["name"] == "video")
    assert all(
        {"name", "type", "description", "anonymisation", "coverage"} <= set(f)
        for f in video["fields"]
    )
    assert data["changelog"] and data["scopes"]
