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

MISSED = {
    "email": (
        "e-mail 75/89 (84.3%): 14 spelled-out addresses were left whole, 12 with the "
        "words of the post's language or glued to Thai "
        "('hola arroba tallerdecerámica punto es', 'info apenstaartje fietsenmakerij-vos punt "
        "nl', 'comenzi punct brutaria arond yahoo punct ro', 'info крапка majsternja собака "
        "ukr крапка net', 'info τελεία tavernanikos παπάκι gmail τελεία com', "
        "'shangwu (at) yunshanchaye (dot) com' in full-width brackets, "
        "'booking at chiangmaihomestay dot com' glued to Thai, "
        "'lienhe chấm banhmi a còng gmail chấm com', 'toko titik batikayu et gmail "
        "titik com', 'hagz نقطة mat3am at yahoo نقطة com', 'info nukta shamba at gmail nukta "
        "com', 'julie point tremblay arobas videotron point ca') and 2 in English words ending in "
        "two levels ('info at ghorerbazar dot com dot bd', 'hello at chiomaeze dot com dot "
        "ng')"
    ),
    "phone": (
        "phone 156/163 (95.7%): glued to a trigger word ('telefon0740182337', "
        "'05414827760' (TR), '대표번호1588-4477', 'ĐT0983214476'), short and toll-free "
        "national formats ('1900 6842' VN, '1800 419 2235' IN) and '11 3482-7716' (AR)"
    ),
    "url": (
        "URL 86/89 (96.6%): 'gob.mx/tramites/…', 'Masterskaya-Dereva.Ru' without a scheme, "
        "and 'https://例え.jp/イベント' glued to Japanese"
    ),
    "mention": (
        "mention 76/79 (96.2%): '@小红薯的厨房' and '@阿宝的旅行日记' glued to Chinese on "
        "both sides were left; '@chengdu_food' in the same post was replaced, but the post "
        "then holds one [MENTION] of two, which the scoring counts as a miss"
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
            marks=pytest.mark.xfail(strict=True, reason=f"split D, measured once: {MISSED[kind]}"),
        )
        if kind in MISSED
        else kind
        for kind in KINDS
    ],
)
def test_split_d_recall_is_at_least_99_percent(kind):
    figures = evaluate(HELDOUT_D, _scrub)
    assert figures["recall"][kind] >= 0.99, [miss for miss in figures["misses"] if miss[1] == kind]


@pytest.mark.xfail(
    strict=True,
    reason=(
        "split D, measured once: 8 of 273 texts without personal data changed (2.9%): "
        "'logo@2x.png', 'icon@2x.png' and 'icon@3x.png' -> '…[MENTION]', '@types/node@20.11.5' "
        "-> '[MENTION]/node@20.11.5', 'que lindo.com certeza' and 'adorei.vc arrasou' -> "
        "'[URL]', 'notes.ml' -> '[URL]', 'CEP 01310-100' -> 'CEP [PHONE]', order number "
        "'SA-2025-118842' -> 'SA-[PHONE]'"
    ),
)
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
