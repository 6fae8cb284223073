"""Allocation rounds a coordinator runs, stored so they can be reviewed before anyone acts.

A round keeps what was decided and the figures to judge it by: the optimal total next to the
greedy baseline's, who got nothing and why. Its assignments name plain opportunity ids (one
primary, optionally a childcare place and a language class) and never copy survivor data.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from uuid import UUID

from advanced_alchemy.base import UUIDAuditBase, UUIDBase
from advanced_alchemy.types import DateTimeUTC, JsonB
from sqlalchemy import Boolean, Date, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column


class RoundStatus(enum.StrEnum):
    PROPOSED = "proposed"
    ACCEPTED = "accepted"


class AllocationRound(UUIDAuditBase):
    """One coordinator's round over her organisation's survivors."""

    __tablename__ = "allocation_round"

    organisation_id: Mapped[UUID] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"), index=True)
    created_by_id: Mapped[UUID | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(16), default=RoundStatus.PROPOSED.value)
    as_of: Mapped[date] = mapped_column(Date)
    kinds: Mapped[list[str]] = mapped_column(JsonB, default=list)
    """Primary kinds the round considered; empty means every kind."""
    prioritise_waiting: Mapped[bool] = mapped_column(Boolean, default=False)
    survivor_count: Mapped[int] = mapped_column(Integer, default=0)
    candidate_count: Mapped[int] = mapped_column(Integer, default=0)
    method: Mapped[str] = mapped_column(String(60))
    """How the stored assignment was found ("optimal (milp, 12 parts)", or what was not proved and the gap)."""
    bound: Mapped[float | None] = mapped_column(Float, default=None)
    """An upper bound on any round's objective over the same candidates (the solver's dual bound)."""
    gap: Mapped[float | None] = mapped_column(Float, default=None)
    """(bound - objective) / bound: 0 when proved optimal; None for rounds stored before it was kept."""
    objective: Mapped[float] = mapped_column(Float)
    placed: Mapped[int] = mapped_column(Integer)
    greedy_objective: Mapped[float] = mapped_column(Float)
    greedy_placed: Mapped[int] = mapped_column(Integer)
    seconds: Mapped[float] = mapped_column(Float)
    unplaced: Mapped[dict[str, str]] = mapped_column(JsonB, default=dict)
    """Survivor id -> why she got nothing this round (generic wording, no personal data)."""
    accepted_by_id: Mapped[UUID | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), default=None
    )
    accepted_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True), default=None)


class AllocationAssignment(UUIDBase):
    """Who gets what in a round: a primary opportunity, possibly with the parts that make it possible."""

    __tablename__ = "allocation_assignment"

    round_id: Mapped[UUID] = mapped_column(ForeignKey("allocation_round.id", ondelete="CASCADE"), index=True)
    survivor_id: Mapped[UUID] = mapped_column(ForeignKey("survivor.id", ondelete="CASCADE"), index=True)
    opportunity_id: Mapped[UUID] = mapped_column(ForeignKey("opportunity.id", ondelete="RESTRICT"))
    childcare_id: Mapped[UUID | None] = mapped_column(ForeignKey("opportunity.id", ondelete="RESTRICT"), default=None)
    language_class_id: Mapped[UUID | None] = mapped_column(
        ForeignKey("opportunity.id", ondelete="RESTRICT"), default=None
    )
    score: Mapped[float] = mapped_column(Float)
    weight: Mapped[float] = mapped_column(Float)
    """The score after the waiting-time priority, which is what the round maximised."""
    why: Mapped[str] = mapped_column(Text, default="")
    referral_ids: Mapped[list[str]] = mapped_column(JsonB, default=list)
    """Referrals created when the round was accepted."""
    note: Mapped[str] = mapped_column(String(500), default="")
    """What accepting did not do for this assignment (a listing closed meanwhile, say)."""
