"""Settings for the 清风 portal: one file, configured by environment variables.

Production is the default: without DJANGO_DEBUG=1 a server refuses to start unless
DJANGO_SECRET_KEY is set (`make run` sets DJANGO_DEBUG=1). See the README's configuration table.
"""

import os
import secrets
import sys
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("DJANGO_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG")

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
# A server (gunicorn/uwsgi through config.wsgi or config.asgi, or runserver) never starts without
# a real key unless DEBUG is on. Other management commands (migrate, makemigrations, check, shell)
# still run with a throwaway key marked insecure, so `check --deploy` keeps flagging it.
SERVING = os.environ.get("QINGFENG_SERVING") == "1" or sys.argv[1:2] == ["runserver"]
if not SECRET_KEY:
    if DEBUG:
        SECRET_KEY = "django-insecure-development-only-key"  # noqa: S105 - only with DEBUG on
    elif SERVING:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY 未设置：生产环境必须提供密钥后才能启动。"
            " (DJANGO_SECRET_KEY is not set. Set it, or set DJANGO_DEBUG=1 for local development.)"
        )
    else:
        SECRET_KEY = "django-insecure-" + secrets.token_urlsafe(40)

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sitemaps",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "axes",
    "simple_history",
    "import_export",
    "django_ckeditor_5",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "core",
    "units",
    "security",
    "notifications",
    "bases",
    "publications",
    "pledges",
    "campaigns",
    "inspections",
    "reports",
    "search",
    "quizzes",
    "portal",
    "sitecheck",
    "demo",
]

MIDDLEWARE = [
    # Anonymous GETs answered from the page cache before anything else (core/pagecache.py): a stored
    # page keeps the headers the middlewares below gave it (frame and content policies, HSTS …).
    "core.pagecache.AnonymousPageCacheMiddleware",
    # Then these, so that every other answer carries the frame and content policies, even a 400 or
    # 500 that a middleware below gives before any view runs (a Host not in ALLOWED_HOSTS, say).
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "core.middleware.ContentSecurityPolicyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # 400 for control characters (NUL, ESC …) in the path, the query string or form fields.
    "core.middleware.RequestGuardMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Session limits, the two-factor gate, the per-address login throttle and the security log.
    "security.middleware.AccountSecurityMiddleware",
    # Admin ids and parameters checked; "view on site" only for objects the user may see in the admin.
    "core.middleware.AdminGuardMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # A logged-in user's pages kept for their session, after every check above (core/pagecache.py).
    "core.pagecache.PersonalPageCacheMiddleware",
    # AxesMiddleware must stay last: it turns a lockout into the Chinese lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.site",
            ],
        },
    },
]

# Database: DATABASE_URL (postgres://user:pass@host:5432/name), SQLite under var/ by default.
# Persistent connections: opening one per request costs about a quarter of a simple page.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "600")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE takes the write lock at BEGIN, so concurrent writers wait (busy timeout)
    # instead of failing half-way with "database is locked".
    DATABASES["default"]["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 20}
else:
    # A database that does not answer must not hold a worker until gunicorn kills it: connecting
    # gives up after DJANGO_DB_CONNECT_TIMEOUT seconds, unacknowledged traffic after
    # DJANGO_DB_TCP_TIMEOUT ms, and, in the web server only, a statement after
    # DJANGO_DB_STATEMENT_TIMEOUT ms (below gunicorn's timeout; commands such as migrate and
    # backup have none).
    DATABASES["default"]["OPTIONS"] = {
        **DATABASES["default"].get("OPTIONS", {}),
        "connect_timeout": int(os.environ.get("DJANGO_DB_CONNECT_TIMEOUT", "3")),
        "tcp_user_timeout": int(os.environ.get("DJANGO_DB_TCP_TIMEOUT", "10000")),
        "keepalives_idle": 30,
        # No JIT: it costs a large report query ~0.4 s of compiling and never repays it here.
        "options": "-c jit=off",
    }
    if SERVING:
        statement_timeout = int(os.environ.get("DJANGO_DB_STATEMENT_TIMEOUT", "20000"))
        DATABASES["default"]["OPTIONS"]["options"] += f" -c statement_timeout={statement_timeout}"
    if os.environ.get("DJANGO_DB_POOLER") == "transaction":
        # Through PgBouncer in transaction mode: a connection is the app's only for one transaction,
        # so no server-side cursors (they live across transactions) and no start-up options (the
        # pooler refuses them): set jit and statement_timeout on the database role instead
        # (README, "PostgreSQL in production"). Django's connection to the pooler may stay open.
        DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
        DATABASES["default"]["OPTIONS"].pop("options")
# Reports read every row of several apps: in a read-only transaction whose statements stop after
# this many milliseconds (core.db.read_only_transaction), whatever the web server's timeout.
REPORT_STATEMENT_TIMEOUT_MS = int(os.environ.get("DJANGO_REPORT_STATEMENT_TIMEOUT", "20000"))

FORMS_URLFIELD_ASSUME_HTTPS = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache and sessions: Redis when CACHE_URL/REDIS_URL is given (several app servers), else local memory.
# The page cache ("pages") must be shared by every worker process that may save an edit: Redis, or
# files under var/ on a single machine.
CACHE_URL = os.environ.get("CACHE_URL") or os.environ.get("REDIS_URL")
# How many app servers serve the site (README "Production"). With more than one, sessions, limits
# and the page cache must be shared: a server refuses to start on the local-memory cache. (Several
# workers on one server: deploy/gunicorn.conf.py refuses the same.)
APP_SERVERS = int(os.environ.get("DJANGO_APP_SERVERS", "1"))
if SERVING and not DEBUG and APP_SERVERS > 1 and not CACHE_URL:
    raise ImproperlyConfigured(
        "多台应用服务器需要共享缓存：请设置 REDIS_URL。"
        " (DJANGO_APP_SERVERS is above 1: set REDIS_URL so that every server shares sessions, limits and caches.)"
    )
if CACHE_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL},
        "pages": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": "pages",
        },
        "pages-local": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pages-local"},
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "pages": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": VAR_DIR / "cache" / "pages",
            "OPTIONS": {"MAX_ENTRIES": 20000},
        },
        "pages-local": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pages-local"},
    }

# Background jobs (core/jobs.py, config/celery.py): Celery with CELERY_BROKER_URL, else REDIS_URL, as
# the broker. With neither, every job runs at once inside the request that asks for it.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL") or CACHE_URL
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 30 * 60
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Periodic jobs, run by `celery -A config beat` beside the worker (deploy/systemd). Without a
# broker, cron runs the same work through the management commands named in the README.
CELERY_BEAT_SCHEDULE = {
    "deliver-due-notifications": {"task": "notifications.tasks.deliver_due_notifications", "schedule": 60.0},
    "booking-reminders": {
        "task": "bases.tasks.send_booking_reminders",
        "schedule": crontab(hour=8, minute=0),
    },
    "erase-expired-contacts": {
        "task": "bases.tasks.erase_expired_contacts",
        "schedule": crontab(hour=3, minute=30),
    },
    "check-links": {"task": "sitecheck.tasks.check_links_weekly", "schedule": crontab(day_of_week=0, hour=2, minute=0)},
    "inspection-reminders": {
        "task": "inspections.tasks.send_inspection_reminders",
        "schedule": crontab(hour=8, minute=10),
    },
}
CELERY_TIMEZONE = "Asia/Shanghai"
# The report's .docx and .xlsx are made by the worker when there is one (the requester waits on a
# page that reloads itself), at once in the request otherwise.
REPORT_FILES_IN_BACKGROUND = env_bool("DJANGO_REPORT_FILES_IN_BACKGROUND", bool(CELERY_BROKER_URL))

# 网站自查 (sitecheck/): a news-type 栏目 (工作动态, 通知公告) is overdue when its newest item is older
# than SITECHECK_NEWS_DAYS, any other 栏目 after SITECHECK_OTHER_DAYS (the inspection rules: two weeks,
# six months). The link checker fetches external links with this timeout (seconds), at most
# SITECHECK_CONCURRENCY at once and SITECHECK_PER_HOST per host, and never an address of a private
# network or this machine (staff-entered addresses fetched by the server) unless allowed here.
SITECHECK_NEWS_DAYS = int(os.environ.get("SITECHECK_NEWS_DAYS", "14"))
SITECHECK_OTHER_DAYS = int(os.environ.get("SITECHECK_OTHER_DAYS", "183"))
SITECHECK_TIMEOUT = float(os.environ.get("SITECHECK_TIMEOUT", "10"))
SITECHECK_CONCURRENCY = int(os.environ.get("SITECHECK_CONCURRENCY", "8"))
SITECHECK_PER_HOST = int(os.environ.get("SITECHECK_PER_HOST", "2"))
SITECHECK_ALLOW_PRIVATE_ADDRESSES = env_bool("SITECHECK_ALLOW_PRIVATE_ADDRESSES")

# Notifications (notifications/): email through Django's email backend (the console by default;
# DJANGO_EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend with EMAIL_HOST … in production)
# and text messages through the provider class named here (notifications/channels.py).
EMAIL_BACKEND = os.environ.get("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "") == "1"
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "qingfeng@localhost")
NOTIFICATIONS_SMS_BACKEND = os.environ.get("NOTIFICATIONS_SMS_BACKEND", "notifications.channels.ConsoleSms")
NOTIFICATIONS_SMS_URL = os.environ.get("NOTIFICATIONS_SMS_URL", "")
NOTIFICATIONS_SMS_KEY = os.environ.get("NOTIFICATIONS_SMS_KEY", "")
NOTIFICATIONS_SMS_SIGN = os.environ.get("NOTIFICATIONS_SMS_SIGN", "清风网")
# The site's address as people type it, for links in text messages and emails.
PORTAL_SITE_URL = os.environ.get("PORTAL_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# The anonymous page cache (core/pagecache.py): how long a page may be served (pages that depend on
# the date, such as open calls and visit slots, are never staler than this), the cookies that change
# what a page looks like (each value gets its own copy), and the apps whose rows pages show (any save
# or delete there makes every cached page stale).
PAGE_CACHE_SECONDS = 300
# How long a process may go on using the generation it read (core/pagecache.py): with Redis, other
# servers see an edit within a second; files are read on every request.
PAGE_CACHE_GENERATION_SECONDS = 1 if CACHE_URL else 0
ELDER_MODE_COOKIE = "elder_mode"
PAGE_CACHE_VARY_ON_COOKIES = [ELDER_MODE_COOKIE]
PAGE_CACHE_CONTENT_APPS = ["core", "units", "bases", "campaigns", "pledges", "publications", "quizzes"]
# Pages never kept even for one user: the back office and the report change with rows of every app.
PAGE_CACHE_PERSONAL_EXCLUDED = ("/admin/", "/reports/", "/accounts/")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # Names of the site, the city, the commission and the units (纪委, qingfeng, 东山镇 …).
    {"NAME": "security.validators.ContextWordsValidator"},
]
AUTHENTICATION_BACKENDS = [
    "security.backends.AddressThrottleBackend",
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, loading the account's session generation with the user (no extra query).
    "security.backends.AccountBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "portal:home"

# Lockout: 5 failed attempts for one username from one address lock that pair for 30 minutes, on the
# public login and the admin login alike. Locking the username alone let anyone lock anyone out; the
# pair cannot be used for that, and password spraying across usernames is caught by the per-address
# throttle (security.backends: SECURITY_ADDRESS_FAILURE_LIMIT failures per address per window).
# Administrators unlock a pair in the admin (axes' access attempts) and an address under 账号安全 › 登录失败记录.
AXES_FAILURE_LIMIT = 5
AXES_VERBOSE = False  # no "AXES: BEGIN version …" banner on every command
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_ENABLE_ADMIN = True
# What was typed as the username, cut to 150 characters (axes stores it in 255; PostgreSQL enforces it).
AXES_USERNAME_CALLABLE = "core.middleware.login_username"
AXES_CLIENT_IP_CALLABLE = "core.network.client_ip"
SECURITY_ADDRESS_FAILURE_LIMIT = 20
SECURITY_ADDRESS_FAILURE_WINDOW = timedelta(hours=1)
# The client address comes from X-Forwarded-For only when the request arrives from one of these
# proxies (addresses or networks, comma-separated: "10.0.0.5,10.1.0.0/16"); otherwise REMOTE_ADDR.
SECURITY_TRUSTED_PROXIES = env_list("DJANGO_TRUSTED_PROXIES")

# Sessions: staff (admin access) end after 30 idle minutes and at most 12 hours after login; other
# accounts after 7 days. Deactivation, a password change and an MFA reset end an account's sessions.
SECURITY_STAFF_IDLE_TIMEOUT = timedelta(minutes=30)
SECURITY_STAFF_SESSION_MAX_AGE = timedelta(hours=12)
SECURITY_SESSION_MAX_AGE = timedelta(days=7)
SESSION_COOKIE_AGE = int(SECURITY_SESSION_MAX_AGE.total_seconds())

# Two-factor authentication (django-otp): TOTP with 10 recovery codes, required for every account
# with admin access, optional for cadres. No setting turns it off.
SECURITY_RECOVERY_CODE_COUNT = 10
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", VAR_DIR / "static"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", VAR_DIR / "media"))
# Files that must pass a permission check (restricted attachments): never under MEDIA_ROOT.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("DJANGO_PRIVATE_MEDIA_ROOT", VAR_DIR / "private"))
# Behind nginx: the `internal` location that serves PRIVATE_MEDIA_ROOT (deploy/nginx/qingfeng.conf).
# Views check who asks, then name the file in X-Accel-Redirect (core.storage.private_file_response).
PRIVATE_MEDIA_ACCEL_PREFIX = os.environ.get("DJANGO_PRIVATE_ACCEL_PREFIX", "")


def object_storages(environ) -> dict:
    """Uploads in an S3-compatible bucket (django-storages; `pip install -r requirements-s3.txt`)
    instead of MEDIA_ROOT and PRIVATE_MEDIA_ROOT, when DJANGO_S3_BUCKET is set: public media under
    media/ (readable by anyone through the bucket policy or a CDN, DJANGO_S3_PUBLIC_DOMAIN), private
    files under private/ (or in DJANGO_S3_PRIVATE_BUCKET), never public, handed out by the views as
    signed links valid for 5 minutes. Credentials come from boto3's usual AWS_* variables."""
    bucket = environ.get("DJANGO_S3_BUCKET", "")
    if not bucket:
        return {}
    common = {
        "bucket_name": bucket,
        "endpoint_url": environ.get("DJANGO_S3_ENDPOINT_URL") or None,
        "region_name": environ.get("DJANGO_S3_REGION") or None,
        "addressing_style": environ.get("DJANGO_S3_ADDRESSING_STYLE", "path"),
        "signature_version": "s3v4",
        "file_overwrite": False,
        "default_acl": None,
    }
    return {
        "default": {
            "BACKEND": "core.objectstorage.ObjectStorage",
            "OPTIONS": {
                **common,
                "location": "media",
                "querystring_auth": False,
                "custom_domain": environ.get("DJANGO_S3_PUBLIC_DOMAIN") or None,
            },
        },
        "private": {
            "BACKEND": "core.objectstorage.ObjectStorage",
            "OPTIONS": {
                **common,
                "bucket_name": environ.get("DJANGO_S3_PRIVATE_BUCKET") or bucket,
                "location": "private",
                "default_acl": "private",
                "querystring_auth": True,
                "querystring_expire": 300,
            },
        },
    }


STORAGES = {
    # Writes to a temporary name and renames: a full disk leaves no half-written file (core.storage).
    "default": {"BACKEND": "core.storage.SafeFileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    **object_storages(os.environ),
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Images uploaded anywhere (editor, covers, photos) are re-encoded within these limits.
PORTAL_IMAGE_MAX_BYTES = int(os.environ.get("PORTAL_IMAGE_MAX_BYTES", str(10 * 1024 * 1024)))
PORTAL_IMAGE_MAX_PIXELS = int(os.environ.get("PORTAL_IMAGE_MAX_PIXELS", str(40_000_000)))
PORTAL_IMAGE_MAX_SIDE = 6000
# The CJK font drawn on restricted images as their reader's watermark (core/watermark.py;
# Debian's fonts-wqy-zenhei). PDFs need no font file.
WATERMARK_FONT = os.environ.get("WATERMARK_FONT", "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")

# Security. Behind a TLS-terminating load balancer set DJANGO_HTTPS=1: secure cookies, HSTS,
# redirect to https and trust of X-Forwarded-Proto.
DJANGO_HTTPS = env_bool("DJANGO_HTTPS")
SECURE_SSL_REDIRECT = DJANGO_HTTPS
# Health checks reach an app server over plain HTTP (a load balancer, monitoring): answered, not redirected.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = DJANGO_HTTPS
CSRF_COOKIE_SECURE = DJANGO_HTTPS
SECURE_HSTS_SECONDS = 31_536_000 if DJANGO_HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = DJANGO_HTTPS
SECURE_HSTS_PRELOAD = DJANGO_HTTPS
if DJANGO_HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy: no inline scripts or event handlers anywhere. The admin's rich-text
# editor (CKEditor 5) injects <style> elements at run time, so the admin alone also allows inline
# styles; see core.middleware.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

IMPORT_EXPORT_SKIP_ADMIN_LOG = False

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

# Rich text: CKEditor 5 with a Chinese interface; images go through the site's checked upload view.
CK_EDITOR_5_UPLOAD_FILE_VIEW_NAME = "portal:editor-image-upload"
CKEDITOR_5_UPLOAD_FILE_TYPES = ["jpeg", "png", "webp"]
CKEDITOR_5_CONFIGS = {
    "default": {
        "language": "zh-cn",
        "toolbar": [
            "heading",
            "|",
            "bold",
            "italic",
            "link",
            "bulletedList",
            "numberedList",
            "blockQuote",
            "insertTable",
            "imageUpload",
            "|",
            "undo",
            "redo",
        ],
        "heading": {
            "options": [
                {"model": "paragraph", "title": "正文", "class": "ck-heading_paragraph"},
                {"model": "heading2", "view": "h2", "title": "标题 2", "class": "ck-heading_heading2"},
                {"model": "heading3", "view": "h3", "title": "标题 3", "class": "ck-heading_heading3"},
            ]
        },
        "table": {"contentToolbar": ["tableColumn", "tableRow", "mergeTableCells"]},
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    # The security log: one JSON object a line (logins, lockouts, MFA, 403s, admin actions); see
    # security/log.py. DJANGO_SECURITY_LOG_FILE also writes it to a file of its own.
    "loggers": {"security": {"level": "INFO"}},
}
if os.environ.get("DJANGO_SECURITY_LOG_FILE"):
    LOGGING["handlers"]["security_file"] = {
        "class": "logging.handlers.WatchedFileHandler",
        "filename": os.environ["DJANGO_SECURITY_LOG_FILE"],
        "encoding": "utf-8",
    }
    LOGGING["loggers"]["security"]["handlers"] = ["security_file"]

# Personal data: booking contacts are erased this many days after the visit
# (`manage.py erase_expired_contacts`, run daily from cron).
PORTAL_CONTACT_RETENTION_DAYS = int(os.environ.get("PORTAL_CONTACT_RETENTION_DAYS", "365"))

# Unconfirmed bookings from the public site (no account) one visit slot takes in one day: the
# base's staff see them before anyone can fill a day's slots from the public form.
PORTAL_PUBLIC_PENDING_PER_SLOT_PER_DAY = int(os.environ.get("PORTAL_PUBLIC_PENDING_PER_SLOT_PER_DAY", "10"))
