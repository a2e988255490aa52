import json
from collections import Counter
from pathlib import Path

import pytest

from catalog import mentions
from catalog.scrub import EMAIL, MENTION, PHONE, URL, scrub

SAMPLE = [
    json.loads(line)
    for line in (Path(__file__).parent / "data" / "scrub_sample.jsonl").read_text().splitlines()
]
KNOWN_HANDLES = {"jake.films": 11, "lisa.fitness": 12, "olga.s": 13, "mia.rose": 14}


def test_labelled_sample_is_large_and_multilingual():
    assert len(SAMPLE) >= 200
    assert len({row["lang"] for row in SAMPLE}) >= 10
    kinds = Counter(item["type"] for row in SAMPLE for item in row["pii"])
    assert all(kinds[kind] >= 50 for kind in ("email", "url", "phone", "mention"))


def test_recall_on_labelled_sample_is_at_least_95_percent_per_kind():
    found, total, misses = Counter(), Counter(), []
    for row in SAMPLE:
        scrubbed = scrub(row["text"], KNOWN_HANDLES.get)
        for item in row["pii"]:
            total[item["type"]] += 1
            if item["value"] in scrubbed:
                misses.append((item["type"], item["value"], scrubbed))
            else:
                found[item["type"]] += 1
    for kind in total:
        assert found[kind] / total[kind] >= 0.95, (kind, misses)


def test_precision_ordinary_numbers_and_words_survive():
    kept, lost = 0, []
    for row in SAMPLE:
        scrubbed = scrub(row["text"], KNOWN_HANDLES.get)
        for keep in row["keep"]:
            if keep in scrubbed:
                kept += 1
            else:
                lost.append((keep, scrubbed))
    assert sum(len(row["keep"]) for row in SAMPLE) >= 80
    assert not lost


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("write to jane.doe+tt@gmail.com now", f"write to {EMAIL} now"),
        ("see https://bit.ly/3xYz. ok", f"see {URL}. ok"),
        ("call +49 30 1234567!", f"call {PHONE}!"),
        ("hi @stranger_99, welcome", f"hi {MENTION}, welcome"),
        ("on 2024-01-15 at 12:30, 1,000,000 views", "on 2024-01-15 at 12:30, 1,000,000 views"),
    ],
)
def test_each_kind_becomes_its_placeholder(text, expected):
    assert scrub(text) == expected


def test_known_mention_becomes_reference_rendered_per_reader():
    scrubbed = scrub("thanks @Lisa.Fitness. see you", KNOWN_HANDLES.get)
    assert "lisa" not in scrubbed.lower()
    assert mentions.referenced_ids(scrubbed) == [12]
    rendered = mentions.render(scrubbed, lambda creator_id: f"reader_sees_{creator_id}")
    assert rendered == "thanks @reader_sees_12. see you"


def test_nul_bytes_and_control_characters_are_removed():
    assert scrub("a\x00b\x07c\td\ne") == "abc\td\ne"


def test_forged_mention_reference_is_stripped():
    forged = "look " + mentions.reference(4711)
    scrubbed = scrub(forged)
    assert mentions.referenced_ids(scrubbed) == []
    assert scrubbed == "look "


def test_empty_and_plain_texts_pass_through():
    assert scrub("") == ""
    assert scrub("just words #fyp") == "just words #fyp"
