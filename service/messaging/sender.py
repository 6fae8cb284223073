"""Sending the outbox: claim with a lease, send, mark sent.

Delivery is at-least-once with a stable Message-ID: the `sent` mark is written in a
transaction opened before the send and committed right after the relay's reply, so a worker
killed between the relay accepting a message and that commit leaves a `sending` row whose
lease runs out; another worker sends it again with the same Message-ID. The drill
(bench/drill_worker.py) counts how often that happens.
Whether a message may still go is asked at sending time of the `Recipients` the worker wires
in (an active account; for a partner message, her consent for that partner still active), so
a withdrawal or expiry stops it even if nobody cancelled it.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import NamedTuple, Protocol
from uuid import UUID

from advanced_alchemy.extensions.litestar import SQLAlchemyAsyncConfig
from sqlalchemy import ColumnElement, and_, or_, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from service.kernel.actor import now_utc
from service.kernel.claims import claim_rows
from service.messaging.mailer import Mailer
from service.messaging.models import OutboxMessage, OutboxStatus
from service.messaging.templates import render
from service.settings import Settings, WorkerSettings

logger = logging.getLogger("onward.worker")


def claimable_messages(now: datetime, with_email: bool) -> ColumnElement[bool]:
    ready = or_(
        and_(OutboxMessage.status == OutboxStatus.PENDING.value, OutboxMessage.not_before <= now),
        and_(OutboxMessage.status == OutboxStatus.SENDING.value, OutboxMessage.lease_until < now),
    )
    # Without a relay, email rows wait untouched (no attempts burnt) until one is configured.
    return ready if with_email else and_(ready, OutboxMessage.channel != "email")


async def claim_messages(
    db: AsyncSession, holder: str, now: datetime, worker: WorkerSettings, with_email: bool
) -> list[UUID]:
    """Lease up to a batch of sendable messages to `holder` (the caller commits)."""
    return await claim_rows(
        db,
        OutboxMessage,
        claimable_messages(now, with_email),
        OutboxMessage.not_before,
        claimed_status=OutboxStatus.SENDING.value,
        holder=holder,
        now=now,
        worker=worker,
    )


class Address(NamedTuple):
    """Where an email goes and in which language it is written."""

    email: str
    locale: str | None


class Recipients(Protocol):
    """What the sender asks of the domain before each message (wired in by the worker)."""

    def deliverable(self, now: datetime) -> ColumnElement[bool]:
        """A condition on `OutboxMessage` rows: its recipient may still receive it now."""
        ...

    async def address(self, db: AsyncSession, user_id: UUID) -> Address | None:
        """The email address and language of an active recipient, or None."""
        ...


async def _relaxed_commit(db: AsyncSession) -> None:
    """Commit a status mark without waiting for the disk (PostgreSQL).

    Safe for marks only: a mark lost in a database crash leaves the row `sending`, its lease
    ends and it is sent again with the same Message-ID: the at-least-once contract we have
    anyway. A worker crash loses nothing (the server has the commit). It saves one disk
    flush per message, which is most of the sending cost.
    """
    if db.get_bind().dialect.name == "postgresql":
        await db.execute(text("SET LOCAL synchronous_commit TO OFF"))


async def _mark(db: AsyncSession, message_id: UUID, holder: str, **values: object) -> bool:
    """Set the row's outcome if `holder` still holds it (not committed)."""
    await _relaxed_commit(db)
    result = await db.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.id == message_id,
            OutboxMessage.status == OutboxStatus.SENDING.value,
            OutboxMessage.claimed_by == holder,
        )
        .values(claimed_by=None, lease_until=None, **values)
        .execution_options(synchronize_session=False)
    )
    return getattr(result, "rowcount", 0) == 1


async def _finish(db: AsyncSession, message_id: UUID, holder: str, **values: object) -> bool:
    marked = await _mark(db, message_id, holder, **values)
    await db.commit()
    return marked


async def deliver(
    alchemy: SQLAlchemyAsyncConfig,
    message_id: UUID,
    holder: str,
    worker: WorkerSettings,
    mailer: Mailer,
    recipients: Recipients,
) -> str:
    """Send one claimed message; returns its new status (or `lost` if the lease was lost)."""
    now = now_utc()
    async with alchemy.get_session() as db:
        message = await db.scalar(
            select(OutboxMessage).where(OutboxMessage.id == message_id, OutboxMessage.claimed_by == holder)
        )
        if message is None or message.status != OutboxStatus.SENDING.value:
            return "lost"
        allowed = await db.scalar(
            select(OutboxMessage.id).where(OutboxMessage.id == message_id, recipients.deliverable(now))
        )
        address = await recipients.address(db, message.recipient_user_id) if allowed is not None else None
        if address is None:
            await _finish(db, message_id, holder, status=OutboxStatus.CANCELLED.value)
            return OutboxStatus.CANCELLED.value
        if message.channel != "email":
            ok = await _finish(db, message_id, holder, status=OutboxStatus.SENT.value, sent_at=now_utc())
            return OutboxStatus.SENT.value if ok else "lost"
        subject, body = render(message.template, address.locale)
        attempts, to, key = message.attempts, address.email, message.idempotency_key  # a rollback expires rows
        # The `sent` mark is written before the send and committed right after the relay's
        # reply: a worker killed in between has its mark rolled back by the server, and the
        # message goes again with the same Message-ID. The window is one reply and one commit.
        if not await _mark(db, message_id, holder, status=OutboxStatus.SENT.value, sent_at=now_utc()):
            await db.rollback()
            return "lost"
        try:
            await mailer.send(to, subject, body, key)
        except Exception as exc:  # any relay failure: retry later, never crash the tick
            await db.rollback()
            failed = attempts >= worker.outbox_max_attempts
            backoff = timedelta(minutes=min(2**attempts, 60))
            await _finish(
                db,
                message_id,
                holder,
                status=(OutboxStatus.FAILED if failed else OutboxStatus.PENDING).value,
                not_before=now + backoff,
                last_error=type(exc).__name__[:64],
            )
            logger.warning("outbox message %s: %s (attempt %d)", message_id, type(exc).__name__, attempts)
            return OutboxStatus.FAILED.value if failed else OutboxStatus.PENDING.value
        await db.commit()
        return OutboxStatus.SENT.value


async def deliver_in_app(
    alchemy: SQLAlchemyAsyncConfig, claimed: list[UUID], holder: str, recipients: Recipients
) -> int:
    """In-app notices of a claimed batch, in two statements: shown if the recipient may still
    receive them (see `Recipients`), cancelled otherwise."""
    if not claimed:
        return 0
    now = now_utc()
    mine = and_(
        OutboxMessage.id.in_(claimed),
        OutboxMessage.channel == "in_app",
        OutboxMessage.claimed_by == holder,
        OutboxMessage.status == OutboxStatus.SENDING.value,
    )
    deliverable = recipients.deliverable(now)
    done = {"claimed_by": None, "lease_until": None}
    async with alchemy.get_session() as db:
        await _relaxed_commit(db)
        shown = await db.execute(
            update(OutboxMessage)
            .where(mine, deliverable)
            .values(status=OutboxStatus.SENT.value, sent_at=now, **done)
            .execution_options(synchronize_session=False)
        )
        await db.execute(
            update(OutboxMessage)
            .where(mine)
            .values(status=OutboxStatus.CANCELLED.value, **done)
            .execution_options(synchronize_session=False)
        )
        await db.commit()
    return int(getattr(shown, "rowcount", 0) or 0)


async def run_outbox(
    settings: Settings, alchemy: SQLAlchemyAsyncConfig, holder: str, recipients: Recipients
) -> tuple[int, int]:
    """One pass: claim a batch and deliver each; returns (claimed, sent)."""
    mailer = Mailer(settings.worker)
    async with alchemy.get_session() as db:
        claimed = await claim_messages(db, holder, now_utc(), settings.worker, mailer.configured)
        await db.commit()
    sent = await deliver_in_app(alchemy, claimed, holder, recipients)
    async with alchemy.get_session() as db:
        emails = (
            await db.scalars(
                select(OutboxMessage.id).where(
                    OutboxMessage.id.in_(claimed),
                    OutboxMessage.claimed_by == holder,
                    OutboxMessage.status == OutboxStatus.SENDING.value,
                )
            )
        ).all()
    try:
        for message_id in emails:
            sent += (
                await deliver(alchemy, message_id, holder, settings.worker, mailer, recipients)
                == OutboxStatus.SENT.value
            )
    finally:
        await mailer.close()
    return len(claimed), sent
