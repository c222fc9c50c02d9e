"""Configuration: defaults, read from the environment, then overridden per app."""

import os
import secrets
from pathlib import Path


def instance_secret(instance_path: str) -> str:
    """Return the development secret key kept in the instance folder, creating it once."""
    path = Path(instance_path) / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def positive_int(name: str, default: int) -> int:
    """Read a whole number of at least 1 from the environment, or stop with a clear error.

    A count of 0 would make the server hang instead of refusing (no connection accepted, no
    check-in ever given a turn), so it is refused at start-up.
    """
    raw = os.environ.get(name, str(default))
    try:
        value = int(raw)
    except ValueError:
        raise ValueError(f"{name} must be a whole number, not {raw!r}") from None
    if value < 1:
        raise ValueError(f"{name} must be at least 1, not {value}")
    return value


def environment_config(instance_path: str) -> dict:
    """Build the configuration mapping from environment variables and defaults."""
    database_url = os.environ.get("DATABASE_URL") or (
        "sqlite:///" + str(Path(instance_path) / "facilitator.sqlite3")
    )
    origins = os.environ.get("ALLOWED_ORIGINS", "")
    production = os.environ.get("FACILITATOR_ENV", "development") == "production"
    return {
        "SECRET_KEY": os.environ.get("SECRET_KEY") or instance_secret(instance_path),
        "SQLALCHEMY_DATABASE_URI": database_url,
        "MESSAGE_QUEUE_URL": os.environ.get("MESSAGE_QUEUE_URL") or None,
        "MESSAGE_QUEUE_CHANNEL": os.environ.get("MESSAGE_QUEUE_CHANNEL", "facilitator"),
        "ALLOWED_ORIGINS": [o.strip() for o in origins.split(",") if o.strip()] or None,
        "PRODUCTION": production,
        "SOCKETIO_ASYNC_MODE": os.environ.get("SOCKETIO_ASYNC_MODE", "eventlet"),
        "IDLE_TIMEOUT_MINUTES": float(os.environ.get("IDLE_TIMEOUT_MINUTES", "30")),
        "SESSION_LIFETIME_HOURS": float(os.environ.get("SESSION_LIFETIME_HOURS", "12")),
        "TRUSTED_PROXIES": int(os.environ.get("TRUSTED_PROXIES", "0")),
        "EVENT_RATE_PER_SECOND": float(os.environ.get("EVENT_RATE_PER_SECOND", "5")),
        "EVENT_RATE_BURST": positive_int("EVENT_RATE_BURST", 20),
        "CHECKINS_AT_ONCE": positive_int("CHECKINS_AT_ONCE", 32),
        # How long a session's shared snapshot half may serve joins (realtime.shared).
        "SHARED_SNAPSHOT_SECONDS": float(os.environ.get("SHARED_SNAPSHOT_SECONDS", "5")),
        # A burst of joins and leaves of one session sends one ``presence`` this long after
        # its first (publish.presence_soon); 0: one for each, at once.
        "PRESENCE_COALESCE_SECONDS": float(os.environ.get("PRESENCE_COALESCE_SECONDS",
                                                          "0.3")),
        # The few-statement ways of the hottest events (dispatch.try_fast); off, every event
        # goes the ordinary way. The authorization matrix runs both (access.py).
        "FAST_WAYS": os.environ.get("FAST_WAYS", "on") != "off",
        "PUBLIC_BASE_URL": os.environ.get("PUBLIC_BASE_URL") or None,
        "MAX_CONNECTIONS": positive_int("MAX_CONNECTIONS", 5000),
        "GC_GEN2_THRESHOLD": positive_int("GC_GEN2_THRESHOLD", 100),
        "LOG_LEVEL": os.environ.get("LOG_LEVEL", "INFO"),
        # A programme's own course plans, one TOML file each (docs/deployment.md).
        "COURSE_PLANS_DIR": os.environ.get("COURSE_PLANS_DIR") or str(
            Path(instance_path) / "plans"),
    }


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite database URL; None for another database or an in-memory one."""
    if not url.startswith("sqlite:///") or ":memory:" in url:
        return None
    return Path(url[len("sqlite:///"):].split("?", 1)[0])


def secure_sqlite_files(url: str) -> None:
    """Create a SQLite database file readable by its owner only (0600), with its journals.

    SQLite gives its ``-wal`` and ``-shm`` files the database file's permissions; the folder
    is made 0700 when this creates it. Files that exist are made 0600 too.
    """
    path = sqlite_path(url)
    if path is None:
        return
    if not path.parent.exists():
        path.parent.mkdir(mode=0o700, parents=True)
    os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    for file in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")):
        if file.exists():
            file.chmod(0o600)


def normalise_database_url(url: str) -> str:
    """Point a PostgreSQL URL at psycopg2, the driver eventlet can make cooperative."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg2://" + url[len(prefix):]
    return url


DEFAULTS = {
    "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "REMEMBER_COOKIE_DURATION": 0,
    "WTF_CSRF_TIME_LIMIT": None,
    "MAX_CONTENT_LENGTH": 256 * 1024,
    "LOGIN_THROTTLE_LIMIT": 10,
    "LOGIN_THROTTLE_WINDOW_MINUTES": 15,
    "MAX_MESSAGE_BYTES": 64 * 1024,
    "PASSWORD_HASH_METHOD": "scrypt:131072:8:1",
    # Password hashes in eventlet's thread pool at once (facilitator/offload.py); more wait.
    "OFF_LOOP_AT_ONCE": 2,
}


def production_overrides(config: dict) -> dict:
    """Return the settings that harden cookies when running in production."""
    if not config.get("PRODUCTION"):
        return {}
    return {
        "SESSION_COOKIE_NAME": "__Host-session",
        "SESSION_COOKIE_SECURE": True,
        "PREFERRED_URL_SCHEME": "https",
    }
