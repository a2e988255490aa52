"""The scrubber on held-out split F (issue 12), scored exactly as splits A, C, D and E.

tests/data/scrub_heldout_f.jsonl was written while split E's misses were being fixed, without
the scrubber's source in view, without the other splits' texts in view (their values were only
compared with a script afterwards, and the 26 repeats replaced) and without running the
scrubber on its texts, and committed (84f0ea9) before its one evaluation: 750 posts in 26
languages and scripts, 325 without personal data (435 look-alikes in all: counts, prices,
dates and times, postal codes, order, receipt, tracking, roll, seat and student numbers,
scores, lottery and counting sequences, versions and package@version, file names like
banner@3x.png, emoticons such as @_@, ISBNs, a missing full stop's space before a word that
is also a domain ending), 184 phone numbers (many glued to a cue word, toll-free and short
codes), 102 e-mail addresses (45 spelled out in the local language or bracketed, 9 with a
full-width at sign), 102 URLs and 115 mentions.

Its first and only run (scrubber at 0e0c5f1, split E's fixes; HEAD 84f0ea9 only added the
data) measured, after one label fix of ours (hf213: 'sube mi vida.com es la app …' names a
site, so 'vida.com' is a URL; it had been written as a look-alike, and the run counted it as
a false positive, 10 of 326, and URL recall 100/101):
- recall: e-mail 95/102 (93.1%), phone 171/184 (92.9%), URL 101/102 (99.0%), mention
  113/115 (98.3%);
- false positives: 9 of 325 texts without personal data changed (2.8%);
- look-alikes kept: 40/40 (100%) in texts with personal data; outputs exactly as expected:
  712/750 (94.9%); besides the misses and false positives, 6 caught items leave a fragment:
  a trunk digit glued to a cue (Russian 'call' + '8[PHONE]', 'appelez0[PHONE]'), a path in Thai or
  Korean script after the link ('[URL]เมนู', '[URL]บ้านริมน้ำ', '[URL]상품/8812') and
  '[URL].例子.中国/活动' (an IDN host after www.);
- scrubbing twice: no output changes when scrubbed again.
Nothing was changed in the data after that run but hf213's label. Its misses were then fixed
with F in view (spelled-out "at"/"dot" in Japanese, Chinese, Urdu and Arabic-script variants;
a plain "at" before a made-up compound name; numbers glued to a small word after a cue;
short service codes after a hotline word; seat, student, candidate, receipt, tracking and
lottery numbers named in other languages; "con@", "salamat@" and other thanks as mentions),
so F is no longer an untouched estimate. Since then F measures e-mail 102/102, phone
183/184, URL 101/102, mention 115/115, and 3 of 325 texts without personal data changed
(0.9%). The tests assert the issue's targets.
"""

from collections import Counter

import pytest

from catalog import mentions
from catalog.scrub import rescrub, scrub
from tests.test_scrub_heldout import HELDOUT, HELDOUT_B, KINDS, TUNING, _scrub, evaluate, load

HELDOUT_C = load("scrub_heldout_c.jsonl")
HELDOUT_D = load("scrub_heldout_d.jsonl")
HELDOUT_E = load("scrub_heldout_e.jsonl")
HELDOUT_F = load("scrub_heldout_f.jsonl")

MISSED: dict[str, str] = {}  # every kind meets the target since F's fixes


def test_split_f_is_large_multilingual_independent_and_half_without_personal_data():
    assert len(HELDOUT_F) >= 600
    assert len({row["lang"] for row in HELDOUT_F}) >= 25
    assert 0.35 <= sum(not row["pii"] for row in HELDOUT_F) / len(HELDOUT_F) <= 0.6
    assert {row["split"] for row in HELDOUT_F} == {"heldout"}
    assert len({row["id"] for row in HELDOUT_F}) == len(HELDOUT_F)
    others = HELDOUT + HELDOUT_B + HELDOUT_C + HELDOUT_D + HELDOUT_E + TUNING
    assert not {row["text"] for row in HELDOUT_F} & {row["text"] for row in others}
    values = {item["value"] for row in HELDOUT_F for item in row["pii"]}
    assert not values & {item["value"] for row in others for item in row["pii"]}
    kinds = Counter(item["type"] for row in HELDOUT_F for item in row["pii"])
    assert kinds["phone"] >= 170, kinds
    assert kinds["email"] >= 90 and kinds["url"] >= 90 and kinds["mention"] >= 90, kinds
    for row in HELDOUT_F:  # the spans are exact
        for item in row["pii"] + row["keep"]:
            assert row["text"][item["start"] : item["end"]] == item["value"], row["id"]


@pytest.mark.parametrize(
    "kind",
    [
        pytest.param(
            kind,
            marks=pytest.mark.xfail(strict=True, reason=f"split F, measured once: {MISSED[kind]}"),
        )
        if kind in MISSED
        else kind
        for kind in KINDS
    ],
)
def test_split_f_recall_is_at_least_99_percent(kind):
    figures = evaluate(HELDOUT_F, _scrub)
    assert figures["recall"][kind] >= 0.99, [miss for miss in figures["misses"] if miss[1] == kind]


def test_split_f_false_positive_rate_is_at_most_1_percent():
    figures = evaluate(HELDOUT_F, _scrub)
    assert figures["clean_texts"] >= 150
    assert figures["false_positive_rate"] <= 0.01, figures["false_positives"]


def test_split_f_lookalikes_are_kept():
    figures = evaluate(HELDOUT_F, _scrub)
    assert figures["lookalikes_kept"] >= 0.99, figures["lost"]


def test_scrubbing_split_f_twice_changes_nothing():
    for row in HELDOUT_F:
        once = scrub(row["text"], lambda h: 7 if h.startswith("a") else None, row["region"])
        assert rescrub(once, None, row["region"]) == once, row["id"]
        assert scrub(once, None, row["region"]) == once or mentions.OPEN in once, row["id"]
