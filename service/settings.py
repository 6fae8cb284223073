"""Configuration, read once from the environment into grouped dataclasses.

Every setting has a default that suits the embedded `make run` (SQLite under ./var/).
Secrets are never generated per process: the development secret is written once into
./var/ and reused, so encrypted rows stay readable after a restart.
"""

from __future__ import annotations

import base64
import os
import secrets
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _env(name: str, default: str) -> str:
    return os.environ.get(name, default)


def _env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    return default if raw is None or raw == "" else int(raw)


def _env_list(name: str, default: str) -> list[str]:
    return [part.strip() for part in _env(name, default).split(",") if part.strip()]


def var_dir() -> Path:
    """The folder for the embedded database and the development secret."""
    path = Path(_env("ONWARD_VAR_DIR", str(PROJECT_ROOT / "var")))
    path.mkdir(parents=True, exist_ok=True)
    return path


def _dev_secret(name: str) -> str:
    """A secret generated once into ./var/ and reused by every later process."""
    path = var_dir() / name
    if path.exists():
        return path.read_text().strip()
    value = base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(value)
    return value


@dataclass(frozen=True)
class DatabaseSettings:
    url: str = field(
        default_factory=lambda: _env("ONWARD_DATABASE_URL", f"sqlite+aiosqlite:///{var_dir() / 'onward.db'}")
    )
    """SQLAlchemy async URL. SQLite (aiosqlite) by default; postgresql+asyncpg://… in production."""
    echo: bool = field(default_factory=lambda: _env_bool("ONWARD_DATABASE_ECHO", False))
    """Log every SQL statement (never enable with real data: statements carry parameters)."""
    pool_size: int = field(default_factory=lambda: _env_int("ONWARD_DATABASE_POOL_SIZE", 5))
    """Connections per web process (PostgreSQL only)."""

    @property
    def is_sqlite(self) -> bool:
        return self.url.startswith("sqlite")


@dataclass(frozen=True)
class SecuritySettings:
    encryption_key: str = field(
        default_factory=lambda: os.environ.get("ONWARD_ENCRYPTION_KEY") or _dev_secret("encryption.key")
    )
    """Key for encrypted columns. Required in production; a dev key is kept in ./var/ otherwise."""
    cookie_secure: bool = field(default_factory=lambda: _env_bool("ONWARD_COOKIE_SECURE", True))
    """Send cookies only over HTTPS. Turn off only for local http (make run does)."""
    session_idle_minutes: int = field(default_factory=lambda: _env_int("ONWARD_SESSION_IDLE_MINUTES", 30))
    """A session unused this long is over."""
    session_absolute_hours: int = field(default_factory=lambda: _env_int("ONWARD_SESSION_ABSOLUTE_HOURS", 12))
    """A session is over this long after login, used or not."""
    login_max_failures: int = field(default_factory=lambda: _env_int("ONWARD_LOGIN_MAX_FAILURES", 5))
    """Failed logins allowed per account and per client within the window."""
    login_window_minutes: int = field(default_factory=lambda: _env_int("ONWARD_LOGIN_WINDOW_MINUTES", 15))
    """The sliding window for login throttling."""
    trusted_proxies: list[str] = field(default_factory=lambda: _env_list("ONWARD_TRUSTED_PROXIES", ""))
    """Peers whose X-Forwarded-For is believed (IP addresses). Empty: never believed."""
    allowed_hosts: list[str] = field(
        default_factory=lambda: _env_list(
            "ONWARD_ALLOWED_HOSTS", "127.0.0.1,localhost,127.0.0.1:8000,localhost:8000,testserver.local"
        )
    )
    """Host header values accepted, with the port when it is not 80/443; anything else gets 400."""
    cors_origins: list[str] = field(default_factory=lambda: _env_list("ONWARD_CORS_ORIGINS", ""))
    """Origins granted CORS access to the JSON API. Empty: none."""
    mfa_issuer: str = field(default_factory=lambda: _env("ONWARD_MFA_ISSUER", "Onward"))
    """Issuer shown in authenticator apps."""


@dataclass(frozen=True)
class AppSettings:
    debug: bool = field(default_factory=lambda: _env_bool("ONWARD_DEBUG", False))
    """Litestar debug mode (tracebacks in responses). Never in production."""
    openapi_enabled: bool = field(default_factory=lambda: _env_bool("ONWARD_OPENAPI", True))
    """Serve the OpenAPI schema and docs at /schema."""
    max_body_bytes: int = field(default_factory=lambda: _env_int("ONWARD_MAX_BODY_BYTES", 1_048_576))
    """Request bodies above this size get 413."""
    embedded_worker: bool = field(default_factory=lambda: _env_bool("ONWARD_EMBEDDED_WORKER", False))
    """Run the scheduler inside the web process (the embedded `make run` default only)."""
    warm_matches: bool = field(default_factory=lambda: _env_bool("ONWARD_WARM_MATCHES", True))
    """Build the matching index as the process starts; /health/ready says not ready until it is."""
    log_level: str = field(default_factory=lambda: _env("ONWARD_LOG_LEVEL", "INFO"))
    """Python log level for the onward loggers."""


@dataclass(frozen=True)
class WorkerSettings:
    tick_seconds: int = field(default_factory=lambda: _env_int("ONWARD_WORKER_TICK_SECONDS", 5))
    """How often the worker claims due rows."""
    lease_seconds: int = field(default_factory=lambda: _env_int("ONWARD_WORKER_LEASE_SECONDS", 120))
    """How long a claimed row stays claimed before another worker may take it over."""
    batch_size: int = field(default_factory=lambda: _env_int("ONWARD_WORKER_BATCH_SIZE", 50))
    """Rows claimed per tick."""
    late_after_minutes: int = field(default_factory=lambda: _env_int("ONWARD_FOLLOWUP_LATE_AFTER_MINUTES", 24 * 60))
    """A follow-up claimed this long after it fell due is escalated as late to the coordinator."""
    missed_after_days: int = field(default_factory=lambda: _env_int("ONWARD_FOLLOWUP_MISSED_AFTER_DAYS", 14))
    """An unanswered follow-up counts as a missed check-in this many days after it fell due."""
    outbox_max_attempts: int = field(default_factory=lambda: _env_int("ONWARD_OUTBOX_MAX_ATTEMPTS", 8))
    """Sending attempts per message (with growing back-off) before it is marked failed."""
    smtp_host: str = field(default_factory=lambda: _env("ONWARD_SMTP_HOST", ""))
    """SMTP relay for email messages. Empty: email messages wait in the outbox, unsent."""
    smtp_port: int = field(default_factory=lambda: _env_int("ONWARD_SMTP_PORT", 25))
    """SMTP relay port."""
    smtp_starttls: bool = field(default_factory=lambda: _env_bool("ONWARD_SMTP_STARTTLS", False))
    """Upgrade the SMTP connection with STARTTLS (required for any relay off this machine)."""
    smtp_username: str = field(default_factory=lambda: _env("ONWARD_SMTP_USERNAME", ""))
    """SMTP login, if the relay wants one."""
    smtp_password: str = field(default_factory=lambda: _env("ONWARD_SMTP_PASSWORD", ""))
    """SMTP password, if the relay wants one."""
    mail_from: str = field(default_factory=lambda: _env("ONWARD_MAIL_FROM", "Notifications <notifications@localhost>"))
    """A neutral sender: never an organisation's name (messages to survivors must stay discreet)."""
    quiet_hours: str = field(default_factory=lambda: _env("ONWARD_QUIET_HOURS", "21-8"))
    """Local hours "start-end" during which no message goes to a survivor; "" or "0-0" for none."""
    quiet_hours_tz: str = field(default_factory=lambda: _env("ONWARD_QUIET_HOURS_TZ", "Europe/Berlin"))
    """Time zone the quiet hours are read in."""
    retention_closed_days: int = field(default_factory=lambda: _env_int("ONWARD_RETENTION_CLOSED_DAYS", 730))
    """Days after a case is closed (`Survivor.closed_at`) before the worker anonymises it:
    names, contact, places, free text and her login are removed; opaque counts stay for reports."""


@dataclass(frozen=True)
class Settings:
    app: AppSettings = field(default_factory=AppSettings)
    db: DatabaseSettings = field(default_factory=DatabaseSettings)
    security: SecuritySettings = field(default_factory=SecuritySettings)
    worker: WorkerSettings = field(default_factory=WorkerSettings)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read from the environment on first use."""
    return Settings()


def encryption_key() -> str:
    """Callable key for encrypted columns, so the key is never rendered into a migration."""
    return get_settings().security.encryption_key
