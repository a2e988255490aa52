"""The chain is keyed: entries are HMACs under a key outside the database (core.integrity),
computed in SQL by audit_entry_hmac() from the key's pads sent with each append. Entries
written before are sealed by one keyed entry, audit.chain_keyed, that follows the last of
them. The head may only move forward: an UPDATE must chain from the hash it replaces, and
DELETE and TRUNCATE are refused, like the entries'."""

from django.db import migrations
from django.utils import timezone

POSTGRES = [
    # The same as core.integrity's HMAC-SHA256: sha256(outer || sha256(inner || message)).
    """CREATE FUNCTION audit_entry_hmac(inner_pad bytea, outer_pad bytea, prev text,
            content text) RETURNS text
        LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
        AS $$ SELECT encode(sha256(outer_pad || sha256(inner_pad
            || convert_to(prev || content, 'UTF8'))), 'hex') $$""",
    "DROP FUNCTION IF EXISTS audit_entry_hash(text, text)",
    """CREATE FUNCTION audit_guard_head() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF current_setting('research_api.audit_purge', true) = 'on' THEN
            RETURN COALESCE(NEW, OLD);
        END IF;
        IF TG_OP = 'UPDATE' AND NEW.id = OLD.id AND NEW.prev_hash = OLD.hash THEN
            RETURN NEW;
        END IF;
        RAISE EXCEPTION 'the audit chain head only moves forward: % refused', TG_OP
            USING ERRCODE = 'insufficient_privilege';
    END $$""",
    """CREATE TRIGGER audit_head_forward BEFORE UPDATE OR DELETE ON audit_chainhead
        FOR EACH ROW EXECUTE FUNCTION audit_guard_head()""",
    """CREATE TRIGGER audit_head_no_truncate BEFORE TRUNCATE ON audit_chainhead
        FOR EACH STATEMENT EXECUTE FUNCTION audit_guard_head()""",
]
POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS audit_head_no_truncate ON audit_chainhead",
    "DROP TRIGGER IF EXISTS audit_head_forward ON audit_chainhead",
    "DROP FUNCTION IF EXISTS audit_guard_head()",
    "DROP FUNCTION IF EXISTS audit_entry_hmac(bytea, bytea, text, text)",
    """CREATE FUNCTION audit_entry_hash(prev text, content text) RETURNS text
        LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
        AS $$ SELECT encode(sha256(convert_to(prev || content, 'UTF8')), 'hex') $$""",
]
# SQLite: as for the entries, deletions are left to the chain to expose (test teardown).
SQLITE = [
    """CREATE TRIGGER audit_head_forward BEFORE UPDATE ON audit_chainhead
        WHEN NEW.prev_hash IS NOT OLD.hash OR NEW.id IS NOT OLD.id
        BEGIN SELECT RAISE(ABORT, 'the audit chain head only moves forward'); END""",
]
SQLITE_REVERSE = ["DROP TRIGGER IF EXISTS audit_head_forward"]


def seal_unkeyed_entries(apps):
    from audit.models import CHAIN_KEYED, AuditEntry

    Entry = apps.get_model("audit", "AuditEntry")
    last = Entry.objects.order_by("-id").first()
    if last is None:
        return
    seal = AuditEntry(
        created_at=timezone.now(),
        event=CHAIN_KEYED,
        actor="system",
        target="audit log",
        details={"sealed_entries": Entry.objects.count(), "last_unkeyed_entry": last.id},
        prev_hash=last.hash,
    )
    seal.hash = seal.compute_hash()
    Entry.objects.create(
        **{f.attname: getattr(seal, f.attname) for f in AuditEntry._meta.concrete_fields}
    )
    apps.get_model("audit", "ChainHead").objects.update_or_create(
        id=1, defaults={"prev_hash": seal.prev_hash, "hash": seal.hash}
    )


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES[0], params=None)
        schema_editor.execute(POSTGRES[1], params=None)
    seal_unkeyed_entries(apps)
    statements = {"postgresql": POSTGRES[2:], "sqlite": SQLITE}.get(vendor, [])
    for statement in statements:
        schema_editor.execute(statement, params=None)


def backwards(apps, schema_editor):
    statements = {"postgresql": POSTGRES_REVERSE, "sqlite": SQLITE_REVERSE}.get(
        schema_editor.connection.vendor, []
    )
    for statement in statements:
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_refusal_count")]
    operations = [migrations.RunPython(forwards, backwards)]
