"""Referral rows and their audited status changes."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from advanced_alchemy.base import UUIDAuditBase, UUIDBase
from advanced_alchemy.types import DateTimeUTC, EncryptedText
from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from service.settings import encryption_key


class Referral(UUIDAuditBase):
    """One survivor and one opportunity. `partner_id` is the listing's organisation, copied so
    that the partner's candidate list needs no join through the opportunities."""

    __tablename__ = "referral"
    __table_args__ = (
        UniqueConstraint("survivor_id", "opportunity_id", name="uq_referral_survivor_opportunity"),
        Index("ix_referral_partner_status", "partner_id", "status"),
    )

    survivor_id: Mapped[UUID] = mapped_column(ForeignKey("survivor.id", ondelete="CASCADE"), index=True)
    opportunity_id: Mapped[UUID] = mapped_column(ForeignKey("opportunity.id", ondelete="RESTRICT"), index=True)
    partner_id: Mapped[UUID] = mapped_column(ForeignKey("organisation.id", ondelete="RESTRICT"))
    status: Mapped[str] = mapped_column(String(16), default="suggested")
    consent_id: Mapped[UUID | None] = mapped_column(ForeignKey("consent.id", ondelete="SET NULL"), default=None)
    """The consent the profile was shared under; partner reads check it is still active."""
    created_by_id: Mapped[UUID | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"), default=None)
    started_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True), default=None)
    """When she was placed or enrolled: the clock for "3 and 6 months employed"."""
    proposal_id: Mapped[UUID | None] = mapped_column(default=None, index=True)
    """Referrals proposed together as one bundle (a job or course with the childcare place and
    language class that make it possible) share this id; a referral proposed alone has none."""


class ReferralEvent(UUIDBase):
    """One status change: who, when, from what to what, and why (the reason is encrypted:
    staff write it in their own words and it may name people)."""

    __tablename__ = "referral_event"

    referral_id: Mapped[UUID] = mapped_column(ForeignKey("referral.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
    from_status: Mapped[str | None] = mapped_column(String(16), default=None)
    to_status: Mapped[str] = mapped_column(String(16))
    actor_id: Mapped[UUID | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"), default=None)
    actor_role: Mapped[str | None] = mapped_column(String(16), default=None)
    reason: Mapped[str] = mapped_column(EncryptedText(key=encryption_key), default="")
