"""Who is calling, and what time it is: the two facts every rule starts from."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import UUID

from service.kernel.roles import Role


@dataclass(frozen=True)
class Actor:
    """The authenticated caller, as every guard and service sees her."""

    user_id: UUID
    role: Role
    organisation_id: UUID | None
    email: str
    via: str  # "session" or "token"
    session_id: UUID | None = None
    token_id: UUID | None = None
    csrf_token: str | None = None
    mfa_pending: bool = False

    @property
    def cookie_authenticated(self) -> bool:
        return self.via == "session"


def now_utc() -> datetime:
    return datetime.now(UTC)


def aware(value: datetime) -> datetime:
    """The same instant with UTC attached when a backend handed it back naive."""
    # SQLite hands back naive datetimes even from DateTimeUTC columns in some paths.
    return value if value.tzinfo else value.replace(tzinfo=UTC)
