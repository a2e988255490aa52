"""Projects' pseudonym keys: created with the project, rotated or destroyed on request."""

import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import Project, PseudonymKey
from audit.services import record
from core.errors import Conflict

PSEUDONYM_KEY_ROTATED = "pseudonym_key.rotated"
PSEUDONYM_KEY_DESTROYED = "pseudonym_key.destroyed"
PSEUDONYM_KEYS_REENCRYPTED = "pseudonym_key.reencrypted"


class KeyUnavailable(Conflict):
    """The project's pseudonym key is destroyed, or does not open under this master key."""


def _seal(project_id, key: bytes, master: bytes) -> tuple[bytes, bytes]:
    nonce = os.urandom(12)
    return AESGCM(master).encrypt(nonce, key, project_id.bytes), nonce


def _open(row: PseudonymKey, master: bytes) -> bytes:
    try:
        return AESGCM(master).decrypt(bytes(row.nonce), bytes(row.ciphertext), row.project_id.bytes)
    except InvalidTag:
        raise KeyUnavailable("the pseudonym key does not decrypt under this master key") from None


def create_key(project: Project) -> PseudonymKey:
    ciphertext, nonce = _seal(project.id, os.urandom(32), settings.RESEARCH_API_MASTER_KEY)
    return PseudonymKey.objects.create(project=project, ciphertext=ciphertext, nonce=nonce)


def project_key(row: PseudonymKey | None) -> bytes:
    """The plaintext key of a project's key row (None, or destroyed: KeyUnavailable)."""
    if row is None or row.destroyed_at is not None or row.ciphertext is None:
        raise KeyUnavailable("the project's pseudonym key was destroyed")
    return _open(row, settings.RESEARCH_API_MASTER_KEY)


def rotate(project: Project, *, actor_label: str) -> PseudonymKey:
    """A new key: every pseudonym the project holds changes (its old ids find nothing)."""
    with transaction.atomic():
        row = PseudonymKey.objects.select_for_update().filter(project=project).first()
        ciphertext, nonce = _seal(project.id, os.urandom(32), settings.RESEARCH_API_MASTER_KEY)
        if row is None:
            row = PseudonymKey.objects.create(project=project, ciphertext=ciphertext, nonce=nonce)
        else:
            row.ciphertext, row.nonce = ciphertext, nonce
            row.version += 1
            row.rotated_at, row.destroyed_at = timezone.now(), None
            row.save()
        record(
            PSEUDONYM_KEY_ROTATED,
            actor_label=actor_label,
            project=project,
            target=f"project:{project.id}",
            details={"version": row.version},
        )
    return row


def destroy(project: Project, *, actor_label: str) -> PseudonymKey:
    """Shred the key: the project's pseudonyms can never be resolved again, and its
    requests are refused until a new key is made (rotate)."""
    with transaction.atomic():
        row = PseudonymKey.objects.select_for_update().get(project=project)
        row.ciphertext = row.nonce = None
        row.destroyed_at = timezone.now()
        row.save()
        record(
            PSEUDONYM_KEY_DESTROYED,
            actor_label=actor_label,
            project=project,
            target=f"project:{project.id}",
            details={"version": row.version},
        )
    return row


def reencrypt_all(old_master: bytes, *, actor_label: str) -> int:
    """After changing RESEARCH_API_MASTER_KEY: re-seal every live key under the new one."""
    count = 0
    with transaction.atomic():
        for row in PseudonymKey.objects.select_for_update().filter(destroyed_at__isnull=True):
            key = _open(row, old_master)
            row.ciphertext, row.nonce = _seal(row.project_id, key, settings.RESEARCH_API_MASTER_KEY)
            row.save(update_fields=["ciphertext", "nonce"])
            count += 1
        record(
            PSEUDONYM_KEYS_REENCRYPTED,
            actor_label=actor_label,
            target="pseudonym keys",
            details={"keys": count},
        )
    return count
