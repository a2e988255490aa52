"""Keyed hashes under settings.RESEARCH_API_INTEGRITY_KEY, a key kept outside the database:
the client-secret hashes (accounts.hashers) and the audit chain (audit.models) are HMACs
under a sub-key each, so what the database holds cannot be forged or checked without it."""

import hashlib
import hmac

from django.conf import settings

BLOCK = 64  # SHA-256's block size, in bytes


def sub_key(purpose: str) -> bytes:
    """The key of one use, so that one use's values say nothing about another's."""
    return hmac.new(settings.RESEARCH_API_INTEGRITY_KEY, purpose.encode(), hashlib.sha256).digest()


def keyed_digest(purpose: str, message: str) -> str:
    """HMAC-SHA256 of `message` under `purpose`'s sub-key, hex."""
    return hmac.new(sub_key(purpose), message.encode(), hashlib.sha256).hexdigest()


def hmac_pads(purpose: str) -> tuple[bytes, bytes]:
    """The inner and outer padded keys of `purpose`'s HMAC (RFC 2104), so SQL can compute the
    same HMAC with its built-in SHA-256 and no extension: sha256(outer || sha256(inner ||
    message)). They are sent as statement parameters and never stored."""
    key = sub_key(purpose).ljust(BLOCK, b"\0")
    return bytes(b ^ 0x36 for b in key), bytes(b ^ 0x5C for b in key)
