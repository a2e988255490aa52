"""@mentions stored as references to internal creator ids, rendered per reader.

A reference is U+E000, the creator's internal id written in the private-use digits
U+E010..U+E019, then U+E001. Scrubbing removes these characters from incoming text, so a
reference cannot be forged, and the full-text tokenizers treat them as separators, so the id
inside is never searchable. At the edge each reference is rendered as '@' + the reader's
pseudonym for that creator.
"""

import re
from collections.abc import Callable

OPEN = "\ue000"
CLOSE = "\ue001"
_DIGIT_BASE = 0xE010
RESERVED_CHARACTERS = (OPEN, CLOSE, *(chr(_DIGIT_BASE + d) for d in range(10)))

_TO_PRIVATE = str.maketrans({str(d): chr(_DIGIT_BASE + d) for d in range(10)})
_FROM_PRIVATE = str.maketrans({chr(_DIGIT_BASE + d): str(d) for d in range(10)})
_REFERENCE = re.compile(f"{OPEN}([{chr(_DIGIT_BASE)}-{chr(_DIGIT_BASE + 9)}]+){CLOSE}")


def reference(creator_id: int) -> str:
    return OPEN + str(creator_id).translate(_TO_PRIVATE) + CLOSE


def referenced_ids(text: str) -> list[int]:
    if OPEN not in text:
        return []
    return [int(m.group(1).translate(_FROM_PRIVATE)) for m in _REFERENCE.finditer(text)]


def render(text: str, username_for: Callable[[int], str]) -> str:
    """Replace every reference with '@' + username_for(internal creator id)."""
    if OPEN not in text:
        return text
    return _REFERENCE.sub(
        lambda m: "@" + username_for(int(m.group(1).translate(_FROM_PRIVATE))), text
    )
