"""Keyword search over descriptions and transcripts, on SQLite (FTS5) and PostgreSQL."""

import pytest
from django.db import connection

from catalog import mentions
from catalog.fulltext import keyword_condition
from catalog.models import Video
from tests.factories import VideoFactory

pytestmark = pytest.mark.django_db


def matching(*keywords):
    return set(
        Video.objects.filter(keyword_condition(list(keywords), connection.vendor)).values_list(
            "description", flat=True
        )
    )


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

    def test_no_keywords_match_nothing(self):
        assert matching() == set()
        assert matching("  ") == set()

    def test_edited_text_is_reindexed(self):
        video = Video.objects.get(description="cooking pasta")
        video.voice_to_text = "nothing to see"
        video.save()
        assert matching("caliphate") == set()
