"""Settings for Research API, read from environment variables (see README, "Configuration").

Nothing here has a production default that is unsafe: without DJANGO_DEBUG=true the service
refuses to start unless DJANGO_SECRET_KEY and DJANGO_ALLOWED_HOSTS are set.
"""

import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.conf import global_settings
from django.core.exceptions import ImproperlyConfigured

from research_api.environment import (
    env_bool,
    env_choice,
    env_float,
    env_int,
    env_list,
    env_str,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("RESEARCH_API_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DJANGO_DEBUG", False)


def _secret_key() -> str:
    key = env_str("DJANGO_SECRET_KEY", None)
    if key:
        if len(key) < 50 or len(set(key)) < 5:
            raise ImproperlyConfigured("DJANGO_SECRET_KEY must be at least 50 varied characters")
        return key
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set unless DJANGO_DEBUG=true")
    # Development only: a random key kept under var/ so sessions survive restarts.
    path = VAR_DIR / "dev-secret-key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(64))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()


def _master_key() -> bytes:
    """The key that encrypts every project's pseudonym key (32 bytes, base64)."""
    import base64
    import binascii

    value = env_str("RESEARCH_API_MASTER_KEY", None)
    if value is None:
        if not DEBUG:
            raise ImproperlyConfigured(
                "RESEARCH_API_MASTER_KEY must be set unless DJANGO_DEBUG=true (32 random "
                "bytes, base64: python -c 'import os,base64; print(base64.b64encode("
                "os.urandom(32)).decode())')"
            )
        path = VAR_DIR / "dev-master-key"
        if not path.exists():
            VAR_DIR.mkdir(parents=True, exist_ok=True)
            path.write_text(base64.b64encode(secrets.token_bytes(32)).decode())
            path.chmod(0o600)
        value = path.read_text().strip()
    try:
        key = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise ImproperlyConfigured("RESEARCH_API_MASTER_KEY must be base64") from None
    if len(key) != 32:
        raise ImproperlyConfigured(
            f"RESEARCH_API_MASTER_KEY must decode to 32 bytes, got {len(key)}"
        )
    return key


RESEARCH_API_MASTER_KEY = _master_key()


def _integrity_key() -> bytes:
    """The key of the client-secret hashes and the audit chain's HMACs: outside the database,
    so neither a stolen table of secrets nor a rewritten audit log can be made to check out.
    Derived from DJANGO_SECRET_KEY unless set; set it to rotate DJANGO_SECRET_KEY freely
    (changing this one re-issues nothing: every client secret and the chain's seal would stop
    verifying)."""
    import hashlib

    value = env_str("RESEARCH_API_INTEGRITY_KEY", None)
    if value is None:
        return hashlib.sha256(b"research-api integrity key:" + SECRET_KEY.encode()).digest()
    if len(value) < 32 or len(set(value)) < 5:
        raise ImproperlyConfigured(
            "RESEARCH_API_INTEGRITY_KEY must be at least 32 varied characters"
        )
    return value.encode()


RESEARCH_API_INTEGRITY_KEY = _integrity_key()
ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"] if DEBUG else []
)
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must be set unless DJANGO_DEBUG=true")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "oauth2_provider",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    "axes",
    "accounts",
    "catalog",
    "ingestion",
    "moderation",
    "compliance",
    "research",
    "exports",
    "audit",
    "quotas",
    "transparency",
]

MIDDLEWARE = [
    "research_api.middleware.LogIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "research_api.middleware.PermissionsPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "research_api.urls"
WSGI_APPLICATION = "research_api.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out sign-in before any password is checked (django-axes).
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "research_api" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]


def _database(url: str) -> dict:
    try:
        config = dj_database_url.parse(url, conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60))
    except ValueError as exc:
        raise ImproperlyConfigured(
            f"DATABASE_URL is not a database URL we understand: {exc}"
        ) from None
    engine = config["ENGINE"]
    if engine == "django.db.backends.sqlite3":
        if not config["NAME"]:
            raise ImproperlyConfigured("DATABASE_URL for SQLite must name a file")
        config["OPTIONS"] = {
            # WAL lets readers proceed while the single writer works; IMMEDIATE makes
            # write transactions take the lock up front instead of failing half-way.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 30,
        }
    elif engine == "django.db.backends.postgresql":
        # Django sends statements with their values (client-side binding), so each search is
        # planned for its actual values (a generic plan was 20x slower on keyword queries).
        # Two fixed-shape statements of every research request are prepared (core.sql): the
        # token look-up and the write that settles the request. psycopg prepares nothing by
        # itself below this many runs of one statement, but prepares what it is asked to.
        # Options in the URL (sslmode=...) are kept.
        config.setdefault("OPTIONS", {})["prepare_threshold"] = 2**31 - 1
    else:
        raise ImproperlyConfigured("DATABASE_URL must be a postgres:// or sqlite:// URL")
    config["CONN_HEALTH_CHECKS"] = True
    config["TEST"] = {"NAME": env_str("DATABASE_TEST_NAME", None)}
    return config


DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'research_api.sqlite3'}")
DATABASES = {"default": _database(DATABASE_URL)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "research_api" / "static"]


def _export_storage() -> dict:
    """Where export files live: this machine's disk (RESEARCH_API_EXPORT_DIR) by default, or
    an S3-compatible bucket through django-storages (pip install '.[s3]')."""
    kind = env_choice("RESEARCH_API_EXPORT_STORAGE", ("local", "s3"), "local")
    if kind == "local":
        return {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": env_str("RESEARCH_API_EXPORT_DIR", str(VAR_DIR / "exports"))},
        }
    options = {
        "bucket_name": env_str("RESEARCH_API_EXPORT_BUCKET", None),
        "endpoint_url": env_str("RESEARCH_API_EXPORT_S3_ENDPOINT", None),
        "region_name": env_str("RESEARCH_API_EXPORT_S3_REGION", None),
        "default_acl": "private",
        "querystring_auth": True,
        "file_overwrite": False,
    }
    if not options["bucket_name"]:
        raise ImproperlyConfigured("RESEARCH_API_EXPORT_BUCKET must be set when the storage is s3")
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}


STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "exports": _export_storage(),
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# --- Security. Production values are the defaults; DEBUG relaxes only what local HTTP needs.
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", not DEBUG)
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "research_api.error_pages.csrf_failure"
if env_bool("DJANGO_TRUST_X_FORWARDED_PROTO", False):
    # Only behind a proxy that overwrites this header; otherwise clients could spoof HTTPS.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Health checks come from load balancers over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# Whether a request came over HTTPS is decided here alone: gunicorn.conf.py stops gunicorn
# from believing X-Forwarded-Proto on its own (it would from 127.0.0.1 by default).

# Content-Security-Policy on every response (django-csp): scripts, styles and everything else
# from this origin only; an inline <script> or <style> runs only with the response's nonce
# ({{ request.csp_nonce }}); no plugins, no framing, forms post only here. The API docs
# relax what their bundled viewers need, on their pages only (research_api/api_docs.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Permissions-Policy: browser features no page here uses, denied to every page and to
# anything it embeds (research_api.middleware.PermissionsPolicyMiddleware).
PERMISSIONS_POLICY_DENIED = (
    "accelerometer autoplay browsing-topics camera display-capture encrypted-media "
    "geolocation gyroscope hid idle-detection magnetometer microphone midi payment "
    "picture-in-picture screen-wake-lock serial usb xr-spatial-tracking"
).split()

# Sign-in lockout (django-axes), on the portal's and the admin's sign-in pages alike. The
# key is the pair (e-mail address, client address): after RESEARCH_API_SIGN_IN_FAILURES
# failures in a row, that address cannot sign in from that client address for
# RESEARCH_API_SIGN_IN_PAUSE_MINUTES (a 429 page says so); attempts during the pause are
# refused without being counted, so it ends on time. Not by client address alone:
# researchers share university and NAT addresses, and one guesser would lock out a whole
# institute. Not by e-mail address alone: anyone could then keep any researcher locked out.
# What the pair leaves open, trying a few passwords on many accounts from one address, is
# met by the password rules (12+ characters, not a common one).
AXES_FAILURE_LIMIT = env_int("RESEARCH_API_SIGN_IN_FAILURES", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("RESEARCH_API_SIGN_IN_PAUSE_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# Django's sign-in form calls the e-mail field "username"; compared lower-cased.
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "accounts.lockout.attempted_email"
AXES_CLIENT_IP_CALLABLE = "core.addresses.client_address"  # RESEARCH_API_PROXY_COUNT-aware
AXES_LOCKOUT_CALLABLE = "accounts.lockout.locked_out"
AXES_DISABLE_ACCESS_LOG = True  # sign-ins and sign-outs are in the audit log already
AXES_VERBOSE = False  # no banner on every start; failures and lockouts are still logged

EMAIL_BACKEND = env_choice(
    "DJANGO_EMAIL_BACKEND",
    (
        "django.core.mail.backends.console.EmailBackend",
        "django.core.mail.backends.smtp.EmailBackend",
    ),
    "django.core.mail.backends.console.EmailBackend",
)
DEFAULT_FROM_EMAIL = env_str("DJANGO_DEFAULT_FROM_EMAIL", "research-api@localhost")

# --- Access: applications, reviews and OAuth clients.
# A client's short-window limit, protecting the service (reported apart from daily quotas).
RESEARCH_API_BURST_REQUESTS = env_int("RESEARCH_API_BURST_REQUESTS", 30, minimum=1)
RESEARCH_API_BURST_SECONDS = env_int("RESEARCH_API_BURST_SECONDS", 10, minimum=1)
# A research request's statements are cancelled after this long (PostgreSQL), answered with
# an error that costs no quota; keep it below gunicorn's --timeout so the caller gets an answer.
RESEARCH_API_QUERY_TIMEOUT_SECONDS = env_int("RESEARCH_API_QUERY_TIMEOUT_SECONDS", 25, minimum=1)
# How many research queries one project may run at once (PostgreSQL): keep it below the
# number of web workers (processes x threads), so one project's heaviest queries cannot hold
# them all.
RESEARCH_API_QUERIES_AT_ONCE = env_int("RESEARCH_API_QUERIES_AT_ONCE", 2, minimum=1)
# Failed token requests (wrong or unknown client key or secret) one address, and one client,
# may make in a window before the token endpoint answers 429 until the window ends.
RESEARCH_API_TOKEN_FAILURES_PER_ADDRESS = env_int(
    "RESEARCH_API_TOKEN_FAILURES_PER_ADDRESS", 10, minimum=1
)
RESEARCH_API_TOKEN_FAILURES_PER_CLIENT = env_int(
    "RESEARCH_API_TOKEN_FAILURES_PER_CLIENT", 30, minimum=1
)
RESEARCH_API_TOKEN_FAILURE_WINDOW_SECONDS = env_int(
    "RESEARCH_API_TOKEN_FAILURE_WINDOW_SECONDS", 300, minimum=10
)
# Sign-ups one address may send, and one e-mail address may receive, in an hour: the sign-up
# form mails whatever address it is given.
RESEARCH_API_SIGN_UPS_PER_ADDRESS = env_int("RESEARCH_API_SIGN_UPS_PER_ADDRESS", 10, minimum=1)
RESEARCH_API_SIGN_UPS_PER_EMAIL = env_int("RESEARCH_API_SIGN_UPS_PER_EMAIL", 3, minimum=1)
# How many proxies in front of the service append to X-Forwarded-For (0: clients connect
# directly). Throttling by address and the audit log's addresses read the client's address
# from there; leave 0 unless every request passes through that many proxies, or clients
# could name any address they like.
RESEARCH_API_PROXY_COUNT = env_int("RESEARCH_API_PROXY_COUNT", 0, minimum=0)
# An approval takes effect only once a second reviewer confirms it.
RESEARCH_API_TWO_REVIEWERS = env_bool("RESEARCH_API_TWO_REVIEWERS", False)
# The token look-up and the settling write of every research request run as prepared
# statements on PostgreSQL. Turn it off behind a pooler that cannot keep prepared statements
# (PgBouncer before 1.21 in transaction mode).
RESEARCH_API_PREPARED_STATEMENTS = env_bool("RESEARCH_API_PREPARED_STATEMENTS", True)

# Moderation statistics: a figure resting on fewer decisions than this is withheld; with
# differential privacy, each account counts with at most its first this many decisions of
# each month (at most moderation.rollups.MAX_SEQ, 5); a new project's privacy budget (rho,
# zCDP).
RESEARCH_API_STATS_MIN_CELL = env_int("RESEARCH_API_STATS_MIN_CELL", 10, minimum=2)
RESEARCH_API_DP_DECISIONS_PER_ACCOUNT_MONTH = env_int(
    "RESEARCH_API_DP_DECISIONS_PER_ACCOUNT_MONTH", 2, minimum=1, maximum=5
)
RESEARCH_API_PRIVACY_BUDGET_RHO = env_float("RESEARCH_API_PRIVACY_BUDGET_RHO", 1.0, minimum=0.0)

# The public transparency page (publish_transparency): what one release may cost, and the
# markets and languages it shows (fixed in advance: which exist must not depend on the data).
RESEARCH_API_TRANSPARENCY_RHO = env_float("RESEARCH_API_TRANSPARENCY_RHO", 1.0, minimum=0.0)
RESEARCH_API_TRANSPARENCY_MARKETS = env_list(
    "RESEARCH_API_TRANSPARENCY_MARKETS",
    "US ID BR MX PK PH VN RU TR DE GB FR EG TH SA IT ES JP NG IN KR PL".split(),
)
RESEARCH_API_TRANSPARENCY_LANGUAGES = env_list(
    "RESEARCH_API_TRANSPARENCY_LANGUAGES",
    "en id pt es ur tl vi ru tr de fr ar th it ja hi ko pl nl uk".split(),
)

# Compliance: a project syncs its copies (the deletions feed, or batch validation) at least
# this often; past it, it is warned by e-mail, and after the grace days its data reads pause
# until it syncs.
RESEARCH_API_COMPLIANCE_SYNC_DAYS = env_int("RESEARCH_API_COMPLIANCE_SYNC_DAYS", 15, minimum=1)
RESEARCH_API_COMPLIANCE_GRACE_DAYS = env_int("RESEARCH_API_COMPLIANCE_GRACE_DAYS", 3, minimum=0)

# Exports. With CELERY_BROKER_URL (Redis) they run on Celery workers; without it (the
# embedded default) in a background thread of the server process.
RESEARCH_API_EXPORTS_AT_ONCE = env_int("RESEARCH_API_EXPORTS_AT_ONCE", 2, minimum=1)
RESEARCH_API_EXPORT_RETENTION_DAYS = env_int("RESEARCH_API_EXPORT_RETENTION_DAYS", 7, minimum=1)
RESEARCH_API_EXPORT_LINK_SECONDS = env_int("RESEARCH_API_EXPORT_LINK_SECONDS", 3600, minimum=60)
RESEARCH_API_EXPORT_BATCH_ROWS = env_int("RESEARCH_API_EXPORT_BATCH_ROWS", 10_000, minimum=1)
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", None)
CELERY_TASK_ACKS_LATE = True  # a task is acknowledged when it ends, not when it starts,
CELERY_TASK_REJECT_ON_WORKER_LOST = True  # and one whose worker died is delivered again
CELERY_WORKER_PREFETCH_MULTIPLIER = 1  # a worker holds one export at a time
CELERY_TASK_TRACK_STARTED = True
# Redis redelivers a message nobody acknowledged after this long: more than the longest
# export may take, or it would run twice at once (the export's own claim then stops one).
_VISIBILITY = env_int("RESEARCH_API_EXPORT_VISIBILITY_SECONDS", 3600, minimum=5)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": _VISIBILITY,
    # Workers look for messages past their visibility timeout every few seconds (a cheap
    # scan), not every hundred: a killed worker's export is taken up again soon after.
    "unacked_restore_interval": min(10, max(1, _VISIBILITY // 10)),
    "unacked_restore_throttle": 1,
}
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "portal:dashboard"
LOGOUT_REDIRECT_URL = "home"

# django-oauth-toolkit's models are swappable; naming them lets our foreign keys resolve.
OAUTH2_PROVIDER_APPLICATION_MODEL = "oauth2_provider.Application"
OAUTH2_PROVIDER_ACCESS_TOKEN_MODEL = "oauth2_provider.AccessToken"
OAUTH2_PROVIDER_REFRESH_TOKEN_MODEL = "oauth2_provider.RefreshToken"
OAUTH2_PROVIDER_ID_TOKEN_MODEL = "oauth2_provider.IDToken"
OAUTH2_PROVIDER_GRANT_MODEL = "oauth2_provider.Grant"

# Client secrets are random and long: they are stored as keyed HMACs (accounts.hashers), not
# with a password hasher's deliberate slowness. Passwords keep Django's default hasher.
PASSWORD_HASHERS = [*global_settings.PASSWORD_HASHERS, "accounts.hashers.ClientSecretHasher"]

OAUTH2_PROVIDER = {
    "CLIENT_SECRET_HASHER": "hmac_sha256",
    "ACCESS_TOKEN_EXPIRE_SECONDS": 7_200,  # TikTok's two hours
    "ACCESS_TOKEN_GENERATOR": "accounts.oauth.generate_access_token",
    "SCOPES_BACKEND_CLASS": "accounts.oauth.ProjectScopes",
    "OAUTH2_VALIDATOR_CLASS": "accounts.oauth.ProjectValidator",
    # django-oauth-toolkit ships its RFC 9700 safeguards switched off; all on here
    # (hashed token storage included).
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,
    "COMPLIANT_BCP_RFC9700_REFRESH_TOKEN": True,
    "COMPLIANT_BCP_RFC9700_REDIRECT_URI_SCHEME": True,
    "COMPLIANT_BCP_RFC9700_REDIRECT_URI_MATCHING": True,
    "COMPLIANT_BCP_RFC9700_PKCE_REQUIRED": True,
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
    "PKCE_REQUIRED": True,
    "ALLOWED_REDIRECT_URI_SCHEMES": ["https"],  # no redirect flows are offered at all
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "core.errors.api_exception_handler",
    "UNAUTHENTICATED_USER": None,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Research API",
    "DESCRIPTION": (
        "Researcher access to anonymised short-video platform data, wire-compatible with the "
        "TikTok Research API. Every id and username is a per-project pseudonym."
    ),
    "VERSION": "2",
    # 3.1: nullable fields as JSON Schema has them (the response models are pydantic's).
    "OAS_VERSION": "3.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # The token endpoint is OAuth, not a DRF view: described here.
    "APPEND_PATHS": {
        "/v2/oauth/token/": {
            "post": {
                "operationId": "oauth_token",
                "tags": ["oauth"],
                "summary": "Trade client credentials for a bearer token",
                "description": (
                    "Client credentials grant. Send client_key (TikTok's name) or client_id "
                    "with client_secret in the form, or authenticate with HTTP Basic. The "
                    "token carries the scopes your project was granted (or the subset you "
                    "ask for in `scope`) and expires after 7,200 seconds."
                ),
                "security": [],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/x-www-form-urlencoded": {
                            "schema": {
                                "type": "object",
                                "required": ["grant_type"],
                                "properties": {
                                    "client_key": {"type": "string"},
                                    "client_id": {"type": "string"},
                                    "client_secret": {"type": "string"},
                                    "grant_type": {
                                        "type": "string",
                                        "enum": ["client_credentials"],
                                    },
                                    "scope": {
                                        "type": "string",
                                        "description": "space-separated subset of your scopes",
                                    },
                                },
                            }
                        }
                    },
                },
                "responses": {
                    "200": {
                        "description": "A token",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "properties": {
                                        "access_token": {"type": "string"},
                                        "expires_in": {"type": "integer"},
                                        "token_type": {"type": "string", "enum": ["Bearer"]},
                                        "scope": {"type": "string"},
                                    },
                                }
                            }
                        },
                    },
                    "400": {"$ref": "#/components/responses/OAuthError"},
                    "401": {"$ref": "#/components/responses/OAuthError"},
                    "403": {"$ref": "#/components/responses/OAuthError"},
                    "413": {"$ref": "#/components/responses/OAuthError"},
                    "429": {
                        "description": (
                            "Too many failed token requests from this address or for this "
                            "client: wait Retry-After seconds"
                        ),
                        "headers": {"Retry-After": {"schema": {"type": "integer"}}},
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/OAuthErrorBody"}
                            }
                        },
                    },
                },
            }
        }
    },
    "APPEND_COMPONENTS": {
        "schemas": {
            "OAuthErrorBody": {
                "type": "object",
                "properties": {
                    "error": {"type": "string"},
                    "error_description": {"type": "string"},
                    "log_id": {"type": "string"},
                },
            }
        },
        "responses": {
            "OAuthError": {
                "description": "Refused, in TikTok's OAuth error shape",
                "content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/OAuthErrorBody"}}
                },
            }
        },
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "INFO")},
    # django-axes tells every sign-in at INFO; its failures and lockouts are warnings.
    "loggers": {"axes": {"level": "WARNING"}},
}
