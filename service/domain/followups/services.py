"""Follow-ups as staff and survivors see them: due and overdue lists, and answers.

Scope is the survivor's (`survivors.services.visible_to`): a counsellor sees her caseload,
a coordinator her organisation, a survivor herself. An answer records the form, runs the
early-warning rules, raises alerts and updates milestones, all in one transaction.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Literal
from uuid import UUID

import msgspec
from advanced_alchemy.extensions.litestar import SQLAlchemyAsyncConfig
from litestar.exceptions import ClientException, NotFoundException
from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from service.domain.accounts.directory import coordinators_of
from service.domain.followups import rules
from service.domain.followups.models import FollowUp, FollowUpStatus
from service.domain.followups.schemas import AnswerResult, FollowUpAnswer, FollowUpRead
from service.domain.milestones.kinds import SIX_MONTHS_DAYS, THREE_MONTHS_DAYS
from service.domain.milestones.services import achieve
from service.domain.referrals.models import Referral
from service.domain.survivors.models import Survivor
from service.domain.survivors.services import visible_to
from service.kernel.actor import Actor, now_utc
from service.kernel.audit import record, record_now
from service.messaging.outbox import enqueue
from service.settings import WorkerSettings

NOT_FOUND = "followup: not found"
OPEN = (FollowUpStatus.SCHEDULED.value, FollowUpStatus.CLAIMED.value, FollowUpStatus.DONE.value)


class Conflict(ClientException):
    status_code = 409


def to_read(row: FollowUp) -> FollowUpRead:
    return FollowUpRead(
        id=row.id,
        survivor_id=row.survivor_id,
        referral_id=row.referral_id,
        kind=row.kind,
        due_at=row.due_at,
        status=row.status,
        late=row.late,
        answered_at=row.answered_at,
        risk_flags=list(row.risk_flags),
    )


def status_clause(status: Literal["due", "overdue"], now: datetime, worker: WorkerSettings) -> ColumnElement[bool]:
    """`due`: fallen due, unanswered, within the grace period; `overdue`: past it, or missed."""
    grace = now - timedelta(days=worker.missed_after_days)
    unanswered = and_(FollowUp.answered_at.is_(None), FollowUp.status.in_(OPEN))
    if status == "due":
        return and_(unanswered, FollowUp.due_at <= now, FollowUp.due_at > grace)
    return or_(
        and_(unanswered, FollowUp.due_at <= grace),
        and_(FollowUp.status == FollowUpStatus.MISSED.value, FollowUp.answered_at.is_(None)),
    )


async def list_for(
    db: AsyncSession,
    actor: Actor,
    status: Literal["due", "overdue"],
    worker: WorkerSettings,
    limit: int,
    survivor_id: UUID | None = None,
) -> list[FollowUp]:
    """Due or overdue follow-ups in the caller's scope, oldest first; optionally one survivor's."""
    query = (
        select(FollowUp)
        .join(Survivor, Survivor.id == FollowUp.survivor_id)
        .where(visible_to(actor), status_clause(status, now_utc(), worker))
    )
    if survivor_id is not None:
        query = query.where(FollowUp.survivor_id == survivor_id)
    rows = (await db.scalars(query.order_by(FollowUp.due_at).limit(limit))).all()
    await record(db, actor, "followup.list", "followup", None, detail=f"status={status},count={len(rows)}")
    return list(rows)


async def read_visible(
    db: AsyncSession, actor: Actor, followup_id: UUID, alchemy: SQLAlchemyAsyncConfig
) -> tuple[FollowUp, Survivor]:
    """One follow-up and its survivor, if she is in the caller's scope; otherwise not found
    (a denied audit row, and the same 404 as an unknown id)."""
    found = (
        await db.execute(
            select(FollowUp, Survivor)
            .join(Survivor, Survivor.id == FollowUp.survivor_id)
            .where(FollowUp.id == followup_id, visible_to(actor))
        )
    ).first()
    if found is None:
        await record_now(alchemy, actor, "followup.read", "followup", followup_id, outcome="denied")
        raise NotFoundException(detail=NOT_FOUND)
    await record(db, actor, "followup.read", "followup", followup_id)
    return found[0], found[1]


async def answer(
    db: AsyncSession,
    actor: Actor,
    followup_id: UUID,
    data: FollowUpAnswer,
    alchemy: SQLAlchemyAsyncConfig,
    worker: WorkerSettings,
) -> AnswerResult:
    """Record the form once; raise alerts for risk flags; update milestones it proves."""
    found = (
        await db.execute(
            select(FollowUp, Survivor)
            .join(Survivor, Survivor.id == FollowUp.survivor_id)
            .where(FollowUp.id == followup_id, visible_to(actor))
            .with_for_update(of=FollowUp)
        )
    ).first()
    if found is None:
        await record_now(alchemy, actor, "followup.answer", "followup", followup_id, outcome="denied")
        raise NotFoundException(detail=NOT_FOUND)
    followup, survivor = found
    if followup.answered_at is not None:
        raise Conflict(detail="followup: already answered")
    if followup.status == FollowUpStatus.CANCELLED.value:
        raise Conflict(detail="followup: cancelled")
    referral = await db.get(Referral, followup.referral_id) if followup.referral_id else None
    answers = {
        key: value
        for key, value in msgspec.structs.asdict(data).items()
        if key not in ("problems", "risk_signals") and value is not None
    }
    now = now_utc()
    in_work = referral is not None and referral.status in ("placed", "completed", "dropped")
    flags = rules.evaluate(answers, data.risk_signals, in_work=in_work)
    followup.answers = answers
    followup.problems = data.problems
    followup.risk_flags = sorted({*followup.risk_flags, *flags})
    followup.answered_at = now
    followup.answered_by_id = actor.user_id
    # Answered before the worker reached it: done, and the worker's claim on it is void.
    followup.status = FollowUpStatus.DONE.value
    followup.claimed_by, followup.lease_until = None, None
    await db.flush()
    await record(db, actor, "followup.answer", "followup", followup.id, detail=f"flags={len(flags)}")
    if flags:
        coordinators = [user.id for user in await coordinators_of(db, survivor.organisation_id)]
        await enqueue(
            db,
            worker,
            key=f"answer:{followup.id}",
            template="alert",
            recipients=[*([survivor.counsellor_id] if survivor.counsellor_id else []), *coordinators],
            now=now,
            survivor_id=survivor.id,
            followup_id=followup.id,
        )
    reached = await milestones_proved(db, actor, followup, referral, dict(survivor.goals or {}))
    return AnswerResult(followup=to_read(followup), risk_flags=flags, milestones_reached=reached)


async def milestones_proved(
    db: AsyncSession,
    actor: Actor,
    followup: FollowUp,
    referral: Referral | None,
    goals: dict[str, Any],
) -> list[str]:
    """Record what this answer proves on its own (three and six months in the job, a formal
    contract, income at or above her own target), with the follow-up as evidence; returns the
    codes newly reached."""
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
