"""The scrubber on held-out split D (issue 12), scored exactly as splits A and C.

tests/data/scrub_heldout_d.jsonl was written after split C had been used to fix the scrubber,
without the scrubber's source in view and without running the scrubber on its texts, and
committed (0696553) before its one evaluation: 604 posts in 27 languages and scripts, 273
without personal data (full of look-alikes: counts, prices, dates and times, scores,
versions and package@version, file names, emoticons, hashtags, ISBNs, lottery and counting
sequences, order numbers, a missing space after a full stop before a word that is also a
domain ending), 163 phone numbers, 89 e-mail addresses (38 of them spelled out, 4 with a
full-width at sign), 89 URLs and 79 mentions; 521 look-alikes to keep.

Its first and only run (scrubber at 9136db7, split C's fixes) measured:
- recall: e-mail 75/89 (84.3%), phone 156/163 (95.7%), URL 86/89 (96.6%), mention 76/79
  (96.2%);
- false positives: 8 of 273 texts without personal data changed (2.9%);
- look-alikes kept: 521/521 (100%); outputs exactly as expected: 567/604 (93.9%).
Nothing was changed in the data after that run. The scrubber was then changed with D's
misses in view (spelled-out words of more languages, full-width brackets, names with
accents, two-level endings spelled out; numbers glued to a cue word, toll-free, shared-cost
and hyphenated fixed lines, postal codes and identifiers set aside; a government suffix with
a path; file names and versions after an @, and accounts named in other scripts), so D is
no longer an untouched estimate: split E, written after, is. Since then (and E's fixes) D
measures e-mail 89/89, phone 163/163, URL 87/89 (97.8%), mention 79/79, and 1 of 273 texts
without personal data changed (0.4%: "lindo.com certeza", a missing space before the Portuguese
"com"). The tests assert the issue's targets as the tests of split A do; those still
missed are marked xfail(strict=True) with the figures.
"""

from collections import Counter

import pytest

from catalog import mentions
from catalog.scrub import rescrub, scrub
from tests.test_scrub_heldout import HELDOUT, HELDOUT_B, KINDS, TUNING, _scrub, evaluate, load

HELDOUT_C = load("scrub_heldout_c.jsonl")
HELDOUT_D = load("scrub_heldout_d.jsonl")

MISSED = {
    "url": (
        "URL 87/89 (97.8%) since D's fixes: 'Masterskaya-Dereva.Ru' (a capitalised ending "
        "without a path reads as a missing space) and 'https://例え.jp/イベント' glued to "
        "Japanese (paths stop at spaceless scripts)"
    ),
}


def test_split_d_is_large_multilingual_independent_and_half_without_personal_data():
    assert len(HELDOUT_D) >= 500
    assert len({row["lang"] for row in HELDOUT_D}) >= 22
    assert 0.35 <= sum(not row["pii"] for row in HELDOUT_D) / len(HELDOUT_D) <= 0.6
    assert {row["split"] for row in HELDOUT_D} == {"heldout"}
    assert len({row["id"] for row in HELDOUT_D}) == len(HELDOUT_D)
    others = {row["text"] for row in HELDOUT + HELDOUT_B + HELDOUT_C + TUNING}
    assert not {row["text"] for row in HELDOUT_D} & others
    kinds = Counter(item["type"] for row in HELDOUT_D for item in row["pii"])
    assert kinds["phone"] >= 150, kinds
    assert kinds["email"] >= 80 and kinds["url"] >= 80 and kinds["mention"] >= 70, kinds
    for row in HELDOUT_D:  # the spans are exact
        for item in row["pii"] + row["keep"]:
            assert row["text"][item["start"] : item["end"]] == item["value"], row["id"]


@pytest.mark.parametrize(
    "kind",
    [
        pytest.param(
            kind,
            marks=pytest.mark.xfail(strict=True, reason=f"split D: {MISSED[kind]}"),
        )
        if kind in MISSED
        else kind
        for kind in KINDS
    ],
)
def test_split_d_recall_is_at_least_99_percent(kind):
    figures = evaluate(HELDOUT_D, _scrub)
    assert figures["recall"][kind] >= 0.99, [miss for miss in figures["misses"] if miss[1] == kind]


def test_split_d_false_positive_rate_is_at_most_1_percent():
    figures = evaluate(HELDOUT_D, _scrub)
    assert figures["clean_texts"] >= 150
    assert figures["false_positive_rate"] <= 0.01, figures["false_positives"]


def test_split_d_lookalikes_are_kept():
    figures = evaluate(HELDOUT_D, _scrub)
    assert figures["lookalikes_kept"] >= 0.99, figures["lost"]


def test_scrubbing_split_d_twice_changes_nothing():
    for row in HELDOUT_D:
        once = scrub(row["text"], lambda h: 7 if h.startswith("a") else None, row["region"])
        assert rescrub(once, None, row["region"]) == once, row["id"]
        assert scrub(once, None, row["region"]) == once or mentions.OPEN in once, row["id"]
