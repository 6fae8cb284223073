"""Achievements.

`achieve` is idempotent: reaching a milestone twice keeps the first record (the unique key is
survivor × milestone × qualifier). What a follow-up answer proves is decided in followups
(`services.milestones_proved`); her timeline, which also shows referral steps and check-ins,
is referrals/timeline.py.
"""

from __future__ import annotations

from datetime import date
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from service.domain.milestones.kinds import BY_CODE
from service.domain.milestones.models import Achievement
from service.domain.milestones.schemas import AchievementRead
from service.kernel.actor import Actor, now_utc
from service.kernel.audit import record


async def achieve(
    db: AsyncSession,
    actor: Actor | None,
    survivor_id: UUID,
    milestone: str,
    *,
    achieved_on: date | None = None,
    evidence: str = "",
    qualifier: str = "",
    source: str = "staff",
    followup_id: UUID | None = None,
) -> tuple[Achievement, bool]:
    """Record a milestone unless already recorded; returns (row, whether it is new)."""
    if milestone not in BY_CODE:
        raise ValueError(f"unknown milestone {milestone!r}")
    existing = await db.scalar(
        select(Achievement).where(
            Achievement.survivor_id == survivor_id,
            Achievement.milestone == milestone,
            Achievement.qualifier == qualifier,
        )
    )
    if existing is not None:
        return existing, False
    row = Achievement(
        survivor_id=survivor_id,
        milestone=milestone,
        qualifier=qualifier,
        achieved_on=achieved_on or now_utc().date(),
        evidence=evidence,
        source=source,
        recorded_by_id=actor.user_id if actor else None,
        followup_id=followup_id,
        recorded_at=now_utc(),
    )
    db.add(row)
    await db.flush()
    await record(db, actor, "milestone.achieve", "survivor", survivor_id, detail=f"milestone={milestone}")
    return row, True


def achievement_read(row: Achievement) -> AchievementRead:
    return AchievementRead(
        id=row.id,
        survivor_id=row.survivor_id,
        milestone=row.milestone,
        label=BY_CODE[row.milestone].label,
        qualifier=row.qualifier,
        achieved_on=row.achieved_on,
        evidence=row.evidence,
        source=row.source,
        recorded_by_id=row.recorded_by_id,
        recorded_at=row.recorded_at,
    )
