"""Closing a case, and reopening it while retention has not run.

Closing is one transaction: her open follow-ups are cancelled, every permission to share with
a partner ends now (with the partners' unsent messages about her, S6), and `closed_at` starts
the retention clock (`ONWARD_RETENTION_CLOSED_DAYS`, service/domain/datarights/retention.py).
Until the worker has anonymised her, the case can be reopened: the clock stops and nothing
that ended is restarted by itself (permissions are given again by her, follow-ups planned again).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from litestar.exceptions import ClientException, PermissionDeniedException
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from service.domain.followups.models import FollowUp, FollowUpStatus
from service.domain.survivors.models import Consent, ConsentPurpose, Survivor
from service.kernel.actor import Actor, now_utc
from service.kernel.audit import record
from service.kernel.roles import Role
from service.messaging.outbox import cancel_partner_messages

CLOSE_REASONS = ("placed_stable", "moved_away", "stopped_contact", "transferred", "other")
ANONYMISED = "anonymised"


class Conflict(ClientException):
    status_code = 409


def _staff(actor: Actor) -> None:
    if actor.role not in (Role.COUNSELLOR, Role.COORDINATOR):
        raise PermissionDeniedException(detail="role: only her counsellor or coordinator closes a case")


async def close(db: AsyncSession, actor: Actor, survivor: Survivor, reason: str) -> dict[str, int]:
    """Close her case (she must be in the caller's scope; the caller checked). Returns what
    ended: follow-ups cancelled and permissions withdrawn."""
    _staff(actor)
    if reason not in CLOSE_REASONS:
        raise ClientException(detail="reason: not one of the closing reasons")
    if survivor.closed_at is not None:
        raise Conflict(detail="survivor: the case is closed already")
    now = now_utc()
    result: Any = await db.execute(
        update(FollowUp)
        .where(
            FollowUp.survivor_id == survivor.id,
            FollowUp.answered_at.is_(None),
            FollowUp.status.in_((FollowUpStatus.SCHEDULED.value, FollowUpStatus.CLAIMED.value)),
        )
        .values(status=FollowUpStatus.CANCELLED.value, claimed_by=None, lease_until=None)
        .execution_options(synchronize_session=False)
    )
    sharing = (
        await db.scalars(
            select(Consent).where(
                Consent.survivor_id == survivor.id,
                Consent.purpose == ConsentPurpose.SHARE_WITH_PARTNER.value,
                Consent.withdrawn_at.is_(None),
            )
        )
    ).all()
    for consent in sharing:
        consent.withdrawn_at = now
        await cancel_partner_messages(db, survivor.id, consent.partner_id)
    survivor.closed_at, survivor.closed_reason = now, reason
    await db.flush()
    ended = {"followups": int(result.rowcount or 0), "permissions": len(sharing)}
    await record(db, actor, "survivor.close", "survivor", survivor.id, detail=f"reason={reason}")
    return ended


def anonymised_on(survivor: Survivor, retention_days: int) -> datetime | None:
    """When the worker will anonymise her closed case (None while it is open)."""
    return survivor.closed_at + timedelta(days=retention_days) if survivor.closed_at else None


async def reopen(db: AsyncSession, actor: Actor, survivor: Survivor) -> None:
    """Reopen her closed case, unless retention has anonymised it already."""
    _staff(actor)
    if survivor.closed_at is None or survivor.readiness == ANONYMISED:
        raise Conflict(detail="survivor: only a closed case not yet anonymised can be reopened")
    survivor.closed_at, survivor.closed_reason = None, None
    await db.flush()
    await record(db, actor, "survivor.reopen", "survivor", survivor.id)


__all__ = ["CLOSE_REASONS", "anonymised_on", "close", "reopen"]
