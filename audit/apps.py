import hashlib

from django.apps import AppConfig
from django.db.backends.signals import connection_created


def _audit_entry_hmac(inner: bytes, outer: bytes, prev: str, content: str) -> str:
    inner_hash = hashlib.sha256(inner + (prev + content).encode()).digest()
    return hashlib.sha256(outer + inner_hash).hexdigest()


def _sqlite_functions(sender, connection, **kwargs):
    """SQLite has no SHA-256: give each connection the function PostgreSQL gets from
    migration 0005, so appending to the audit log is the same SQL on both."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            "audit_entry_hmac", 4, _audit_entry_hmac, deterministic=True
        )


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = "Audit log"

    def ready(self):
        connection_created.connect(_sqlite_functions, dispatch_uid="audit_sqlite_functions")
