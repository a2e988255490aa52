"""Settings for the test suite: production settings with test-only values filled in.

The suite runs with DEBUG off, as production does; only what would slow it down or needs a
deployment (password hashing cost, collected static files, HTTPS) is relaxed.
"""

import os
import tempfile

os.environ.setdefault(
    "DJANGO_SECRET_KEY", "test-only-key-9f8e7d6c5b4a3210-not-for-production-abcdefgh"
)
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "false")
# Tests of the burst limit set it themselves; elsewhere, a fast suite must not trip it.
os.environ.setdefault("RESEARCH_API_BURST_REQUESTS", "100000")
os.environ.setdefault("RESEARCH_API_MASTER_KEY", "dGVzdC1vbmx5LW1hc3Rlci1rZXktMzItYnl0ZXMhISE=")
# Export files of a test run go to a folder of its own, never the checkout's var/.
os.environ.setdefault("RESEARCH_API_EXPORT_DIR", tempfile.mkdtemp(prefix="research-api-exports-"))

from research_api.settings import *  # noqa: F403
from research_api.settings import DATABASES, STORAGES

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.MD5PasswordHasher",  # passwords: fast in tests
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",  # client secrets stored before hmac
    "accounts.hashers.ClientSecretHasher",
]
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Serve static files from the apps' folders: no collectstatic before the suite.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True

# SQLite's test database is a file, not shared memory: exports run in a thread of the
# server process (the embedded default), and shared-memory SQLite locks whole tables without
# waiting, where a file in WAL mode lets the thread and the requests wait their turn.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3" and not os.environ.get(
    "DATABASE_TEST_NAME"
):
    _fast = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108 - a private folder
    DATABASES["default"]["TEST"]["NAME"] = os.path.join(
        tempfile.mkdtemp(prefix="research-api-test-", dir=_fast), "test.sqlite3"
    )

# The audit log refuses UPDATE/DELETE/TRUNCATE on PostgreSQL unless this session setting is
# on; test teardown truncates every table, so the test database's sessions turn it on (the
# test of the guard turns it off again).
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    options = DATABASES["default"]["OPTIONS"]
    options["options"] = (options.get("options", "") + " -c research_api.audit_purge=on").strip()
