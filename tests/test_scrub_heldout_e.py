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
Nothing was changed, in the data or in the scrubber, after that run.

The tests assert the issue's targets as the tests of split A do; those the scrubber misses
are marked xfail(strict=True) with the measured figures, so that they start failing (and the
mark must go) once the scrubber meets them.
"""

from collections import Counter

import pytest

from catalog import mentions
from catalog.scrub import rescrub, scrub
from tests.test_scrub_heldout import HELDOUT, HELDOUT_B, KINDS, TUNING, _scrub, evaluate, load

HELDOUT_C = load("scrub_heldout_c.jsonl")
HELDOUT_D = load("scrub_heldout_d.jsonl")
HELDOUT_E = load("scrub_heldout_e.jsonl")

MISSED = {
    "email": (
        "e-mail 83/95 (87.4%): 12 spelled-out or bracketed addresses were left whole: "
        "'orders at copperkettlecandles dot com' (plain English), "
        "'info apestaartje bloemenbijlisa punt nl', 'hanokcandle 골뱅이 gmail 점 com', "
        "'booking แอท baanrimnam ดอท com' glued to Thai, 'rasoi.ki.rani एट gmail डॉट com', "
        "'info ডট bonolota অ্যাট yahoo ডট com', 'tazaker at nilecinema نقطة com', "
        "'info اَت golbarg-shop نقطه ir', 'shalom שטרודל pitapalace נקודה co נקודה il', "
        "'randevu et guzellikmerkezi nokta com', 'info крапка vyshyvanka равлик ukr крапка "
        "net', and 'info(a)baeckerei-huber.ch' (its domain became [URL], 'info(a)' stayed)"
    ),
    "phone": (
        "phone 173/181 (95.6%): glued to a cue word ('hotline1800 6127' VN, "
        "'হটলাইন16247' BD short code, 'WP05551237784' TR, 'Disque0800-941-2270' BR, "
        "'Helpline022-2651 4470' IN, whose '+91 22 2651 4471' in the same post was replaced "
        "but the post then holds one [PHONE] of two, which the scoring counts as a miss), and "
        "'021 418 7720' (ZA fixed line) after '082 447 1930 / ', likewise counting both"
    ),
    "url": ("URL 95/96 (98.96%): 'friterie-chez-momo.be' without a scheme or a path (BE)"),
    "mention": (
        "mention 95/102 (93.1%): '@bäckerei.kramer' (a letter with an umlaut) was left, so the "
        "post holds one [MENTION] of two; '@mari.gold@tessa_rae@jojo.k' glued together became "
        "'[MENTION].gold@tessa_rae[MENTION]'; 'cảm ơn@linh.an.gi @hanoi_streetfood' became "
        "'cảm ơ[EMAIL] [MENTION]' (the glued mention read as an address ending in .gi)"
    ),
}


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
        "split E, measured once: 5 of 303 texts without personal data changed (1.7%): a "
        "missing space after a full stop before a word that is also a domain ending "
        "('cansei.com essa chuva', 'gata.ma duc', 'hoy.es el mejor día', 'bon.de toute "
        "façon') -> '[URL] …', and a 7-digit roll number ('रोल नंबर 2418830') -> '[PHONE]'"
    ),
)
def test_split_e_false_positive_rate_is_at_most_1_percent():
    figures = evaluate(HELDOUT_E, _scrub)
    assert figures["clean_texts"] >= 150
    assert figures["false_positive_rate"] <= 0.01, figures["false_positives"]


def test_split_e_lookalikes_are_kept():
    figures = evaluate(HELDOUT_E, _scrub)
    assert figures["lookalikes_kept"] >= 0.99, figures["lost"]


@pytest.mark.xfail(
    strict=True,
    reason=(
        "split E, measured once: 2 of 663 outputs change when scrubbed again: "
        "'[MENTION].gold@tessa_rae[MENTION]' -> '[MENTION].gold[MENTION][MENTION]' (he483) "
        "and 'Bookings: [PHONE] / 021 418 7720' -> 'Bookings: [PHONE] / [PHONE]' (he493)"
    ),
)
def test_scrubbing_split_e_twice_changes_nothing():
    for row in HELDOUT_E:
        once = scrub(row["text"], lambda h: 7 if h.startswith("a") else None, row["region"])
        assert rescrub(once, None, row["region"]) == once, row["id"]
        assert scrub(once, None, row["region"]) == once or mentions.OPEN in once, row["id"]
