"""The scrubber on held-out split G (issue 12), scored exactly as splits A, C, D, E and F.

tests/data/scrub_heldout_g.jsonl was written while split F's misses were being fixed, without
the scrubber's source (or that fix) in view, without the other splits' texts in view (their
values and texts were only compared with a script afterwards, and the repeats replaced) and
without running the scrubber on its texts, and committed (1ccb0bf) before its one evaluation:
703 posts in 26 languages and scripts (Amharic among them), 312 without personal data, and
205 look-alikes in 173 of the 391 texts with personal data (counts, prices, dates and times,
postal codes, order, receipt, tracking, roll, seat, student and registration numbers, PNRs,
scores, lottery draws, versions and package@version, file names like banner@2x.png,
emoticons such as @_@, a missing full stop's space before a word that is also a domain
ending), 186 phone numbers (glued to a cue word in the local language, in Arabic-Indic,
Persian, Bengali, Devanagari and full-width digits, toll-free and short service codes, two in
one post), 99 e-mail addresses (spelled out in the local language and script, bracketed,
full-width at sign, multi-level domains), 98 URLs (capitalised, short links, IDNs, paths in
other scripts, bare domains) and 100 mentions (glued to text, several in a post, dots and
underscores).

Its first and only run (scrubber at 30dcff9, split F's fixes; HEAD 1ccb0bf only added the
data), with no label changed afterwards, measured:
- recall: e-mail 92/99 (92.9%), phone 170/186 (91.4%), URL 94/98 (95.9%), mention 99/100
  (99.0%, the one miss a handle glued to a greeting read as an address: 'oi@luiza.makeup'
  -> '[EMAIL]');
- false positives: 5 of 312 texts without personal data changed (1.6%);
- look-alikes kept: 205/205 (100%) in texts with personal data; outputs exactly as expected:
  666/703 (94.7%); besides the misses and false positives, 5 caught items are inexact: a
  bracket left before a glued number ('desk([PHONE]'), a count swallowed into a short code
  ('1500 772 24 jam' -> '[PHONE] jam'), a word glued before an address swallowed
  ('bisnis' + 'bisnis.tasyafarasya' and a full-width at sign), a Japanese path left after
  the link ('[URL]メニュー'), and an '@' named in a Japanese aside on how to type the
  spelled-out address ('アットマークを@に', in full-width brackets) -> 'アットマークを[MENTION]';
- scrubbing twice: no output changes when scrubbed again.
Nothing was changed in the scrubber or the data after that run.

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
HELDOUT_G = load("scrub_heldout_g.jsonl")

MISSED = {
    "email": (
        "e-mail 92/99 (92.9%): 7 spelled-out addresses were left whole: "
        "'destek et kahvecimizmir nokta com' (Turkish), 'masha.vyshivka на mail точка ru' "
        "(Russian 'на'), 'sampark एट bharatkaarigar डॉट इन' (Hindi), "
        "'help 골뱅이 dalbitbakery 닷 co 닷 kr' (Korean), "
        "'jogajog অ্যাট nakshikantha-ghar ডট কম' (Bengali), 'info ات farshe-tabriz دات ir' "
        "(Persian) and 'sara.handmade آت yahoo دوت com' (Arabic)"
    ),
    "phone": (
        "phone 170/186 (91.4%): 9 numbers glued to a cue word were left ('mi número "
        "nuevo3312876045', the Russian and Ukrainian 'call' + '89264417208' and "
        "'0504471926', 'Ruft an0171 4428 193', 'appelez-moi0648217730', "
        "'chiamatemi3394127706', 'tawagan nyo ko09274418306', "
        "'nipigie0711447208', 'acil durumda05367714429'), 2 Indonesian mobiles after "
        "'admin 1'/'admin 2' ('0813-1144-7290', '0878-4412-0937'), a Lagos landline "
        "'+234 1 270 4418', a Pakistani UAN '111-447-288', and 3 short codes ('text JOIN to "
        "73822', '银行客服95533', Amharic 'toll-free line 8294')"
    ),
    "url": (
        "URL 94/98 (95.9%): 4 internationalised domains without a scheme were left: "
        "'ร้านผ้าไหมแม่ศรี.ไทย', '和紙工房.jp', '달빛베이커리.한국' and '茶叶小铺.中国/产品'"
    ),
}


def test_split_g_is_large_multilingual_independent_and_half_without_personal_data():
    assert len(HELDOUT_G) >= 600
    assert len({row["lang"] for row in HELDOUT_G}) >= 25
    assert 0.35 <= sum(not row["pii"] for row in HELDOUT_G) / len(HELDOUT_G) <= 0.6
    assert {row["split"] for row in HELDOUT_G} == {"heldout"}
    assert len({row["id"] for row in HELDOUT_G}) == len(HELDOUT_G)
    others = HELDOUT + HELDOUT_B + HELDOUT_C + HELDOUT_D + HELDOUT_E + HELDOUT_F + TUNING
    assert not {row["text"] for row in HELDOUT_G} & {row["text"] for row in others}
    values = [item["value"] for row in HELDOUT_G for item in row["pii"]]
    assert len(set(values)) == len(values)
    assert not set(values) & {item["value"] for row in others for item in row["pii"]}
    kinds = Counter(item["type"] for row in HELDOUT_G for item in row["pii"])
    assert kinds["phone"] >= 170, kinds
    assert kinds["email"] >= 90 and kinds["url"] >= 90 and kinds["mention"] >= 90, kinds
    assert sum(bool(row["pii"] and row["keep"]) for row in HELDOUT_G) >= 120
    for row in HELDOUT_G:  # the spans are exact
        for item in row["pii"] + row["keep"]:
            assert row["text"][item["start"] : item["end"]] == item["value"], row["id"]


@pytest.mark.parametrize(
    "kind",
    [
        pytest.param(
            kind,
            marks=pytest.mark.xfail(strict=True, reason=f"split G, measured once: {MISSED[kind]}"),
        )
        if kind in MISSED
        else kind
        for kind in KINDS
    ],
)
def test_split_g_recall_is_at_least_99_percent(kind):
    figures = evaluate(HELDOUT_G, _scrub)
    assert figures["recall"][kind] >= 0.99, [miss for miss in figures["misses"] if miss[1] == kind]


@pytest.mark.xfail(
    strict=True,
    reason=(
        "split G, measured once: 5 of 312 texts without personal data changed (1.6%): a "
        "missing space after a full stop before a word that is also a domain ending "
        "('no pienso ir.es que', 'selesai.id card', 'я всё.ru сегмент', "
        "\"c'est fini.de toute façon\") -> '[URL] …', and a Kenyan registration number "
        "'SCT221-0447/2021' -> 'SCT221-[PHONE]'"
    ),
)
def test_split_g_false_positive_rate_is_at_most_1_percent():
    figures = evaluate(HELDOUT_G, _scrub)
    assert figures["clean_texts"] >= 150
    assert figures["false_positive_rate"] <= 0.01, figures["false_positives"]


def test_split_g_lookalikes_are_kept():
    figures = evaluate(HELDOUT_G, _scrub)
    assert figures["lookalikes_kept"] >= 0.99, figures["lost"]


def test_scrubbing_split_g_twice_changes_nothing():
    for row in HELDOUT_G:
        once = scrub(row["text"], lambda h: 7 if h.startswith("a") else None, row["region"])
        assert rescrub(once, None, row["region"]) == once, row["id"]
        assert scrub(once, None, row["region"]) == once or mentions.OPEN in once, row["id"]
