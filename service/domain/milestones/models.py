"""Her achievements against the milestone catalogue (service/domain/milestones/kinds.py)."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from advanced_alchemy.base import UUIDBase
from advanced_alchemy.types import DateTimeUTC, EncryptedText
from sqlalchemy import Date, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from service.settings import encryption_key


class Achievement(UUIDBase):
    """One milestone reached. `qualifier` tells repeatable milestones apart (e.g. `de:B1`)."""

    __tablename__ = "milestone_achievement"
    __table_args__ = (UniqueConstraint("survivor_id", "milestone", "qualifier", name="uq_achievement"),)

    survivor_id: Mapped[UUID] = mapped_column(ForeignKey("survivor.id", ondelete="CASCADE"), index=True)
    milestone: Mapped[str] = mapped_column(String(40))
    qualifier: Mapped[str] = mapped_column(String(40), default="")
    achieved_on: Mapped[date] = mapped_column(Date)
    evidence: Mapped[str] = mapped_column(EncryptedText(key=encryption_key), default="")
    """What showed it (a letter seen, a certificate): staff's words, so encrypted."""
    source: Mapped[str] = mapped_column(String(16), default="staff")
    """`staff`, `self` or `followup` (set automatically from a follow-up answer)."""
    recorded_by_id: Mapped[UUID | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), default=None
    )
    followup_id: Mapped[UUID | None] = mapped_column(ForeignKey("followup.id", ondelete="SET NULL"), default=None)
    recorded_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
