"""The scrubber on held-out splits C to G (issue 12), each scored exactly as split A.

Each split was written by an author who saw neither the scrubber's source nor the other
splits' texts, without running the scrubber on its texts, and committed alone before its one
evaluation. C, D, E and F were then used to fix what they found, so their figures are no
longer untouched estimates; G, run once at 30dcff9, is the estimate of the code as it
stands. Every split's one run, and what was fixed after it, is in docs/benchmarks.md
("Scrubbing").

The tests assert the issue's targets (recall >= 99% per kind, false positives <= 1%,
look-alikes kept >= 99%, scrubbing twice changes nothing) on every split; what a split
misses is marked xfail(strict=True) with its figures, so that the test fails, and the mark
must go, the day the scrubber meets the target.
"""

import functools
from collections import Counter
from dataclasses import dataclass, field

import pytest

from catalog import mentions
from catalog.scrub import rescrub, scrub
from tests.test_scrub_heldout import HELDOUT, HELDOUT_B, KINDS, TUNING, _scrub, evaluate, load

_load = functools.cache(load)


@dataclass(frozen=True)
class Split:
    name: str
    texts: int  # at least this many texts
    languages: int  # in at least this many languages
    items: dict[str, int]  # at least this many items of each kind
    values_unique: bool = False  # no item's value appears in an earlier split
    pii_with_lookalikes: int = 0  # texts holding both personal data and look-alikes
    missed: dict[str, str] = field(default_factory=dict)  # kind -> figures, where missed
    false_positives_missed: str = ""  # figures, where the false-positive target is missed

    @property
    def rows(self) -> list[dict]:
        return _load(f"scrub_heldout_{self.name.lower()}.jsonl")


SPLITS = (
    Split("C", 350, 20, {"phone": 120, "email": 50, "url": 50, "mention": 50}),
    Split(
        "D",
        500,
        22,
        {"phone": 150, "email": 80, "url": 80, "mention": 70},
        missed={
            "url": "URL 87/89 (97.8%) since D's fixes: 'Masterskaya-Dereva.Ru' (a capitalised "
            "ending without a path reads as a missing space) and 'https://例え.jp/イベント' "
            "glued to Japanese (paths stop at spaceless scripts)"
        },
    ),
    Split(
        "E",
        600,
        25,
        {"phone": 170, "email": 90, "url": 90, "mention": 80},
        values_unique=True,
        false_positives_missed="4 of 303 texts without personal data changed (1.3%) since "
        "E's fixes: a missing space after a full stop before a word that is also a domain "
        "ending ('cansei.com essa chuva', 'gata.ma duc', 'hoy.es el mejor día', 'bon.de "
        "toute façon') -> '[URL] …'",
    ),
    Split("F", 600, 25, {"phone": 170, "email": 90, "url": 90, "mention": 90}, values_unique=True),
    Split(
        "G",
        600,
        25,
        {"phone": 170, "email": 90, "url": 90, "mention": 90},
        values_unique=True,
        pii_with_lookalikes=120,
        missed={
            "email": "e-mail 92/99 (92.9%), measured once: 7 spelled-out addresses were left "
            "whole: 'destek et kahvecimizmir nokta com' (Turkish), 'masha.vyshivka на mail "
            "точка ru' (Russian 'на'), 'sampark एट bharatkaarigar डॉट इन' (Hindi), 'help 골뱅이 "
            "dalbitbakery 닷 co 닷 kr' (Korean), 'jogajog অ্যাট nakshikantha-ghar ডট কম' "
            "(Bengali), 'info ات farshe-tabriz دات ir' (Persian) and 'sara.handmade آت yahoo "
            "دوت com' (Arabic)",
            "phone": "phone 170/186 (91.4%), measured once: 9 numbers glued to a cue word "
            "were left ('mi número nuevo3312876045', the Russian and Ukrainian 'call' + "
            "'89264417208' and '0504471926', 'Ruft an0171 4428 193', "
            "'appelez-moi0648217730', 'chiamatemi3394127706', 'tawagan nyo ko09274418306', "
            "'nipigie0711447208', 'acil durumda05367714429'), 2 Indonesian mobiles after "
            "'admin 1'/'admin 2' ('0813-1144-7290', '0878-4412-0937'), a Lagos landline "
            "'+234 1 270 4418', a Pakistani UAN '111-447-288', and 3 short codes ('text JOIN "
            "to 73822', '银行客服95533', Amharic 'toll-free line 8294')",
            "url": "URL 94/98 (95.9%), measured once: 4 internationalised domains without a "
            "scheme were left: 'ร้านผ้าไหมแม่ศรี.ไทย', '和紙工房.jp', '달빛베이커리.한국' and "
            "'茶叶小铺.中国/产品'",
        },
        false_positives_missed="5 of 312 texts without personal data changed (1.6%), "
        "measured once: a missing space after a full stop before a word that is also a "
        "domain ending ('no pienso ir.es que', 'selesai.id card', 'я всё.ru сегмент', "
        "\"c'est fini.de toute façon\") -> '[URL] …', and a Kenyan registration number "
        "'SCT221-0447/2021' -> 'SCT221-[PHONE]'",
    ),
)
EARLIER = [HELDOUT, HELDOUT_B, TUNING]  # the splits before C


def _missing(split: Split, reason: str):
    return pytest.mark.xfail(strict=True, reason=f"split {split.name}: {reason}")


@pytest.mark.parametrize("split", SPLITS, ids=lambda split: split.name)
def test_split_is_large_multilingual_independent_and_half_without_personal_data(split):
    rows = split.rows
    assert len(rows) >= split.texts
    assert len({row["lang"] for row in rows}) >= split.languages
    assert 0.35 <= sum(not row["pii"] for row in rows) / len(rows) <= 0.6
    assert {row["split"] for row in rows} == {"heldout"}
    assert len({row["id"] for row in rows}) == len(rows)
    earlier = [*EARLIER, *(s.rows for s in SPLITS[: SPLITS.index(split)])]
    others = [row for rows_ in earlier for row in rows_]
    assert not {row["text"] for row in rows} & {row["text"] for row in others}
    if split.values_unique:
        values = {item["value"] for row in rows for item in row["pii"]}
        assert not values & {item["value"] for row in others for item in row["pii"]}
    kinds = Counter(item["type"] for row in rows for item in row["pii"])
    assert all(kinds[kind] >= least for kind, least in split.items.items()), kinds
    assert sum(bool(row["pii"] and row["keep"]) for row in rows) >= split.pii_with_lookalikes
    for row in rows:  # the spans are exact
        for item in row["pii"] + row["keep"]:
            assert row["text"][item["start"] : item["end"]] == item["value"], row["id"]


@pytest.mark.parametrize(
    ("split", "kind"),
    [
        pytest.param(
            split,
            kind,
            id=f"{split.name}-{kind}",
            marks=[_missing(split, split.missed[kind])] if kind in split.missed else [],
        )
        for split in SPLITS
        for kind in KINDS
    ],
)
def test_split_recall_is_at_least_99_percent(split, kind):
    figures = evaluate(split.rows, _scrub)
    assert figures["recall"][kind] >= 0.99, [miss for miss in figures["misses"] if miss[1] == kind]


@pytest.mark.parametrize(
    "split",
    [
        pytest.param(
            split,
            id=split.name,
            marks=[_missing(split, split.false_positives_missed)]
            if split.false_positives_missed
            else [],
        )
        for split in SPLITS
    ],
)
def test_split_false_positive_rate_is_at_most_1_percent(split):
    figures = evaluate(split.rows, _scrub)
    assert figures["clean_texts"] >= 150
    assert figures["false_positive_rate"] <= 0.01, figures["false_positives"]


@pytest.mark.parametrize("split", SPLITS, ids=lambda split: split.name)
def test_split_lookalikes_are_kept(split):
    figures = evaluate(split.rows, _scrub)
    assert figures["lookalikes_kept"] >= 0.99, figures["lost"]


@pytest.mark.parametrize("split", SPLITS, ids=lambda split: split.name)
def test_scrubbing_a_split_twice_changes_nothing(split):
    for row in split.rows:
        once = scrub(row["text"], lambda h: 7 if h.startswith("a") else None, row["region"])
        assert rescrub(once, None, row["region"]) == once, row["id"]
        assert scrub(once, None, row["region"]) == once or mentions.OPEN in once, row["id"]
