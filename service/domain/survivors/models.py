"""Survivor profiles and her consents.

Identifying and sensitive text (name, contact, exact location, shelter, nationality, notes)
is encrypted at rest; the region and birth year stay plain but coarse so that reports and
matching never need to decrypt anything. The work profile is JSON validated by the schemas.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any
from uuid import UUID

from advanced_alchemy.base import UUIDAuditBase
from advanced_alchemy.types import DateTimeUTC, EncryptedText, JsonB
from sqlalchemy import Boolean, Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from service.settings import encryption_key


class Survivor(UUIDAuditBase):
    __tablename__ = "survivor"

    organisation_id: Mapped[UUID] = mapped_column(ForeignKey("organisation.id", ondelete="RESTRICT"), index=True)
    counsellor_id: Mapped[UUID | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True, default=None
    )
    user_id: Mapped[UUID | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), unique=True, default=None
    )

    # Encrypted at rest (SECURITY S16).
    display_name: Mapped[str] = mapped_column(EncryptedText(key=encryption_key))
    contact: Mapped[str | None] = mapped_column(EncryptedText(key=encryption_key), default=None)
    exact_location: Mapped[str | None] = mapped_column(EncryptedText(key=encryption_key), default=None)
    shelter: Mapped[str | None] = mapped_column(EncryptedText(key=encryption_key), default=None)
    nationality: Mapped[str | None] = mapped_column(EncryptedText(key=encryption_key), default=None)
    notes: Mapped[str | None] = mapped_column(EncryptedText(key=encryption_key), default=None)

    # Plain but coarse.
    region: Mapped[str] = mapped_column(String(16), index=True)
    birth_year: Mapped[int | None] = mapped_column(Integer, default=None)

    # Work profile (validated by service.domain.survivors.schemas before it is stored).
    skills: Mapped[list[dict[str, Any]]] = mapped_column(JsonB, default=list)
    languages: Mapped[list[dict[str, Any]]] = mapped_column(JsonB, default=list)
    education: Mapped[list[dict[str, Any]]] = mapped_column(JsonB, default=list)
    work_history: Mapped[list[dict[str, Any]]] = mapped_column(JsonB, default=list)
    goals: Mapped[dict[str, Any]] = mapped_column(JsonB, default=dict)
    availability: Mapped[list[str]] = mapped_column(JsonB, default=list)
    children: Mapped[list[dict[str, Any]]] = mapped_column(JsonB, default=list)
    right_to_work: Mapped[dict[str, Any]] = mapped_column(JsonB, default=dict)
    safety: Mapped[dict[str, Any]] = mapped_column(JsonB, default=dict)
    readiness: Mapped[str] = mapped_column(String(16), default="ready")
    """`ready` or `not_now`: "not now" pauses every suggestion until she says otherwise."""
    waiting_since: Mapped[date | None] = mapped_column(Date, default=None)
    closed_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True), default=None)


class ConsentPurpose(enum.StrEnum):
    SHARE_WITH_PARTNER = "share_with_partner"
    CONTACT_BY_SMS = "contact_by_sms"
    REPORTING = "reporting"


class Consent(UUIDAuditBase):
    """Her explicit, per-purpose (and for sharing, per-partner), time-limited consent."""

    __tablename__ = "consent"

    survivor_id: Mapped[UUID] = mapped_column(ForeignKey("survivor.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[str] = mapped_column(String(32))
    partner_id: Mapped[UUID | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), default=None, index=True
    )
    fields: Mapped[list[str]] = mapped_column(JsonB, default=list)
    granted_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
    expires_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True), default=None)
    withdrawn_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True), default=None)
    recorded_by_id: Mapped[UUID | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), default=None
    )
    via_survivor: Mapped[bool] = mapped_column(Boolean, default=False)
    """True when she gave it herself from her own account."""
    # Whether it is in force, and what it allows: service/domain/survivors/sharing.py.
