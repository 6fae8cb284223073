"""Who may still receive a message, as the outbox sender asks it before each send.

An account that is no longer active receives nothing; a message to a partner about her goes
only while her sharing permission for that partner is in force (SECURITY S6), checked at
sending time so a withdrawal stops it even if nobody cancelled it.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from sqlalchemy import ColumnElement, and_, exists, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from service.domain.accounts.models import User
from service.domain.survivors.sharing import allows_clause
from service.messaging.models import OutboxMessage
from service.messaging.sender import Address


class MessageRecipients:
    """The `service.messaging.sender.Recipients` of this service."""

    def deliverable(self, now: datetime) -> ColumnElement[bool]:
        return and_(
            exists().where(User.id == OutboxMessage.recipient_user_id, User.is_active.is_(True)),
            or_(
                OutboxMessage.recipient_org_id.is_(None),
                OutboxMessage.subject_survivor_id.is_(None),
                allows_clause(OutboxMessage.subject_survivor_id, OutboxMessage.recipient_org_id, now),
            ),
        )

    async def address(self, db: AsyncSession, user_id: UUID) -> Address | None:
        found = (await db.execute(select(User.email, User.locale, User.is_active).where(User.id == user_id))).first()
        if found is None or not found.is_active:
            return None
        return Address(email=found.email, locale=found.locale)
