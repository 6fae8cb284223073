"""In-app notices: the caller's own delivered messages, and the alerts among them.

One place for the notice queries, used by the JSON API (`/api/notices`) and the counsellor's
dashboard: a notice is always the caller's own (recipient), in-app and already sent. An alert
names what it is about only through the follow-up it points to, and only while that
follow-up's survivor is still in the caller's scope (`survivors.services.visible_to`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from litestar.exceptions import NotFoundException
from sqlalchemy import ColumnElement, and_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from service.domain.followups.models import FollowUp
from service.domain.survivors.models import Survivor
from service.domain.survivors.services import visible_to
from service.kernel.actor import Actor, now_utc
from service.kernel.audit import record
from service.messaging.models import OutboxMessage, OutboxStatus

ALERT_TEMPLATES = ("alert", "missed", "late")
"""Notices that ask a person to look at something now (risk flags, missed or late check-ins)."""
NOT_FOUND = "notice: not found"
NOTHING: tuple[str | None, list[str], UUID | None, str | None] = (None, [], None, None)


def _own(actor: Actor) -> ColumnElement[bool]:
    return and_(
        OutboxMessage.recipient_user_id == actor.user_id,
        OutboxMessage.channel == "in_app",
        OutboxMessage.status == OutboxStatus.SENT.value,
    )


async def list_notices(db: AsyncSession, actor: Actor, limit: int = 100) -> list[OutboxMessage]:
    """Her notices, newest first."""
    rows = await db.scalars(
        select(OutboxMessage).where(_own(actor)).order_by(OutboxMessage.sent_at.desc()).limit(limit)
    )
    return list(rows.all())


async def mark_read(db: AsyncSession, actor: Actor, notice_id: UUID) -> None:
    """Mark one of her notices read; anyone else's (or none) is not found."""
    result: Any = await db.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == notice_id, _own(actor))
        .values(read_at=now_utc())
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise NotFoundException(detail=NOT_FOUND)


@dataclass(frozen=True, slots=True)
class Alert:
    """An unread alert with its reason: the template, the follow-up's risk flags, and who it is
    about (None when she is no longer in the caller's scope)."""

    id: UUID
    template: str
    sent_at: datetime | None
    followup_id: UUID | None
    followup_kind: str | None
    risk_flags: tuple[str, ...]
    survivor_id: UUID | None
    survivor_name: str | None


async def open_alerts(db: AsyncSession, actor: Actor, limit: int = 100) -> list[Alert]:
    """Her unread alerts, newest first, each with the reason it was raised."""
    rows = (
        await db.scalars(
            select(OutboxMessage)
            .where(_own(actor), OutboxMessage.read_at.is_(None), OutboxMessage.template.in_(ALERT_TEMPLATES))
            .order_by(OutboxMessage.sent_at.desc())
            .limit(limit)
        )
    ).all()
    followup_ids = {row.followup_id for row in rows if row.followup_id is not None}
    about: dict[UUID, tuple[str | None, list[str], UUID | None, str | None]] = {}
    if followup_ids:
        found = await db.execute(
            select(FollowUp.id, FollowUp.kind, FollowUp.risk_flags, Survivor.id, Survivor.display_name)
            .join(Survivor, Survivor.id == FollowUp.survivor_id)
            .where(FollowUp.id.in_(followup_ids), visible_to(actor))
        )
        about = {followup_id: (kind, flags, sid, name) for followup_id, kind, flags, sid, name in found.all()}
    alerts: list[Alert] = []
    for row in rows:
        kind, flags, survivor_id, name = about.get(row.followup_id, NOTHING) if row.followup_id else NOTHING
        alerts.append(
            Alert(
                id=row.id,
                template=row.template,
                sent_at=row.sent_at,
                followup_id=row.followup_id if kind is not None else None,
                followup_kind=kind,
                risk_flags=tuple(flags or ()),
                survivor_id=survivor_id,
                survivor_name=name,
            )
        )
    await record(db, actor, "notice.alerts", "notice", None, detail=f"count={len(alerts)}")
    return alerts
