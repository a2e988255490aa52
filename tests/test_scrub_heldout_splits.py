"""The scrubber on held-out splits C to Q (issue 12), each scored exactly as split A.

Each split was written by an author who saw neither the scrubber's source nor the other
splits' texts, without running the scrubber on its texts, and committed alone before its one
evaluation. Each was then used to fix what it found, so its figures here are no longer an
untouched estimate: that is its one run, in docs/benchmarks.md ("Scrubbing"), with what was
fixed after it. The last three were run once by version 3, each after the previous one's
misses were fixed: H at ec5809d, I at e32e9f8, J at b6ea7d1; K, run once at ff78b72, is
the last untouched estimate; what it found was fixed after it but for the phones marked
below.

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
    ),
    Split(
        "E",
        600,
        25,
        {"phone": 170, "email": 90, "url": 90, "mention": 80},
        values_unique=True,
    ),
    Split("F", 600, 25, {"phone": 170, "email": 90, "url": 90, "mention": 90}, values_unique=True),
    Split(
        "G",
        600,
        25,
        {"phone": 170, "email": 90, "url": 90, "mention": 90},
        values_unique=True,
        pii_with_lookalikes=120,
    ),
    Split(
        "H",
        650,
        25,
        {"phone": 180, "email": 150, "url": 150, "mention": 150},
        pii_with_lookalikes=90,  # some example numbers ("(11) 98765-4321") recur
    ),
    Split(
        "I",
        650,
        25,
        {"phone": 180, "email": 160, "url": 160, "mention": 160},
        pii_with_lookalikes=90,  # a few values recur from earlier splits
    ),
    Split(
        "J",
        900,
        30,
        {"phone": 180, "email": 165, "url": 165, "mention": 165},
        pii_with_lookalikes=90,
    ),
    Split(
        "K",
        650,
        30,
        {"phone": 180, "email": 160, "url": 160, "mention": 170},
        pii_with_lookalikes=50,
    ),
    Split(
        "L",
        900,
        35,
        {"phone": 185, "email": 180, "url": 185, "mention": 180},
        pii_with_lookalikes=35,
    ),
    Split(
        "M",
        900,
        40,
        {"phone": 180, "email": 185, "url": 180, "mention": 190},
        pii_with_lookalikes=35,
    ),
    Split(
        "N",
        1000,
        50,
        {"phone": 200, "email": 200, "url": 200, "mention": 230},
        pii_with_lookalikes=35,
    ),
    Split(
        "O",
        900,
        60,
        {"phone": 250, "email": 200, "url": 200, "mention": 200},
    ),
    Split(
        "P",
        950,
        60,
        {"phone": 230, "email": 210, "url": 220, "mention": 230},
        pii_with_lookalikes=300,
    ),
    Split(
        "Q",
        950,
        80,
        {"phone": 200, "email": 205, "url": 210, "mention": 210},
        pii_with_lookalikes=400,
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
