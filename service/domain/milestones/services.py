"""Achievements and the timeline.

`achieve` is idempotent: reaching a milestone twice keeps the first record (the unique key is
survivor × milestone × qualifier). Follow-up answers call `from_followup`, which records what
an answer proves on its own (three and six months in the job, a formal contract, income at or
above her own target) with the follow-up as evidence.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from service.domain.followups.models import FollowUp
from service.domain.milestones.catalogue import BY_CODE, SIX_MONTHS_DAYS, THREE_MONTHS_DAYS
from service.domain.milestones.models import Achievement
from service.domain.milestones.schemas import AchievementRead, Timeline, TimelineEntry
from service.domain.referrals.models import Referral, ReferralEvent
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


async def from_followup(
    db: AsyncSession,
    actor: Actor,
    followup: FollowUp,
    referral: Referral | None,
    goals: dict[str, Any],
) -> list[str]:
    """The milestones this answer proves; returns the codes newly reached."""
    answers = followup.answers
    today = now_utc().date()
    evidence = f"follow-up {followup.kind}"
    reached: list[str] = []
    in_job = referral is not None and referral.status in ("placed", "completed") and referral.started_at is not None
    if answers.get("still_there") is True and in_job and referral is not None and referral.started_at is not None:
        days = (now_utc() - referral.started_at).days
        if days >= THREE_MONTHS_DAYS:
            reached.append("employed_3_months")
        if days >= SIX_MONTHS_DAYS:
            reached.append("employed_6_months")
    if answers.get("still_there") is not False and answers.get("contract") == "formal":
        reached.append("first_formal_contract")
    target = goals.get("monthly_income_target")
    income = answers.get("monthly_income")
    if target and income is not None and income >= target:
        reached.append("income_covers_needs")
    new = []
    for code in reached:
        _, created = await achieve(
            db,
            actor,
            followup.survivor_id,
            code,
            achieved_on=today,
            evidence=evidence,
            source="followup",
            followup_id=followup.id,
        )
        if created:
            new.append(code)
    return new


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
