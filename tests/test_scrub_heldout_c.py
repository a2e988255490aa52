"""The scrubber on held-out split C (issue 12), scored exactly as split A.

tests/data/scrub_heldout_c.jsonl was written without the scrubber's rules in view, without
running the scrubber on its texts, and committed (7ee08c2) before its one evaluation: 514
posts in 23 languages, 223 without personal data, 145 phone numbers (split B had 53, too few
to measure 99%), 52 e-mail addresses, 55 URLs and 61 mentions. Nothing was changed, in the
data or in the scrubber, after that evaluation.

Its first and only run (scrubber version at 9344459) measured:
- recall: e-mail 51/52 (98.1%), phone 145/145, URL 54/55 (98.2%), mention 61/61;
- false positives: 3 of 223 texts without personal data changed (1.3%);
- look-alikes kept: 100%.

Its misses were then fixed, with split C in view, so its figures are no longer an untouched
estimate (split D, written after, is): a spelled-out address that starts inside a candidate
that is none ("us at support dot desk at zaikafoods dot in"), a capitalised ending before a
path ("Bit.Ly/…"), and a package version taken for a mention ("react@18.3.1"). Since then:
recall 100% per kind; false positives 2 of 223 (0.9%: "gracias.de verdad" and "todos.pt 2",
a missing space before a word that is also a country's ending, left as they are: the same
rule finds "shop.de"). The tests assert the issue's targets as the tests of split A do.
"""

from collections import Counter

from catalog import mentions
from catalog.scrub import rescrub, scrub
from tests.test_scrub_heldout import HELDOUT, HELDOUT_B, KINDS, TUNING, _scrub, evaluate, load

HELDOUT_C = load("scrub_heldout_c.jsonl")


def test_split_c_is_large_multilingual_independent_and_half_without_personal_data():
    assert len(HELDOUT_C) >= 350
    assert len({row["lang"] for row in HELDOUT_C}) >= 20
    assert 0.35 <= sum(not row["pii"] for row in HELDOUT_C) / len(HELDOUT_C) <= 0.6
    assert {row["split"] for row in HELDOUT_C} == {"heldout"}
    assert len({row["id"] for row in HELDOUT_C}) == len(HELDOUT_C)
    others = {row["text"] for row in HELDOUT + HELDOUT_B + TUNING}
    assert not {row["text"] for row in HELDOUT_C} & others
    kinds = Counter(item["type"] for row in HELDOUT_C for item in row["pii"])
    assert kinds["phone"] >= 120, kinds
    assert all(kinds[kind] >= 50 for kind in KINDS), kinds
    for row in HELDOUT_C:  # the spans are exact
        for item in row["pii"] + row["keep"]:
            assert row["text"][item["start"] : item["end"]] == item["value"], row["id"]


def test_split_c_recall_is_at_least_99_percent_per_kind():
    figures = evaluate(HELDOUT_C, _scrub)
    assert all(figures["recall"][kind] >= 0.99 for kind in KINDS), (
        figures["recall"],
        figures["misses"],
    )


def test_split_c_false_positive_rate_is_at_most_1_percent():
    figures = evaluate(HELDOUT_C, _scrub)
    assert figures["clean_texts"] >= 150
    assert figures["false_positive_rate"] <= 0.01, figures["false_positives"]


def test_split_c_lookalikes_are_kept():
    # Asserted with the false-positive rate in split A's test; apart here, as it holds.
    figures = evaluate(HELDOUT_C, _scrub)
    assert figures["lookalikes_kept"] >= 0.99, figures["lost"]


def test_scrubbing_split_c_twice_changes_nothing():
    for row in HELDOUT_C:
        once = scrub(row["text"], lambda h: 7 if h.startswith("a") else None, row["region"])
        assert rescrub(once, None, row["region"]) == once, row["id"]
        assert scrub(once, None, row["region"]) == once or mentions.OPEN in once, row["id"]
