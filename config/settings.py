"""Settings for every environment, read from environment variables.

With no variable set the platform runs on its embedded defaults: SQLite (WAL) under var/,
local-memory cache, database sessions, an in-memory channel layer and in-process jobs.
RONGCHENG_ENV=production demands the real services and refuses to start without them.
"""

import os
import secrets
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF, UNSAFE_EVAL, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from django.templatetags.static import static
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from config.environment import channel_layer_host, media_storage, postgres_options

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()

# A host marked as production by its environment file: every process started on it (systemd
# units, and manage.py or celery run by hand) reads the same configuration, so a command
# never falls back to the embedded defaults and writes to a SQLite file by mistake.
ENV_FILE = Path(os.environ.get("RONGCHENG_ENV_FILE", "/etc/rongcheng/env"))
if ENV_FILE.exists():
    if not os.access(ENV_FILE, os.R_OK):
        raise ImproperlyConfigured(
            f"{ENV_FILE} exists but this user may not read it: run commands as the service "
            "user, e.g. sudo -u rongcheng bin/manage migrate"
        )
    # Variables already set (e.g. by systemd's EnvironmentFile) win.
    environ.Env.read_env(ENV_FILE)

VAR_DIR = Path(env("RONGCHENG_VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

PRODUCTION = env("RONGCHENG_ENV", default="embedded") == "production"
REQUIRED_IN_PRODUCTION = (
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DATABASE_URL",
    "REDIS_URL",
    # How many proxies stand in front: per-IP limits and lockouts depend on it (client_ip).
    "TRUSTED_PROXY_COUNT",
    # The business licence in every footer (E-commerce Law art. 15): never the demo's.
    "LICENCE_COMPANY",
    "LICENCE_CREDIT_CODE",
    "LICENCE_ICP",
    "LICENCE_ADDRESS",
    "LICENCE_PHONE",
)
if PRODUCTION:
    missing = [name for name in REQUIRED_IN_PRODUCTION if not env.str(name, default="")]
    if missing:
        raise ImproperlyConfigured(
            "RONGCHENG_ENV=production needs these environment variables: " + ", ".join(missing)
        )

# Payment sandboxes play the providers inside the platform (docs/payments.md): on in the embedded
# setup and the tests; in production only when explicitly allowed, e.g. on a staging site.
PAYMENTS_SANDBOX = env.bool("PAYMENTS_SANDBOX", default=not PRODUCTION)
if (
    PRODUCTION
    and PAYMENTS_SANDBOX
    and not env.bool("PAYMENTS_SANDBOX_IN_PRODUCTION", default=False)
):
    raise ImproperlyConfigured(
        "PAYMENTS_SANDBOX is on with RONGCHENG_ENV=production: anyone could pay with the "
        "sandbox cashier. Turn it off, or set PAYMENTS_SANDBOX_IN_PRODUCTION=true on a "
        "staging site."
    )


def _embedded_secret_key() -> str:
    """A random key generated once and kept under var/, so sessions survive restarts."""
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = env.str("SECRET_KEY", default="") or _embedded_secret_key()
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "unfold",
    "unfold.contrib.filters",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "axes",
    "channels",
    "pgtrigger",
    # django-ninja's own Swagger UI files, so /api/docs needs no CDN.
    "ninja",
    "rongcheng.core",
    "rongcheng.regions",
    "rongcheng.accounts",
    "rongcheng.notifications",
    "rongcheng.catalog",
    "rongcheng.stores",
    "rongcheng.inventory",
    "rongcheng.ledger",
    "rongcheng.cms",
    "rongcheng.helpcenter",
    "rongcheng.seo",
    "rongcheng.search",
    "rongcheng.fulfillment",
    "rongcheng.cart",
    "rongcheng.orders",
    "rongcheng.checkout",
    "rongcheng.demo",
    "rongcheng.payments",
    "rongcheng.messaging",
    "rongcheng.favorites",
    "rongcheng.questions",
    "rongcheng.restock",
    "rongcheng.board",
    "rongcheng.surveys",
    "rongcheng.callcenter",
    "rongcheng.storefront",
    "rongcheng.backoffice",
    "rongcheng.api",
    "rongcheng.sellercenter",
]

MIDDLEWARE = [
    # The load balancer's probes answer whatever host name it asks for (observability/probes.py).
    "rongcheng.core.observability.probes.ProbeHostMiddleware",
    # Outermost: every log line of the request, and the metrics, cover all the rest.
    "rongcheng.core.observability.request_id.RequestIdMiddleware",
    "rongcheng.core.observability.metrics.MetricsMiddleware",
    # Next, so that the session, the lockouts and the view all read from the same database.
    "rongcheng.core.db_routing.ReplicaReadsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Outermost after security: compresses pages and static text alike (core/compression.py).
    "rongcheng.core.compression.TextGZipMiddleware",
    # Content-Security-Policy on every response, cached pages included (core/csp.py).
    "rongcheng.core.csp.PathPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Storefront pages take their language from the URL (/en/…), the rest from the visitor.
    "rongcheng.seo.locale.UrlLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "rongcheng.regions.middleware.VisitorCityMiddleware",
    "rongcheng.storefront.middleware.ApplicationErrorMiddleware",
    "axes.middleware.AxesMiddleware",
    # Last, so it sees the view's own response before cookies and Vary are added around it.
    "rongcheng.seo.page_cache.PageCacheMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        # Shopper-facing pages: Jinja2 renders them about twice as fast (see DESIGN.md).
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "environment": "rongcheng.core.jinja2env.environment",
            "context_processors": [
                "rongcheng.core.jinja2env.page_locale",
                "rongcheng.seo.context.seo",
                "rongcheng.sellercenter.context.seller_center",
                "rongcheng.storefront.browse.context",
                "rongcheng.storefront.frame.context",
            ],
        },
    },
    {
        # The back office: Django admin themed with unfold.
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
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

# --- Database -------------------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers go on while one writer writes; IMMEDIATE takes the write lock at
        # BEGIN so concurrent writers queue instead of failing with "database is locked".
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # Covering indexes (INCLUDE) are PostgreSQL's: SQLite keeps their key columns alone.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
else:
    SILENCED_SYSTEM_CHECKS = []
    DATABASES["default"] |= postgres_options(env)
    # Read replicas (comma-separated URLs): read-only requests read from them
    # (rongcheng/core/db_routing.py); writes, locks and transactions stay on the primary.
    for number, url in enumerate(env.list("DATABASE_REPLICA_URLS", default=[]), start=1):
        DATABASES[f"replica{number}"] = environ.Env.db_url_config(url) | postgres_options(env)
        # Tests read the replica through the primary's connection: one test database.
        DATABASES[f"replica{number}"]["TEST"] = {"MIRROR": "default"}
DATABASE_REPLICAS = [alias for alias in DATABASES if alias.startswith("replica")]
DATABASE_ROUTERS = ["rongcheng.core.db_routing.PrimaryReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, sessions, channel layer, jobs ---------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL and env.str("PYTEST_XDIST_WORKER", default=""):
    # Parallel test workers each get a Redis database of their own: tests flush the cache.
    _redis = urlsplit(REDIS_URL)
    _db = int(_redis.path.strip("/") or 0) + 1 + int(env.str("PYTEST_XDIST_WORKER")[2:])
    REDIS_URL = urlunsplit(_redis._replace(path=f"/{_db % 16}"))
# Each role may have a Redis of its own when one instance no longer carries all three.
CACHE_REDIS_URL = env.str("CACHE_REDIS_URL", default="") or REDIS_URL
BROKER_REDIS_URL = env.str("BROKER_REDIS_URL", default="") or REDIS_URL
CHANNEL_LAYER_REDIS_URL = env.str("CHANNEL_LAYER_REDIS_URL", default="") or REDIS_URL
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's Redis cache, timing each operation for the metrics.
            "BACKEND": "rongcheng.core.observability.timed_cache.TimedRedisCache",
            "LOCATION": CACHE_REDIS_URL,
            "KEY_PREFIX": "rc",
        }
    }
    # Sessions are written to the database and cached in Redis: losing Redis logs nobody out.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [channel_layer_host(CHANNEL_LAYER_REDIS_URL)]},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    SESSION_ENGINE = "django.contrib.sessions.backends.db"
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

CELERY_BROKER_URL = BROKER_REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
# A task is acknowledged when it has finished, not when a worker took it: a worker killed
# mid-task leaves it on the broker for another (every task is idempotent). One task at a
# time per process, so a dying worker holds back no others.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A task taken by a worker that died goes back to the queue after the visibility timeout
# (above the longest task: a task running longer would also run a second time, harmlessly), and
# the workers look for such tasks every 10 s (kombu's default looks every 100 s).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=900),
    "unacked_restore_interval": 10,
    "unacked_restore_throttle": 1,
}
# Without a broker every task runs in the calling process, after the transaction commits.
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = "Asia/Shanghai"
# Set by `manage.py serve`: periodic jobs run in a thread of the web process.
EMBEDDED_SCHEDULER = env.bool("EMBEDDED_SCHEDULER", default=not REDIS_URL)
# Periodic jobs: run by Celery beat in production, by rongcheng.core.scheduler when embedded.
CELERY_BEAT_SCHEDULE = {
    "purge-expired-sms-codes": {
        "task": "rongcheng.accounts.tasks.purge_expired_sms_codes",
        "schedule": timedelta(minutes=10),
    },
}
CELERY_BEAT_SCHEDULE |= {
    # Special prices start and end without a write: purge the pages that show them.
    "purge-price-windows": {
        "task": "rongcheng.seo.tasks.purge_price_windows",
        "schedule": timedelta(minutes=1),
    },
    "refresh-published-pages": {
        "task": "rongcheng.seo.tasks.refresh_published_pages",
        "schedule": timedelta(minutes=5),
    },
    # Sales figures change with every order; the index copies them for sorting.
    "refresh-search-counters": {
        "task": "rongcheng.search.tasks.refresh_product_counters",
        "schedule": timedelta(minutes=15),
    },
}
CELERY_BEAT_SCHEDULE |= {
    # A lost notification must not leave a paid buyer waiting: ask the provider.
    "query-pending-payments": {
        "task": "rongcheng.payments.tasks.query_pending_payments",
        "schedule": timedelta(minutes=1),
    },
    # Refunds a provider has not answered, or refused for a passing reason, are asked again.
    "retry-refunds": {
        "task": "rongcheng.payments.tasks.retry_refunds",
        "schedule": timedelta(minutes=5),
    },
}

# Every balance re-derived from its entries once a day, early, before the day's trade.
CELERY_BEAT_SCHEDULE |= {
    "reconcile-ledger": {
        "task": "rongcheng.ledger.tasks.reconcile_ledger",
        "schedule": crontab(hour=3, minute=30),
    },
}

# SMS campaigns set for a time go out within a minute of it (CALL-3).
CELERY_BEAT_SCHEDULE |= {
    "send-due-sms-campaigns": {
        "task": "rongcheng.notifications.tasks.send_due_sms_campaigns",
        "schedule": timedelta(minutes=1),
    },
    # A message a dead sender left `sending` is tried once more, then failed.
    "sweep-stuck-sms-deliveries": {
        "task": "rongcheng.notifications.tasks.sweep_stuck_sms_deliveries",
        "schedule": timedelta(minutes=5),
    },
}
# A gateway call takes seconds: a message `sending` for ten minutes has lost its sender.
SMS_DELIVERY_STUCK_SECONDS = env.int("SMS_DELIVERY_STUCK_SECONDS", default=600)
# Takes of one message before it is failed: the first, and one retry.
SMS_DELIVERY_MAX_ATTEMPTS = env.int("SMS_DELIVERY_MAX_ATTEMPTS", default=2)

# The call center's clock: overflow, the end of wrap-up, phones ringing too long (CALL-7, 8).
CELERY_BEAT_SCHEDULE |= {
    "callcenter-tick": {
        "task": "rongcheng.callcenter.tasks.callcenter_tick",
        "schedule": timedelta(seconds=5),
    },
}

# The order lifecycle's timeouts.
CELERY_BEAT_SCHEDULE |= {
    "close-unpaid-orders": {
        "task": "rongcheng.orders.tasks.close_unpaid_orders",
        "schedule": timedelta(minutes=1),
    },
    "accept-overdue-cancellations": {
        "task": "rongcheng.orders.tasks.accept_overdue_cancellations",
        "schedule": timedelta(minutes=10),
    },
}

# --- Authentication -------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rongcheng.accounts.backends.IdentifierBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "storefront:login"
LOGIN_REDIRECT_URL = "storefront:member"

# The call center's own place: a caller from elsewhere is long-distance and served first
# (CALL-7). The area code decides for fixed lines, the city (GB/T 2260) for known members.
# The defaults are the brand's home, Ordos (0477, 150600); set the real center's place.
CALLCENTER_AREA_CODE = env.str("CALLCENTER_AREA_CODE", default="0477")
CALLCENTER_CITY_CODE = env.str("CALLCENTER_CITY_CODE", default="150600")
# The average talk time assumed for the wait estimate before a queue has answered calls.
CALLCENTER_DEFAULT_HANDLE_SECONDS = env.int("CALLCENTER_DEFAULT_HANDLE_SECONDS", default=180)
# The wait estimate averages the talk time of a queue's latest answered calls, this many.
CALLCENTER_WAIT_SAMPLE_CALLS = env.int("CALLCENTER_WAIT_SAMPLE_CALLS", default=20)
# A queued caller hears their place and the estimated wait again this often.
CALLCENTER_ANNOUNCE_SECONDS = env.int("CALLCENTER_ANNOUNCE_SECONDS", default=60)
# A call back the customer does not pick up is tried again until it has been tried this often.
CALLCENTER_CALLBACK_ATTEMPTS = env.int("CALLCENTER_CALLBACK_ATTEMPTS", default=3)
# An agent's phone rings this long before the call is taken back (a transfer returns to the
# transferring agent or the head of the queue, a queued call goes to the next agent).
CALLCENTER_RING_SECONDS = env.int("CALLCENTER_RING_SECONDS", default=20)
# The telephony engine the agent workspace sends its commands to: the dotted path of a
# `TelephonyEngine` class. Empty: none is connected, and the in-process engine only records the
# commands, so agents can change state but no call reaches them.
CALLCENTER_ENGINE = env.str("CALLCENTER_ENGINE", default="")
# With the engine in a worker process (FreeSWITCH, the lab), the web processes set
# CALLCENTER_ENGINE to "rongcheng.callcenter.commands.WorkerChannelEngine": their commands reach
# the worker over Redis, and one older than this when the worker takes it is dropped.
CALLCENTER_COMMAND_TTL_SECONDS = env.int("CALLCENTER_COMMAND_TTL_SECONDS", default=30)
# The hotline customers dial, shown to them when an agent calls out.
CALLCENTER_HOTLINE = env.str("CALLCENTER_HOTLINE", default="4008001234")
# The soft phone in the workspace registers over this SIP-over-WebSocket address (Kamailio's
# WebSocket listener, wss:// in production) as sip:<agent number>@CALLCENTER_SIP_DOMAIN.
CALLCENTER_SIP_WS_URL = env.str("CALLCENTER_SIP_WS_URL", default="")
CALLCENTER_SIP_DOMAIN = env.str("CALLCENTER_SIP_DOMAIN", default="")
# How long an agent's wrap-up lasts before the server's tick makes the agent ready again.
CALLCENTER_WRAP_UP_SECONDS = env.int("CALLCENTER_WRAP_UP_SECONDS", default=60)
# FreeSWITCH's event socket, driven by `manage.py callcenter_engine` (docs/callcenter.md).
FREESWITCH_ESL_HOST = env.str("FREESWITCH_ESL_HOST", default="127.0.0.1")
FREESWITCH_ESL_PORT = env.int("FREESWITCH_ESL_PORT", default=8021)
# FreeSWITCH's own default password, ClueCon, is for a lab only.
FREESWITCH_ESL_PASSWORD = env.str(
    "FREESWITCH_ESL_PASSWORD", default="" if PRODUCTION else "ClueCon"
)
# Where FreeSWITCH's hosts mount the media storage: prompts are read and recordings written there.
FREESWITCH_MEDIA_DIR = env.str("FREESWITCH_MEDIA_DIR", default="/srv/rongcheng/media")
FREESWITCH_HOLD_MUSIC = env.str("FREESWITCH_HOLD_MUSIC", default="local_stream://moh")
# The dial string of an agent's phone; `{number}` is the agent's number (工号).
FREESWITCH_AGENT_ENDPOINT = env.str("FREESWITCH_AGENT_ENDPOINT", default="user/{number}")
# Behind nginx the recording view hands the file over to nginx's internal location with
# X-Accel-Redirect ("/internal/recordings/", deploy/nginx/locations.conf); left empty, the view
# streams the file itself with byte ranges (the embedded setup).
CALLCENTER_RECORDINGS_ACCEL_PREFIX = env.str("CALLCENTER_RECORDINGS_ACCEL_PREFIX", default="")
# Service level (CALL-5): the share of queued calls answered within this many seconds.
CALLCENTER_SERVICE_LEVEL_SECONDS = env.int("CALLCENTER_SERVICE_LEVEL_SECONDS", default=20)

# django-axes: lock an (account, IP) pair after repeated failures.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "rongcheng.accounts.lockout.locked_out_response"
# Failures count per account, whichever of its names (username, mobile, e-mail) was typed.
AXES_USERNAME_CALLABLE = "rongcheng.accounts.lockout.axes_username"
# The visitor's address behind TRUSTED_PROXY_COUNT proxies, as every per-IP rule sees it.
AXES_CLIENT_IP_CALLABLE = "rongcheng.core.client_ip.client_ip"
AXES_VERBOSE = False
# Adds the ceiling per account across addresses (RONGCHENG["LOGIN_ACCOUNT_FAILURE_LIMIT"]).
AXES_HANDLER = "rongcheng.accounts.lockout.AccountCeilingHandler"

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
# locale_vendor: Chinese for the third-party packages of the back office (unfold, axes).
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_vendor"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static and media -----------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
# Front-end packages come from npm (package.json) and are served from node_modules as-is.
STATICFILES_DIRS = [
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
    ("vendor/trix", BASE_DIR / "node_modules" / "trix" / "dist"),
    # Survey statistics charts in the back office (SURV-1).
    ("vendor/echarts", BASE_DIR / "node_modules" / "echarts" / "dist"),
    # The agent workspace's soft phone (CALL-8): SIP.js's ES modules, imported by the page.
    ("vendor/sipjs", BASE_DIR / "node_modules" / "sip.js" / "lib"),
]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
# Hashed, precompressed static files (collectstatic), cached by browsers for a year: in
# production and under `make run`, which collects them first. Tests and `manage.py` alone
# serve the source files as they are.
HASHED_STATIC = PRODUCTION or env.bool("HASHED_STATIC", default=False)
STORAGES = {
    "default": media_storage(env),
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if HASHED_STATIC
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not HASHED_STATIC

# --- E-mail ---------------------------------------------------------------------------------
EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.filebased.EmailBackend",
)
EMAIL_FILE_PATH = VAR_DIR / "mail"
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="绒城购 <no-reply@rongcheng.example>")

# --- Security -------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Content-Security-Policy (django-csp; rongcheng/core/csp.py): every page loads scripts, styles,
# pictures, video and connections from the shop itself only ('self' covers ws:/wss: of the same
# host for /ws/), with no inline script. deploy/nginx/locations.conf sends the same policy with
# the pages it publishes: change both together (a test compares them).
UNIONPAY_GATEWAY = env.str("UNIONPAY_GATEWAY", default="https://gateway.95516.com")
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "media-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Sources added for pages under a path whose vendor code needs them, and only there
# (each found by loading the pages in Chromium with the site's policy alone).
CSP_PATH_ADDITIONS = {
    # unfold: Alpine.js evaluates its x-data expressions; theme colours in a <style> element.
    "/backoffice/": {"script-src": [UNSAFE_EVAL], "style-src": [UNSAFE_INLINE]},
    # Swagger UI: its icons are data: URIs.
    "/api/docs": {"img-src": ["data:"]},
    # The cashier posts UnionPay's signed front form to UnionPay's gateway.
    "/pay/": {"form-action": [UNIONPAY_GATEWAY]},
    "/en/pay/": {"form-action": [UNIONPAY_GATEWAY]},
}
# The agent workspace's soft phone talks to the SIP WebSocket, on Kamailio's own host.
if CALLCENTER_SIP_WS_URL:
    for prefix in ("/callcenter/", "/en/callcenter/"):
        CSP_PATH_ADDITIONS[prefix] = {"connect-src": [CALLCENTER_SIP_WS_URL]}
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    # Probes and Prometheus ask over plain HTTP on the internal network.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # HSTS is raised in stages (docs/deployment.md): an hour first, so that a mistake in the
    # certificate set-up locks visitors out for an hour, not a year; subdomains and preload
    # only when every subdomain serves HTTPS. nginx sends the same header with the files it
    # serves (deploy/nginx/security-headers.conf; a test keeps them equal).
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=3600)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
    # The deploy checks warn about the stages not reached yet; reaching them later is the plan.
    SILENCED_SYSTEM_CHECKS += [
        *([] if SECURE_HSTS_INCLUDE_SUBDOMAINS else ["security.W005"]),
        *([] if SECURE_HSTS_PRELOAD else ["security.W021"]),
    ]

# --- Platform rules (REQUIREMENTS.md); every duration is a setting ---------------------------
RONGCHENG = {
    "SMS_CODE_TTL": timedelta(minutes=env.int("SMS_CODE_TTL_MINUTES", default=10)),
    "SMS_CODE_MAX_GUESSES": 5,
    # (count, window) limits on codes sent to one phone number for one purpose (so that codes
    # asked for one purpose never use up another's, e.g. login) and from one IP address.
    "SMS_PHONE_LIMITS": [
        (1, timedelta(minutes=1)),
        (5, timedelta(hours=1)),
        (10, timedelta(days=1)),
    ],
    "SMS_IP_LIMITS": [(10, timedelta(hours=1)), (30, timedelta(days=1))],
    "SMS_PROVIDER": env.str("SMS_PROVIDER", default="sandbox"),
    "ALIYUN_SMS": {
        "ACCESS_KEY_ID": env.str("ALIYUN_SMS_ACCESS_KEY_ID", default=""),
        "ACCESS_KEY_SECRET": env.str("ALIYUN_SMS_ACCESS_KEY_SECRET", default=""),
        "SIGN_NAME": env.str("ALIYUN_SMS_SIGN_NAME", default="绒城购"),
        # The codes Aliyun gave our templates (notifications/sms/base.py TEMPLATES).
        "TEMPLATE_CODE": env.str("ALIYUN_SMS_TEMPLATE_CODE", default=""),
        "LOGIN_PAUSED_TEMPLATE_CODE": env.str("ALIYUN_SMS_LOGIN_PAUSED_TEMPLATE_CODE", default=""),
        "ENDPOINT": env.str("ALIYUN_SMS_ENDPOINT", default="https://dysmsapi.aliyuncs.com/"),
    },
    # IP → city: an ip2region xdb file when configured, otherwise the default city.
    "IP2REGION_XDB": env.str("IP2REGION_XDB", default=""),
    "DEFAULT_CITY_CODE": env.str("DEFAULT_CITY_CODE", default="110100"),
    "PASSWORD_RESET_TIMEOUT": timedelta(hours=2),
    # Proxies in front of the web processes (nginx on the host: 1; a load balancer before it:
    # 2). Their X-Forwarded-For entries are trusted, nothing else (core/client_ip.py).
    "TRUSTED_PROXY_COUNT": env.int("TRUSTED_PROXY_COUNT", default=0),
    # The city a visitor picked is remembered in the rc_city cookie this long.
    "CITY_COOKIE_AGE": timedelta(days=365),
    # Shown first in the city picker, in this order (GB/T 2260 city codes).
    "HOT_CITY_CODES": env.list(
        "HOT_CITY_CODES",
        default=[
            "110100",  # 北京
            "310100",  # 上海
            "440100",  # 广州
            "440300",  # 深圳
            "330100",  # 杭州
            "510100",  # 成都
            "150600",  # 鄂尔多斯
            "150100",  # 呼和浩特
            "150200",  # 包头
            "610100",  # 西安
            "420100",  # 武汉
            "320100",  # 南京
        ],
    ),
    "EMAIL_CODE_INTERVAL": timedelta(minutes=1),
    "API_TOKEN_TTL": timedelta(days=env.int("API_TOKEN_TTL_DAYS", default=30)),
    # Failed password logins to one account from all addresses together, within
    # AXES_COOLOFF_TIME, before password login to it pauses (the member is told by SMS).
    # Above AXES_FAILURE_LIMIT, so that one address alone meets its own lock first.
    "LOGIN_ACCOUNT_FAILURE_LIMIT": env.int("LOGIN_ACCOUNT_FAILURE_LIMIT", default=20),
    # (wrong answers, window) before password recovery by security question pauses.
    "SECURITY_ANSWER_LIMIT": (5, timedelta(hours=1)),
    # Delivery addresses a member may keep in the address book (MEM-4).
    "ADDRESS_BOOK_LIMIT": 20,
    # Live chat (IM-1): characters per message, (messages, window) per sender, the longest
    # side of a picture as stored, open conversations an agent is given at most.
    "CHAT_MESSAGE_MAX_CHARS": 500,
    "CHAT_RATE_LIMIT": (20, timedelta(minutes=1)),
    "CHAT_IMAGE_MAX_SIDE": 1280,
    "CHAT_AGENT_MAX_OPEN": 5,
    # A chat page counts as open this long after its last frame (its heartbeat is 25 s).
    "CHAT_PRESENCE_TTL": timedelta(seconds=75),
    # The message center (MSG-1): characters per letter, (letters, window) per sender.
    "LETTER_MAX_CHARS": 2000,
    "LETTER_RATE_LIMIT": (10, timedelta(hours=1)),
}
PASSWORD_RESET_TIMEOUT = int(RONGCHENG["PASSWORD_RESET_TIMEOUT"].total_seconds())
# Catalogue, stores and home page.
RONGCHENG |= {
    "NEW_ARRIVAL_PERIOD": timedelta(days=env.int("NEW_ARRIVAL_DAYS", default=60)),
    "CATEGORY_TREE_CACHE_TTL": timedelta(hours=1),
    # The services drop it on every change; the lifetime only bounds a cache missed a drop.
    "FEE_TEMPLATE_CACHE_TTL": timedelta(minutes=10),
    "CATALOG_PAGE_SIZE": 40,
    "FEATURED_BRANDS_MAX": 3,
    "NEARBY_STORE_RADIUS_KM": 50,
}

# Bag, checkout and orders (ORD-1, FUL-1, R-7, R-12).
RONGCHENG |= {
    "BAG_MAX_LINES": 100,
    "BAG_LINE_MAX_QUANTITY": 99,
    "ORDER_PAYMENT_TIMEOUT": timedelta(
        minutes=env.int("ORDER_PAYMENT_TIMEOUT_MINUTES", default=30)
    ),
    "CANCELLATION_AUTO_ACCEPT": timedelta(
        hours=env.int("CANCELLATION_AUTO_ACCEPT_HOURS", default=48)
    ),
    # Dotted path of the function that refunds an accepted cancellation (orders/refunds.py).
    "ORDER_REFUND_HANDLER": env.str(
        "ORDER_REFUND_HANDLER", default="rongcheng.checkout.paying.order_refund"
    ),
}

# Search-engine optimisation, full-page cache and static publishing (SEO-1).
RONGCHENG |= {
    # The public address of the shop, e.g. https://shop.example.com: canonical links, sitemaps
    # and published pages use it. Empty: the address the request came in on.
    "SITE_URL": env.str("SITE_URL", default="").rstrip("/"),
    # Anonymous pages stay in the page cache, and published files stay on disk without being
    # re-rendered, at most this long; a purge (seo/purge.py) replaces them sooner.
    "PAGE_MAX_AGE": {
        "home": timedelta(minutes=10),  # ads and notices change on a schedule
        "listing": timedelta(hours=1),
        "detail": timedelta(minutes=30),  # stock in stores changes with every order
        "fixed": timedelta(days=1),
    },
    # Static HTML files of anonymous pages for nginx to serve (deploy/nginx/).
    "PUBLISHED_DIR": Path(env.str("PUBLISHED_DIR", default=str(VAR_DIR / "published"))),
    # seo_report stops crawling after this many pages unless told otherwise.
    "SEO_REPORT_MAX_PAGES": 2000,
}

# Payments (docs/payments.md).
RONGCHENG |= {
    # A payment the buyer has not completed after this long is closed; the provider is told the
    # same deadline, so it refuses to take the money later.
    "PAYMENT_TTL": timedelta(minutes=env.int("PAYMENT_TTL_MINUTES", default=30)),
    # Payments still pending this long after they started are settled by asking the provider.
    "PAYMENT_QUERY_AFTER": timedelta(minutes=env.int("PAYMENT_QUERY_AFTER_MINUTES", default=5)),
    # At most this many payments are queried per run of the job.
    "PAYMENT_QUERY_BATCH": 200,
    # Refunds still pending this long after their last attempt (or refused for a passing
    # reason this long ago) are asked for again by the retry job, at most so many attempts.
    "REFUND_RETRY_AFTER": timedelta(minutes=env.int("REFUND_RETRY_AFTER_MINUTES", default=10)),
    "REFUND_RETRY_ATTEMPTS": 5,
    "REFUND_RETRY_BATCH": 200,
    # Sandbox key pairs and identities are generated once here.
    "PAYMENTS_SANDBOX_DIR": VAR_DIR / "payments-sandbox",
    "ALIPAY": {
        "APP_ID": env.str("ALIPAY_APP_ID", default=""),
        "APP_PRIVATE_KEY": env.str("ALIPAY_APP_PRIVATE_KEY", default=""),
        "APP_PRIVATE_KEY_FILE": env.str("ALIPAY_APP_PRIVATE_KEY_FILE", default=""),
        "ALIPAY_PUBLIC_KEY": env.str("ALIPAY_PUBLIC_KEY", default=""),
        "ALIPAY_PUBLIC_KEY_FILE": env.str("ALIPAY_PUBLIC_KEY_FILE", default=""),
        "SELLER_ID": env.str("ALIPAY_SELLER_ID", default=""),
        "GATEWAY": env.str("ALIPAY_GATEWAY", default="https://openapi.alipay.com/gateway.do"),
    },
    "WECHATPAY": {
        "MCHID": env.str("WECHATPAY_MCHID", default=""),
        "APPID": env.str("WECHATPAY_APPID", default=""),
        "PRIVATE_KEY": env.str("WECHATPAY_PRIVATE_KEY", default=""),
        "PRIVATE_KEY_FILE": env.str("WECHATPAY_PRIVATE_KEY_FILE", default=""),
        "CERT_SERIAL_NO": env.str("WECHATPAY_CERT_SERIAL_NO", default=""),
        "APIV3_KEY": env.str("WECHATPAY_APIV3_KEY", default=""),
        "PLATFORM_PUBLIC_KEY": env.str("WECHATPAY_PLATFORM_PUBLIC_KEY", default=""),
        "PLATFORM_PUBLIC_KEY_FILE": env.str("WECHATPAY_PLATFORM_PUBLIC_KEY_FILE", default=""),
        "PLATFORM_SERIAL": env.str("WECHATPAY_PLATFORM_SERIAL", default=""),
        "GATEWAY": env.str("WECHATPAY_GATEWAY", default="https://api.mch.weixin.qq.com"),
    },
    "UNIONPAY": {
        "MER_ID": env.str("UNIONPAY_MER_ID", default=""),
        "SIGN_KEY": env.str("UNIONPAY_SIGN_KEY", default=""),
        "SIGN_KEY_FILE": env.str("UNIONPAY_SIGN_KEY_FILE", default=""),
        "SIGN_CERT": env.str("UNIONPAY_SIGN_CERT", default=""),
        "SIGN_CERT_FILE": env.str("UNIONPAY_SIGN_CERT_FILE", default=""),
        "ROOT_CERT_FILE": env.str("UNIONPAY_ROOT_CERT_FILE", default=""),
        "MIDDLE_CERT_FILE": env.str("UNIONPAY_MIDDLE_CERT_FILE", default=""),
        # The owner named in UnionPay's signing certificate (its CN's third @-field).
        "SIGN_CERT_OWNER": env.str("UNIONPAY_SIGN_CERT_OWNER", default="中国银联股份有限公司"),
        "GATEWAY": UNIONPAY_GATEWAY,
    },
}

# The wallet (绒易付): wrong payment passwords in a row before it locks, and for how long; the
# largest single top-up (yuan).
RONGCHENG |= {
    "WALLET_TOPUP_MAX": Decimal(env.str("WALLET_TOPUP_MAX", default="5000.00")),
    "PAYMENT_PASSWORD_MAX_FAILURES": env.int("PAYMENT_PASSWORD_MAX_FAILURES", default=5),
    "PAYMENT_PASSWORD_LOCK": timedelta(
        minutes=env.int("PAYMENT_PASSWORD_LOCK_MINUTES", default=180)
    ),
}

# Uploads (core/uploads.py checks each by content) and the catalogue's Excel import.
RONGCHENG |= {
    "UPLOAD_MAX_IMAGE_BYTES": env.int("UPLOAD_MAX_IMAGE_MB", default=10) * 1024 * 1024,
    "UPLOAD_MAX_VIDEO_BYTES": env.int("UPLOAD_MAX_VIDEO_MB", default=50) * 1024 * 1024,
    "UPLOAD_MAX_AUDIO_BYTES": env.int("UPLOAD_MAX_AUDIO_MB", default=10) * 1024 * 1024,
    "IMPORT_MAX_BYTES": env.int("IMPORT_MAX_MB", default=5) * 1024 * 1024,
    "IMPORT_MAX_ROWS": env.int("IMPORT_MAX_ROWS", default=5000),
}

# Business licence information shown in every page footer (E-commerce Law art. 15). The
# defaults are the demo's invented company; production must name its own (REQUIRED_IN_PRODUCTION).
BUSINESS_LICENCE = {
    "company": env.str("LICENCE_COMPANY", default="鄂尔多斯市绒城购电子商务有限公司"),
    # The English pages' company name and address; blank: the Chinese ones.
    "company_en": env.str(
        "LICENCE_COMPANY_EN", default="Ordos Rongcheng Mall E-commerce Co., Ltd."
    ),
    "credit_code": env.str("LICENCE_CREDIT_CODE", default="91150602MA0RC00001"),
    "icp": env.str("LICENCE_ICP", default="蒙ICP备20260001号-1"),
    "address": env.str("LICENCE_ADDRESS", default="内蒙古自治区鄂尔多斯市东胜区鄂尔多斯西街1号"),
    "address_en": env.str(
        "LICENCE_ADDRESS_EN",
        default="1 Ordos West Street, Dongsheng District, Ordos, Inner Mongolia",
    ),
    "phone": env.str("LICENCE_PHONE", default="400-800-1688"),
}


def _can(permission: str):
    """A sidebar entry is shown to staff who hold this permission (directly or inherited)."""
    return lambda request: request.user.has_perm(permission)


def _nav_section(title, *entries):
    """A sidebar section: one entry per (app_label.model, title, icon), each shown to staff
    who may view that model, or to whom a fourth element, a permission callback, allows."""
    items = []
    for model, item_title, icon, *shown_to in entries:
        app_label, model_name = model.split(".")
        items.append(
            {
                "title": item_title,
                "icon": icon,
                "link": reverse_lazy(f"admin:{app_label}_{model_name}_changelist"),
                "permission": shown_to[0] if shown_to else _can(f"{app_label}.view_{model_name}"),
            }
        )
    return {"title": title, "separator": True, "items": items}


# The back office (Django admin themed with unfold) in the storefront's colours: wine red
# #9e1b32 as primary (600, its hover #7a1426 as 700), warm stone greys, camel accents in
# backoffice/css/backoffice.css.
UNFOLD = {
    "SITE_TITLE": _("绒城购运营后台"),
    "SITE_HEADER": _("绒城购"),
    "SITE_SUBHEADER": _("运营后台"),
    "SITE_URL": "/",
    "SITE_SYMBOL": "checkroom",
    "SHOW_LANGUAGES": True,
    "ENVIRONMENT": "rongcheng.backoffice.callbacks.environment_callback",
    "DASHBOARD_CALLBACK": "rongcheng.backoffice.callbacks.dashboard_callback",
    "STYLES": [lambda request: static("backoffice/css/backoffice.css")],
    "COLORS": {
        "base": {
            "50": "oklch(98.5% .001 106.4)",
            "100": "oklch(97% .001 106.4)",
            "200": "oklch(92.3% .003 48.7)",
            "300": "oklch(86.9% .005 56.4)",
            "400": "oklch(70.9% .01 56.3)",
            "500": "oklch(55.3% .013 58.1)",
            "600": "oklch(44.4% .011 73.6)",
            "700": "oklch(37.4% .01 67.6)",
            "800": "oklch(26.8% .007 34.3)",
            "900": "oklch(21.6% .006 56)",
            "950": "oklch(14.7% .004 49.3)",
        },
        "primary": {
            "50": "oklch(97.1% .013 18)",
            "100": "oklch(93.6% .03 18)",
            "200": "oklch(88.5% .058 18)",
            "300": "oklch(80.8% .1 18)",
            "400": "oklch(70% .15 18)",
            "500": "oklch(58% .18 18)",
            "600": "#9e1b32",
            "700": "#7a1426",
            "800": "oklch(33% .115 18)",
            "900": "oklch(28% .095 18)",
            "950": "oklch(21% .07 18)",
        },
    },
    "SIDEBAR": {
        "show_search": True,
        "show_all_applications": True,
        "navigation": [
            {
                "items": [
                    {"title": _("概览"), "icon": "dashboard", "link": reverse_lazy("admin:index")},
                ],
            },
            _nav_section(
                _("商品管理"),
                ("catalog.product", _("商品"), "checkroom"),
                ("catalog.category", _("商品分类"), "account_tree"),
                ("catalog.brand", _("品牌"), "workspace_premium"),
                ("catalog.audience", _("适用人群"), "diversity_3"),
                ("catalog.producttype", _("商品类型"), "category"),
                ("catalog.attribute", _("商品属性"), "tune"),
            ),
            _nav_section(
                _("门店与库存"),
                ("stores.store", _("门店"), "storefront"),
                ("inventory.storelisting", _("门店上下架"), "inventory"),
                ("inventory.stock", _("库存"), "warehouse"),
                ("inventory.stockmovement", _("库存流水"), "receipt_long"),
            ),
            _nav_section(
                _("订单与配送"),
                ("orders.order", _("订单"), "receipt"),
                ("checkout.checkout", _("结算单"), "shopping_cart_checkout"),
                ("orders.cancellationrequest", _("取消申请"), "cancel"),
                ("fulfillment.shippingfeetemplate", _("运费模板"), "local_shipping"),
            ),
            _nav_section(
                _("资金"),
                ("ledger.withdrawal", _("提现审核"), "payments"),
                ("ledger.account", _("账户余额"), "account_balance_wallet"),
                ("ledger.journal", _("记账凭证"), "receipt_long"),
                ("ledger.reconciliation", _("对账记录"), "fact_check"),
            ),
            _nav_section(
                _("界面管理"),
                ("cms.homearea", _("首页区块"), "view_quilt"),
                ("cms.displaytemplate", _("展示模板"), "dashboard_customize"),
                ("cms.adslot", _("广告位"), "ad_units"),
                ("cms.ad", _("广告"), "campaign"),
                ("cms.homevideo", _("首页视频"), "smart_display"),
                ("cms.promotionnotice", _("促销公告"), "notifications"),
            ),
            _nav_section(
                _("帮助中心"),
                ("helpcenter.column", _("帮助栏目"), "folder"),
                ("helpcenter.article", _("帮助文章"), "article"),
                ("helpcenter.articleimage", _("帮助图片"), "image"),
            ),
            _nav_section(
                _("用户与权限"),
                ("accounts.user", _("用户"), "person"),
                ("auth.group", _("角色组"), "groups"),
            ),
            _nav_section(
                _("支付"),
                ("payments.payment", _("支付单"), "payments"),
                ("payments.refund", _("退款"), "currency_exchange"),
                ("payments.gatewaynotification", _("支付通知"), "mark_email_unread"),
            ),
            _nav_section(
                _("呼叫中心"),
                ("callcenter.call", _("通话记录"), "call"),
                ("callcenter.agentevent", _("工作记录"), "history"),
                ("callcenter.recording", _("录音"), "mic"),
                ("callcenter.agent", _("坐席"), "support_agent"),
                ("callcenter.queue", _("队列"), "queue"),
                ("callcenter.ivrmenu", _("IVR 菜单"), "account_tree"),
                ("callcenter.ivrprompt", _("IVR 语音"), "record_voice_over"),
                ("callcenter.agentgroup", _("坐席组"), "groups_2"),
                ("callcenter.skill", _("技能"), "psychology"),
            ),
            _nav_section(_("基础数据"), ("regions.region", _("地区"), "location_on")),
            _nav_section(
                _("消息"),
                (
                    "notifications.sandboxsms",
                    _("沙箱短信发件箱"),
                    "sms",
                    "rongcheng.backoffice.callbacks.sandbox_outbox_visible",
                ),
            ),
        ],
    },
}

# --- Operations: logs, metrics, error reports ---------------------------------------------
# JSON lines with the request id in production (for the log collector), plain text otherwise.
LOG_FORMAT = env.str("LOG_FORMAT", default="json" if PRODUCTION else "text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "rongcheng.core.observability.logs.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "rongcheng.core.observability.logs.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": LOG_FORMAT,
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
# Who may read /metrics: the visitor's address as client_ip sees it, behind the proxies.
METRICS_ALLOWED_NETWORKS = env.list(
    "METRICS_ALLOWED_NETWORKS",
    default=["127.0.0.0/8", "::1/128", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"],
)
SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    import sentry_sdk

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        environment=env.str("SENTRY_ENVIRONMENT", default="production" if PRODUCTION else "dev"),
        # Errors only unless asked for: tracing every request costs time on every request.
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
        # Members' addresses, phone numbers and cookies stay out of the reports.
        send_default_pii=False,
    )
