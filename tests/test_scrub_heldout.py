"""The scrubber judged on a labelled sample it was never tuned on (issue 12).

tests/data/scrub_heldout.jsonl (split A) was written and committed before the scrubber's
patterns were changed, and was not looked at while they were tuned (on
tests/data/scrub_tuning.jsonl and tests/data/scrub_sample.jsonl); after its first evaluation
two fixes were made with its misses in view, so tests/data/scrub_heldout_b.jsonl (split B)
was written afterwards and never used to change anything. See docs/benchmarks.md.

Each row holds a short post, its language and the region of its video (null when unknown),
the exact spans of the personal data in it by kind, and the look-alikes (counts, prices,
dates and times, scores, versions, file names, emoticons, hashtags) that must survive.

Measures, per split:
- recall per kind: an item counts as caught when its text is gone from the output and the
  output holds at least as many placeholders of its kind as the expected output (so a
  mention swallowed into an [EMAIL] is a miss);
- false-positive rate: the share of texts without personal data that the scrubber changed;
- look-alikes kept: the share of look-alikes in texts with personal data that survive;
- exact: the share of texts whose output is exactly the expected one (no neighbour
  swallowed, no fragment left).
"""

import json
from collections import Counter
from pathlib import Path

import pytest

from catalog import mentions
from catalog.scrub import rescrub, scrub

DATA = Path(__file__).parent / "data"
KINDS = ("email", "phone", "url", "mention")
PLACEHOLDERS = {"email": "[EMAIL]", "phone": "[PHONE]", "url": "[URL]", "mention": "[MENTION]"}


def load(name: str) -> list[dict]:
    return [json.loads(line) for line in (DATA / name).read_text(encoding="utf-8").splitlines()]


def expected_output(row: dict) -> str:
    text, out, pos = row["text"], [], 0
    for item in sorted(row["pii"], key=lambda i: i["start"]):
        out.append(text[pos : item["start"]])
        out.append(PLACEHOLDERS[item["type"]])
        pos = item["end"]
    out.append(text[pos:])
    return "".join(out)


def _placeholders(text: str, kind: str) -> int:
    count = text.count(PLACEHOLDERS[kind])
    if kind == "mention":
        count += len(mentions.referenced_ids(text))
    return count


def evaluate(rows: list[dict], scrub_text) -> dict:
    """Figures for `scrub_text(text, region) -> str` on `rows` (see the module's docstring)."""
    found, total, misses = Counter(), Counter(), []
    clean = changed = kept = lookalikes = exact = 0
    false_positives, lost = [], []
    for row in rows:
        output = scrub_text(row["text"], row["region"])
        expected = expected_output(row)
        exact += output == expected
        if not row["pii"]:
            clean += 1
            if output != row["text"]:
                changed += 1
                false_positives.append((row["id"], row["text"], output))
            continue
        for item in row["pii"]:
            kind = item["type"]
            total[kind] += 1
            if item["value"] not in output and _placeholders(output, kind) >= _placeholders(
                expected, kind
            ):
                found[kind] += 1
            else:
                misses.append((row["id"], kind, item["value"], output))
        for keep in row["keep"]:
            lookalikes += 1
            if keep["value"] in output:
                kept += 1
            else:
                lost.append((row["id"], keep["value"], output))
    return {
        "texts": len(rows),
        "recall": {kind: found[kind] / total[kind] for kind in KINDS if total[kind]},
        "items": dict(total),
        "clean_texts": clean,
        "false_positive_rate": changed / clean if clean else 0.0,
        "lookalikes_kept": kept / lookalikes if lookalikes else 1.0,
        "exact": exact / len(rows),
        "misses": misses,
        "false_positives": false_positives,
        "lost": lost,
    }


# ----------------------------------------------------------------------------- the tests

HELDOUT = load("scrub_heldout.jsonl")
# Written after version 2 was tuned and never used to change it: the untouched estimate
# (split A was consulted for two fixes after its first run; docs/benchmarks.md).
HELDOUT_B = load("scrub_heldout_b.jsonl")
TUNING = load("scrub_tuning.jsonl")


def _scrub(text, region):
    return scrub(text, None, region)


def test_samples_are_large_multilingual_and_half_without_personal_data():
    assert len(HELDOUT) + len(TUNING) >= 600
    for rows in (HELDOUT, HELDOUT_B, TUNING):
        assert len({row["lang"] for row in rows}) >= 20
        assert 0.35 <= sum(not row["pii"] for row in rows) / len(rows) <= 0.6
    assert {row["split"] for row in HELDOUT + HELDOUT_B} == {"heldout"}
    assert {row["split"] for row in TUNING} == {"tune"}
    assert not {row["text"] for row in HELDOUT + HELDOUT_B} & {row["text"] for row in TUNING}
    kinds = Counter(item["type"] for row in HELDOUT for item in row["pii"])
    assert all(kinds[kind] >= 90 for kind in KINDS), kinds
    for row in HELDOUT + HELDOUT_B + TUNING:  # the spans are exact
        for item in row["pii"] + row["keep"]:
            assert row["text"][item["start"] : item["end"]] == item["value"], row["id"]


def test_heldout_recall_is_at_least_99_percent_per_kind():
    figures = evaluate(HELDOUT, _scrub)
    assert all(figures["recall"][kind] >= 0.99 for kind in KINDS), (
        figures["recall"],
        figures["misses"],
    )


def test_heldout_false_positive_rate_is_at_most_1_percent():
    figures = evaluate(HELDOUT, _scrub)
    assert figures["clean_texts"] >= 150
    assert figures["false_positive_rate"] <= 0.01, figures["false_positives"]
    assert figures["lookalikes_kept"] >= 0.99, figures["lost"]


def test_untouched_heldout_split_b():
    figures = evaluate(HELDOUT_B, _scrub)
    # 53 phone numbers: one miss is 98.1%, so the 99% target cannot be asserted here; the
    # first (and only) run missed one ("11 5678-1234", an Argentine fixed line without its
    # trunk prefix, after "wsp"), and it is left so to keep this split untouched.
    assert all(figures["recall"][kind] >= 0.98 for kind in KINDS), figures["misses"]
    assert figures["false_positive_rate"] <= 0.01, figures["false_positives"]
    assert figures["lookalikes_kept"] >= 0.99, figures["lost"]


def test_tuning_split_figures():
    figures = evaluate(TUNING, _scrub)
    assert figures["false_positive_rate"] <= 0.01, figures["false_positives"]
    assert min(figures["recall"].values()) >= 0.85, figures["misses"]


@pytest.mark.parametrize(
    "rows", [HELDOUT, HELDOUT_B, TUNING], ids=["heldout", "heldout_b", "tuning"]
)
def test_scrubbing_twice_changes_nothing(rows):
    for row in rows:
        once = scrub(row["text"], lambda h: 7 if h.startswith("a") else None, row["region"])
        assert rescrub(once, None, row["region"]) == once, row["id"]
        assert scrub(once, None, row["region"]) == once or mentions.OPEN in once, row["id"]
