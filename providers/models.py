"""Partner listings (opportunities) and the places booked in them.

Columns are plain so that matching and reports read them without decoding anything: ESCO
URIs, JSON lists of language needs, the week as 7 strings of 48 half-hours. Two columns exist
only for search in SQL on both backends: ``language_codes`` (",de,en,") and the 7 day masks
(48-bit integers) that let "fits within her week" be a bitwise test.

Foreign keys name the service's tables by string: providers never imports service code.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any
from uuid import UUID

from advanced_alchemy.base import UUIDAuditBase
from advanced_alchemy.types import DateTimeUTC, JsonB
from sqlalchemy import BigInteger, Boolean, CheckConstraint, Date, Float, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from providers.schedule import EMPTY_WEEK


class OpportunityStatus(enum.StrEnum):
    DRAFT = "draft"
    PENDING_REVIEW = "pending_review"
    PUBLISHED = "published"
    CLOSED = "closed"


class BookingStatus(enum.StrEnum):
    BOOKED = "booked"
    RELEASED = "released"


BOOKABLE_KINDS = frozenset({"course", "language_class", "childcare"})
"""Seats and places are booked; jobs are applied for through referrals instead."""
DAY_MASK_COLUMNS = ("mask_mon", "mask_tue", "mask_wed", "mask_thu", "mask_fri", "mask_sat", "mask_sun")


class Opportunity(UUIDAuditBase):
    """A job, course, language class or childcare place offered by a partner organisation."""

    __tablename__ = "opportunity"
    __table_args__ = (
        # The last line of defence against double booking (SECURITY R7): even a buggy update
        # cannot take more places than exist or give back more than were taken.
        CheckConstraint("capacity >= 0", name="capacity"),
        CheckConstraint("capacity_left >= 0 AND capacity_left <= capacity", name="capacity_left"),
        Index("ix_opportunity_status_kind", "status", "kind"),
        Index("ix_opportunity_status_danger", "status", "danger"),
    )

    organisation_id: Mapped[UUID] = mapped_column(ForeignKey("organisation.id", ondelete="RESTRICT"), index=True)
    created_by_id: Mapped[UUID | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), default=OpportunityStatus.DRAFT.value)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")

    occupation_uri: Mapped[str | None] = mapped_column(String(255), index=True, default=None)
    essential_skills: Mapped[list[str]] = mapped_column(JsonB, default=list)
    optional_skills: Mapped[list[str]] = mapped_column(JsonB, default=list)
    languages: Mapped[list[dict[str, Any]]] = mapped_column(JsonB, default=list)
    """[{"code": ISO 639-1, "level": CEFR}]"""
    language_codes: Mapped[str] = mapped_column(String(200), default=",")
    """Search helper: ",de,en," (required languages plus a language class's language)."""
    schedule: Mapped[list[str]] = mapped_column(JsonB, default=lambda: list(EMPTY_WEEK))
    """7 strings of 48 '0'/'1' half-hours, Monday first."""
    mask_mon: Mapped[int] = mapped_column(BigInteger, default=0)
    mask_tue: Mapped[int] = mapped_column(BigInteger, default=0)
    mask_wed: Mapped[int] = mapped_column(BigInteger, default=0)
    mask_thu: Mapped[int] = mapped_column(BigInteger, default=0)
    mask_fri: Mapped[int] = mapped_column(BigInteger, default=0)
    mask_sat: Mapped[int] = mapped_column(BigInteger, default=0)
    mask_sun: Mapped[int] = mapped_column(BigInteger, default=0)

    region: Mapped[str] = mapped_column(String(16), index=True)
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    """Coarse coordinates (two decimals, about a kilometre), never a street address."""
    place_name: Mapped[str | None] = mapped_column(String(80), default=None)
    """The town as the partner named it (providers.places), or None for the region's centre."""
    capacity: Mapped[int] = mapped_column(Integer)
    capacity_left: Mapped[int] = mapped_column(Integer)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date, default=None)
    women_only: Mapped[bool] = mapped_column(Boolean, default=False)
    sector: Mapped[str | None] = mapped_column(String(60), default=None)
    hours_per_week: Mapped[float | None] = mapped_column(Float, default=None)
    currency: Mapped[str | None] = mapped_column(String(3), default=None)

    pay_amount: Mapped[float | None] = mapped_column(Float, default=None)
    pay_period: Mapped[str | None] = mapped_column(String(8), default=None)
    contract_type: Mapped[str | None] = mapped_column(String(16), default=None)
    accommodation_provided: Mapped[bool] = mapped_column(Boolean, default=False)
    travel_abroad: Mapped[bool] = mapped_column(Boolean, default=False)
    contact_channels: Mapped[list[str]] = mapped_column(JsonB, default=list)
    rent_deducted: Mapped[bool | None] = mapped_column(Boolean, default=None)
    travel_charged: Mapped[bool | None] = mapped_column(Boolean, default=None)
    costs_deducted: Mapped[bool | None] = mapped_column(Boolean, default=None)
    documents_held_by: Mapped[str | None] = mapped_column(String(16), default=None)
    wages_paid: Mapped[str | None] = mapped_column(String(16), default=None)
    """The partner's answers about a job's conditions (None: not answered); see JOB_ANSWERS."""

    cost_amount: Mapped[float | None] = mapped_column(Float, default=None)
    course_level: Mapped[int | None] = mapped_column(Integer, default=None)
    certificate: Mapped[str | None] = mapped_column(String(200), default=None)

    class_language: Mapped[str | None] = mapped_column(String(2), default=None)
    level_from: Mapped[str | None] = mapped_column(String(6), default=None)
    level_to: Mapped[str | None] = mapped_column(String(6), default=None)

    age_min: Mapped[int | None] = mapped_column(Integer, default=None)
    age_max: Mapped[int | None] = mapped_column(Integer, default=None)

    vetting_flags: Mapped[list[dict[str, Any]]] = mapped_column(JsonB, default=list)
    """[{"rule_id", "reason", "severity", "evidence"}] from the last screening."""
    danger: Mapped[int] = mapped_column(Integer, default=0)
    """Search helper for the review queue: 2 with a high-severity flag, 1 with a medium one, else 0."""
    flag_codes: Mapped[str] = mapped_column(String(400), default=",")
    """Search helper: ",rule_a,rule_b," (the rules that fired), for filtering the review queue."""
    screened_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True), default=None)
    published_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True), default=None)
    closed_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True), default=None)
    reviewed_by_id: Mapped[UUID | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), default=None
    )
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True), default=None)
    review_reason: Mapped[str | None] = mapped_column(String(500), default=None)
    """The coordinator's last decision reason, shown to the partner."""

    @property
    def rejected_by_review(self) -> bool:
        """Closed by a coordinator's "reject" (not by its partner): it reads "Not accepted"."""
        return (
            self.status == OpportunityStatus.CLOSED.value
            and self.reviewed_at is not None
            and bool(self.review_reason)
            and self.closed_at == self.reviewed_at
        )


SEVERITY_DANGER = {"high": 2, "medium": 1}


def set_flags(row: Opportunity, flags: list[dict[str, Any]]) -> None:
    """Store screening flags with the two search helpers derived from them (one place)."""
    row.vetting_flags = flags
    row.danger = max((SEVERITY_DANGER.get(str(flag.get("severity")), 0) for flag in flags), default=0)
    row.flag_codes = "," + "".join(f"{flag.get('rule_id')}," for flag in flags)[:398]


class Booking(UUIDAuditBase):
    """One survivor's place in a course, language class or childcare slot."""

    __tablename__ = "booking"
    __table_args__ = (
        # One live booking per survivor and opportunity, enforced by the database.
        Index(
            "uq_booking_live",
            "opportunity_id",
            "survivor_id",
            unique=True,
            postgresql_where=text("status = 'booked'"),
            sqlite_where=text("status = 'booked'"),
        ),
    )

    opportunity_id: Mapped[UUID] = mapped_column(ForeignKey("opportunity.id", ondelete="RESTRICT"), index=True)
    survivor_id: Mapped[UUID] = mapped_column(ForeignKey("survivor.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(16), default=BookingStatus.BOOKED.value)
    booked_by_id: Mapped[UUID | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    booked_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
    released_by_id: Mapped[UUID | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), default=None
    )
    released_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True), default=None)
