"""The codebook's vocabulary: a field, a resource, and the phrases many fields share."""

from dataclasses import dataclass

PSEUDONYM = (
    "per-project pseudonym: a keyed, invertible permutation of the internal id, stable "
    "within your project and unlinkable to other projects' ids"
)
USERNAME_PSEUDONYM = (
    "per-project pseudonym of the account (derived from its internal id, not its handle)"
)
SCRUBBED = (
    "scrubbed at ingestion: e-mail addresses, phone numbers and URLs replaced by [EMAIL], "
    "[PHONE], [URL]; @mentions rendered as @ + your pseudonym of the mentioned account, or "
    "[MENTION] if the account is unknown; control characters removed"
)
UNIX = "int64, Unix seconds (UTC)"
GLOBAL_ID = (
    "none: the platform's own catalogue id, the same for every project; it names a sound or "
    "an effect that anyone may use, not a person or anything of one person's"
)
COUNT = "int64 (64-bit: never wraps at 2^31)"
# The source of a field TikTok documents that this service has no value for (always null).
NOT_IN_DATA = "none"


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    description: str
    source: str  # "app.Model.field" it is read from, or "settings.NAME"
    anonymisation: str = "none"
    coverage: str = "every record"


@dataclass(frozen=True)
class Resource:
    name: str
    description: str
    endpoints: tuple[str, ...]
    fields: tuple[Field, ...]
    plural: str = ""  # how messages name several records ("videos"); the name + "s" if empty
    title: str = ""  # what people call it, for pages ("Moderation decisions"); the name if empty

    @property
    def heading(self) -> str:
        return self.title or self.name

    @property
    def records(self) -> str:
        return self.plural or self.name + "s"
