"""Organisations, users, sessions, API tokens and login throttling rows."""

from __future__ import annotations

import enum
from datetime import datetime
from uuid import UUID

from advanced_alchemy.base import UUIDAuditBase, UUIDBase
from advanced_alchemy.types import DateTimeUTC, EncryptedString
from sqlalchemy import Boolean, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from service.kernel.roles import MFA_REQUIRED_ROLES, Role
from service.settings import encryption_key


class OrgKind(enum.StrEnum):
    SUPPORT = "support"
    PARTNER = "partner"


class VettingStatus(enum.StrEnum):
    PENDING = "pending"
    VETTED = "vetted"
    SUSPENDED = "suspended"


class Organisation(UUIDAuditBase):
    """An NGO (`support`) or a partner (employer, school, childcare provider)."""

    __tablename__ = "organisation"

    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(16), index=True)
    country: Mapped[str] = mapped_column(String(2), default="DE")
    partner_type: Mapped[str | None] = mapped_column(String(32), default=None)
    vetting_status: Mapped[str] = mapped_column(String(16), default=VettingStatus.PENDING.value)
    vetted_by_id: Mapped[UUID | None] = mapped_column(ForeignKey("user_account.id", use_alter=True), default=None)
    vetted_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True), default=None)
    vetting_reason: Mapped[str | None] = mapped_column(String(500), default=None)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    """A deactivated organisation keeps its history; its people cannot sign in."""
    may_check_partners: Mapped[bool] = mapped_column(Boolean, default=False)
    """An NGO whose coordinators may check (vet, suspend) partners; an administrator sets it."""


class User(UUIDAuditBase):
    """A person who logs in. The email is unique across the platform."""

    __tablename__ = "user_account"

    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16), index=True)
    organisation_id: Mapped[UUID | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="RESTRICT"), default=None, index=True
    )
    display_name: Mapped[str] = mapped_column(EncryptedString(key=encryption_key), default="")
    locale: Mapped[str] = mapped_column(String(8), default="en")
    mfa_secret: Mapped[str | None] = mapped_column(EncryptedString(key=encryption_key), default=None)
    mfa_pending_secret: Mapped[str | None] = mapped_column(EncryptedString(key=encryption_key), default=None)
    """A secret offered during enrolment, until a code from it is confirmed."""
    mfa_last_step: Mapped[int | None] = mapped_column(default=None)
    """The last TOTP time step used, so a code cannot be replayed."""
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    password_changed_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True), default=None)
    last_sign_in_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True), default=None)

    organisation: Mapped[Organisation | None] = relationship(lazy="joined", foreign_keys=[organisation_id])

    @property
    def mfa_required(self) -> bool:
        return Role(self.role) in MFA_REQUIRED_ROLES

    @property
    def can_sign_in(self) -> bool:
        """Active, in an organisation that is active (administrators have none)."""
        return self.is_active and (self.organisation is None or self.organisation.is_active)

    @property
    def has_password(self) -> bool:
        """False for an invited account until she sets her own password through her link."""
        return bool(self.password_hash)


class UserSession(UUIDBase):
    """A browser session. The cookie carries a random token; only its SHA-256 is stored."""

    __tablename__ = "user_session"

    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[UUID] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
    last_seen_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True), default=None)
    mfa_pending: Mapped[bool] = mapped_column(Boolean, default=False)
    """True until an account that must use MFA has enrolled; only MFA routes are open then."""


class ApiToken(UUIDBase):
    """A personal API token for scripts (`Authorization: Bearer onw_…`), stored hashed."""

    __tablename__ = "api_token"

    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(100))
    user_id: Mapped[UUID] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
    expires_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True), default=None)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True), default=None)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True), default=None)
    session_id: Mapped[UUID | None] = mapped_column(
        ForeignKey("user_session.id", ondelete="SET NULL"), index=True, default=None
    )
    """The browser session it was made in: logging out of that session revokes it (S9)."""


class LoginFailure(UUIDBase):
    """One failed login, kept for the throttling window. Shared by every web process."""

    __tablename__ = "login_failure"
    __table_args__ = (
        Index("ix_login_failure_account_at", "account_key", "at"),
        Index("ix_login_failure_client_at", "client_key", "at"),
    )

    account_key: Mapped[str] = mapped_column(String(64))
    """SHA-256 of the lower-cased email, so no address is stored for unknown accounts."""
    client_key: Mapped[str] = mapped_column(String(64))
    """SHA-256 of the client address."""
    at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
