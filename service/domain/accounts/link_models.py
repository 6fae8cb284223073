"""One-time links (invitations, password resets) and the requests that ask for them.

A link's token is never stored: the row keeps its SHA-256 (SECURITY S32). The token itself is
an HMAC of the row's id and salt under the configured key, so the worker can put it into the
email at sending time without any table holding it, and a copy of the database alone cannot
produce a working link.
"""

from __future__ import annotations

import enum
from datetime import datetime
from uuid import UUID

from advanced_alchemy.base import UUIDBase
from advanced_alchemy.types import DateTimeUTC
from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column


class LinkPurpose(enum.StrEnum):
    INVITATION = "invitation"
    RESET = "reset"


class OneTimeLink(UUIDBase):
    """A link that sets a password: it expires, works once, and a newer one replaces it."""

    __tablename__ = "one_time_link"
    __table_args__ = (Index("ix_one_time_link_user_purpose", "user_id", "purpose"),)

    purpose: Mapped[str] = mapped_column(String(16))
    user_id: Mapped[UUID] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    salt: Mapped[str] = mapped_column(String(64))
    """Random; with the id and the configured key it gives the token (see module docstring)."""
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True), default=None)
    """Set when the link was used, or when a newer link for the same purpose replaced it."""
    created_by_id: Mapped[UUID | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"), default=None)
    consent_id: Mapped[UUID | None] = mapped_column(ForeignKey("consent.id", ondelete="SET NULL"), default=None)
    """For a survivor's invitation: her recorded consent to an account of her own."""


class LinkRequest(UUIDBase):
    """One password-reset request, kept for the throttling window; shared by every process."""

    __tablename__ = "link_request"
    __table_args__ = (
        Index("ix_link_request_account_at", "account_key", "at"),
        Index("ix_link_request_client_at", "client_key", "at"),
    )

    account_key: Mapped[str] = mapped_column(String(64))
    """SHA-256 of the lower-cased address, so nothing is stored about unknown addresses."""
    client_key: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
