"""A partner check: one item of the checklist, with its evidence, who checked and until when."""

from __future__ import annotations

import enum
from datetime import datetime
from uuid import UUID

from advanced_alchemy.base import UUIDBase
from advanced_alchemy.types import DateTimeUTC
from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column


class CheckKind(enum.StrEnum):
    REGISTRATION = "registration"
    """Its registration number, looked up in the register."""
    LICENCE = "licence"
    """A labour-inspection or licence check, where one applies (childcare, agencies, ...)."""
    CONTACT = "contact"
    """A visit or a call."""
    REFERENCES = "references"


class CheckOutcome(enum.StrEnum):
    PASSED = "passed"
    FAILED = "failed"
    NOT_APPLICABLE = "not_applicable"
    """Only for the licence check: nothing of the kind applies to this partner."""


class PartnerCheck(UUIDBase):
    """One check of one partner; a newer check of the same kind replaces it in the checklist."""

    __tablename__ = "partner_check"
    __table_args__ = (Index("ix_partner_check_org_kind", "organisation_id", "kind"),)

    organisation_id: Mapped[UUID] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    outcome: Mapped[str] = mapped_column(String(16))
    evidence: Mapped[str] = mapped_column(String(1000))
    """What was seen: the register entry, the inspection letter, who was called, ..."""
    checked_by_id: Mapped[UUID | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    checked_by_org_id: Mapped[UUID | None] = mapped_column(ForeignKey("organisation.id", ondelete="SET NULL"))
    checked_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
