"""Keyword search over descriptions and transcripts, on SQLite (FTS5) and PostgreSQL."""

import pytest
from django.db import connection

from catalog import mentions
from catalog.models import Video
from research.requests import VideoCondition
from research.sources import Sql
from research.sources.videos import keyword_condition
from tests.factories import VideoFactory

pytestmark = pytest.mark.django_db


def matching(*keywords):
    """Descriptions of the videos the video query's keyword condition finds."""
    sql = Sql()
    condition = keyword_condition(list(keywords), sql)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT v.description FROM catalog_video v WHERE {condition}",  # noqa: S608
            sql.params,
        )
        return {description for (description,) in cursor.fetchall()}


@pytest.fixture
def videos():
    VideoFactory(description="the Great Replacement is a lie", voice_to_text="")
    VideoFactory(description="cooking pasta", voice_to_text="today we talk about the caliphate")
    VideoFactory(description="replacement parts for great bikes")
    VideoFactory(description="hello " + mentions.reference(4711) + " #fyp")


@pytest.mark.usefixtures("videos")
class TestKeywordSearch:
    def test_a_phrase_matches_its_words_in_order_whatever_the_case(self):
        assert matching("great replacement") == {"the Great Replacement is a lie"}

    def test_transcripts_are_searched_too(self):
        assert matching("caliphate") == {"cooking pasta"}

    def test_any_of_several_keywords_matches(self):
        assert matching("caliphate", "lie", "nothing-like-this") == {
            "the Great Replacement is a lie",
            "cooking pasta",
        }

    def test_mention_references_are_not_searchable(self):
        assert matching("4711") == set()

    def test_keywords_with_quotes_or_operators_are_taken_literally(self):
        assert matching('pasta" OR "lie') == set()
        assert matching("NOT") == set()

    def test_an_empty_keyword_is_refused_before_any_search(self):
        with pytest.raises(ValueError, match="an empty value matches nothing"):
            VideoCondition(operation="IN", field_name="keyword", field_values=["x", "  "])

    def test_edited_text_is_reindexed(self):
        video = Video.objects.get(description="cooking pasta")
        video.voice_to_text = "nothing to see"
        video.save()
        assert matching("caliphate") == set()
