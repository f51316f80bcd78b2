"""Juwei settings: one module, driven by environment variables (django-environ).

With no variable set this is a development checkout on an SQLite file; production sets
DJANGO_DEBUG=false, DJANGO_SECRET_KEY, JUWEI_SIGNATURE_KEY, DJANGO_ALLOWED_HOSTS and DATABASE_URL.
"""

import ipaddress
from datetime import timedelta
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env(
    DJANGO_DEBUG=(bool, True),
    DJANGO_ALLOWED_HOSTS=(list, ["localhost", "127.0.0.1", "[::1]", "testserver"]),
    JUWEI_TASKS=(str, ""),
    JUWEI_MEDIA_ROOT=(str, str(BASE_DIR / "media")),
    JUWEI_TRUSTED_PROXIES=(list, []),
)

DEBUG = env("DJANGO_DEBUG")
if DEBUG:
    SECRET_KEY = env("DJANGO_SECRET_KEY", default="juwei-development-key-not-for-production-use-0123456789")
else:
    SECRET_KEY = env("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env("DJANGO_ALLOWED_HOSTS")
# The key of the supervision leader's signature on a disclosure item (an HMAC of what was signed).
# Its own secret, so that rotating DJANGO_SECRET_KEY (which logs everybody out) leaves signatures valid,
# and so that whoever can edit a row in the database still cannot sign for the group leader.
if DEBUG:
    SIGNATURE_KEY = env("JUWEI_SIGNATURE_KEY", default="juwei-development-signature-key-not-for-production")
else:
    SIGNATURE_KEY = env("JUWEI_SIGNATURE_KEY")

INSTALLED_APPS = [
    "org.apps.JuweiAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "simple_history",
    "import_export",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "pgtrigger",
    "django_tasks",
    "django_tasks_db",
    "lib",
    "org",
    "residents",
    "committee",
    "disclosure",
    "elections",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # axes must come last: it reads the outcome of authentication.
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
                "django.template.context_processors.i18n",
                "csp.context_processors.nonce",
                "org.context_processors.scope",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'juwei.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the task worker and the web process share the file without locking each other out.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {"init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;", "transaction_mode": "IMMEDIATE"}
    )
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Street staff run elections and see the whole street: in production they cannot work without an
# authenticator app (org/access.py: staff_required sends them to bind one first).
JUWEI_OTP_FOR_STREET_STAFF = env.bool("JUWEI_OTP_FOR_STREET_STAFF", default=not DEBUG)
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env("JUWEI_MEDIA_ROOT"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Background work (imports, large PDFs). A checkout runs tasks at once in the request; production
# runs `python manage.py db_worker` beside the web servers (README).
_tasks = env("JUWEI_TASKS") or ("immediate" if DEBUG else "database")
TASKS = {
    "default": {
        "BACKEND": {
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
            "database": "django_tasks_db.DatabaseBackend",
        }[_tasks]
    }
}

# One cache for every gunicorn worker and server (a per-process cache would give each worker its own view).
# Needs `manage.py createcachetable` once per database; the throttles do not rely on it (org.throttle).
CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "juwei_cache"}}

# The proxies in front of the app (nginx, a load balancer): addresses or networks, comma-separated. Only from these
# is X-Forwarded-For believed, for the client address that the throttles count by (org.throttle.client_address).
# Checked here so that a typo stops the server instead of silently trusting nobody.
JUWEI_TRUSTED_PROXIES = [str(ipaddress.ip_network(entry.strip(), strict=False))
                         for entry in env("JUWEI_TRUSTED_PROXIES") if entry.strip()]

# Login throttling (docs/deploy.md): five failures lock the username from that client address for 15 minutes;
# from all addresses together a username takes at most 10 failures in 5 minutes, then waits for the 5 minutes to
# end, except at addresses the user has logged in from before.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "org.throttle.client_address"
AXES_HANDLER = "org.throttle.LoginThrottle"
JUWEI_LOGIN_FAILURES_PER_USERNAME = 10
JUWEI_LOGIN_USERNAME_WINDOW = timedelta(minutes=5)

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
    }
}

# Staff sessions end after two hours without a request and when the browser closes.
SESSION_COOKIE_AGE = 2 * 60 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Immutability triggers (certified elections, published items, the audit log) are installed after
# every migrate too, so a test database built without migrations has them as well.
PGTRIGGER_INSTALL_ON_MIGRATE = True
# History is read in the admin, never written back (org/admin.py: AuditedAdmin refuses the POST too).
SIMPLE_HISTORY_REVERT_DISABLED = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"juwei": {"handlers": ["console"], "level": "INFO", "propagate": False}},
}
