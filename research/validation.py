"""Batch compliance (TikTok's validation tasks): which of a project's ids are still
available. The ids are the project's pseudonyms; they are decoded here and checked against
the catalogue (compliance.services.available)."""

import secrets

from django.db import transaction

from audit import events
from audit.services import record
from compliance.models import ValidationTask
from compliance.services import available
from core.errors import NotFound
from research.auth import ProjectCaller


def validate(caller: ProjectCaller, category: str, ids: list[int]) -> ValidationTask:
    internal = caller.pseudonyms.decode(category, ids)
    still = available(category, [i for i in internal if i])
    valid = [p for p, i in zip(ids, internal, strict=True) if i and i in still]
    kept = set(valid)
    with transaction.atomic():
        task = ValidationTask.objects.create(
            id=secrets.randbelow(2**63 - 1) + 1,
            project=caller.project,
            category=category,
            total=len(ids),
            valid_ids=valid,
            invalid_ids=[p for p in ids if p not in kept],
            created_at=caller.now,
        )
        record(
            events.COMPLIANCE_VALIDATED,
            actor_label="client",
            project=caller.project,
            client_id=caller.client_id,
            target=f"validation_task:{task.id}",
            details={"category": category, "ids": len(ids), "invalid": task.total - len(valid)},
        )
    return task


def of_project(project, task_id: int) -> ValidationTask:
    task = ValidationTask.objects.filter(pk=task_id, project=project).first()
    if task is None:
        raise NotFound("No validation task with this task_id.")
    return task
