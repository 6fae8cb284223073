"""Retention: closed cases are anonymised by the worker after a configurable period.

`ONWARD_RETENTION_CLOSED_DAYS` after `Survivor.closed_at`, her record keeps only what reports
need and nobody can trace back to her: the opaque id, organisation, coarse region, dates and
statuses of referrals, milestones reached and structured follow-up answers. Names, contact,
places, nationality, notes, her whole work profile, staff's free text about her, messages about
her and her login account are removed. `readiness = "anonymised"` marks the row, so the job is
idempotent (R6) and a second run changes nothing.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from advanced_alchemy.extensions.litestar import SQLAlchemyAsyncConfig
from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from service.domain.datarights import graph
from service.domain.datarights.erasure import Plan, walk
from service.domain.followups.models import FollowUp
from service.domain.milestones.models import Achievement
from service.domain.referrals.models import Referral, ReferralEvent
from service.domain.survivors.models import Survivor
from service.kernel.actor import now_utc
from service.kernel.audit import record
from service.messaging.models import OutboxMessage
from service.settings import Settings

logger = logging.getLogger("onward.retention")
ANONYMISED = "anonymised"
_CLEARED: dict[str, Any] = {
    "display_name": "",
    "contact": None,
    "exact_location": None,
    "shelter": None,
    "nationality": None,
    "notes": None,
    "birth_year": None,
    "skills": [],
    "languages": [],
    "education": [],
    "work_history": [],
    "goals": {},
    "availability": [],
    "children": [],
    "right_to_work": {},
    "safety": {},
    "counsellor_id": None,
    "readiness": ANONYMISED,
}


async def anonymise(db: AsyncSession, survivor: Survivor) -> None:
    """Strip one survivor's record down to opaque, countable facts (caller commits)."""
    user_id = survivor.user_id
    for key, value in _CLEARED.items():
        setattr(survivor, key, value)
    survivor.user_id = None
    await db.flush()
    referrals = select(Referral.id).where(Referral.survivor_id == survivor.id)
    await db.execute(update(ReferralEvent).where(ReferralEvent.referral_id.in_(referrals)).values(reason=""))
    await db.execute(update(Achievement).where(Achievement.survivor_id == survivor.id).values(evidence=""))
    await db.execute(update(FollowUp).where(FollowUp.survivor_id == survivor.id).values(problems=None))
    await db.execute(delete(OutboxMessage).where(OutboxMessage.subject_survivor_id == survivor.id))
    if user_id is not None:
        # Her login goes, with everything hanging off it (sessions, tokens, her messages).
        plan = Plan()
        plan.add(graph.ACCOUNT, [user_id], 0)
        await walk(db, plan, graph.ACCOUNT, [user_id], 0)
        tables = graph.tables()
        for child, column, ids in plan.cut:
            await db.execute(update(tables[child]).where(tables[child].c[column].in_(ids)).values({column: None}))
        for table, ids in plan.by_depth():
            await db.execute(delete(tables[table]).where(tables[table].c.id.in_(ids)))
    await record(db, None, "survivor.anonymise", "survivor", survivor.id, detail="reason=retention")


async def anonymise_closed(settings: Settings, alchemy: SQLAlchemyAsyncConfig) -> int:
    """Worker job: anonymise closed cases past the retention period, a batch per tick."""
    cutoff = now_utc() - timedelta(days=settings.worker.retention_closed_days)
    done = 0
    async with alchemy.get_session() as db:
        due = (
            await db.scalars(
                select(Survivor)
                .where(Survivor.closed_at.is_not(None), Survivor.closed_at < cutoff, Survivor.readiness != ANONYMISED)
                .order_by(Survivor.closed_at)
                .limit(settings.worker.batch_size)
            )
        ).all()
        for survivor in due:
            await anonymise(db, survivor)
            done += 1
        await db.commit()
    if done:
        logger.info("retention anonymised %d closed cases", done)
    return done


async def retention_tick(settings: Settings, alchemy: SQLAlchemyAsyncConfig) -> None:
    """The registered job (returns None, as the scheduler expects)."""
    await anonymise_closed(settings, alchemy)
