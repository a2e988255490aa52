"""Scrub personal data from platform texts at ingestion.

- @mentions become references to the mentioned account (catalog/mentions.py), rendered later
  as each reader's pseudonym; a mention of an account we do not know becomes [MENTION].
- e-mail addresses (also spelled out: "name dot surname at gmail dot com", "arroba … punto",
  "[собака]", the full-width at sign), URLs and phone numbers become [EMAIL], [URL], [PHONE].
- NUL and other control characters go (they break CSV exports and some clients), and so do
  the private-use characters reserved for mention references, so references cannot be forged.

Patterns find candidates; libraries judge them where they know better:
- domain endings are checked against the Public Suffix List shipped in `publicsuffixlist`
  (never fetched at run time), so `.gle`, `.bio`, `.co.tz`, `.com.qa` or `.рф` count and
  `e.g.` or `v2.0` do not;
- phone numbers are judged by libphonenumber's per-country metadata (`phonenumbers`), in the
  region of the video when it is known, after dates and times, counts with thousands
  separators, prices, ISBNs and number sequences were set aside.
Boundaries are Unicode-aware: Chinese, Japanese, Korean and Thai neighbours do not stop a
match (these scripts glue items to the text around them) and are never swallowed into one.

A model-based detector (Presidio and the like) would cost more than the rest of a bulk load;
each pass here is gated by a cheap test, so a text without personal data costs about 2.5
microseconds, one with a phone candidate some 20-40 (docs/benchmarks.md). Recall and false
positives are measured on held-out labelled samples in tests/test_scrub_heldout.py.

`VERSION` changes whenever the output for some text changes; stored texts record the version
they were scrubbed with (the column's database default, so a bump needs a migration), and
`manage.py rescrub` brings older ones up to date (`rescrub()` below applies the current rules
to already-scrubbed text, keeping its mention references).
"""

import bisect
import functools
import re
import unicodedata
from collections.abc import Callable

import phonenumbers
from publicsuffixlist import PublicSuffixList

from catalog import mentions

# 1: the hand-kept TLD list and digit-shape rules; 2: Public Suffix List, libphonenumber,
# spelled-out e-mails, Unicode-aware boundaries; 3: numbers glued to cue words, short codes,
# domains in scripts without spaces, more spelled-out words, endings that open a phrase;
# 4: carriers' names glued to numbers, star numbers, "pedidos" and the like announce a phone.
VERSION = 4

EMAIL = "[EMAIL]"
URL = "[URL]"
PHONE = "[PHONE]"
MENTION = "[MENTION]"
PLACEHOLDERS = {"email": EMAIL, "url": URL, "phone": PHONE, "mention": MENTION}

MentionResolver = Callable[[str], int | None]

# Scripts written without spaces between words (or, for Korean, with particles glued to the
# word before): Thai, Lao, Myanmar, Khmer, CJK punctuation, kana, Hangul, CJK ideographs and
# the full-width and half-width forms. A neighbour from these never ends a match.
_SPACELESS = (
    "\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u1100-\u11ff\u2e80-\u2fdf\u3000-\u303f"
    "\u3040-\u30ff\u3100-\u318f\u31a0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\ua960-\ua97f"
    "\uac00-\ud7af\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uffef"
)
# The combining marks of scripts written with spaces (Devanagari's vowel signs, Bengali's,
# Tamil's, Hebrew's points…): no letters to Python's \w, but inside the words of those
# scripts ("मिठाई").
_MARKS = "".join(chr(c) for c in range(0x0300, 0x1000) if unicodedata.category(chr(c))[0] == "M")
# A letter or digit of a script written with spaces, or one of its marks (a domain label may
# use any of them).
_WORD = f"(?:(?![{_SPACELESS}])[^\\W_]|[{_MARKS}])"

_psl = PublicSuffixList()

# ---------------------------------------------------------------------------- domains

# Endings that are also ordinary words or file extensions ("this.me", "ok.so", "logo.ai",
# "main.rs", "v2.0.zip"): a bare domain with one of these counts only with a path after it.
_AMBIGUOUS_ENDINGS = frozenset(
    "me so in no is it at be to us do go my am as by ai md sh py rs ps la im mov zip "
    "pl sa tv cc ms mp ws ml vc".split()
)
_FILE_ENDINGS = frozenset("ai md sh py rs ps mov zip ml".split())  # "CONTRIBUTING.md"
# Generic endings that bare domains without a path use in posts ("brightnoise.io").
_GENERIC_ENDINGS = frozenset(
    "com net org edu gov info biz io co app dev xyz site online shop store link club top vip "
    "blog page live bio studio art tech fit fitness social news media design space website "
    "gle".split()
)


@functools.lru_cache(maxsize=65_536)
def _registrable(domain: str) -> tuple[str, int] | None:
    """(public suffix, labels before it) of a lower-cased domain, or None if it has none."""
    suffix = _psl.publicsuffix(domain, accept_unknown=False)
    if suffix is None or suffix == domain:
        return None
    return suffix, domain.count(".") - suffix.count(".")


def _bare_domain_counts(domain: str, has_path: bool, region: str | None = None) -> bool:
    """Whether a domain written without scheme or www. is a link (`region`: the poster's)."""
    if "_" in domain or domain[-1] == "-":
        return False
    labels = domain.split(".")
    suffix_part = domain.rsplit(".", 1)[1]
    # With a path after it, a known ending is a link however it is capitalised ("Bit.Ly/x",
    # as phone keyboards write it): a missing space is not followed by a slash.
    if has_path and (
        _registrable(domain.lower()) is not None
        # A public suffix itself, with a path: a government's site ("gob.mx/tramites").
        or (
            len(labels) >= 2
            and _psl.publicsuffix(domain.lower(), accept_unknown=False) == domain.lower()
        )
    ):
        return not all(label.isdigit() for label in labels[:-1])
    # "end.Next" is a missing space; links are written in one case ("Bit.ly", "WWW.X.DE"),
    # or capitalised after a capitalised name of a site's length ("Tessarowe.Store",
    # "Masterskaya-Dereva.Ru"): sentences rarely end in such a word.
    name = labels[-2]
    site_cased = suffix_part.istitle() and name[:1].isupper() and (len(name) >= 8 or "-" in name)
    if suffix_part != suffix_part.lower() and suffix_part != suffix_part.upper() and not site_cased:
        return False
    if not suffix_part.isupper() and suffix_part[0].isupper() and not site_cased:
        return False
    found = _registrable(domain.lower())
    if found is None:
        return False
    suffix, _ = found
    if all(label.isdigit() for label in labels[: -suffix.count(".") - 1]):
        return False  # 1.2.3.4-like
    last = suffix.rsplit(".", 1)[-1]
    if has_path:
        return True
    # A word of another script before a Latin ending ("всё.ru сегмент") is a missing space:
    # registries of Latin endings take Latin names.
    # (Names that join words with a hyphen, or under a two-level ending, are sites'
    # names: "φούρνος-ελένη.gr", "מאפיית-נועה.co.il".)
    if last.isascii() and _FOREIGN_LETTER.search(domain):
        return "-" in labels[-2] or "." in suffix
    if last in _AMBIGUOUS_ENDINGS and "." not in suffix:
        # ... unless its name joins words with hyphens, as names of sites do
        # ("friterie-chez-momo.be"), or runs them together ("brocanteflagey.be"), which
        # words before a full stop do not, or the ending is the poster's own country's
        # ("bhklub.at" from Vienna, "Oudhouse.sa" from Riyadh).
        return (
            "-" in labels[-2]
            or last.upper() == region
            or (
                len(labels[-2]) >= 10
                and labels[-2][1:].islower()  # a capital first letter, as a brand's
                and last not in _FILE_ENDINGS
            )
        )
    if "." in suffix or len(labels) >= 3:
        return True
    # ... or a newer ending after a name of run-together words ("tacotuesday.menu").
    name = labels[-2]
    compound = len(name) >= 8 and name.islower() and name.replace("-", "").isalpha()
    return last in _GENERIC_ENDINGS or len(last) == 2 or not last.isascii() or compound


_FOREIGN_LETTER = re.compile(r"[^\W\d_A-Za-z\u00c0-\u024f]")  # a letter of no Latin script

# Domains named in a script written without spaces ("달빛베이커리.한국", "和紙工房.jp"), which
# the pattern below cannot delimit by its neighbours: a run of that script's letters before
# a known ending, less a word for "website" glued before it ("官网茶叶小铺.中国/产品").
_SPACELESS_LETTERS = (
    "\u0e01-\u0e4e\u0e80-\u0edf\u1100-\u11ff\u3041-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af"
)
_IDN_URL = re.compile(
    rf"(?P<domain>[{_SPACELESS_LETTERS}]{{1,63}}\.(?:[A-Za-z]{{2,6}}(?![A-Za-z0-9\-]|\.[A-Za-z])"
    rf"|[{_SPACELESS_LETTERS}]{{1,6}}))(?P<path>/[^\s，。、！？,!?」』）)]*)?"
)
_WEBSITE_WORDS = (
    "เว็บไซต์", "เว็บ", "官网", "官網", "网站", "網站", "网址", "網址", "ホームページ", "サイト",
    "웹사이트", "홈페이지", "사이트",
)  # fmt: skip


def _replace_idn_url(match: re.Match) -> str:
    domain, path = match.group("domain"), match.group("path")
    label, ending = domain.rsplit(".", 1)
    lead = next((w for w in _WEBSITE_WORDS if label.startswith(w) and label != w), "")
    rest = ""
    if not ending.isascii():  # an ending glued to the text after it ("소망꽃집.한국에서")
        known = next((n for n in range(len(ending), 0, -1) if _registrable(f"x.{ending[:n]}")), 0)
        if not known:
            return match.group()
        ending, rest = ending[:known], ending[known:]
        path = path if not rest else None
    name = f"{label[len(lead) :]}.{ending}".lower()
    if _registrable(name) is None or (ending.lower() in _AMBIGUOUS_ENDINGS and not path):
        return match.group()
    return lead + URL + rest + (match.group("path") or "" if rest else "")


_LABEL = f"{_WORD}(?:(?:-|{_WORD})*{_WORD})?"
# Not glued to a letter or digit of a spaced script, nor inside an address or path.
_DOMAIN_START = rf"(?<![@.\-/_])(?<!{_WORD})"
# "www." may follow a prefix of another script ("فـwww.", "ב-www.").
_WWW_START = r"(?<![A-Za-z0-9@./_])(?<![A-Za-z0-9]-)"
_PATH_CHARS = f"[^\\s<>\"'«»“”{_SPACELESS}]"
_URL = re.compile(
    rf"""(?:(?i:https?|ftp)://[^\s<>"'«»“”，。、！？\[]+
         | {_WWW_START}(?i:www\d{{0,3}})\.{_LABEL}(?:\.{_LABEL})+(?:{_PATH_CHARS}*)
         | {_DOMAIN_START}(?P<domain>{_LABEL}(?:\.{_LABEL})+)
           (?P<path>[/?#]{_PATH_CHARS}*|:\d+{_PATH_CHARS}*)?
        )""",
    re.VERBOSE,
)
_URL_HINT = re.compile(r"\.[^\W_]")  # a scheme, "www." and every domain have one
_TRAILING_URL_PUNCTUATION = ".,;:!?)]}'\"…"


# Endings that are also words opening common phrases, and words those phrases go on with:
# "cansei.com essa chuva", "hoy.es el mejor día", "fini.de toute façon", "selesai.id card"
# are a missing space, not a site (a bare domain before any other word still counts).
_PHRASE_ENDINGS = {
    "com": frozenset(
        "certeza a o as os um uma essa esse isso ele ela eles elas você vc meu minha todo "
        "toda tudo muito muita mais amor calma fome sono medo raiva saudade".split()
    ),
    "de": frozenset(
        "verdad verdade toute tout todo toda todos nuevo novo nada la las los el mi mis tu "
        "tus su sus casa vez vrai rien suite mon ma mes ce cette nouveau".split()
    ),
    "es": frozenset(
        "el la los las que un una mi tu su broma verdad muy lo mejor peor hoy cierto obvio "
        "así increíble".split()
    ),
    "id": frozenset(["card"]),
    "ma": frozenset("duc vie mère mere chérie belle soeur sœur".split()),
}


def _reads_as_phrase(match: re.Match, region: str | None) -> bool:
    domain = match.group("domain")
    ending = domain.rsplit(".", 1)[1]
    following = match.string[match.end() : match.end() + 24].split(maxsplit=1)
    if not match.string[match.end() : match.end() + 1].isspace() or not following:
        return False
    word = following[0].rstrip(",.!?;:")
    if word in _PHRASE_ENDINGS.get(ending, ()) or (ending == "pt" and word.isdigit()):
        return True
    # A country's ending that is a word elsewhere, before a lower-case word, in a post from
    # elsewhere ("Stage fini.de retour" in France), with a short word before it (not a
    # site's name: "peluqueríaluna.es y en…" under a Mexican post).
    homes = _WORD_ENDING_HOMES.get(ending)
    return bool(
        homes
        and region
        and region not in homes
        and word.islower()
        and domain.count(".") == 1
        and len(domain) - len(ending) - 1 <= 7  # a word, not a site's run-together name
    )


_WORD_ENDING_HOMES = {
    "de": {"DE", "AT", "CH", "LI", "LU"},
    "es": {"ES"},
    "pt": {"PT"},
}


def _replace_url(match: re.Match, region: str | None = None) -> str:
    url = match.group()
    domain = match.group("domain")
    if domain is not None and (
        not _bare_domain_counts(domain, bool(match.group("path")), region)
        or (not match.group("path") and _reads_as_phrase(match, region))
    ):
        # A prefix of another script glued to a link ("فـwww.…", "ב-www.…"): the link.
        latin = re.search(r"[A-Za-z0-9]", url)
        if latin and latin.start() > 0 and _FOREIGN_LETTER.match(url):
            rest = url[latin.start() :]
            return url[: latin.start()] + _URL.sub(lambda m: _replace_url(m, region), rest)
        return url
    kept = url.rstrip(_TRAILING_URL_PUNCTUATION)
    if kept.count("(") < kept.count(")") and kept.endswith(")"):
        kept = kept[:-1]
    return URL + url[len(kept) :]


# ---------------------------------------------------------------------------- e-mail

_AT = "[@＠]"
_EMAIL = re.compile(
    # The name may hold accented letters ("diseño") and follow a letter of another script
    # ("לjobs@…"), not a Latin one.
    rf"(?<![._%+A-Za-z0-9_\u00c0-\u024f])(?<![A-Za-z0-9_\u00c0-\u024f]-)"
    rf"(?P<local>[A-Za-z0-9._%+\-\u00c0-\u024f]+){_AT}"
    rf"(?P<domain>{_LABEL}(?:[.．]{_LABEL})+)"  # a full-width dot after a full-width @ too
)
# Words that come right before a mention glued to them ("thanks@maria.art"): the e-mail
# reading of such a text is the unlikely one.
_MENTION_LEADS = frozenset(
    "thanks thank thx ty cc ft feat with by via credit credits ups shoutout love gracias "
    "obrigado obrigada valeu merci danke grazie dzięki спасибо дякую teşekkürler makasih "
    "terima kasih cảm ơn con salamat shukran asante dank tack kiitos hvala multumesc mulțumesc "
    "köszönöm děkuji ευχαριστώ arigato arigatou xiexie spasibo oi olá ola ciao "
    "salut ig insta tiktok tt fb yt".split()
)
# "at" in the languages of the posts; "at" and "et" are also ordinary words, so they count
# only in the company of other evidence (_replace_spelled_email).
_WEAK_AT = ("at", "et", "на")
_AT_WORD = (
    r"(?:at|et|arroba|arobase|arobas|chiocciola|собака|собачка|małpa|malpa|ät|snabel-a|"
    r"apenstaartje|apestaartje|arond|παπάκι|a còng|a móc|kukac|zavináč|골뱅이|แอท|एट|"
    r"маймунка|кльомба|majmunče|majmunčić|мајмунче|afna|krøllalfa|arrova|hjá|এট|অ্যাট|ॲट|ఎట్|"
    r"አት|アット|ⓐ|eta|сабачка|айқұлақ|շնիկ|zavinac|ძაღლუკა|klammeraffe|aapstert|miukumauku|"
    r"kuchukcha|manki|at the rate|at d rate|a bildua|اَت|آت|ات|ایٹ|שטרודל|равлик|"
    r"アットマーク|艾特|小老鼠|அட்|на|[@＠])"
)
_DOT_WORD = (
    r"(?:dot|punto|point|punkt|punt|punct|ponto|точка|крапка|kropka|nokta|titik|chấm|pont|"
    r"piste|τελεία|نقطة|نقطه|nukta|tečka|bodka|točka|pika|тачка|punktum|punktur|taškas|punkts|"
    r"tuldok|డాట్|ዶት|tačka|tocka|кропка|нүкте|կետ|tecka|წერტილი|nuqta|nöqtə|цэг|чекит|점|닷|ดอท|डॉट|ডট|נקודה|ドット|点|ڈاٹ|دات|دوت|點|டாட்)"
)
_SP = r"[ \t]*"
_OPEN, _CLOSE = r"[\[({<（［【]", r"[\])}>）］】]"
# In brackets ("(@)", "[at]", "(la)", "(.)"), between spaces or dashes ("- at -"); a dot
# between spaces too ("yahoo . com").
# ... or, in scripts written without spaces, glued ("jiyoon.daily골뱅이naver.com").
_GLUED_AT = ("골뱅이", "艾特", "小老鼠", "アットマーク", "アット")
_SPELLED_AT = (
    rf"(?:{_SP}{_OPEN}{_SP}(?:{_AT_WORD}|a|la){_SP}{_CLOSE}{_SP}|[ \t]+{_AT_WORD}[ \t]+"
    rf"|[ \t]+-[ \t]*{_AT_WORD}[ \t]*-[ \t]+|{'|'.join(_GLUED_AT)})"
)
_SPELLED_DOT = (
    rf"(?:{_SP}{_OPEN}{_SP}(?:{_DOT_WORD}|\.){_SP}{_CLOSE}{_SP}|[ \t]+(?:{_DOT_WORD}|\.)[ \t]+"
    r"|\.)"
)
_NAME = r"[A-Za-z0-9_%+\-\u00c0-\u024f]+"  # Latin letters, accented ones too
# Endings spelled in the post's own script ("डॉट इन", "ডট কম"), and what they stand for.
_TLD_WORDS = {
    "कॉम": "com", "इन": "in", "नेट": "net", "ऑर्ग": "org", "কম": "com", "ইন": "in",
    "নেট": "net", "컴": "com", "ком": "com", "ру": "ru", "كوم": "com", "کام": "com",
    "คอม": "com", "जीमेल": "gmail", "জিমেইল": "gmail", "ยาฮู": "yahoo", "याहू": "yahoo",
    "جی میل": "gmail",
}  # fmt: skip
# ... and, last, a word of any script with its marks ("ஜிமெயில்", "จีเมล").
_ANY_WORD = r"[^\W\d_][^\s\d.,;:!?()\[\]{}<>\"'@]*"
_DOMAIN_PART = rf"(?:{_NAME}|{'|'.join(_TLD_WORDS)}|{_ANY_WORD})"
# Bounded repetitions: unbounded ones made "name dot name dot …" quadratic (each word a start).
_SPELLED_EMAIL = re.compile(
    # The name may follow a letter of another script ("לugot.shira …", "ที่cake.baimon …").
    rf"(?<![.@A-Za-z0-9\u00c0-\u024f_%+\-])(?P<local>{_NAME}(?:{_SPELLED_DOT}{_NAME}){{0,4}})"
    rf"(?P<at>{_SPELLED_AT})(?P<domain>{_DOMAIN_PART}(?:{_SPELLED_DOT}{_DOMAIN_PART}){{1,4}})"
    rf"(?![@])(?![A-Za-z0-9\u00c0-\u024f])",
    re.IGNORECASE,
)
# Cheap gates for the spelled-out pass: a bracketed "at", or a spelled "dot" or "@" word
# (case-sensitive alternatives: an ignore-case scan costs five times as much): every word of
# the lists above (the last of "a còng"), but the plain "at" and "et".
_SPELLED_WORDS = [
    alternative.split()[-1].lower()
    for alternatives in (_AT_WORD, _DOT_WORD)
    for alternative in alternatives[3:-1].split("|")
    if not alternative.startswith("[") and alternative not in ("at", "et")
] + ["@", "＠"]
# A spelled-out address has its spelled words between spaces, or in brackets: a set of the
# text's words is a cheaper gate than a regular expression of thirty words in three cases.
_SPELLED_SET = frozenset(_SPELLED_WORDS)
_BRACKETED_WORD = re.compile(rf"{_OPEN}{_SP}(?i:{_AT_WORD}|{_DOT_WORD}|a|la|\.){_SP}{_CLOSE}")
_DOT_SPLIT = re.compile(_SPELLED_DOT, re.IGNORECASE)
# Mail providers: with the plain English "at" and "dot", only these count as the domain
# ("look at this dot com era" is no address).
_MAIL_PROVIDERS = frozenset(
    "gmail googlemail yahoo ymail hotmail outlook live msn icloud me mac aol proton protonmail "
    "gmx web t-online freenet mail yandex ya rambler bk inbox list ukr i qq 163 126 sina sohu "
    "naver daum hanmail kakao libero virgilio tiscali alice orange free sfr laposte wanadoo "
    "wp o2 onet interia seznam abv rediffmail zoho ezweb docomo softbank".split()
)


# Long words that follow "at" in sentences, for the compound rule above.
_PROSE_WORDS = frozenset(
    "yourself themselves everything something anything christmas midnight breakfast "
    "weekends everyone anywhere somewhere nowhere whatever homepage tomorrow yesterday "
    "tonight".split()
)
# Names of shared mailboxes, which people spell out with a plain "at".
_MAILBOXES = frozenset(
    "info contact contacts hello hi hola support help sales orders order booking bookings "
    "reservations reservas reserva admin office mail team service press jobs careers shop "
    "store enquiries inquiries marketing billing randevu iletisim contato contacto kontakt "
    "pedidos ventas atendimento sac tazaker".split()
)


# A "#" for the "@", where the text says so.
_SAYS_AT = r"(?:を|换成|換成|换|換|改成|->|→|=|(?i:with|by|to|por|par|con|mit|durch|per|на|за))"
_SYMBOL_FOR_AT = re.compile(
    # One of the usual stand-ins, before the "@" ("★を@に", "# -> @"), or any other symbol
    # with a word or sign between ("🌀=@"): a bare "| @handle" in a bio says nothing.
    rf"(?P<symbol>[#＃★☆●◎*■◆])\s*{_SAYS_AT}?\s*[@＠]"
    rf"|(?P<other>[^\w\s@＠()（）\[\]|/\\,.:;·•\-])\s*{_SAYS_AT}\s*[@＠]"
)


# Addresses written a letter at a time, against filters ("s h o t a . m @ i c l o u d . c o
# m"), and in full-width letters (U+FF01 to U+FF5E, as Japanese and Chinese keyboards type
# them): read as they would be typed, and an address if the plain one is.
_LETTER_SPACED = re.compile(  # bounded: unbounded, "a a a … @ b c" was quadratic
    r"(?<![A-Za-z0-9._%+\-])(?:[A-Za-z0-9._%+\-] ){2,64}[@＠](?: [A-Za-z0-9._\-]){4,64}"
    r"(?![A-Za-z0-9])"
)
_FULL_WIDTH = "\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\uff0e\uff0d"
_WIDE_EMAIL = re.compile(
    rf"(?<![{_FULL_WIDTH}\uff3f\uff0bA-Za-z0-9._%+\-])[{_FULL_WIDTH}\uff3f\uff0bA-Za-z0-9._%+\-]+"
    rf"＠[{_FULL_WIDTH}A-Za-z0-9.\-]+"
)


def _replace_disguised(match: re.Match) -> str:
    written = match.group()
    typed = unicodedata.normalize("NFKC", written.replace(" ", ""))
    email = _EMAIL.fullmatch(typed)
    if email is None:
        return written
    replaced = _replace_email(email)
    if not replaced.startswith(EMAIL):
        return written
    rest = len(replaced) - len(EMAIL)  # what follows the address (a full stop ending the sentence)
    return EMAIL + (written[-rest:] if rest else "")


# ... and without saying so, before a mail provider's domain ("wei2005#qq.com").
_SYMBOLS_FOR_AT = "#＃★☆●◎■◆"
_PROVIDER_AFTER_SYMBOL = re.compile(
    rf"(?<![._%+A-Za-z0-9#])(?P<local>[A-Za-z0-9._%+\-]+)[{_SYMBOLS_FOR_AT}]"
    rf"(?P<domain>(?P<provider>{_LABEL})(?:\.{_LABEL})+)"
)


def _provider_emails(text: str) -> str:
    return _PROVIDER_AFTER_SYMBOL.sub(
        lambda m: (
            _replace_email(m) if m.group("provider").lower() in _MAIL_PROVIDERS else m.group()
        ),
        text,
    )


def _symbol_emails(text: str) -> str:
    """Addresses with a symbol for the "@" where the text says so ("name#163.com (把#换成@)",
    "name★gmail.com (★を@に)")."""
    for symbol in {m.group("symbol") or m.group("other") for m in _SYMBOL_FOR_AT.finditer(text)}:
        pattern = re.compile(
            rf"(?<![._%+A-Za-z0-9])(?P<local>[A-Za-z0-9._%+\-]+) ?{re.escape(symbol)} ?"
            rf"(?P<domain>{_LABEL}(?:\.{_LABEL})+)"
        )
        text = pattern.sub(_replace_email, text)
    return text


_LABEL_DOT = re.compile("[.．]")
# Words for mail before an address: then "ciao@libreria….it" is an address, not a mention.
_MAIL_CUE = re.compile(
    r"(?<![A-Za-z])(?i:e-?mail|mail|correo|courriel)|почт|пошт|邮件|郵件|メール|메일|ईमेल|ইমেইল"
)


def _replace_email(match: re.Match) -> str:
    local, domain = match.group("local"), match.group("domain")
    if local.endswith("."):  # no address's name ends so: a mention after "ft."
        return match.group()
    labels = _LABEL_DOT.split(domain)
    # The longest run of labels that ends in a public suffix ("a@b.com.Thanks" ends at .com).
    for keep in range(len(labels), 1, -1):
        if _registrable(".".join(labels[:keep]).lower()) is not None:
            break
    else:
        return match.group()
    if (
        local.lower() in _MENTION_LEADS
        and labels[0].lower() not in _MAIL_PROVIDERS
        and not _MAIL_CUE.search(match.string, max(0, match.start() - 20), match.start())
    ):
        return match.group()  # a mention glued to the word before it ("thanks@maria.art")
    rest = len(domain) - len(".".join(labels[:keep]))
    return EMAIL + (domain[-rest:] if rest else "")


# An address spelled with words for "at" and "dot" the lists above have not met: a name
# shaped like a mailbox's (with a dot, an underscore or a digit), any word, a mail provider,
# any word, an ending ("hanna_lis.shop сабачка mail кропка ru").
_ANY_SPELLING = re.compile(
    r"(?<![\w.@＠%+\-])(?P<local>[A-Za-z0-9](?=[A-Za-z0-9%+\-]*[._\d])[A-Za-z0-9._%+\-]*"
    r"[A-Za-z0-9])[ \t]+[^\s\d@＠.,;:!?]{1,14}[ \t]+(?P<provider>[A-Za-z0-9\-]{1,12})"
    r"[ \t]+[^\s\d@＠.,;:!?]{1,10}[ \t]+(?P<ending>[A-Za-z]{2,3})(?![\w.@])"
)
_PROVIDER_WORDS = _MAIL_PROVIDERS - {"me", "i", "live", "web", "list", "free", "ya", "bk"}


def _replace_any_spelling(match: re.Match) -> str:
    provider, ending = match.group("provider").lower(), match.group("ending").lower()
    if provider not in _MAIL_PROVIDERS or _registrable(f"{provider}.{ending}") is None:
        return match.group()
    return EMAIL


def _scrub_spelled_emails(text: str) -> str:
    """Spelled-out addresses. A candidate that is no address ("us at support dot desk")
    gives way to one that starts inside it ("support dot desk at zaikafoods dot in"):
    the search goes on from the next word, not from the candidate's end."""
    out, position, searched_from = [], 0, 0
    while (match := _SPELLED_EMAIL.search(text, searched_from)) is not None:
        replaced = _replace_spelled_email(match)
        if replaced == match.group():
            searched_from = match.start() + 1
            continue
        out += [text[position : match.start()], replaced]
        position = searched_from = match.end()
    return "".join(out) + text[position:] if out else text


def _replace_spelled_email(match: re.Match) -> str:
    domain_parts = [_TLD_WORDS.get(p, p) for p in _DOT_SPLIT.split(match.group("domain"))]
    domain = ".".join(domain_parts).lower()
    at = match.group("at").strip()
    plain = at.lower() in _WEAK_AT
    if _registrable(domain) is None:
        # A provider and an ending spelled in the post's script ("اَت جیمیل دات کام", "அட்
        # ஜிமெயில் டாட் காம்"): with a strong "at" and a spelled dot, an address all the same.
        spelled = re.findall(_DOT_WORD, match.group("domain"), re.IGNORECASE)
        if plain or not spelled or all(part.isascii() for part in domain_parts):
            return match.group()
        return EMAIL
    if plain and match.string[match.end() : match.end() + 1] == "/":
        return match.group()  # "portfolio at site.co.uk/work": a link, said where it is
    spelled_dot = bool(re.search(_DOT_WORD, match.group(), re.IGNORECASE))
    # With the plain "at", the domain must be a mail provider ("look at this dot com era" is
    # no address), unless the name before it is spelled out too ("name dot surname at
    # company dot in"): prose does not say "dot" on both sides of "at".
    spelled_name = bool(re.search(_DOT_WORD, match.group("local"), re.IGNORECASE))
    # ... or the domain is spelled out to a two-level ending ("shop dot com dot bd").
    spelled_levels = len(re.findall(_DOT_WORD, match.group("domain"), re.IGNORECASE)) >= 2
    # ... or the name is a shared mailbox ("orders at …", "info at …"), or the dot is spelled
    # in another script ("نقطة"): neither happens in English prose.
    mailbox = _DOT_SPLIT.split(match.group("local"))[0].lower() in _MAILBOXES
    # ... or a language's own word for the dot ("nokta", "punto", "точка"): not English.
    foreign_dot = any(
        w.lower() not in ("dot", "point") for w in re.findall(_DOT_WORD, match.group(), re.I)
    )
    # ... or the domain's name is a made-up compound no sentence has after "at"
    # ("hoopsacademy dot org"; not "at this dot com", "at home dot com").
    # (Not with a plain dot: "retail at saltandsage.com.au" says where a site is.)
    compound = (
        at.lower() == "at"
        and spelled_dot
        and len(domain_parts[0]) >= 8
        and domain_parts[0].lower() not in _PROSE_WORDS
        and (domain_parts[-1].lower() in _GENERIC_ENDINGS or len(domain_parts[-1]) == 2)
    )
    # ... or the name ends in digits, as mailboxes' names do and words in a sentence do not
    # ("alireza10 at chmail dot ir").
    numbered = bool(spelled_dot) and match.group("local")[-1].isdigit()
    if (
        plain
        and domain_parts[0].lower() not in _MAIL_PROVIDERS
        and not (spelled_name or spelled_levels or mailbox or foreign_dot or compound or numbered)
    ):
        return match.group()
    if not plain and not spelled_dot and "." not in match.group("domain"):
        return match.group()
    return EMAIL


# ---------------------------------------------------------------------------- mentions

_MENTION = re.compile(
    r"(?<![@＠])@(?P<handle>[A-Za-z0-9_\u00c0-\u024f][A-Za-z0-9_.\u00c0-\u024f]{0,29})"
    r"(?![A-Za-z0-9_\u00c0-\u024f/])"  # "@a@b": handles glued in a row are each a mention
)
# An account named in another script ("@小红薯的厨房"): no handle of this platform, but a
# reference to someone all the same; it runs to the next space or punctuation.
_SCRIPT_MENTION = re.compile(
    rf"(?<![@＠_])(?<!{_WORD})[@＠](?![A-Za-z0-9_])(?P<handle>[^\W_][^\s@＠,，.。!！?？、:：;；()（）\[\]「」『』<>\"'#]{{0,23}})"
)
# After an @: a file name's density suffix ("icon@2x.png") or extension is no handle.
_FILE_LIKE = re.compile(
    r"\d(?:\.\d)?x(?:\.\w+)?|.+\.(?i:png|jpe?g|gif|svg|webp|pdf|mp[34]|mov|zip|txt|csv|psd|ai)",
)
_TIME_LIKE = re.compile(r"\d{1,2}(?:[:.]\d\d)?(?:am|pm|h)?", re.IGNORECASE)
_VERSION_LIKE = re.compile(r"v?\d+(?:\.\d+)+", re.IGNORECASE)  # "react@18.3.1", "@v2.0"


# Before an @, a lone letter ("p@ssw0rd", "h@ppy") or a digit ("313@Somerset"): the @ is a
# letter or a place's sign, not a mention.
_LEET_BEFORE = re.compile(r"(?<![\w.])(?:[A-Za-z]|[0-9]+)$")


def _replace_mention(match: re.Match, resolve_mention: MentionResolver | None) -> str:
    raw = match.group("handle")
    handle = raw.rstrip(".")  # a sentence-ending period is not part of the handle
    if (
        len(handle) < 2  # the platform's handles have two characters at least ("b!rthd@y")
        or _LEET_BEFORE.search(match.string[max(0, match.start() - 12) : match.start()])
        or not any(c.isalnum() for c in handle)
        or _TIME_LIKE.fullmatch(handle)
        or _VERSION_LIKE.fullmatch(handle)
        or _FILE_LIKE.fullmatch(handle)
    ):
        return match.group()
    creator_id = resolve_mention(handle.lower()) if resolve_mention else None
    return (mentions.reference(creator_id) if creator_id else MENTION) + raw[len(handle) :]


# ---------------------------------------------------------------------------- phones

_SEP = (
    r"(?:[ \t]?/[ \t]?|[ \t][-–][ \t](?=\d\d)"
    r"|[ \t\u00a0\u3000.\-()\u2010-\u2015\u2212\uff08\uff09\uff0d\u30fc]{0,2})"
)
_PHONE_CANDIDATE = re.compile(
    rf"""(?:(?<![0-9A-Za-z\u00c0-\u024f\u0370-\u03ff\u0400-\u052f+＋])
           |(?<=(?i:wa))|(?<=(?i:tel))|(?<=(?i:hp))|(?<=(?i:zap)))
        (?:[+＋]|00)?[(\uff08]?\d(?:{_SEP}\d){{6,17}}
        (?![0-9A-Za-z\u00c0-\u024f\u0370-\u03ff\u0400-\u052f])""",
    re.VERBOSE,
)
_ANY_DIGIT = re.compile(r"\d")
# Numbers that are something else; a phone candidate overlapping one of these is no phone.
_NOT_PHONE = re.compile(
    r"""(?<!\d)(?:
        (?<![./\-])(?:\d{1,2}([./\-])\d{1,2}\1(?:\d{4}|\d{2})|\d{4}([./\-])\d{1,2}\2\d{1,2})
        (?![./\-]\d)  # a date, then perhaps a time a few words on
        (?:,?[ \t]*(?:[^\W\d]{1,6}[ \t]*){0,2}\d{1,2}[:h.]\d{2}(?::\d{2})?)?
      | \d{1,2}[:h]\d{2}(?::\d{2})?(?:[ \t]*[-–][ \t]*\d{1,2}[:h]\d{2})?
      | \d{1,3}(?:\.\d{3}){2,}(?:,\d+)? | \d{1,3}(?:,\d{3}){2,}(?:\.\d+)?
      | \d{1,3}(?:,\d{2})+,\d{3}
      | \d{1,3}(?:[ \u00a0\u202f]\d{3})*[ \u00a0\u202f]000(?![ \u00a0\u202f]?\d)
      | (?i:isbn)[:\s\-]*[\d\-\s]{10,17}[\dXx]
      | 97[89][\-\s]\d{1,5}[\-\s]\d{1,7}[\-\s]\d{1,7}[\-\s]\d
    )(?!\d)""",
    re.VERBOSE,
)
_CURRENCY_BEFORE = re.compile(
    r"(?:[$€£¥₹₽₪₦₫₩฿]|R\$|S\$|Rp|KSh|TL|zł|USD|EUR|MXN)[ \t\u00a0]*$", re.IGNORECASE
)
_COUNT_AFTER = re.compile(
    r"[ \t\u00a0]*(?:[€₽₫₪¥$£%]|zł|грн|руб|р\.|тг|lei|tl|đ|vnd|円|원|บาท|ريال|درهم|تومان|"
    r"views|visualiza|vues|aufrufe|просмотр|переглядів|izlenme|wyświetle|weergaven|"
    r"προβολές|مشاهدة|צפיות|व्यूज़|ครั้ง|lượt|次|回|회|subs|followers|likes|seguidores|"
    r"подписчик|abonnés)",
    re.IGNORECASE,
)
# Words that announce a phone number; after them a number the metadata cannot confirm (no
# region, an unusual format) still counts.
_CUE_WORDS = (
    r"call|tel|tél|phone|ph|number|num|no|nr|mobile|mob|cell|cel|celular|"
    r"text|txt|whats ?app|whats|wa|zap|sms|signal|viber|ring|ruf{L}|anrufen|handy|nummer|"
    r"appel{L}|rappel{L}|numéro|número|portable|llama{L}|acil|"
    r"llámame|llamar|teléfono|telefone|móvil|chiama{L}|telefono|cellulare|numero|bel|telefoon|"
    r"zadzwoń|dzwoń|telefon|numer|arayın|ara|numara|hattı|hatti|звони{L}|тел|телефон{L}|"
    r"номер|моб|дзвоні{L}|телефону{L}|τηλέφωνο|τηλ|κινητό|καλέστε|اتصل|رقم|جوال|واتساب|"
    r"موبايل|تلفن|تماس|شماره|טלפון|חייגו|נייד|फोन|कॉल|नंबर|संपर्क|โทร|gọi|sdt|sđt|đt|"
    r"điện thoại|zalo|hubungi|hp|nomor|kontak|contact\w*|kontakt|電話|电话|手机|手機|携帯|"
    r"연락처|문의|전화|대표번호|hotline|helpline|হটলাইন|disque|ligar|wp|лінія|linia|infolinia|"
    r"randevu|tawag{L}|talian|สายด่วน|simu|piga|pigi{L}|nipigi{L}|tupigi{L}|namba|sună|sunați|"
    r"liga|ligue|contato|uan|یو اے این|volej{L}|zavolej{L}|wsp|wpp|wapp|☎️?|📞|📱|☏|"
    # "orders at …": a bio's phone, never a single order's number; Icelandic "call"
    r"pedidos|encomendas|reservas|hring{L}|sími|simi"
).replace("{L}", r"[^\W\d_]*")  # a word's ending: letters, never the digits glued to it
# Mobile carriers, whose names come glued to their numbers ("smart0955 344 6991"); many are
# words too ("claro", "vivo"), so they announce a phone only when glued to it.
_CARRIERS = (
    r"globe|smart|tnt|dito|telkomsel|indosat|safaricom|airtel|mtn|9mobile|viettel|vinaphone|"
    r"mobifone|vietnamobile|jio|vodafone|claro|movistar|tigo|entel|telcel|bitel|ooredoo|"
    r"etisalat|zain|mobily|jazz|zong|ufone|telenor|dtac|truemove|maxis|celcom|turkcell|"
    r"kyivstar|lifecell|beeline|megafon|мегафон|билайн|мтс|vivo|tim|oi"
)
# "or" between two numbers ("llamen al 315 849 8447 o 601 740 3089"): the second is announced.
_OR = (
    r"[\s,]*(?:/|(?i:o|or|ou|oder|of|или|або|lub|albo|nebo|veya|atau|hoặc|或|または|또는|أو|یا|או))"
    r"[\s:]*"
)
_OR_BETWEEN = re.compile(_OR)
_PHONE_CUE = re.compile(
    rf"(?:(?<!{_WORD})(?<!\[)(?i:{_CUE_WORDS})(?![^\W\d_])"  # glued to Thai or CJK text too
    r"[\s.:：\-–]{0,3}(?:[^\s\d]+[\s.:：\-–]{1,3}){0,2}"
    # ... or a phone just scrubbed and "or" ("llamen al [PHONE] o 601 740 3089")
    rf"|\[PHONE\]{_OR})$"
)
# A cue word with the number glued to it ("telefon0740182337", "ĐT0983214476").
_GLUED_CUE = re.compile(
    # ... or to a small word after it ("llama al91…", "Ruf an030…"), in lower case: an
    # upper-case prefix is a code's ("no GIB2026000041187", "resi JP4471290038").
    # ... or to a pronoun hyphenated to it ("appelez-moi06…").
    rf"(?<!{_WORD})(?<!\[)(?i:{_CUE_WORDS}|{_CARRIERS})"
    rf"(?:[ \t\-]+(?-i:[^\W\d_A-Z]{{1,8}})){{0,2}}(?=[+＋(（]?\d)"
)
_PHONE_BODY = re.compile(
    rf"(?:[+＋]|00)?[(\uff08]?\d(?:{_SEP}\d){{6,17}}"
    r"(?![0-9A-Za-z\u00c0-\u024f\u0370-\u03ff\u0400-\u052f])"
)
# Numbers named as something else right before them: a postal code, a tracking or reference
# number, an identity or tax number. (Not orders: "orders 9123 4567" gives a phone number.)
_NOT_PHONE_CUE = re.compile(
    rf"(?<!{_WORD})(?i:cep|plz|zip|postcode|post code|código postal|kod pocztowy|индекс|〒|"
    r"郵便番号|邮编|우편번호|tracking|rastreio|rastreo|sendungsnummer|трек|resi|"
    r"ref|réf|iban|nip|nif|cpf|cnpj|rfc|dni|nik|ktp|takip|kargo|paczk\w*|przesyłk\w*|"
    r"bestellung|sendung|till|paybill|powerball|mega ?millions|euromillions|lotto|loto|"
    r"lottery|lotería|loteria|lotteria|mega-?sena|sorteo|彩票|双色球|pnr|"
    # a roll, seat, ticket, invoice or order *number* (but "orders 9123 4567" is a phone)
    r"(?:roll|रोल|seat|ticket|invoice|order|bill|receipt|student|candidate|koltuk|bilet|"
    r"öğrenci|sipariş|kassenbon|bon|beleg|rechnung|quittung|factura|recibo|boleta|fattura|"
    r"scontrino|paragon|faktura|fatura|fiş|чек|квитанци\w*|счёт|счет|zamówieni\w*|"
    r"zamowieni\w*|pedido|commande|bestell\w*|ordine|заказ\w*|objednávk\w*|objednavk\w*)"
    r"[\s.:]*(?:no|nr|num|number|nº|n°|#|č|नंबर|numarası|numara)|"
    r"رقم الجلوس|رقم الطلب|رقم الفاتورة|طلبي رقم|رقم طلبي|طلب رقم|номер билета|номер заказа|"
    r"(?:çip|chip|microchip|mikroçip)[\s.:]*(?:no|nr|numarası|number|#)|"
    r"شماره پیگیری|شماره سفارش|số báo danh|mã đơn|"
    r"抽奖号码|订单号|注文番号|受験番号|주문번호|수험번호)"
    r"(?:[\s.:：#№\-–]{1,3}(?i:no|nr|numbers?|nummer|numeros?|números?|numeri|numéros|zahlen|"
    r"is|es|ist|est|é|was))*"
    r"[\s.:：#№\-–]{0,4}(?:[A-Z]{1,4})?[\s.:：#№\-–]{0,2}$"
)
# Letters (and digits after them) and a hyphen glued before the digits: an identifier
# ("SA-2025-118842", "SCT221-0447/2021").
_LEADING_NUMBER = re.compile(r"\d{1,2}[ \t]+(?=[+＋(]?\d{3})")
_ID_PREFIX = re.compile(r"(?<![A-Za-z])[A-Za-z]{1,6}\d{0,6}-$")
_GROUP = re.compile(r"\d+")


# Every decimal digit of the Basic and Supplementary Multilingual Planes (Arabic-Indic,
# Persian, Devanagari, Bengali, Thai, full-width…) and the full-width signs, mapped to ASCII;
# one mapping per character, so offsets stay the same.
_TO_ASCII = {
    code: ord(str(unicodedata.decimal(chr(code))))
    for code in range(128, 0x20000)
    if chr(code).isdecimal()
}
_TO_ASCII.update({ord("＋"): "+", ord("（"): "(", ord("）"): ")", ord("－"): "-", ord("ー"): "-"})


def _to_ascii_digits(text: str) -> str:
    return text if text.isascii() else text.translate(_TO_ASCII)


def _sequence_like(groups: list[str], separators: set[str]) -> bool:
    """Counting, lottery and score lines: many tiny groups."""
    if sum(len(g) == 1 for g in groups[1:]) >= 2:
        return True
    if len(groups) >= 6 and all(len(g) <= 2 for g in groups):
        return True
    # Five numbers up to 99, unless spaced with a trunk 0 first ("5 - 12 - 23 - 34 - 45",
    # "04 - 11 - 19 - 28 - 36"; not a French "06 12 34 56 78" or "06.48.29.17.35").
    if (
        len(groups) == 5
        and all(len(g) <= 2 for g in groups)
        and (groups[0][0] != "0" or separators not in ({" "}, {"."}))
    ):
        return True
    return len(separators) >= 2 and all(len(g) <= 2 for g in groups)


# Kinds of numbers that are phones even when written without a trunk prefix: mobiles
# (CN 138…, IN 98…, BR 11 9…), and toll-free, shared-cost and universal numbers (1800…,
# 1588-…), which have none.
_PHONE_TYPES = frozenset(
    {
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
        phonenumbers.PhoneNumberType.TOLL_FREE,
        phonenumbers.PhoneNumberType.SHARED_COST,
        phonenumbers.PhoneNumberType.PREMIUM_RATE,
        phonenumbers.PhoneNumberType.UAN,
        phonenumbers.PhoneNumberType.VOIP,
        phonenumbers.PhoneNumberType.PERSONAL_NUMBER,
    }
)


def _metadata_says_phone(number: str, region: str | None, after_cue: bool) -> bool:
    stripped = number.lstrip("(")
    international = stripped.startswith("+")
    try:
        parsed = phonenumbers.parse(number, None if international else (region or "ZZ"))
    except phonenumbers.NumberParseException:
        return False
    if international:
        # A country's code and a national number in groups: a phone, even in a format the
        # metadata no longer knows ("+234 1 270 4418", Lagos before its eighth digit).
        national = str(parsed.national_number)
        # Announced, its national number may be in one group, even of a length the
        # metadata knows no number of ("WhatsApp +40 7223154573").
        groups = _GROUP.findall(number)
        return phonenumbers.is_possible_number(parsed) or (
            phonenumbers.region_code_for_country_code(parsed.country_code) != "ZZ"
            and 7 <= len(national) <= 12
            and (after_cue or len(groups) >= 3)
            and not (len(groups) >= 3 and all(len(group) == 3 for group in groups[1:]))
        )
    metadata = phonenumbers.PhoneMetadata.metadata_for_region(region)
    national_prefix = metadata.national_prefix if metadata else None
    trunk = bool(national_prefix) and stripped.startswith(national_prefix)
    if not phonenumbers.is_valid_number(parsed):
        # Written with the trunk prefix 0 ("052-…", "07700 …") or announced, a number of a
        # possible length is meant as a phone even where the metadata knows no such block
        # (not so the North American "1": "1500 1000 500 points").
        zero = national_prefix == "0" and trunk
        return (after_cue or zero) and phonenumbers.is_possible_number(parsed)
    if after_cue or trunk or "(" in number:
        return True
    # Written without the trunk prefix: mobiles are (CN 138…, IN 98…, BR 11 9…), bare
    # fixed lines in countries with a trunk prefix are rare and look like other numbers.
    if not national_prefix:
        return True
    kind = phonenumbers.number_type(parsed)
    if kind == phonenumbers.PhoneNumberType.FIXED_LINE:
        # A bare fixed line counts when written the way phones are, in hyphenated groups
        # ("11 3482-7716"), which counts and amounts are not.
        return "-" in number and len(_GROUP.findall(number)) >= 3
    return kind in _PHONE_TYPES


_POSTAL_CODE = re.compile(r"\d{5}-\d{3}")  # a Brazilian CEP ("04538-132"): no phone's shape


def _is_phone(number: str, region: str | None, after_cue: bool) -> bool:
    if _POSTAL_CODE.fullmatch(number):
        return False
    groups = _GROUP.findall(number)
    digits = sum(map(len, groups))
    international = number.lstrip("(").startswith(("+", "00"))
    if international:
        if number.lstrip("(").startswith("00"):
            number = "+" + number.lstrip("(")[2:]
        return 8 <= digits <= 15 and _metadata_says_phone(number, None, after_cue)
    if digits < 7 or digits > 13:
        return False
    separators = set(re.findall(r"[^\d]+", number.strip("()")))
    trunk_after_cue = after_cue and number.lstrip("(").startswith("0")
    if not trunk_after_cue and _sequence_like(groups, {s.strip() or " " for s in separators}):
        return False
    if region:
        # The region's metadata decides; an announced number it does not know ("call
        # 030 5551234" under a Spanish video) is still a phone if it has a phone's shape.
        return _metadata_says_phone(number, region, after_cue) or (
            after_cue and _shaped_like_phone(number, groups, digits, after_cue)
        )
    return _shaped_like_phone(number, groups, digits, after_cue)


def _shaped_like_phone(number: str, groups: list[str], digits: int, after_cue: bool) -> bool:
    """The shapes of national numbers, for numbers no region's metadata vouches for
    (version 1's rules, after the look-alikes were set aside)."""
    if number.lstrip("(").startswith("0"):
        return 8 <= digits <= 13
    if len(groups) == 1:
        return after_cue and 8 <= digits <= 12
    if all(len(group) == 4 and group[:2] in ("19", "20") for group in groups):
        return False  # a list of years
    return 9 <= digits <= 12 and max(map(len, groups)) <= 5


def _phone_end(candidate: str, region: str | None, after_cue: bool) -> int:
    """Length of the longest prefix of `candidate` that is a phone number, or 0.

    The candidate pattern is greedy and may run into a neighbouring number, so shorter
    prefixes ending at a digit group are tried too.
    """
    normalized = _to_ascii_digits(candidate)
    groups = _GROUP.findall(normalized)
    # Announced and with a trunk 0, pairs of digits are a phone ("mob. 06 - 87 65 43 21").
    trunk_after_cue = after_cue and normalized.lstrip("(").startswith("0")
    if (
        not normalized.startswith(("+", "(+"))
        and not trunk_after_cue
        and _sequence_like(
            groups, {s.strip() or " " for s in re.findall(r"\D+", normalized.strip("()"))}
        )
    ):
        return 0
    for end in reversed([m.end() for m in _GROUP.finditer(normalized)]):
        if _is_phone(normalized[:end], region, after_cue):
            return end
    return 0


class _Spans:
    """Sorted, non-overlapping spans of look-alike numbers, searched by bisection."""

    def __init__(self, text: str):
        spans = [m.span() for m in _NOT_PHONE.finditer(_to_ascii_digits(text))]
        self.starts = [s for s, _ in spans]
        self.ends = [e for _, e in spans]

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect.bisect_right(self.starts, end - 1) - 1
        return i >= 0 and self.ends[i] > start

    def covers(self, start: int, end: int) -> bool:
        i = bisect.bisect_right(self.starts, start) - 1
        return i >= 0 and self.ends[i] >= end


# Short service numbers, phones only where a hotline word announces them ("hotline 1646").
_SHORT_CODE = re.compile(
    r"(?:(?i:hotline|helpline|hot line|call cent(?:er|re)|toll[ -]free(?: line| number)?|"
    r"สายด่วน|হটলাইন|الخط الساخن|خط ساخن|خدمة العملاء|콜센터|热线|客服|客服电话|ホットライン|"
    r"የስልክ መስመር)"
    # ... or the short code of a text message ("text JOIN to 73822").
    r"|(?i:text|txt|sms)[ \t]+[A-Z0-9]{2,12}[ \t]+(?i:to))"
    r"[\s.:：]{0,3}(?P<code>\d{3,6})(?![ \t.\-]?\d)"
)


# An Israeli business's star number after a phone cue ("☎️ *5014").
_STAR_NUMBER = re.compile(
    rf"(?<!{_WORD})(?i:{_CUE_WORDS})[\s.:：\-]{{0,3}}(?P<code>\*\d{{4}})(?![\d*])"
)


def _candidates(text: str) -> list[tuple[int, str, bool]]:
    """(start, text, glued to a cue word) of every phone candidate, in order."""
    found = [(m.start(), m.group(), False) for m in _PHONE_CANDIDATE.finditer(text)]
    starts = {start for start, _, _ in found}
    for cue in _GLUED_CUE.finditer(text):
        if cue.end() not in starts and (body := _PHONE_BODY.match(text, cue.end())):
            found.append((cue.end(), body.group(), True))
    found.sort()
    kept, reach = [], -1
    for start, candidate, glued in found:
        if start >= reach:
            kept.append((start, candidate, glued))
            reach = start + len(candidate)
    return kept


def _scrub_phones(text: str, region: str | None) -> str:
    for short in (_SHORT_CODE, _STAR_NUMBER):
        if short.search(text):
            text = short.sub(lambda m: m.group()[: m.start("code") - m.start()] + PHONE, text)
    candidates = _candidates(text)
    if not candidates:
        return text
    blocked = None  # spans of look-alike numbers, found when first needed
    out, pos = [], 0
    queue = list(reversed(candidates))
    while queue:
        start, candidate, glued = queue.pop()
        if start < pos:
            continue
        before = text[max(0, start - 30) : start]
        if _NOT_PHONE_CUE.search(before) or _ID_PREFIX.search(before):
            continue
        after_cue = (
            glued
            or bool(_PHONE_CUE.search(text, max(0, start - 30), start))
            or bool(out and _OR_BETWEEN.fullmatch(text, pos, start))
        )
        end_of_match = start + len(candidate)
        check = not after_cue and not candidate.startswith(("+", "＋"))
        if check:
            if _CURRENCY_BEFORE.search(text, max(0, start - 6), start):
                continue
            if blocked is None:
                blocked = _Spans(text)
            if blocked.covers(start, end_of_match):
                continue  # a date, a count…: no need to ask the metadata
        end = _phone_end(candidate, region, after_cue)
        if not end:
            # A list's number before the phone ("admin 1 0813-1144-7290"): try without it.
            lead = _LEADING_NUMBER.match(candidate)
            if lead:
                queue.append((start + lead.end(), candidate[lead.end() :], after_cue))
            continue
        if check and (
            blocked.overlaps(start, start + end)
            or _COUNT_AFTER.match(text, start + end, start + end + 16)
        ):
            continue
        out.append(text[pos:start])
        out.append(PHONE)
        pos = start + end
        if end < len(candidate):  # "082 447 1930 / 021 418 7720": the rest may be another
            rest = _PHONE_CANDIDATE.search(text, pos)
            if rest and rest.start() < start + len(candidate):
                queue.append((rest.start(), rest.group(), False))
    out.append(text[pos:])
    return "".join(out)


# ---------------------------------------------------------------------------- the passes

# Control characters (NUL included) and the characters reserved for mention references.
_STRIP = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f" + "".join(mentions.RESERVED_CHARACTERS) + "]")


def scrub(
    text: str, resolve_mention: MentionResolver | None = None, region: str | None = None
) -> str:
    """Return `text` with personal data replaced; `resolve_mention` maps a handle to an id.

    `region` is the ISO country code of the video (or account) the text belongs to, the
    default country of phone numbers written without a country code; None when unknown.
    Passes run in this order because each kind can contain the next: an e-mail address
    contains an @handle and a domain, a URL can contain an @handle or a phone number.
    Each pass is skipped when a cheap test shows it cannot match.
    """
    if not text:
        return ""
    if _STRIP.search(text):
        text = _STRIP.sub("", text)
    return _scrub(text, resolve_mention, region)


# The passes' gates, as single searches (a generator over a few strings cost more).
_SYMBOL_CHARS = re.compile(f"[{_SYMBOLS_FOR_AT}]")
_GLUED_AT_WORD = re.compile("|".join(_GLUED_AT))
_OPENING = re.compile("[([{<（［【]")


def _scrub(text: str, resolve_mention: MentionResolver | None, region: str | None) -> str:
    region = region.upper() if region and len(region) == 2 else None
    has_at = "@" in text or "＠" in text
    if has_at:
        text = _EMAIL.sub(_replace_email, text)
        if _SYMBOL_FOR_AT.search(text):
            text = _symbol_emails(text)
        if " @ " in text or " ＠ " in text:
            text = _LETTER_SPACED.sub(_replace_disguised, text)
        if "＠" in text:
            text = _WIDE_EMAIL.sub(_replace_disguised, text)
    if "." in text and _SYMBOL_CHARS.search(text):
        text = _provider_emails(text)
    words = text.lower().split()
    if (
        not _SPELLED_SET.isdisjoint(words)
        or "- at -" in text
        or (not text.isascii() and _GLUED_AT_WORD.search(text))
        or (_OPENING.search(text) and _BRACKETED_WORD.search(text))
    ):
        text = _scrub_spelled_emails(text)
        words = text.lower().split()
    if not _PROVIDER_WORDS.isdisjoint(words):
        text = _ANY_SPELLING.sub(_replace_any_spelling, text)
    if ("." in text and _URL_HINT.search(text)) or "://" in text:
        text = _URL.sub(lambda m: _replace_url(m, region), text)
        if not text.isascii():
            text = _IDN_URL.sub(_replace_idn_url, text)
    if has_at and ("@" in text or "＠" in text):
        text = _MENTION.sub(lambda m: _replace_mention(m, resolve_mention), text)
        if not text.isascii():
            text = _SCRIPT_MENTION.sub(MENTION, text)
    if _ANY_DIGIT.search(text):
        text = _scrub_phones(text, region)
    return text


_REFERENCE = re.compile(f"{mentions.OPEN}[^{mentions.CLOSE}]*{mentions.CLOSE}")


def rescrub(
    text: str, resolve_mention: MentionResolver | None = None, region: str | None = None
) -> str:
    """Apply the current rules to a text scrubbed earlier, keeping its mention references.

    Placeholders survive (scrub(scrub(x)) == scrub(x)); the pieces between references are
    scrubbed on their own, so a reference is never taken apart or merged with a neighbour.
    """
    if not text:
        return ""
    if mentions.OPEN not in text:
        return _scrub(_STRIP.sub("", text), resolve_mention, region)
    out, pos = [], 0
    for match in _REFERENCE.finditer(text):
        out.append(_scrub(_STRIP.sub("", text[pos : match.start()]), resolve_mention, region))
        out.append(match.group())
        pos = match.end()
    out.append(_scrub(_STRIP.sub("", text[pos:]), resolve_mention, region))
    return "".join(out)
