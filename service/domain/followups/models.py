"""Follow-ups and each organisation's follow-up plan.

The follow-up table, like the outbox (service/messaging/models.py), carries a lease
(`claimed_by`, `lease_until`) and a unique idempotency key:
the worker claims rows with FOR UPDATE SKIP LOCKED, a crashed worker's rows are taken over
once the lease ends, and writing the same effect twice collides on the key instead of
producing a second message (SECURITY R1, R2, R5, R6). Rows hold ids, codes and JSON only.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any
from uuid import UUID

from advanced_alchemy.base import UUIDAuditBase, UUIDBase
from advanced_alchemy.types import DateTimeUTC, EncryptedText, JsonB
from sqlalchemy import Boolean, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from service.settings import encryption_key


class FollowUpStatus(enum.StrEnum):
    SCHEDULED = "scheduled"
    CLAIMED = "claimed"
    DONE = "done"
    """Reminders written; waiting for her answer (answered_at set when it comes)."""
    MISSED = "missed"
    CANCELLED = "cancelled"


DEFAULT_PLAN_DAYS = (7, 30, 91, 182, 365)
"""1 week, 1, 3, 6 and 12 months after placement or enrolment."""
PERMIT_NOTICE_DAYS = 60


class FollowUp(UUIDAuditBase):
    __tablename__ = "followup"
    __table_args__ = (Index("ix_followup_status_due", "status", "due_at"),)

    survivor_id: Mapped[UUID] = mapped_column(ForeignKey("survivor.id", ondelete="CASCADE"), index=True)
    referral_id: Mapped[UUID | None] = mapped_column(
        ForeignKey("referral.id", ondelete="CASCADE"), default=None, index=True
    )
    kind: Mapped[str] = mapped_column(String(32))
    """`plan_<days>d` for a placement plan, `permit_expiry` for a permit ending."""
    due_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
    status: Mapped[str] = mapped_column(String(16), default=FollowUpStatus.SCHEDULED.value)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    claimed_by: Mapped[str | None] = mapped_column(String(128), default=None)
    lease_until: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True), default=None)
    idempotency_key: Mapped[str] = mapped_column(String(120), unique=True)
    processed_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True), default=None)
    late: Mapped[bool] = mapped_column(Boolean, default=False)
    """Processed after the late threshold: escalated to the coordinator, not silently done."""
    answered_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True), default=None)
    answered_by_id: Mapped[UUID | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), default=None
    )
    answers: Mapped[dict[str, Any]] = mapped_column(JsonB, default=dict)
    """Structured answers only (booleans, codes, numbers); free text lives in `problems`."""
    problems: Mapped[str | None] = mapped_column(EncryptedText(key=encryption_key), default=None)
    risk_flags: Mapped[list[str]] = mapped_column(JsonB, default=list)


class FollowUpPolicy(UUIDBase):
    """An organisation's own plan: days after placement or enrolment when she is asked."""

    __tablename__ = "followup_policy"

    organisation_id: Mapped[UUID] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"), unique=True)
    plan_days: Mapped[list[int]] = mapped_column(JsonB, default=lambda: list(DEFAULT_PLAN_DAYS))
