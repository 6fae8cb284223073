"""The outbox: one row per message, recipient and channel, claimed by the worker with a lease.

Rows hold ids, a neutral template key and codes only; the text is rendered at sending time
(SECURITY R1, R5, R6).
"""

from __future__ import annotations

import enum
from datetime import datetime
from uuid import UUID

from advanced_alchemy.base import UUIDBase
from advanced_alchemy.types import DateTimeUTC
from sqlalchemy import Boolean, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column


class OutboxStatus(enum.StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    CANCELLED = "cancelled"
    FAILED = "failed"


class OutboxMessage(UUIDBase):
    """One message to one person on one channel. It names a neutral template and ids; the
    text is rendered at sending time, so the table never holds what the message says."""

    __tablename__ = "outbox_message"
    __table_args__ = (Index("ix_outbox_status_not_before", "status", "not_before"),)

    idempotency_key: Mapped[str] = mapped_column(String(160), unique=True)
    channel: Mapped[str] = mapped_column(String(8))
    """`in_app` or `email`."""
    template: Mapped[str] = mapped_column(String(32))
    recipient_user_id: Mapped[UUID] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    recipient_org_id: Mapped[UUID | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), default=None
    )
    subject_survivor_id: Mapped[UUID | None] = mapped_column(
        ForeignKey("survivor.id", ondelete="CASCADE"), default=None, index=True
    )
    """Whom the message is about; partner messages are cancelled with her consent."""
    followup_id: Mapped[UUID | None] = mapped_column(ForeignKey("followup.id", ondelete="CASCADE"), default=None)
    discreet: Mapped[bool] = mapped_column(Boolean, default=False)
    """To the survivor herself: neutral wording and quiet hours."""
    status: Mapped[str] = mapped_column(String(16), default=OutboxStatus.PENDING.value)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    claimed_by: Mapped[str | None] = mapped_column(String(128), default=None)
    lease_until: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True), default=None)
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
    not_before: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
    sent_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True), default=None)
    read_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True), default=None)
    last_error: Mapped[str | None] = mapped_column(String(64), default=None)
    """An error class name only (never a server reply, which could echo an address)."""
