"""Binakarya settings: one module, driven by the environment, with safe local defaults.

Every secret and deployment knob is read here and nowhere else.
"""

import datetime
import os
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from whitenoise.compress import Compressor  # type: ignore[import-untyped]

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)
# The fallback key is only good for a local run; production must set SECRET_KEY (`make serve` refuses it).
DEVELOPMENT_SECRET_KEY = "local-development-only-not-a-secret-binakarya-0000"
SECRET_KEY = os.environ.get("SECRET_KEY", DEVELOPMENT_SECRET_KEY)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django_htmx",
    "ninja",
    "axes",
    "csp",
    "rules.apps.AutodiscoverRulesConfig",
    "django_tasks",
    "django_tasks_db",
    "binakarya.core",
    "binakarya.organizations",
    "binakarya.makers",
    "binakarya.catalog",
    "binakarya.production",
    "binakarya.inventory",
    "binakarya.documents",
    "binakarya.ledger",
    "binakarya.sales",
    "binakarya.orders",
    "binakarya.pos",
    "binakarya.consignment",
    "binakarya.deals",
    "binakarya.exports",
    "binakarya.programs",
    "binakarya.feeds",
    "binakarya.dashboards",
    "binakarya.accounts",
    "binakarya.demo",
    "binakarya.storefront",
    "binakarya.backoffice",
    "binakarya.api",
]

MIDDLEWARE = [
    # First, so every answer (static files and redirects too) carries X-Request-ID and gets its log line.
    "binakarya.core.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # After LocaleMiddleware, so its 400 is in the visitor's language; before anything reads a parameter.
    "binakarya.core.middleware.RejectNulMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "binakarya.accounts.middleware.PasswordChangeRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "binakarya.core.middleware.PrivateCacheMiddleware",
    # Last, as axes asks: turns a locked-out login into the lockout page (binakarya.accounts.throttle).
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # First: refuses any login from a locked-out client before a password is checked.
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "binakarya.urls"
WSGI_APPLICATION = "binakarya.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "binakarya" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "django.template.context_processors.media",
            ],
            "builtins": ["binakarya.core.templatetags.binakarya"],
        },
    }
]
# Every form: the first field with an error gets autofocus (binakarya/core/form_errors.py).
FORM_RENDERER = "binakarya.core.form_errors.FormRenderer"

# Database: embedded SQLite by default; PostgreSQL (psycopg 3) through DATABASE_URL.
SQLITE_PATH = Path(os.environ.get("SQLITE_PATH", BASE_DIR / "var" / "binakarya.sqlite3"))
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
else:
    SQLITE_PATH.parent.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(SQLITE_PATH),
            "OPTIONS": {
                # IMMEDIATE takes the write lock at BEGIN, so two writers queue instead of
                # failing with "database is locked" half-way through a transaction.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL;"
                    "PRAGMA synchronous=NORMAL;"
                    "PRAGMA foreign_keys=ON;"
                    "PRAGMA busy_timeout=20000;"
                ),
            },
            "TEST": {"NAME": os.environ.get("SQLITE_TEST_PATH") or None},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Read replica (docs/deployment.md "Read replicas"): a PostgreSQL streaming standby of DATABASE_URL's cluster
# serves the read-only work (binakarya.core.db_router: the public catalog, feeds, dashboards, reports). A
# browser that has just written reads from the primary for REPLICA_PIN_SECONDS (the bk_primary cookie).
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
REPLICA_PIN_SECONDS = int(os.environ.get("REPLICA_PIN_SECONDS", 5))
# /healthz says "degraded" and `manage.py healthcheck` fails when the standby's replay is further behind.
REPLICA_MAX_LAG_SECONDS = int(os.environ.get("REPLICA_MAX_LAG_SECONDS", 60))
if DATABASE_REPLICA_URL:
    if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured(
            "DATABASE_REPLICA_URL is set but DATABASE_URL is not a PostgreSQL database: a read replica is a "
            "PostgreSQL streaming standby of DATABASE_URL's cluster. Set DATABASE_URL=postgres://… or unset "
            "DATABASE_REPLICA_URL."
        )
    DATABASES["replica"] = dj_database_url.parse(DATABASE_REPLICA_URL, conn_max_age=60, conn_health_checks=True)
    if DATABASES["replica"]["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured("DATABASE_REPLICA_URL must be a postgres:// address (a PostgreSQL standby).")
    # A standby that stops answering must not hold a page for long: connecting gives up after 2 s, and libpq's
    # TCP keepalives and TCP_USER_TIMEOUT notice a host that vanished mid-query within about 10 s (instead of the
    # kernel's minutes); the router then falls back to the primary (db_router.ReplicaMiddleware.process_exception).
    for _option, _value in {
        "connect_timeout": 2,
        "keepalives": 1,
        "keepalives_idle": 5,
        "keepalives_interval": 2,
        "keepalives_count": 2,
        "tcp_user_timeout": 10000,  # milliseconds
    }.items():
        DATABASES["replica"].setdefault("OPTIONS", {}).setdefault(_option, _value)
    # The test runner never creates it: in tests the alias is the default test database.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["binakarya.core.db_router.ReplicaRouter"]
    # Right after RequestIdMiddleware: it marks read-only requests and sets the pin cookie after a write.
    MIDDLEWARE.insert(1, "binakarya.core.db_router.ReplicaMiddleware")

# The cache holds the public page cache and the rate limits' counters, so every web process (and every web
# server) must share it (docs/deployment.md, "More than one web server"). CACHE_BACKEND chooses:
# - redis: REDIS_URL's Redis (the default when REDIS_URL is set);
# - database: the table CACHE_TABLE in the database (binakarya/core/migrations creates it), the default in
#   production (DEBUG off) without REDIS_URL: shared with no extra service; the rate limits then count in a
#   table of their own, binakarya_rate_count (core.ratelimit), exactly and out of the cache's cull;
# - local: each process's own memory (the default with DEBUG on, and in tests). `make serve` refuses it.
CACHE_TABLE = "binakarya_cache"
CACHE_BACKEND = os.environ.get("CACHE_BACKEND", "").strip().lower() or (
    "redis" if os.environ.get("REDIS_URL") else "local" if DEBUG else "database"
)
CACHES: dict[str, dict[str, Any]]
if CACHE_BACKEND == "redis":
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0",
        }
    }
elif CACHE_BACKEND == "database":
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": CACHE_TABLE,
            "OPTIONS": {
                # Expired rows are deleted whenever a write finds the table over MAX_ENTRIES; then, if still over,
                # a third (1 / CULL_FREQUENCY) of the rest. Django's 300 would soon throw away rate-limit counters
                # along with cached pages; a page is some 10-60 kB, so 20,000 rows stay well under a gigabyte.
                "MAX_ENTRIES": int(os.environ.get("CACHE_MAX_ENTRIES", 20000)),
                "CULL_FREQUENCY": 3,
            },
        }
    }
elif CACHE_BACKEND == "local":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    raise ImproperlyConfigured(f"CACHE_BACKEND={CACHE_BACKEND!r}: set it to redis, database or local")

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# /healthz and `manage.py healthcheck` call the task worker stalled when a task due this long ago still waits.
TASKS_STALL_SECONDS = int(os.environ.get("TASKS_STALL_SECONDS", 300))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "backoffice:dashboard"
LOGOUT_REDIRECT_URL = "storefront:home"

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Indonesian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "var" / "static"))
STATICFILES_DIRS = [BASE_DIR / "binakarya" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
# Files never served at a public address (buyers' proofs of payment): outside MEDIA_ROOT, no URL.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", BASE_DIR / "var" / "private"))
# Where media live (docs/deployment.md, "Media on object storage"): "local" (MEDIA_ROOT and PRIVATE_MEDIA_ROOT
# on this machine) or "s3" (S3-compatible object storage through django-storages).
MEDIA_STORAGE = os.environ.get("MEDIA_STORAGE", "local").strip().lower() or "local"
# The app serves its own media unless a front server or object storage takes over.
SERVE_MEDIA = env_bool("SERVE_MEDIA", MEDIA_STORAGE == "local")
# Public order writes (placing an order, uploading a proof) through the API, per client address.
API_PUBLIC_ORDER_RATE = os.environ.get("API_PUBLIC_ORDER_RATE", "30/m")
# S3-compatible object storage (MEDIA_STORAGE=s3; also where `manage.py backup s3://...` connects unless
# BACKUP_S3_* say otherwise). Public media (product photos, QRIS codes) go under media/ in S3_BUCKET; private
# files (proofs of payment, signed agreements) under private/ in S3_PRIVATE_BUCKET (default: S3_BUCKET), always
# with the private ACL and never with an address: binakarya.core.s3.PrivateS3Storage.url() refuses.
S3_BUCKET = os.environ.get("S3_BUCKET", "").strip()
S3_PRIVATE_BUCKET = os.environ.get("S3_PRIVATE_BUCKET", "").strip() or S3_BUCKET
S3_ENDPOINT_URL = os.environ.get("S3_ENDPOINT_URL", "").strip()
S3_REGION = os.environ.get("S3_REGION", "").strip()
S3_ACCESS_KEY_ID = os.environ.get("S3_ACCESS_KEY_ID", "").strip()
S3_SECRET_ACCESS_KEY = os.environ.get("S3_SECRET_ACCESS_KEY", "").strip()
# "path" (endpoint/bucket/key, what most S3-compatible services want), "virtual" (bucket.endpoint/key) or "auto".
S3_ADDRESSING_STYLE = os.environ.get("S3_ADDRESSING_STYLE", "path").strip() or "path"
# Public media's address prefix, e.g. https://media.example.go.id (a CDN or custom domain in front of the
# bucket); empty: the endpoint's own address of each object.
S3_PUBLIC_URL = os.environ.get("S3_PUBLIC_URL", "").strip().rstrip("/")
# An ACL for public media where the service has no bucket policies (e.g. "public-read"); empty: none is sent
# and the bucket policy makes media/ readable.
S3_MEDIA_ACL = os.environ.get("S3_MEDIA_ACL", "").strip()


def _s3_options(*, bucket: str, location: str) -> dict[str, object]:
    options: dict[str, object] = {
        "bucket_name": bucket,
        "location": location,
        "addressing_style": S3_ADDRESSING_STYLE if S3_ADDRESSING_STYLE != "auto" else None,
        "signature_version": "s3v4",
        # a new upload never replaces a file of the same name (Django picks a new name, as on disk)
        "file_overwrite": False,
    }
    for option, value in (
        ("endpoint_url", S3_ENDPOINT_URL),
        ("region_name", S3_REGION),
        ("access_key", S3_ACCESS_KEY_ID),
        ("secret_key", S3_SECRET_ACCESS_KEY),
    ):
        if value:
            options[option] = value
    return options


S3_MEDIA_OPTIONS = _s3_options(bucket=S3_BUCKET, location="media") | {
    "default_acl": S3_MEDIA_ACL or None,
    "querystring_auth": False,  # public addresses, without a signature that expires
    # as MEDIA_MAX_AGE when the app serves them: photos are stored under new names
    "object_parameters": {"CacheControl": "public, max-age=86400"},
}
if S3_PUBLIC_URL:
    _public_scheme, _slashes, _public_domain = S3_PUBLIC_URL.rpartition("//")
    S3_MEDIA_OPTIONS |= {"custom_domain": _public_domain, "url_protocol": _public_scheme or "https:"}
S3_PRIVATE_OPTIONS = _s3_options(bucket=S3_PRIVATE_BUCKET, location="private")


def _s3_media_url() -> str:
    """The address S3Storage gives media/NAME, less NAME: templates write MEDIA_URL + name, as on disk.

    S3_PUBLIC_URL when set; else, with path addressing, S3_ENDPOINT_URL/S3_BUCKET. Any other combination
    (virtual-host addressing, or AWS without an endpoint) needs S3_PUBLIC_URL: ``manage.py check`` says so.
    """
    if S3_PUBLIC_URL:
        return f"{S3_PUBLIC_URL}/media/"
    if S3_ENDPOINT_URL and S3_ADDRESSING_STYLE == "path":
        return f"{S3_ENDPOINT_URL.rstrip('/')}/{S3_BUCKET}/media/"
    return "/media/"


if MEDIA_STORAGE == "s3":
    MEDIA_URL = _s3_media_url()
# `manage.py backup s3://BUCKET/PREFIX` connects with these; each falls back to its S3_* setting above.
BACKUP_S3_ENDPOINT_URL = os.environ.get("BACKUP_S3_ENDPOINT_URL", "").strip() or S3_ENDPOINT_URL
BACKUP_S3_REGION = os.environ.get("BACKUP_S3_REGION", "").strip() or S3_REGION
BACKUP_S3_ACCESS_KEY_ID = os.environ.get("BACKUP_S3_ACCESS_KEY_ID", "").strip() or S3_ACCESS_KEY_ID
BACKUP_S3_SECRET_ACCESS_KEY = os.environ.get("BACKUP_S3_SECRET_ACCESS_KEY", "").strip() or S3_SECRET_ACCESS_KEY
STORAGES = {
    "default": (
        {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": S3_MEDIA_OPTIONS}
        if MEDIA_STORAGE == "s3"
        else {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    ),
    # binakarya.core.storage.private_files(): never a public address
    "private": (
        {"BACKEND": "binakarya.core.s3.PrivateS3Storage", "OPTIONS": S3_PRIVATE_OPTIONS}
        if MEDIA_STORAGE == "s3"
        else {"BACKEND": "binakarya.core.storage.PrivateFileStorage"}
    ),
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_MAX_AGE = 3600 * 24 * 30 if not DEBUG else 0
# Source maps are fetched only by a developer's browser tools; compressing them doubles collectstatic's time.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = (
    *Compressor.SKIP_COMPRESS_EXTENSIONS,
    "map",
)

# Uploads: phone photos are a few MB; anything far larger is refused before Pillow sees it.
UPLOAD_MAX_BYTES = int(os.environ.get("UPLOAD_MAX_BYTES", 10 * 1024 * 1024))
UPLOAD_MAX_PIXELS = int(os.environ.get("UPLOAD_MAX_PIXELS", 40_000_000))
DATA_UPLOAD_MAX_MEMORY_SIZE = UPLOAD_MAX_BYTES + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Binakarya <noreply@binakarya.local>")
if os.environ.get("EMAIL_HOST"):
    EMAIL_HOST = os.environ["EMAIL_HOST"]
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", 587))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)

# HTTPS and headers (docs/security.md). Behind a proxy that terminates TLS, the proxy must set
# X-Forwarded-Proto (and overwrite any value the client sent).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
# Off by default so a plain-HTTP run (a benchmark, a proxy that does not set X-Forwarded-Proto) does not
# loop; production sets SECURE_SSL_REDIRECT=true (docs/security.md).
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
# /healthz and /ping answer over plain HTTP too, for a load balancer's checks.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^ping$"]
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp 4): scripts and styles only from the site's own files, no inline
# script, no inline style, no eval; images also as data: URIs. No frame may embed the site.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        # The product page's order form goes to /produk/<slug>/pesan/, which redirects to WhatsApp (wa.me, which
        # redirects on to api.whatsapp.com): a form's redirects must be allowed by form-action too.
        "form-action": ["'self'", "https://wa.me", "https://api.whatsapp.com"],
        "frame-ancestors": ["'none'"],
    }
}

# Login throttling with django-axes (binakarya/accounts/throttle.py, docs/security.md).
AXES_ENABLED = env_bool("LOGIN_THROTTLE", True)
# Wrong passwords for one username from one address, and failures of any kind from one address.
LOGIN_FAILURES_PER_ACCOUNT = int(os.environ.get("LOGIN_FAILURES_PER_ACCOUNT", 5))
LOGIN_FAILURES_PER_ADDRESS = int(os.environ.get("LOGIN_FAILURES_PER_ADDRESS", 30))
API_TOKEN_FAILURES_PER_ADDRESS = int(os.environ.get("API_TOKEN_FAILURES_PER_ADDRESS", 10))
LOGIN_COOLOFF_MINUTES = int(os.environ.get("LOGIN_COOLOFF_MINUTES", 15))
# Reverse proxies in front of the app that append to X-Forwarded-For (nginx with
# proxy_add_x_forwarded_for: 1). 0 means clients connect directly and REMOTE_ADDR is their address.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", 0))
AXES_HANDLER = "binakarya.accounts.throttle.ThrottleHandler"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_FAILURE_LIMIT = "binakarya.accounts.throttle.failure_limit"
AXES_COOLOFF_TIME = datetime.timedelta(minutes=LOGIN_COOLOFF_MINUTES)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "binakarya.accounts.throttle.lockout_response"
AXES_CLIENT_IP_CALLABLE = "binakarya.accounts.throttle.client_ip"
# Only failures are kept (and only for the cool-off); successful logins are not logged by axes.
AXES_DISABLE_ACCESS_LOG = True
AXES_HTTP_RESPONSE_CODE = 429
AXES_VERBOSE = False

# Logs (docs/deployment.md): LOG_FORMAT=json writes one JSON object per line with the request id
# (binakarya.core.logging); the default is json when DEBUG is off and plain text in development.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text" if DEBUG else "json").strip().lower()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "binakarya.core.logging.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "binakarya.core.logging.JsonFormatter"},
        "text": {"format": "%(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "json" if LOG_FORMAT == "json" else "text",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        # One line per request (RequestIdMiddleware); in development runserver already prints each request.
        "binakarya.request": {"level": "INFO" if LOG_FORMAT == "json" else "WARNING"},
    },
}

# Storefront
CATALOG_PAGE_SIZE = 24
WHATSAPP_DEFAULT_NUMBER = os.environ.get("WHATSAPP_DEFAULT_NUMBER", "")
LOW_STOCK_THRESHOLD = int(os.environ.get("LOW_STOCK_THRESHOLD", 3))
# Anonymous public pages and public API answers are cached this long (0 turns the cache off).
PUBLIC_CACHE_SECONDS = int(os.environ.get("PUBLIC_CACHE_SECONDS", 60))
