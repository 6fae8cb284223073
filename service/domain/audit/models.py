"""The append-only audit trail. Rows hold opaque ids only, never personal text."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from advanced_alchemy.base import UUIDBase
from advanced_alchemy.types import DateTimeUTC
from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column


class AuditEvent(UUIDBase):
    __tablename__ = "audit_event"
    __table_args__ = (Index("ix_audit_event_object", "object_type", "object_id"),)

    at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True), index=True)
    actor_id: Mapped[UUID | None] = mapped_column(default=None, index=True)
    """No foreign key on purpose: the trail outlives erased accounts."""
    actor_role: Mapped[str | None] = mapped_column(String(16), default=None)
    action: Mapped[str] = mapped_column(String(64))
    object_type: Mapped[str | None] = mapped_column(String(32), default=None)
    object_id: Mapped[str | None] = mapped_column(String(64), default=None)
    outcome: Mapped[str] = mapped_column(String(8), default="allowed")
    detail: Mapped[str | None] = mapped_column(String(200), default=None)
    """A short code-like note (e.g. `count=12`, `reason=bad_password`), never free text."""
