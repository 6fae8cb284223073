"""What a partner reports about a candidate (invited, offered, not selected, started), and the
counsellor's confirmation of it with her.

A partner records an outcome only through a live candidate read (``partner_view.get_candidate``:
her consent for this partner active right now), so she can neither report on nor learn anything
about someone whose consent ended. The report never changes the referral by itself: her
counsellor reads it on the referral and confirms the step with her, which moves the referral
through the ordinary lifecycle (``services.transition``: audited, follow-ups for a start).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from advanced_alchemy.base import UUIDAuditBase
from advanced_alchemy.extensions.litestar import SQLAlchemyAsyncConfig
from advanced_alchemy.types import DateTimeUTC
from litestar.exceptions import NotFoundException
from sqlalchemy import ForeignKey, String, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from providers.models import Opportunity
from service.domain.referrals import lifecycle, partner_view
from service.domain.referrals import services as referral_services
from service.kernel.actor import Actor, now_utc
from service.kernel.audit import record, record_now

OUTCOMES = ("invited", "offered", "not_selected", "started")
REASONS = ("position_filled", "skills", "language", "hours", "did_not_attend", "other")
"""Why not selected: a short list, never free text (it would be about her)."""
NOT_FOUND = "outcome: not found"


class PartnerOutcome(UUIDAuditBase):
    """One outcome a partner reported for a referral, and whether her counsellor confirmed it."""

    __tablename__ = "partner_outcome"

    referral_id: Mapped[UUID] = mapped_column(ForeignKey("referral.id", ondelete="CASCADE"), index=True)
    partner_id: Mapped[UUID] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"))
    outcome: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(String(20), default=None)
    recorded_by_id: Mapped[UUID | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    recorded_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
    confirmed_by_id: Mapped[UUID | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), default=None
    )
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True), default=None)
    confirmed_step: Mapped[str | None] = mapped_column(String(16), default=None)
    """The referral status set at confirmation (None: noted without a step)."""


class OutcomeRefused(ValueError):
    """The outcome or reason is not one of the list (HTTP 400, field named)."""

    def __init__(self, field: str) -> None:
        super().__init__(field)
        self.field = field


async def record_outcome(
    db: AsyncSession,
    actor: Actor,
    referral_id: UUID,
    outcome: str,
    reason: str | None,
    alchemy: SQLAlchemyAsyncConfig,
) -> PartnerOutcome:
    """A partner's report on a candidate shared with her under an active consent."""
    await partner_view.get_candidate(db, actor, referral_id, alchemy)  # not found once consent ends
    if outcome not in OUTCOMES:
        raise OutcomeRefused("outcome")
    if reason is not None and (outcome != "not_selected" or reason not in REASONS):
        raise OutcomeRefused("reason")
    row = PartnerOutcome(
        referral_id=referral_id,
        partner_id=actor.organisation_id,
        outcome=outcome,
        reason=reason,
        recorded_by_id=actor.user_id,
        recorded_at=now_utc(),
    )
    db.add(row)
    await db.flush()
    await record(db, actor, "candidate.outcome", "referral", referral_id, detail=f"outcome={outcome}")
    return row


async def partner_outcomes(db: AsyncSession, actor: Actor, referral_id: UUID) -> list[Reported]:
    """What her organisation reported on this referral (call after a live candidate read)."""
    rows = await db.scalars(
        select(PartnerOutcome)
        .where(PartnerOutcome.referral_id == referral_id, PartnerOutcome.partner_id == actor.organisation_id)
        .order_by(PartnerOutcome.recorded_at)
    )
    return [_reported(row) for row in rows.all()]


@dataclass(frozen=True)
class Reported:
    """A report as pages show it: plain values, read once (no lazy loading in a template)."""

    id: UUID
    outcome: str
    reason: str | None
    recorded_at: datetime
    confirmed_at: datetime | None
    confirmed_step: str | None


def _reported(row: PartnerOutcome) -> Reported:
    return Reported(row.id, row.outcome, row.reason, row.recorded_at, row.confirmed_at, row.confirmed_step)


async def for_referrals(db: AsyncSession, referral_ids: list[UUID]) -> dict[UUID, list[Reported]]:
    """The partners' reports on referrals the caller may already see (staff pages)."""
    found: dict[UUID, list[Reported]] = {}
    if not referral_ids:
        return found
    rows = await db.scalars(
        select(PartnerOutcome).where(PartnerOutcome.referral_id.in_(referral_ids)).order_by(PartnerOutcome.recorded_at)
    )
    for row in rows.all():
        found.setdefault(row.referral_id, []).append(_reported(row))
    return found


def steps_for(outcome: str, status: str, kind: str) -> list[str]:
    """The referral steps a confirmed outcome takes from ``status`` (empty when none applies:
    an invitation for a referral already past "applied" is noted, nothing more)."""
    final = {
        "invited": "applied",
        "offered": "accepted",
        "not_selected": "declined",
        "started": "placed" if kind == "job" else "enrolled",
    }[outcome]
    chain = ["shared", "applied", "accepted", final] if outcome != "not_selected" else [status, final]
    path = chain[chain.index(status) + 1 : chain.index(final) + 1] if status in chain else []
    current = status
    for step in path:
        if step not in lifecycle.NEXT.get(current, frozenset()):
            return []
        current = step
    return path


async def confirm(
    db: AsyncSession, actor: Actor, referral_id: UUID, outcome_id: UUID, alchemy: SQLAlchemyAsyncConfig
) -> PartnerOutcome:
    """Her counsellor confirms the partner's report with her: the referral takes the step."""
    referral, _ = await referral_services.visible_referral(db, actor, referral_id, alchemy, lock=True)
    row = await db.scalar(
        select(PartnerOutcome).where(PartnerOutcome.id == outcome_id, PartnerOutcome.referral_id == referral.id)
    )
    if row is None:
        await record_now(alchemy, actor, "candidate.outcome.confirm", "referral", referral_id, outcome="denied")
        raise NotFoundException(detail=NOT_FOUND)
    if row.confirmed_at is not None:
        raise referral_services.Conflict(detail="outcome: already confirmed")
    kind = await db.scalar(select(Opportunity.kind).where(Opportunity.id == referral.opportunity_id)) or ""
    steps = steps_for(row.outcome, referral.status, kind)
    for step in steps:
        reason = f"confirmed with her: the partner reported {row.outcome}"
        await referral_services.transition(db, actor, referral_id, step, reason, alchemy)
    target = steps[-1] if steps else None
    row.confirmed_by_id, row.confirmed_at, row.confirmed_step = actor.user_id, now_utc(), target
    await db.flush()
    await record(db, actor, "candidate.outcome.confirm", "referral", referral_id, detail=f"step={target}")
    return row


__all__ = [
    "OUTCOMES",
    "REASONS",
    "OutcomeRefused",
    "PartnerOutcome",
    "Reported",
    "confirm",
    "for_referrals",
    "partner_outcomes",
    "record_outcome",
    "steps_for",
]
