"""The scrubber on held-out split E (issue 12), scored exactly as splits A, C and D.

tests/data/scrub_heldout_e.jsonl was written while split D's misses were being fixed, without
the scrubber's source in view, without the other splits' texts in view (their values were only
compared with a script afterwards, and the few repeats replaced) and without running the
scrubber on its texts, and committed (9ca1648) before its one evaluation: 663 posts in 30
languages and scripts, 303 without personal data (full of look-alikes: counts, prices, dates
and times, postal codes, order, tracking, roll and PNR numbers, scores, lottery and counting
sequences, versions and package@version, file names like thumb@2x.png, emoticons such as @_@,
ISBNs, a missing full stop's space before a word that is also a domain ending), 181 phone
numbers, 95 e-mail addresses (41 spelled out or bracketed, 5 with a full-width at sign), 96
URLs and 102 mentions; 488 look-alikes to keep.

Its first and only run (scrubber at ac7b724, split D's fixes) measured:
- recall: e-mail 83/95 (87.4%), phone 173/181 (95.6%), URL 95/96 (99.0% rounded, 98.96%,
  under the target), mention 95/102 (93.1%);
- false positives: 5 of 303 texts without personal data changed (1.7%);
- look-alikes kept: 488/488 (100%); outputs exactly as expected: 628/663 (94.7%);
- scrubbing twice: 2 of 663 outputs change when scrubbed again (he483, he493: the second
  pass finds what the first left next to what it replaced).
Nothing was changed in the data after that run. Its misses were then fixed with E in view
(spelled-out words of Korean, Thai, Hindi, Bengali, Persian, Hebrew and Ukrainian; shared
mailboxes and a dot spelled in another script with a plain "at"; "(a)"; numbers glued to
"hotline", "helpline", "disque", "wp"; a second number after a slash; roll, seat, ticket and
order *numbers* set aside; a hyphenated site name before an ambiguous ending; handles with
accented letters, handles glued in a row, no address starting inside a word), so E is no
longer an untouched estimate. Since then E measures recall e-mail 95/95, phone 180/181,
URL 96/96, mention 102/102, false positives 4 of 303 (1.3%: the missing-space class), and
scrubbing twice changes nothing. The tests assert the issue's targets; the one still missed
is marked xfail(strict=True).
"""

from collections import Counter

import pytest

from catalog import mentions
from catalog.scrub import rescrub, scrub
from tests.test_scrub_heldout import HELDOUT, HELDOUT_B, KINDS, TUNING, _scrub, evaluate, load

HELDOUT_C = load("scrub_heldout_c.jsonl")
HELDOUT_D = load("scrub_heldout_d.jsonl")
HELDOUT_E = load("scrub_heldout_e.jsonl")

MISSED: dict[str, str] = {}  # every kind meets the target since E's fixes


def test_split_e_is_large_multilingual_independent_and_half_without_personal_data():
    assert len(HELDOUT_E) >= 600
    assert len({row["lang"] for row in HELDOUT_E}) >= 25
    assert 0.35 <= sum(not row["pii"] for row in HELDOUT_E) / len(HELDOUT_E) <= 0.6
    assert {row["split"] for row in HELDOUT_E} == {"heldout"}
    assert len({row["id"] for row in HELDOUT_E}) == len(HELDOUT_E)
    others = HELDOUT + HELDOUT_B + HELDOUT_C + HELDOUT_D + TUNING
    assert not {row["text"] for row in HELDOUT_E} & {row["text"] for row in others}
    values = {item["value"] for row in HELDOUT_E for item in row["pii"]}
    assert not values & {item["value"] for row in others for item in row["pii"]}
    kinds = Counter(item["type"] for row in HELDOUT_E for item in row["pii"])
    assert kinds["phone"] >= 170, kinds
    assert kinds["email"] >= 90 and kinds["url"] >= 90 and kinds["mention"] >= 80, kinds
    for row in HELDOUT_E:  # the spans are exact
        for item in row["pii"] + row["keep"]:
            assert row["text"][item["start"] : item["end"]] == item["value"], row["id"]


@pytest.mark.parametrize(
    "kind",
    [
        pytest.param(
            kind,
            marks=pytest.mark.xfail(strict=True, reason=f"split E, measured once: {MISSED[kind]}"),
        )
        if kind in MISSED
        else kind
        for kind in KINDS
    ],
)
def test_split_e_recall_is_at_least_99_percent(kind):
    figures = evaluate(HELDOUT_E, _scrub)
    assert figures["recall"][kind] >= 0.99, [miss for miss in figures["misses"] if miss[1] == kind]


@pytest.mark.xfail(
    strict=True,
    reason=(
        "split E, since its fixes: 4 of 303 texts without personal data changed (1.3%): a "
        "missing space after a full stop before a word that is also a domain ending "
        "('cansei.com essa chuva', 'gata.ma duc', 'hoy.es el mejor día', 'bon.de toute "
        "façon') -> '[URL] …'"
    ),
)
def test_split_e_false_positive_rate_is_at_most_1_percent():
    figures = evaluate(HELDOUT_E, _scrub)
    assert figures["clean_texts"] >= 150
    assert figures["false_positive_rate"] <= 0.01, figures["false_positives"]


def test_split_e_lookalikes_are_kept():
    figures = evaluate(HELDOUT_E, _scrub)
    assert figures["lookalikes_kept"] >= 0.99, figures["lost"]


def test_scrubbing_split_e_twice_changes_nothing():
    for row in HELDOUT_E:
        once = scrub(row["text"], lambda h: 7 if h.startswith("a") else None, row["region"])
        assert rescrub(once, None, row["region"]) == once, row["id"]
        assert scrub(once, None, row["region"]) == once or mentions.OPEN in once, row["id"]
