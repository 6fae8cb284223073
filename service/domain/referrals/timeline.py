"""Her timeline: milestones reached, referral steps and answered check-ins, oldest first."""

from __future__ import annotations

from datetime import UTC, datetime, time
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from service.domain.followups.models import FollowUp
from service.domain.milestones.kinds import BY_CODE
from service.domain.milestones.models import Achievement
from service.domain.milestones.schemas import Timeline, TimelineEntry
from service.domain.milestones.services import achievement_read
from service.domain.referrals.models import Referral, ReferralEvent
from service.kernel.actor import Actor
from service.kernel.audit import record


async def timeline(db: AsyncSession, actor: Actor, survivor_id: UUID) -> Timeline:
    """Her milestones, referral steps and answered check-ins, oldest first (no staff notes)."""
    achievements = (
        await db.scalars(
            select(Achievement).where(Achievement.survivor_id == survivor_id).order_by(Achievement.achieved_on)
        )
    ).all()
    entries = [
        TimelineEntry(
            at=datetime.combine(row.achieved_on, time(), tzinfo=UTC),
            kind="milestone",
            code=row.milestone,
            label=BY_CODE[row.milestone].label,
            object_id=row.id,
        )
        for row in achievements
    ]
    steps = await db.execute(
        select(ReferralEvent.at, ReferralEvent.to_status, ReferralEvent.referral_id)
        .join(Referral, Referral.id == ReferralEvent.referral_id)
        .where(Referral.survivor_id == survivor_id)
    )
    entries += [
        TimelineEntry(at=at, kind="referral", code=status, label=f"Referral {status}", object_id=referral_id)
        for at, status, referral_id in steps.all()
    ]
    answered = await db.execute(
        select(FollowUp.answered_at, FollowUp.kind, FollowUp.id).where(
            FollowUp.survivor_id == survivor_id, FollowUp.answered_at.is_not(None)
        )
    )
    entries += [
        TimelineEntry(at=at, kind="followup", code=kind, label="Check-in answered", object_id=followup_id)
        for at, kind, followup_id in answered.all()
    ]
    entries.sort(key=lambda entry: entry.at)
    await record(db, actor, "milestone.timeline", "survivor", survivor_id, detail=f"count={len(entries)}")
    return Timeline(
        survivor_id=survivor_id, achievements=[achievement_read(row) for row in achievements], entries=entries
    )
