"""Scrub personal data from platform texts at ingestion.

- @mentions become references to the mentioned account (catalog/mentions.py), rendered later
  as each reader's pseudonym; a mention of an account we do not know becomes [MENTION].
- e-mail addresses, URLs and phone numbers become [EMAIL], [URL], [PHONE].
- NUL and other control characters go (they break CSV exports and some clients), and so do
  the private-use characters reserved for mention references, so references cannot be forged.

Hand-written patterns rather than an NLP library: bulk loads scrub millions of texts, and a
model-based detector (Presidio and the like, which also need downloaded models) would cost
more than the rest of the load; these four kinds of data have recognisable shapes. Each pass
is gated by a cheap test, so a text without personal data costs a few microseconds (see
docs/benchmarks.md). Recall and precision are measured on a labelled multilingual sample in
tests/test_scrub.py.
"""

import re
import unicodedata
from collections.abc import Callable

from catalog import mentions

EMAIL = "[EMAIL]"
URL = "[URL]"
PHONE = "[PHONE]"
MENTION = "[MENTION]"

# Top-level domains that bare domains (no scheme, no www.) must end with to count as URLs;
# without a list, "e.g.", "file.txt" or "v2.0" would be taken for links.
_TLDS = (
    "com|net|org|info|biz|io|co|me|ly|gg|tv|app|dev|ai|xyz|site|online|shop|store|link|live|"
    "club|top|vip|news|blog|page|ee|to|be|am|fm|cc|ws|gl|su|"
    "de|fr|uk|es|it|nl|pl|pt|ru|tr|br|mx|ar|cl|in|id|jp|kr|cn|tw|vn|th|ph|my|sg|au|nz|ca|us|"
    "ch|at|se|no|dk|fi|ie|cz|sk|hu|ro|bg|gr|ua|by|kz|il|ae|sa|eg|ma|ng|ke|za|pk|bd|ir|iq|eu"
)

_EMAIL = re.compile(
    r"""(?<![\w.+-]) [\w.+-]+
        (?: @ | \s*[\[({]\s*(?:at|AT)\s*[\])}]\s* )
        [\w-]+ (?: (?:\.|\s*[\[({]\s*(?:dot|DOT)\s*[\])}]\s*) [\w-]+ )+""",
    re.VERBOSE,
)
_OBFUSCATED_AT = re.compile(r"[\[({]\s*(?:at|AT)\s*[\])}]")
_URL = re.compile(
    r"""(?: (?:https?|ftp)://
          | (?<![\w@.-]) www\d{0,3}\.
          | (?<![\w@.-]) (?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+ (?:"""
    + _TLDS
    + r""") (?=[/?#:]|\b(?![.-]\w)) )
        [^\s<>"'«»“”]*""",
    re.VERBOSE,
)
_MENTION = re.compile(r"(?<![\w@.])@(?P<handle>[A-Za-z0-9_][A-Za-z0-9_.]{0,23})")
_PHONE_CANDIDATE = re.compile(
    r"""(?<![\w+]) (?: \+ | ＋ )? [(\uff08]? \d
        (?: [ \t.\-/()\u2010-\u2015\u2212\uff08\uff09\uff0d\u30fc]{0,2} \d ){6,17}
        (?!\w)""",
    re.VERBOSE,
)
_ANY_DIGIT = re.compile(r"\d")
# Cheap test for a possible URL: the literal-prefix scan for ".tld" is fast, the URL pattern
# (tried at every word start) is not.
_TLD_HINT = re.compile(r"\.(?:" + _TLDS + r")(?![a-z0-9-])")

# Control characters (NUL included) and the characters reserved for mention references.
_STRIP = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f" + "".join(mentions.RESERVED_CHARACTERS) + "]")
_TRAILING_URL_PUNCTUATION = ".,;:!?)]}'\"…"
_DATE = re.compile(
    r"^(?:\d{4}[./-]\d{1,2}[./-]\d{1,2}|\d{1,2}[./-]\d{1,2}[./-]\d{2,4})"
    r"(?:\s*[-/]\s*(?:\d{4}[./-]\d{1,2}[./-]\d{1,2}|\d{1,2}[./-]\d{1,2}[./-]\d{2,4}))?$"
)
_DIGIT_GROUP = re.compile(r"\d+")
# Words that announce a phone number; a bare run of digits counts as one only after them.
_PHONE_CUE = re.compile(
    r"(?i:call|tel|phone|number|mobile|cell|text|whats ?app|wa|zap|sms|signal|viber|ruf|"
    r"handy|nummer|appel|numéro|llama|llámame|teléfono|móvil|chiama|telefono|cellulare|bel|"
    r"telefoon|zadzwoń|telefon|arayın|ara|звоните|телефон|номер|اتصل|رقم|電話|hubungi|nomor|hp)"
    r"\W{0,3}(?:\w+\W{1,3}){0,2}$"
)

MentionResolver = Callable[[str], int | None]


def _normalize_digits(candidate: str) -> str:
    # Judge full-width and other script digits by their ASCII value.
    return "".join(str(unicodedata.digit(c)) if c.isdigit() else c for c in candidate).replace(
        "＋", "+"
    )


def _is_phone(normalized: str, after_cue: bool) -> bool:
    if _DATE.match(normalized):
        return False
    groups = _DIGIT_GROUP.findall(normalized)
    digits = sum(len(group) for group in groups)
    if normalized.startswith(("+", "00")):
        return 8 <= digits <= 15
    if normalized.lstrip("(\uff08").startswith("0"):
        return 8 <= digits <= 13
    if len(groups) == 1:
        return after_cue and 9 <= digits <= 12
    # Numbers written without country or trunk prefix (Spain, Italy, Brazil, India, the US):
    # several short groups. Lists of years ("2019 2020 2021") look alike and are not phones.
    if all(len(group) == 4 and group[:2] in ("19", "20") for group in groups):
        return False
    return 9 <= digits <= 12 and max(map(len, groups)) <= 5


def _phone_length(candidate: str, after_cue: bool) -> int:
    """Length of the longest prefix of `candidate` that is a phone number, or 0.

    The candidate pattern is greedy and may run into a neighbouring number ("(11) 91234-5678
    - 1.000"), so shorter prefixes ending at a digit group are tried too.
    """
    normalized = _normalize_digits(candidate)
    ends = [m.end() for m in _DIGIT_GROUP.finditer(normalized)]
    for end in reversed(ends):
        if _is_phone(normalized[:end], after_cue):
            return end
    return 0


def scrub(text: str, resolve_mention: MentionResolver | None = None) -> str:
    """Return `text` with personal data replaced; `resolve_mention` maps a handle to an id.

    Passes run in this order because each kind can contain the next: an e-mail address
    contains an @handle and a domain, a URL can contain an @handle or a phone number.
    Each pass is skipped when a cheap test shows it cannot match.
    """
    if not text:
        return ""
    text = _STRIP.sub("", text)
    has_at = "@" in text
    if has_at or _OBFUSCATED_AT.search(text):
        text = _EMAIL.sub(EMAIL, text)
        has_at = "@" in text
    if "://" in text or "www" in text or _TLD_HINT.search(text):
        text = _URL.sub(_replace_url, text)
        has_at = has_at and "@" in text
    if has_at:
        text = _MENTION.sub(lambda m: _replace_mention(m, resolve_mention), text)
    if _ANY_DIGIT.search(text):
        text = _PHONE_CANDIDATE.sub(lambda m: _replace_phone(m, text), text)
    return text


def _replace_url(match: re.Match) -> str:
    url = match.group()
    kept = url.rstrip(_TRAILING_URL_PUNCTUATION)
    return URL + url[len(kept) :]


def _replace_mention(match: re.Match, resolve_mention: MentionResolver | None) -> str:
    raw = match.group("handle")
    handle = raw.rstrip(".")  # a sentence-ending period is not part of the handle
    creator_id = resolve_mention(handle.lower()) if resolve_mention else None
    return (mentions.reference(creator_id) if creator_id else MENTION) + raw[len(handle) :]


def _replace_phone(match: re.Match, text: str) -> str:
    candidate = match.group()
    after_cue = bool(_PHONE_CUE.search(text, max(0, match.start() - 40), match.start()))
    length = _phone_length(candidate, after_cue)
    return PHONE + candidate[length:] if length else candidate
