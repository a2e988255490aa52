"""Reads of the catalogue shared by the writers of texts (ingestion, re-scrubbing)."""

import re

from catalog.models import Creator, CreatorStatus

_HANDLE = re.compile(r"@([A-Za-z0-9_][A-Za-z0-9_.]{0,23})")


def mention_resolver(texts):
    """A handle -> creator id lookup for the @mentions in `texts`, in one query (None when
    the texts mention nobody)."""
    handles = {
        h.rstrip(".").lower() for text in texts if "@" in text for h in _HANDLE.findall(text)
    }
    if not handles:
        return None
    found = dict(
        Creator.objects.filter(username__in=handles)
        .exclude(status=CreatorStatus.DELETED)
        .values_list("username", "id")
    )
    return found.get
