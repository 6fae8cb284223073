"""The worker's jobs: claim due rows, process them, mark them done (ARCHITECTURE §4).

Claiming is one statement: `UPDATE … WHERE id IN (SELECT … FOR UPDATE SKIP LOCKED LIMIT n)`,
so concurrent workers on PostgreSQL take disjoint rows, and a row whose lease has run out
(its worker died) is claimable again (SECURITY R3, R5). Each follow-up is then processed in
its own transaction that writes its outbox messages and marks it done together, guarded by
"still claimed by me": a worker that lost its lease changes nothing (R2, R6).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime, timedelta
from uuid import UUID

from advanced_alchemy.extensions.litestar import SQLAlchemyAsyncConfig
from sqlalchemy import ColumnElement, and_, or_, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession

from service.domain.accounts.directory import coordinators_of
from service.domain.followups.models import FollowUp, FollowUpStatus
from service.domain.followups.plans import PERMIT_KIND, ensure_permit_followups
from service.domain.followups.rules import MISSED_CHECKINS, MISSED_LIMIT, missed_in_a_row
from service.domain.survivors.models import Survivor
from service.kernel.actor import now_utc
from service.kernel.audit import record
from service.kernel.claims import claim_rows, insert_ignoring_duplicates
from service.messaging.models import OutboxMessage
from service.messaging.outbox import enqueue, message_rows
from service.settings import Settings, WorkerSettings

logger = logging.getLogger("onward.worker")


def claimable_followups(now: datetime) -> ColumnElement[bool]:
    """Due and never claimed, or claimed by a worker whose lease has run out."""
    return or_(
        and_(FollowUp.status == FollowUpStatus.SCHEDULED.value, FollowUp.due_at <= now),
        and_(FollowUp.status == FollowUpStatus.CLAIMED.value, FollowUp.lease_until < now),
    )


async def claim_followups(db: AsyncSession, holder: str, now: datetime, worker: WorkerSettings) -> list[UUID]:
    """Lease up to a batch of due follow-ups to `holder` (the caller commits)."""
    return await claim_rows(
        db,
        FollowUp,
        claimable_followups(now),
        FollowUp.due_at,
        claimed_status=FollowUpStatus.CLAIMED.value,
        holder=holder,
        now=now,
        worker=worker,
    )


async def _staff(db: AsyncSession, organisation_id: UUID, cache: dict[UUID, list[UUID]]) -> list[UUID]:
    if organisation_id not in cache:
        cache[organisation_id] = [user.id for user in await coordinators_of(db, organisation_id)]
    return cache[organisation_id]


async def process_followup(
    db: AsyncSession,
    followup_id: UUID,
    holder: str,
    worker: WorkerSettings,
    cache: dict[UUID, list[UUID]] | None = None,
    *,
    commit: bool = True,
) -> bool:
    """Write the follow-up's messages and mark it done, if `holder` still holds it.

    Reminder to her counsellor (or the coordinators when she has none); a discreet check-in
    notice to her if she has an account; past the late threshold, an escalation to the
    coordinators. Returns False (and changes nothing) when the lease was lost. With
    `commit=False` the caller commits (a batch shares one durable commit).
    """
    now = now_utc()
    row = (
        await db.execute(
            select(FollowUp.due_at, FollowUp.kind, Survivor.id, Survivor.organisation_id)
            .add_columns(Survivor.counsellor_id, Survivor.user_id)
            .join(Survivor, Survivor.id == FollowUp.survivor_id)
            .where(FollowUp.id == followup_id)
        )
    ).first()
    if row is None:
        return False
    due_at, kind, survivor_id, organisation_id, counsellor_id, survivor_user_id = row
    late = now - due_at > timedelta(minutes=worker.late_after_minutes)
    # Take the row (and its lock) first: if another worker took it over, stop here.
    marked = await db.execute(
        update(FollowUp)
        .where(
            FollowUp.id == followup_id,
            FollowUp.status == FollowUpStatus.CLAIMED.value,
            FollowUp.claimed_by == holder,
        )
        .values(status=FollowUpStatus.DONE.value, processed_at=now, late=late, claimed_by=None, lease_until=None)
        .execution_options(synchronize_session=False)
    )
    if getattr(marked, "rowcount", 0) != 1:
        return False  # nothing was written
    coordinators = await _staff(db, organisation_id, cache if cache is not None else {})
    key = f"followup:{followup_id}"
    common = {"key": key, "now": now, "survivor_id": survivor_id, "followup_id": followup_id}
    template = "permit" if kind == PERMIT_KIND else "reminder"
    staff = [counsellor_id] if counsellor_id else coordinators
    rows = message_rows(worker, template=template, recipients=staff, **common)
    if late:
        rows += message_rows(worker, template="late", recipients=coordinators, **common)
    if survivor_user_id is not None and kind != PERMIT_KIND:
        rows += message_rows(worker, template="checkin", recipients=[survivor_user_id], discreet=True, **common)
    await insert_ignoring_duplicates(db, OutboxMessage, rows)  # one statement for all of them
    await record(db, None, "followup.processed", "followup", followup_id, detail=f"late={int(late)}")
    if commit:
        await db.commit()
    return True


async def mark_missed(db: AsyncSession, worker: WorkerSettings, now: datetime) -> int:
    """Unanswered check-ins past the grace period become missed; two in a row raise an alert."""
    cutoff = now - timedelta(days=worker.missed_after_days)
    overdue = (
        select(FollowUp.id)
        .where(
            FollowUp.status == FollowUpStatus.DONE.value,
            FollowUp.answered_at.is_(None),
            FollowUp.due_at < cutoff,
            FollowUp.kind != PERMIT_KIND,
        )
        .limit(worker.batch_size)
        .with_for_update(skip_locked=True)
    )
    result = await db.execute(
        update(FollowUp)
        .where(FollowUp.id.in_(overdue.scalar_subquery()))
        .values(status=FollowUpStatus.MISSED.value)
        .returning(FollowUp.id, FollowUp.survivor_id)
        .execution_options(synchronize_session=False)
    )
    missed = list(result.all())
    for followup_id, survivor_id in missed:
        await _alert_if_missed_twice(db, worker, followup_id, survivor_id, now)
    return len(missed)


async def _alert_if_missed_twice(
    db: AsyncSession, worker: WorkerSettings, followup_id: UUID, survivor_id: UUID, now: datetime
) -> None:
    statuses = (
        await db.scalars(
            select(FollowUp.status)
            .where(
                FollowUp.survivor_id == survivor_id,
                FollowUp.kind != PERMIT_KIND,
                FollowUp.status.in_((FollowUpStatus.DONE.value, FollowUpStatus.MISSED.value)),
            )
            .order_by(FollowUp.due_at.desc())
            .limit(MISSED_LIMIT)
        )
    ).all()
    if missed_in_a_row(statuses) < MISSED_LIMIT:
        return
    survivor = (
        await db.execute(select(Survivor.organisation_id, Survivor.counsellor_id).where(Survivor.id == survivor_id))
    ).one()
    followup = await db.get_one(FollowUp, followup_id)
    followup.risk_flags = sorted({*followup.risk_flags, MISSED_CHECKINS})
    recipients = [*([survivor.counsellor_id] if survivor.counsellor_id else [])]
    recipients += await _staff(db, survivor.organisation_id, {})
    await enqueue(
        db,
        worker,
        key=f"followup:{followup_id}",
        template="missed",
        recipients=recipients,
        now=now,
        survivor_id=survivor_id,
        followup_id=followup_id,
    )


async def run_followups(settings: Settings, alchemy: SQLAlchemyAsyncConfig, holder: str) -> tuple[int, int]:
    """One pass: claim a batch, process each; returns (claimed, completed by this worker)."""
    worker = settings.worker
    async with alchemy.get_session() as db:
        claimed = await claim_followups(db, holder, now_utc(), worker)
        await db.commit()
    return len(claimed), await process_claimed(alchemy, claimed, holder, worker)


async def process_claimed(
    alchemy: SQLAlchemyAsyncConfig, claimed: Sequence[UUID], holder: str, worker: WorkerSettings
) -> int:
    """Process a claimed batch in one transaction, each follow-up in its own savepoint.

    One durable commit per batch instead of per row: a crash mid-batch loses the batch's
    work, which the next worker redoes once the leases end (every step is idempotent).
    A row that fails rolls back alone and stays claimed until its lease ends.
    """
    done = 0
    cache: dict[UUID, list[UUID]] = {}
    async with alchemy.get_session() as db:
        for followup_id in claimed:
            try:
                async with db.begin_nested():
                    done += await process_followup(db, followup_id, holder, worker, cache, commit=False)
            except SQLAlchemyError as exc:
                logger.warning("follow-up %s failed: %s", followup_id, type(exc).__name__)
        await db.commit()
    return done


async def run_sweeps(settings: Settings, alchemy: SQLAlchemyAsyncConfig) -> tuple[int, int]:
    """Missed check-ins and permit follow-ups; both are idempotent passes."""
    now = now_utc()
    async with alchemy.get_session() as db:
        missed = await mark_missed(db, settings.worker, now)
        await db.commit()
    async with alchemy.get_session() as db:
        permits = await ensure_permit_followups(db, now)
        await db.commit()
    return missed, permits
