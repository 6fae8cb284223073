"""Writing messages into the outbox, in the caller's transaction (SECURITY R1).

A message is one row per recipient and channel, keyed by an idempotency key built from the
event that caused it (`followup:<id>:reminder:email:<user>`). Inserting a key that exists is
a no-op on both backends, so a retried job or a replayed request never writes a second
message (R6). The worker hands them to `sender`; nothing here talks to the network.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, time, timedelta
from typing import Any
from uuid import UUID, uuid4
from zoneinfo import ZoneInfo

from sqlalchemy import and_, update
from sqlalchemy.ext.asyncio import AsyncSession

from service.kernel.claims import insert_ignoring_duplicates
from service.messaging.models import OutboxMessage, OutboxStatus
from service.settings import WorkerSettings

CHANNELS = ("in_app", "email")


def parse_quiet_hours(spec: str) -> tuple[int, int] | None:
    """ "21-8" → (21, 8); empty or equal ends → no quiet hours."""
    if not spec.strip():
        return None
    start, _, end = spec.partition("-")
    first, last = int(start) % 24, int(end) % 24
    return None if first == last else (first, last)


def after_quiet_hours(now: datetime, spec: str, zone: str) -> datetime:
    """The earliest moment from `now` outside the quiet hours (in the configured zone)."""
    window = parse_quiet_hours(spec)
    if window is None:
        return now
    start, end = window
    local = now.astimezone(ZoneInfo(zone))
    hour = local.hour
    quiet = start <= hour < end if start < end else (hour >= start or hour < end)
    if not quiet:
        return now
    wake = local.replace(hour=end, minute=0, second=0, microsecond=0)
    if wake <= local:
        wake = datetime.combine(local.date() + timedelta(days=1), time(end), tzinfo=local.tzinfo)
    return wake.astimezone(now.tzinfo)


def message_rows(
    settings: WorkerSettings,
    *,
    key: str,
    template: str,
    recipients: Iterable[UUID],
    now: datetime,
    discreet: bool = False,
    survivor_id: UUID | None = None,
    followup_id: UUID | None = None,
    partner_id: UUID | None = None,
    channels: Sequence[str] = CHANNELS,
) -> list[dict[str, Any]]:
    """The outbox rows for one message to each recipient on each channel (not yet written)."""
    not_before = after_quiet_hours(now, settings.quiet_hours, settings.quiet_hours_tz) if discreet else now
    return [
        {
            "id": uuid4(),
            "idempotency_key": f"{key}:{template}:{channel}:{user_id}",
            "channel": channel,
            "template": template,
            "recipient_user_id": user_id,
            "recipient_org_id": partner_id,
            "subject_survivor_id": survivor_id,
            "followup_id": followup_id,
            "discreet": discreet,
            "status": OutboxStatus.PENDING.value,
            "attempts": 0,
            "created_at": now,
            "not_before": not_before,
        }
        for user_id in dict.fromkeys(recipients)
        for channel in channels
    ]


async def enqueue(db: AsyncSession, settings: WorkerSettings, **message: Any) -> int:
    """Write one message per recipient and channel (see `message_rows` for the arguments);
    returns how many were new (0 on a replay)."""
    return await insert_ignoring_duplicates(db, OutboxMessage, message_rows(settings, **message))


async def cancel_partner_messages(db: AsyncSession, survivor_id: UUID, partner_id: UUID | None) -> int:
    """Cancel every unsent message to a partner about her (consent withdrawn or expired).

    Call it in the withdrawal's transaction. The sender also re-checks her consent before each
    partner message, so a message is never sent on a withdrawn consent even without this call.
    A consent that names no partner cancels nothing.
    """
    if partner_id is None:
        return 0
    result = await db.execute(
        update(OutboxMessage)
        .where(
            and_(
                OutboxMessage.subject_survivor_id == survivor_id,
                OutboxMessage.recipient_org_id == partner_id,
                OutboxMessage.status.in_((OutboxStatus.PENDING.value, OutboxStatus.SENDING.value)),
            )
        )
        .values(status=OutboxStatus.CANCELLED.value, claimed_by=None, lease_until=None)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)
