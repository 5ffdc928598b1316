"""Configuration read from environment variables, with safe development defaults."""

import os
from pathlib import Path

DEV_SECRET_KEY = "dev-only-not-secret"


def _bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def load_config(instance_path: str) -> dict:
    """Build the configuration mapping from the environment."""
    env = os.environ.get("APP_ENV", "development")
    sqlite_path = Path(instance_path) / "pe_inzage.sqlite3"
    database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{sqlite_path}"
    if database_url.startswith("postgresql://"):
        database_url = "postgresql+psycopg://" + database_url[len("postgresql://") :]
    production = env == "production"
    mail_server = os.environ.get("MAIL_SERVER", "")

    return {
        "APP_ENV": env,
        "SECRET_KEY": os.environ.get("SECRET_KEY", DEV_SECRET_KEY),
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "BASE_URL": os.environ.get("BASE_URL", "http://127.0.0.1:5000").rstrip("/"),
        "MAIL_SERVER": mail_server,
        "MAIL_PORT": int(os.environ.get("MAIL_PORT", "25")),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME", ""),
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD", ""),
        "MAIL_USE_TLS": _bool("MAIL_USE_TLS"),
        "MAIL_SENDER": os.environ.get(
            "MAIL_SENDER", "PE-inzage <noreply@pe-inzage.local>"
        ),
        "MAIL_TIMEOUT": float(os.environ.get("MAIL_TIMEOUT", "10")),
        #: Without an SMTP server, mail stays in the outbox and the dev page shows it.
        "MAIL_DEV_OUTBOX": not mail_server and not production,
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        "RATELIMIT_ENABLED": _bool("RATELIMIT_ENABLED", True),
        "LOGIN_LIMIT_PER_ACCOUNT": os.environ.get(
            "LOGIN_LIMIT_PER_ACCOUNT", "5/minute"
        ),
        "LOGIN_LIMIT_PER_IP": os.environ.get("LOGIN_LIMIT_PER_IP", "30/minute"),
        #: Number of reverse proxies in front whose X-Forwarded-* headers to trust.
        "PROXY_FIX": int(os.environ.get("PROXY_FIX", "0")),
        "HTMX_CDN_URL": os.environ.get("HTMX_CDN_URL", ""),
        "HTMX_CDN_INTEGRITY": os.environ.get("HTMX_CDN_INTEGRITY", ""),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": production or _bool("SESSION_COOKIE_SECURE"),
        "REMEMBER_COOKIE_HTTPONLY": True,
        "WTF_CSRF_TIME_LIMIT": None,
        "REPORT_DIR": os.environ.get(
            "REPORT_DIR", str(Path(instance_path) / "reports")
        ),
        "PER_PAGE": 25,
        #: Largest request body, e.g. a register data upload (bytes).
        "MAX_CONTENT_LENGTH": int(
            os.environ.get("MAX_CONTENT_LENGTH", str(10 * 1024 * 1024))
        ),
    }


def check_production(config: dict) -> None:
    """Refuse to run in production with a development secret."""
    if config["APP_ENV"] != "production":
        return
    key = config.get("SECRET_KEY") or ""
    if key == DEV_SECRET_KEY or len(key) < 32:
        raise RuntimeError(
            "SECRET_KEY must be set to a random value of at least 32 characters "
            "in production (APP_ENV=production)."
        )
