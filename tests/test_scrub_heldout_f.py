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
Nothing was changed in the scrubber after that run, and nothing in the data but hf213's label.

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
HELDOUT_F = load("scrub_heldout_f.jsonl")

MISSED = {
    "email": (
        "e-mail 95/102 (93.1%): 7 spelled-out addresses were left whole: "
        "'coachdre at hoopsacademy dot org' (plain English), "
        "'orders آت tamrat-alwadi نقطة com', 'hagz at nilehotelcairo dot com' in Arabic, "
        "'yoyaku アットマーク ryokan-fuji ドット co ドット jp', 'kefu 艾特 chaye-shop 点 com', "
        "'rabta ایٹ dastkari-ghar ڈاٹ pk' and 'info ات qalichehkhaneh نقطه ir'"
    ),
    "phone": (
        "phone 171/184 (92.9%): 10 numbers glued to a cue word were left ('llama al91 523 44 "
        "10', the Ukrainian 'hot line' cue + '0800 500 609', 'randevu05324419087', "
        "'gọi mình0987123456', "
        "'Ruf an030 901820 44', 'numero verde800 912 443', 'infolinia800 120 440', "
        "'bel ons09 223 41 87', 'tawag09998812345', 'talian bebas tol1-300-88-1122'), and 3 "
        "short service codes ('خدمة العملاء 19845' EG, 'สายด่วน1646' TH, 'হটলাইন16263' BD)"
    ),
    "mention": (
        "mention 113/115 (98.3%): a handle glued to a word read as an address: "
        "'con@camilo.music_' -> '[EMAIL]_' and 'salamat@mika.bakes.ph' -> '[EMAIL]'"
    ),
}


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


@pytest.mark.xfail(
    strict=True,
    reason=(
        "split F, measured once: 9 of 325 texts without personal data changed (2.8%): a "
        "missing space after a full stop before a word that is also a domain ending "
        "('old.com is not a website', 'hola.es broma', 'acabou.com certeza') -> '[URL] …', "
        "and numbers after a cue in words the scrubber does not know -> '[PHONE]': 'receipt "
        "no. 2611-0093-4471', 'رقم الجلوس 1428871' (seat), 'öğrenci no 190210087' (student), "
        "'số báo danh 02004517' (exam candidate), 'شماره پیگیری ۱۴۰۳۱۱۲۲' (tracking) and the "
        "lottery draw '抽奖号码 07 12 19 24 31'"
    ),
)
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
