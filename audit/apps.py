from django.apps import AppConfig
from django.db.backends.signals import connection_created


def _sqlite_functions(sender, connection, **kwargs):
    """SQLite has no SHA-256: give each connection the function PostgreSQL gets from
    migration 0003, so appending to the audit log is the same SQL on both."""
    if connection.vendor == "sqlite":
        from audit.models import entry_hash

        connection.connection.create_function("audit_entry_hash", 2, entry_hash, deterministic=True)


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = "Audit log"

    def ready(self):
        connection_created.connect(_sqlite_functions, dispatch_uid="audit_sqlite_functions")
