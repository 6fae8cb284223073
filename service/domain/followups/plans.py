"""Follow-up plans: after a placement or enrolment, and before a work permit ends.

Plans are rows written in the same transaction as the change that causes them (SECURITY R1),
keyed so that writing a plan twice leaves one plan (R6).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from uuid import UUID, uuid4

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from service.domain.followups.models import (
    DEFAULT_PLAN_DAYS,
    PERMIT_NOTICE_DAYS,
    FollowUp,
    FollowUpPolicy,
    FollowUpStatus,
)
from service.domain.survivors.models import Survivor
from service.kernel.claims import insert_ignoring_duplicates

PERMIT_KIND = "permit_expiry"


async def plan_days(db: AsyncSession, organisation_id: UUID) -> list[int]:
    """The organisation's plan, or the default 1 week, 1, 3, 6 and 12 months."""
    policy = await db.scalar(select(FollowUpPolicy).where(FollowUpPolicy.organisation_id == organisation_id))
    return sorted(policy.plan_days) if policy is not None else list(DEFAULT_PLAN_DAYS)


async def set_plan_days(db: AsyncSession, organisation_id: UUID, days: list[int]) -> list[int]:
    policy = await db.scalar(select(FollowUpPolicy).where(FollowUpPolicy.organisation_id == organisation_id))
    clean = sorted(set(days))
    if policy is None:
        db.add(FollowUpPolicy(organisation_id=organisation_id, plan_days=clean))
    else:
        policy.plan_days = clean
    await db.flush()
    return clean


def _row(survivor_id: UUID, referral_id: UUID | None, kind: str, due_at: datetime, key: str) -> dict[str, object]:
    now = datetime.now(UTC)
    return {
        "id": uuid4(),
        "survivor_id": survivor_id,
        "referral_id": referral_id,
        "kind": kind,
        "due_at": due_at,
        "status": FollowUpStatus.SCHEDULED.value,
        "attempts": 0,
        "idempotency_key": key,
        "late": False,
        "answers": {},
        "risk_flags": [],
        "created_at": now,
        "updated_at": now,
    }


async def create_plan(
    db: AsyncSession, *, survivor_id: UUID, organisation_id: UUID, referral_id: UUID, started_at: datetime
) -> int:
    """Schedule her check-ins after a placement or enrolment; returns how many are new."""
    rows = [
        _row(
            survivor_id, referral_id, f"plan_{days}d", started_at + timedelta(days=days), f"plan:{referral_id}:{days}d"
        )
        for days in await plan_days(db, organisation_id)
    ]
    return await insert_ignoring_duplicates(db, FollowUp, rows)


def permit_due_at(valid_until: date, now: datetime) -> datetime:
    """60 days before the permit ends, at 09:00 UTC; at once when that day has passed."""
    due = datetime.combine(valid_until - timedelta(days=PERMIT_NOTICE_DAYS), time(9), tzinfo=UTC)
    return max(due, now)


async def ensure_permit_followups(db: AsyncSession, now: datetime) -> int:
    """A follow-up 60 days before each open case's permit ends (one per permit end date).

    Reads only the plain JSON column, never decrypts a profile. A full pass is cheap at the
    scale of one NGO network and runs hourly; the key makes repeated passes harmless.
    """
    rows: list[dict[str, object]] = []
    result = await db.execute(select(Survivor.id, Survivor.right_to_work).where(Survivor.closed_at.is_(None)))
    for survivor_id, right_to_work in result.all():
        raw = (right_to_work or {}).get("valid_until")
        if not raw:
            continue
        try:
            valid_until = date.fromisoformat(str(raw))
        except ValueError:
            continue
        if valid_until < now.date():
            continue
        key = f"permit:{survivor_id}:{valid_until.isoformat()}"
        rows.append(_row(survivor_id, None, PERMIT_KIND, permit_due_at(valid_until, now), key))
    inserted = 0
    for start in range(0, len(rows), 500):
        inserted += await insert_ignoring_duplicates(db, FollowUp, rows[start : start + 500])
    return inserted
