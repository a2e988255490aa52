"""Pass 1 of ingestion: read, validate and cross-check every record, apply nothing.

Valid records are spooled to temporary files by type, so pass 2 can apply them in
dependency order without holding a large export in memory.
"""

import gzip
import pickle
import tempfile
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import orjson
from pydantic import ValidationError

from catalog.models import Comment, Creator, Video
from core import validation
from ingestion.records import RECORD_TYPES, Record
from moderation.models import Policy

CHUNK = 5_000


@dataclass(frozen=True, order=True)
class Location:
    file: str
    line: int

    def __str__(self):
        return f"{self.file}:{self.line}"


@dataclass(frozen=True)
class Problem:
    location: Location | str
    field: str
    reason: str

    def __str__(self):
        return (
            f"{self.location}: {self.field}: {self.reason}"
            if self.field
            else (f"{self.location}: {self.reason}")
        )


class IngestRejected(Exception):
    """The batch has problems; nothing was applied."""

    def __init__(self, problems: list[Problem], total: int):
        super().__init__(f"{total} problem(s); nothing was applied")
        self.problems = problems
        self.total = total


@dataclass
class Batch:
    """The validated records of one ingest run, spooled by type."""

    files: list[str]
    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    _spools: dict = field(default_factory=dict)

    def add(self, location: Location, record: Record):
        spool = self._spools.get(record.type)
        if spool is None:
            spool = self._spools[record.type] = tempfile.TemporaryFile()  # noqa: SIM115 - closed by close()
        pickle.dump((location, record), spool, protocol=pickle.HIGHEST_PROTOCOL)
        self.counts[record.type] += 1

    def records(self, record_type: str) -> Iterator[tuple[Location, Record]]:
        spool = self._spools.get(record_type)
        if spool is None:
            return
        spool.seek(0)
        while True:
            try:
                yield pickle.load(spool)  # noqa: S301 - our own temporary file
            except EOFError:
                return

    def chunks(self, record_type: str, size: int = 2_000):
        chunk = []
        for item in self.records(record_type):
            chunk.append(item)
            if len(chunk) >= size:
                yield chunk
                chunk = []
        if chunk:
            yield chunk

    def close(self):
        for spool in self._spools.values():
            spool.close()


def _open(path: Path):
    return gzip.open(path, "rb") if path.suffix == ".gz" else path.open("rb")


def _pydantic_problems(location: Location, error: ValidationError) -> list[Problem]:
    return [Problem(location, path, reason) for path, reason in validation.describe(error)]


class _Checker:
    """Collects what pass 1 must check across records: duplicates and references."""

    def __init__(self):
        self.seen: dict[str, dict] = defaultdict(dict)  # type -> key -> first location
        self.usernames: dict[str, tuple[int, Location]] = {}
        self.refs: dict[str, list[tuple[int, Location, str]]] = defaultdict(list)
        self.comment_video: dict[int, int] = {}
        self.parent_refs: list[tuple[int, int, Location]] = []  # (parent, video, location)
        self.policy_refs: list[tuple[str, Location, str]] = []

    def check(self, location: Location, record: Record) -> list[Problem]:
        problems = []
        key = _key(record)
        first = self.seen[record.type].get(key)
        if first is not None:
            what = key if not isinstance(key, tuple) else " ".join(map(str, key))
            return [
                Problem(
                    location,
                    _key_field(record),
                    f"duplicate of the {record.type} {what} at {first}",
                )
            ]
        self.seen[record.type][key] = location
        kind = record.type
        if kind == "creator":
            other = self.usernames.get(record.username)
            if other is not None and other[0] != record.id:
                problems.append(
                    Problem(
                        location,
                        "username",
                        f"{record.username!r} is also creator {other[0]} at {other[1]}",
                    )
                )
            self.usernames[record.username] = (record.id, location)
        elif kind == "video":
            self.refs["creator"].append((record.creator_id, location, "creator_id"))
        elif kind == "comment":
            self.refs["video"].append((record.video_id, location, "video_id"))
            self.refs["creator"].append((record.author_id, location, "author_id"))
            self.comment_video[record.id] = record.video_id
            if record.parent_comment_id is not None:
                if record.parent_comment_id == record.id:
                    problems.append(Problem(location, "parent_comment_id", "is the comment itself"))
                self.parent_refs.append((record.parent_comment_id, record.video_id, location))
        elif kind == "follow":
            if record.follower_id == record.followee_id:
                problems.append(Problem(location, "followee_id", "an account cannot follow itself"))
            self.refs["creator"].append((record.follower_id, location, "follower_id"))
            self.refs["creator"].append((record.followee_id, location, "followee_id"))
        elif kind == "engagement":
            self.refs["creator"].append((record.creator_id, location, "creator_id"))
            self.refs["video"].append((record.video_id, location, "video_id"))
        elif kind == "decision":
            problems.extend(Problem(location, f, r) for f, r in record.problems())
            for target in ("video", "comment"):
                value = getattr(record, f"{target}_id")
                if value is not None:
                    self.refs[target].append((value, location, f"{target}_id"))
            if record.account_id is not None:
                self.refs["creator"].append((record.account_id, location, "account_id"))
            self.policy_refs.append((record.policy, location, "policy"))
            if record.sub_policy is not None:
                self.policy_refs.append((record.sub_policy, location, "sub_policy"))
        elif kind == "policy" and record.parent is not None:
            self.policy_refs.append((record.parent, location, "parent"))
        return problems

    def dangling(self) -> list[Problem]:
        """References to items neither in this batch nor already in the catalogue."""
        problems = []
        models = {"creator": Creator, "video": Video, "comment": Comment}
        for target, refs in self.refs.items():
            in_batch = self.seen[target]
            wanted = {ref for ref, _, _ in refs if ref not in in_batch}
            known = _existing(models[target], wanted)
            problems.extend(
                Problem(location, name, f"no {target} with id {ref} in this batch or the catalogue")
                for ref, location, name in refs
                if ref not in in_batch and ref not in known
            )
        problems.extend(self._parent_problems())
        codes = set(self.seen["policy"]) | set(
            Policy.objects.filter(code__in={c for c, _, _ in self.policy_refs}).values_list(
                "code", flat=True
            )
        )
        problems.extend(
            Problem(location, name, f"no policy with code {code!r} in this batch or the catalogue")
            for code, location, name in self.policy_refs
            if code not in codes
        )
        return problems

    def _parent_problems(self) -> list[Problem]:
        problems = []
        outside = {parent for parent, _, _ in self.parent_refs if parent not in self.comment_video}
        stored = {}
        outside_list = list(outside)
        for start in range(0, len(outside_list), CHUNK):
            stored.update(
                Comment.objects.filter(
                    platform_id__in=outside_list[start : start + CHUNK]
                ).values_list("platform_id", "video__platform_id")
            )
        for parent, video, location in self.parent_refs:
            parent_video = self.comment_video.get(parent, stored.get(parent))
            if parent_video is None:
                problems.append(
                    Problem(
                        location,
                        "parent_comment_id",
                        f"no comment with id {parent} in this batch or the catalogue",
                    )
                )
            elif parent_video != video:
                problems.append(
                    Problem(
                        location,
                        "parent_comment_id",
                        f"comment {parent} is on video {parent_video}, not on video {video}",
                    )
                )
        return problems

    def username_conflicts(self) -> list[Problem]:
        """Usernames in the batch that belong to another creator already stored."""
        problems = []
        names = list(self.usernames)
        for start in range(0, len(names), CHUNK):
            for username, platform_id in Creator.objects.filter(
                username__in=names[start : start + CHUNK]
            ).values_list("username", "platform_id"):
                batch_id, location = self.usernames[username]
                if platform_id != batch_id and platform_id not in self.seen["creator"]:
                    problems.append(
                        Problem(
                            location, "username", f"{username!r} belongs to creator {platform_id}"
                        )
                    )
        return problems


def _key(record: Record):
    match record.type:
        case "policy":
            return record.code
        case "follow":
            return (record.follower_id, record.followee_id)
        case "engagement":
            return (record.kind, record.creator_id, record.video_id)
        case "deletion":
            return (record.entity, record.id)
        case _:
            return record.id


def _key_field(record: Record) -> str:
    return {"policy": "code", "follow": "followee_id", "engagement": "video_id"}.get(
        record.type, "id"
    )


def _existing(model, platform_ids: set[int]) -> set[int]:
    found = set()
    ids = list(platform_ids)
    for start in range(0, len(ids), CHUNK):
        found.update(
            model.objects.filter(platform_id__in=ids[start : start + CHUNK]).values_list(
                "platform_id", flat=True
            )
        )
    return found


def read(paths: list[Path], max_problems: int = 50) -> Batch:
    """Validate every record of `paths`; return the batch or raise IngestRejected."""
    batch = Batch(files=[str(p) for p in paths])
    checker = _Checker()
    problems: list[Problem] = []
    total = 0

    def report(found: list[Problem]):
        nonlocal total
        total += len(found)
        room = max_problems - len(problems)
        if room > 0:
            problems.extend(found[:room])

    for path in paths:
        try:
            handle = _open(path)
        except OSError as exc:
            report([Problem(str(path), "", f"cannot read: {exc.strerror or exc}")])
            continue
        with handle:
            try:
                for number, raw in enumerate(handle, start=1):
                    location = Location(str(path), number)
                    report(_read_line(location, raw, batch, checker))
            except (OSError, EOFError) as exc:  # truncated or corrupt gzip
                report([Problem(str(path), "", f"cannot read: {exc}")])
    report(checker.dangling())
    report(checker.username_conflicts())
    if total:
        batch.close()
        raise IngestRejected(problems, total)
    return batch


def _read_line(location: Location, raw: bytes, batch: Batch, checker: _Checker):
    if not raw.strip():
        return []
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        reason = "not valid UTF-8" if "utf-8" in str(exc).lower() else f"not valid JSON ({exc})"
        return [Problem(location, "", reason)]
    if not isinstance(data, dict):
        return [Problem(location, "", "a record must be a JSON object")]
    record_type = data.get("type")
    model = RECORD_TYPES.get(record_type) if isinstance(record_type, str) else None
    if model is None:
        if record_type is None:
            return [Problem(location, "type", "required field is missing")]
        return [
            Problem(
                location,
                "type",
                f"unknown record type {record_type!r} (expected one of {', '.join(RECORD_TYPES)})",
            )
        ]
    try:
        record = model.model_validate(data)
    except ValidationError as exc:
        return _pydantic_problems(location, exc)
    problems = checker.check(location, record)
    if not problems:
        batch.add(location, record)
    return problems
