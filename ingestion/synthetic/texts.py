"""Texts for the synthetic platform: Zipf-distributed words, hashtags, keywords and PII.

Texts come out raw, as a platform would export them, with e-mail addresses, phone numbers,
links and @mentions in them; the loader scrubs them like ingestion does.
"""

import numpy as np

from ingestion.synthetic import vocabulary as vocab

LONG_TAIL = vocab.long_tail(30_000)
_LANGUAGE_ARRAYS = {
    lang: np.array(words.split(), dtype=object) for lang, words in vocab.WORDS.items()
}
_TAIL_ARRAY = np.array(LONG_TAIL, dtype=object)
_TAIL_SHARE = 0.12  # share of words drawn from the long tail


def zipf_ranks(rng: np.random.Generator, size: int, n: int, exponent: float = 1.07):
    """Ranks 0..n-1 with P(rank k) proportional to 1/(k+1)^exponent (inverse-CDF sampling)."""
    weights = 1.0 / np.arange(1, n + 1) ** exponent
    cdf = np.cumsum(weights)
    cdf /= cdf[-1]
    return np.searchsorted(cdf, rng.random(size), side="right").clip(0, n - 1)


class TextMaker:
    def __init__(self, rng: np.random.Generator, usernames: list[str]):
        self.rng = rng
        self.usernames = usernames

    def words(self, languages: list[str], lengths: np.ndarray) -> list[str]:
        """One text per entry: `lengths[i]` words in `languages[i]` (vectorised per language)."""
        rng = self.rng
        lengths = np.asarray(lengths, dtype=np.int64)
        total = int(lengths.sum())
        word_language = np.repeat(np.array(languages, dtype=object), lengths)
        picked = np.empty(total, dtype=object)
        uniform = rng.random(total)
        for language in dict.fromkeys(languages):
            mask = word_language == language
            words = _LANGUAGE_ARRAYS.get(language, _LANGUAGE_ARRAYS["en"])
            picked[mask] = words[np.searchsorted(_zipf_cdf(len(words)), uniform[mask])]
        from_tail = rng.random(total) < _TAIL_SHARE
        picked[from_tail] = _TAIL_ARRAY[zipf_ranks(rng, int(from_tail.sum()), len(LONG_TAIL), 1.0)]
        flat = picked.tolist()
        ends = np.cumsum(lengths).tolist()
        starts = [0, *ends[:-1]]
        return [" ".join(flat[a:b]) for a, b in zip(starts, ends, strict=True)]

    def with_pii(self, text: str, kind: str, mention: int | None = None) -> str:
        """Insert one item of personal data the way people write it."""
        rng = self.rng
        name = vocab.FIRST_NAMES[int(rng.integers(len(vocab.FIRST_NAMES)))]
        if kind == "email":
            domain = vocab.EMAIL_DOMAINS[int(rng.integers(len(vocab.EMAIL_DOMAINS)))]
            return f"{text} business: {name}.{int(rng.integers(10, 99))}@{domain}"
        if kind == "phone":
            formats = ("+49 1{a} {b}", "+1 ({a}) {c}-{d}", "0{a} {c} {d}", "+33 6 {e}")
            a, b = rng.integers(100, 999), rng.integers(1_000_000, 9_999_999)
            c, d = rng.integers(100, 999), rng.integers(1000, 9999)
            e = " ".join(f"{x:02d}" for x in rng.integers(10, 99, 4))
            number = formats[int(rng.integers(len(formats)))].format(a=a, b=b, c=c, d=d, e=e)
            return f"{text} whatsapp {number}"
        if kind == "url":
            host = vocab.LINK_HOSTS[int(rng.integers(len(vocab.LINK_HOSTS)))]
            return f"{text} link: https://{host}/{name}{int(rng.integers(1000))}"
        return f"{text} @{self.usernames[mention]}"


_CDFS: dict[int, np.ndarray] = {}


def _zipf_cdf(n: int) -> np.ndarray:
    cdf = _CDFS.get(n)
    if cdf is None:
        weights = 1.0 / np.arange(1, n + 1) ** 0.8  # flatter than the tail: stop words
        cdf = _CDFS[n] = np.cumsum(weights) / weights.sum()
        cdf[-1] = 1.0
    return cdf
