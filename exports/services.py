"""Exports: created (validated, quota reserved, audited) by the API, run by a worker, settled
once, downloaded through expiring signed links, deleted after their retention.

The job row carries the whole state. A worker claims it by a conditional update that counts
the attempt; it writes its file under that attempt's name and commits the result only if
the row is still its own (running, same attempt), in one transaction with the quota's
settlement and the audit entry. So an export whose worker was killed and which is delivered
again finishes once, with one set of files and one charge, and a cancelled export never
turns into a finished one.
"""

import logging
import secrets
import shutil
import tempfile
import threading
import uuid
from contextlib import closing
from datetime import datetime, timedelta
from pathlib import Path
from typing import Annotated, Literal

from django.conf import settings
from django.core import signing
from django.core.files import File
from django.core.files.storage import storages
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from pydantic import BaseModel, ConfigDict, Field, StrictBool

from accounts.keys import project_key
from accounts.models import Project
from audit import events
from audit.services import record
from core.errors import (
    Conflict,
    DatasetNotGranted,
    NotAllowed,
    NotFound,
    RateLimited,
    ScopeNotAuthorized,
)
from core.sql import db_uuid
from exports.models import ACTIVE, Export, ExportFile, Format, Status
from exports.writers import WRITERS, sha256_of
from quotas.counters import DAILY, Debit, apply
from quotas.services import daily_limits, read_standing
from research import engine
from research.auth import ProjectCaller
from research.listings import EXPORTABLE
from research.pseudonyms import Pseudonyms
from research.views_base import check_compliance

logger = logging.getLogger(__name__)
LINK_SALT = "research-api.export-download"


class ExportRequest(BaseModel):
    """What to export: a resource, the query that selects it, its fields and a format."""

    model_config = ConfigDict(extra="forbid")

    resource: Literal[tuple(EXPORTABLE)]
    format: Literal[tuple(Format.values)]
    fields: str | list[str] | None = Field(
        None, description="field names (a list, or comma-separated); all fields if absent"
    )
    max_records: Annotated[int, Field(strict=True, ge=1)] | None = Field(
        None,
        description="the most records to write (default: what is left of the day's records "
        "quota); the records are reserved when the export starts",
    )
    query: dict
    start_date: str
    end_date: str
    is_random: StrictBool = False


def storage():
    return storages["exports"]


# --- created by the API ---------------------------------------------------------------------


def create(caller: ProjectCaller, body) -> Export:
    request = engine.validated(ExportRequest, body)
    listing = EXPORTABLE[request.resource]
    if not caller.has_scope(listing.scope):
        raise ScopeNotAuthorized(
            f"Exporting {request.resource} needs the scope {listing.scope}; your token carries "
            f"{', '.join(sorted(caller.scopes))}."
        )
    if listing.dataset not in caller.project.datasets:
        raise DatasetNotGranted(f"Your project was not granted the {listing.dataset} dataset.")
    check_compliance(caller)
    search = engine.validated(
        listing.request,
        {
            "query": request.query,
            "start_date": request.start_date,
            "end_date": request.end_date,
            "is_random": request.is_random,
        },
    )
    raw_fields = ",".join(request.fields) if isinstance(request.fields, list) else request.fields
    fields = engine.chosen_fields(listing, raw_fields)
    params = listing.source.search_params(search, caller.pseudonyms)
    now = timezone.now()
    seed = secrets.randbelow(2**31 - 2) + 1 if request.is_random else 0
    estimate = engine.estimate(listing, caller.pseudonyms, params, snapshot=now, seed=seed)
    with transaction.atomic():
        # One project's exports are counted under a lock on its row: two requests at once
        # cannot both take the last place.
        Project.objects.select_for_update().filter(pk=caller.project.pk).first()
        active = Export.objects.filter(project=caller.project, status__in=ACTIVE).count()
        if active >= settings.RESEARCH_API_EXPORTS_AT_ONCE:
            raise RateLimited(
                f"Your project runs {active} exports already, the most it may run at once "
                f"({settings.RESEARCH_API_EXPORTS_AT_ONCE}): wait for one to finish, or cancel "
                "one (POST /v2/research/export/<id>/cancel/).",
                headers={"Retry-After": "30"},
                limit="exports",
            )
        reserved = _reserve(caller, listing.family, request.max_records, now)
        export = Export.objects.create(
            project=caller.project,
            client_id=caller.client_id,
            resource=request.resource,
            request=request.model_dump(mode="json", exclude={"fields", "format", "resource"}),
            params=params,
            fields=[f.name for f in fields],
            format=request.format,
            snapshot_at=now,
            seed=seed,
            family=listing.family,
            day=now.date(),
            reserved_records=reserved,
            estimated_total=min(estimate, reserved) if estimate is not None else None,
            created_at=now,
        )
        record(
            events.EXPORT_CREATED,
            actor_label="client",
            project=caller.project,
            client_id=caller.client_id,
            target=f"export:{export.id}",
            details={
                "resource": export.resource,
                "format": export.format,
                "fields": export.fields,
                "reserved_records": reserved,
            },
        )
        transaction.on_commit(lambda: enqueue(export.id))
    return export


def _reserve(caller: ProjectCaller, family: str, wanted: int | None, now: datetime) -> int:
    """Debit one request and the records the export may write (what is wanted, or all that
    is left of the day); RateLimited if nothing is left."""
    limits = daily_limits(caller.project, family)
    used = read_standing(caller.project.id, caller.client_id, now).daily[family]
    left = max(limits["records"] - used["records"], 0)
    if left == 0 or used["requests"] >= limits["requests"]:
        raise RateLimited(
            f"The daily quota of the {family} endpoints is used up for today; exports are "
            "charged to it. It resets at 00:00 UTC.",
            limit=family,
        )
    reserved = min(wanted or left, left)
    debit = Debit(
        "daily",
        DAILY,
        key={"project_id": db_uuid(caller.project.id), "family": family, "day": now.date()},
        amounts={"requests": 1, "records": reserved},
        limits={"requests": limits["requests"], "records": limits["records"]},
    )
    if apply([debit]) is not None:  # another request took the room meanwhile
        raise RateLimited(
            f"The daily quota of the {family} endpoints was used up meanwhile.", limit=family
        )
    return reserved


def _give_back(export: Export, requests: int, records: int):
    """Credit the reservation back (in the caller's transaction), on the day it was made."""
    if requests == 0 and records == 0:
        return
    apply(
        [
            Debit(
                "credit",
                DAILY,
                key={
                    "project_id": db_uuid(export.project_id),
                    "family": export.family,
                    "day": export.day,
                },
                amounts={"requests": -requests, "records": -records},
            )
        ]
    )


def enqueue(export_id: uuid.UUID):
    """Hand the export to a Celery worker, or, in the embedded default (no broker), to a
    thread of this process."""
    if settings.CELERY_BROKER_URL:
        from exports.tasks import run_export

        run_export.delay(str(export_id))
        return
    threading.Thread(
        target=_in_background, args=(export_id,), name=f"export-{export_id}", daemon=True
    ).start()


def _in_background(export_id: uuid.UUID):
    try:
        run(export_id)
    finally:
        connections.close_all()


# --- read by the API ------------------------------------------------------------------------


def of_project(project: Project, export_id) -> Export:
    """The project's export; another project's, or none, is not found alike."""
    try:
        export_id = uuid.UUID(str(export_id))
    except ValueError:
        raise NotFound("No export with this id.") from None
    export = Export.objects.filter(pk=export_id, project=project).first()
    if export is None:
        raise NotFound("No export with this id.")
    return export


def cancel(caller: ProjectCaller, export_id) -> Export:
    export = of_project(caller.project, export_id)
    with transaction.atomic():
        stopped = Export.objects.filter(pk=export.pk, status__in=ACTIVE).update(
            status=Status.CANCELLED, finished_at=timezone.now()
        )
        export.refresh_from_db()
        if not stopped:
            raise Conflict(f"The export is {export.status}; only a queued or running one stops.")
        _give_back(export, 1, export.reserved_records)
        record(
            events.EXPORT_CANCELLED,
            actor_label="client",
            project=caller.project,
            client_id=caller.client_id,
            target=f"export:{export.id}",
            details={"rows_written": export.rows_written},
        )
    return export


def link(file: ExportFile, now: datetime) -> tuple[str, datetime]:
    """An expiring signed download link of `file` (a path; the API makes it absolute)."""
    token = signing.dumps([str(file.export_id), file.name], salt=LINK_SALT)
    path = reverse("export_download", args=[file.export_id, file.name])
    return f"{path}?token={token}", now + timedelta(
        seconds=settings.RESEARCH_API_EXPORT_LINK_SECONDS
    )


def download(export_id, name: str, token: str) -> ExportFile:
    """The file a signed link names, if the link is genuine, unexpired and for this file."""
    try:
        signed = signing.loads(
            token, salt=LINK_SALT, max_age=settings.RESEARCH_API_EXPORT_LINK_SECONDS
        )
    except signing.SignatureExpired:
        raise NotAllowed(
            "This download link has expired; GET the export again for a fresh one."
        ) from None
    except signing.BadSignature:
        raise NotFound("No export file at this link.") from None
    if signed != [str(export_id), name]:
        raise NotFound("No export file at this link.")
    file = (
        ExportFile.objects.select_related("export")
        .filter(export_id=export_id, name=name, export__status=Status.SUCCEEDED)
        .first()
    )
    if file is None:
        raise NotFound("No export file at this link (it may have expired).")
    return file


def downloaded(file: ExportFile, address: str, byte_range: str):
    with transaction.atomic():
        record(
            events.EXPORT_DOWNLOADED,
            actor_label="download link",
            project=file.export.project_id,
            client_id=file.export.client_id,
            target=f"export:{file.export_id}",
            details={
                "file": file.name,
                "bytes": file.size,
                "range": byte_range,
                "ip": address,
            },
        )


# --- run by a worker ------------------------------------------------------------------------


def run(export_id: uuid.UUID):
    """The export's job: claim, write, settle. Safe to run again: a redelivered job takes
    over with a new attempt, and only the last attempt's result is kept."""
    now = timezone.now()
    claimed = Export.objects.filter(pk=export_id, status__in=ACTIVE).update(
        status=Status.RUNNING, attempts=F("attempts") + 1, started_at=now, rows_written=0
    )
    if not claimed:
        return  # finished, failed or cancelled meanwhile
    export = Export.objects.select_related("project__pseudonym_key").get(pk=export_id)
    attempt = export.attempts
    folder = Path(tempfile.mkdtemp(prefix=f"export-{export.id}-"))
    try:
        written = _write(export, attempt, folder)
    except Exception as error:  # anything: the export fails, its reservation is released
        logger.exception("export %s failed (attempt %s)", export.id, attempt)
        _fail(export, attempt, error)
        return
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    if written is not None:
        _clean_other_attempts(export, attempt)


def _write(export: Export, attempt: int, folder: Path) -> int | None:
    """Write and store the export's file and settle it; None if it was cancelled or taken
    over by a newer attempt on the way."""
    listing = EXPORTABLE[export.resource]
    fields = [listing.fields[name] for name in export.fields]
    pseudonyms = Pseudonyms(project_key(export.project.pseudonym_key))
    writer_class = WRITERS[export.format]
    name = f"{export.resource}{writer_class.suffix}"
    writer = writer_class(folder / name, listing.resource.name, fields)
    written, truncated = 0, False
    # The rows are read on a connection of their own, in a transaction of their own: the
    # progress written here, and a cancellation, are seen by others as they happen.
    reader = connections.create_connection(DEFAULT_DB_ALIAS)
    batches = engine.stream(
        listing,
        pseudonyms,
        export.params,
        fields,
        snapshot=export.snapshot_at,
        seed=export.seed,
        batch=settings.RESEARCH_API_EXPORT_BATCH_ROWS,
        limit=export.reserved_records + 1,  # one more tells whether more matched
        as_columns=True,
        reader=reader,
    )
    try:
        with closing(batches):
            for names, columns in batches:
                room = export.reserved_records - written
                if len(columns[0]) > room:
                    columns, truncated = [column[:room] for column in columns], True
                writer.write(names, columns)
                written += len(columns[0])
                if not _still_ours(export, attempt, rows_written=written):
                    return None
    finally:
        writer.close()
        reader.close()
    stored = _store(export, attempt, folder / name)
    return _settle(export, attempt, name, stored, written, truncated)


def _still_ours(export: Export, attempt: int, **progress) -> bool:
    return bool(
        Export.objects.filter(pk=export.pk, status=Status.RUNNING, attempts=attempt).update(
            **progress
        )
    )


def _store(export: Export, attempt: int, path: Path) -> dict:
    storage_name = f"{export.project_id}/{export.id}/{attempt}/{path.name}"
    with open(path, "rb") as file:
        saved = storage().save(storage_name, File(file, name=path.name))
    return {"storage_name": saved, "size": path.stat().st_size, "sha256": sha256_of(path)}


def _settle(export: Export, attempt: int, name: str, stored: dict, written: int, truncated):
    now = timezone.now()
    with transaction.atomic():
        finished = Export.objects.filter(
            pk=export.pk, status=Status.RUNNING, attempts=attempt
        ).update(
            status=Status.SUCCEEDED,
            rows_written=written,
            truncated=truncated,
            finished_at=now,
            expires_at=now + timedelta(days=settings.RESEARCH_API_EXPORT_RETENTION_DAYS),
        )
        if not finished:  # cancelled, or a newer attempt took over: keep nothing of this one
            transaction.on_commit(lambda: storage().delete(stored["storage_name"]))
            return None
        ExportFile.objects.create(export=export, name=name, rows=written, **stored)
        _give_back(export, 0, export.reserved_records - written)
        record(
            events.EXPORT_SUCCEEDED,
            actor_label="export worker",
            project=export.project_id,
            client_id=export.client_id,
            target=f"export:{export.id}",
            details={
                "resource": export.resource,
                "records": written,
                "truncated": truncated,
                "sha256": stored["sha256"],
                "attempt": attempt,
            },
        )
    return written


def _fail(export: Export, attempt: int, error: Exception):
    with transaction.atomic():
        failed = Export.objects.filter(
            pk=export.pk, status=Status.RUNNING, attempts=attempt
        ).update(
            status=Status.FAILED,
            finished_at=timezone.now(),
            error="The export failed on the server; it was not charged to your quota. "
            "Quote the export id if you report it.",
        )
        if failed:
            _give_back(export, 1, export.reserved_records)
            record(
                events.EXPORT_FAILED,
                actor_label="export worker",
                project=export.project_id,
                client_id=export.client_id,
                target=f"export:{export.id}",
                details={"error": type(error).__name__, "attempt": attempt},
            )


def _clean_other_attempts(export: Export, attempt: int):
    """Files earlier attempts left (a worker killed while writing)."""
    folder = f"{export.project_id}/{export.id}"
    try:
        attempts, _ = storage().listdir(folder)
    except (FileNotFoundError, NotImplementedError):
        return
    for other in attempts:
        if other != str(attempt):
            _delete_tree(f"{folder}/{other}")


def _delete_tree(prefix: str):
    folders, files = storage().listdir(prefix)
    for name in files:
        storage().delete(f"{prefix}/{name}")
    for name in folders:
        _delete_tree(f"{prefix}/{name}")


# --- kept for a while -----------------------------------------------------------------------


def purge_expired(now: datetime | None = None) -> int:
    """Delete the files of exports past their retention, each with an audit entry."""
    now = now or timezone.now()
    expired = 0
    for export in Export.objects.filter(status=Status.SUCCEEDED, expires_at__lte=now):
        with transaction.atomic():
            if not Export.objects.filter(pk=export.pk, status=Status.SUCCEEDED).update(
                status=Status.EXPIRED
            ):
                continue
            files = list(export.files.all())
            export.files.all().delete()
            record(
                events.EXPORT_EXPIRED,
                actor_label="retention",
                project=export.project_id,
                target=f"export:{export.id}",
                details={
                    "files": [f.name for f in files],
                    "retention_days": (now - export.created_at).days,
                },
            )
            transaction.on_commit(
                lambda files=files: [storage().delete(f.storage_name) for f in files]
            )
        expired += 1
    return expired
