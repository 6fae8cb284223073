"""Seeding for the `followups` pages: a delivered alert, risk flags on a follow-up."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

from service.domain.followups.models import FollowUp
from service.messaging.models import OutboxMessage
from tests.support.factories import Factory


async def delivered_alert(
    factory: Factory, followup: FollowUp, recipient: UUID, template: str = "alert"
) -> OutboxMessage:
    """A delivered in-app alert about `followup`, as the worker leaves it."""
    now = datetime.now(UTC)
    async with factory.alchemy.get_session() as db:
        row = OutboxMessage(
            idempotency_key=f"test:{followup.id}:{template}:{recipient}",
            channel="in_app",
            template=template,
            recipient_user_id=recipient,
            subject_survivor_id=followup.survivor_id,
            followup_id=followup.id,
            status="sent",
            created_at=now,
            not_before=now,
            sent_at=now,
        )
        db.add(row)
        await db.commit()
        return row


async def flag(factory: Factory, followup: FollowUp, *flags: str) -> None:
    """Risk flags on a follow-up, as an answer or the missed-check-in sweep leaves them."""
    async with factory.alchemy.get_session() as db:
        row = await db.get_one(FollowUp, followup.id)
        row.risk_flags = list(flags)
        await db.commit()
