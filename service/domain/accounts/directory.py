"""Who in an organisation hears about what: its active coordinators and partner users."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from service.domain.accounts.models import User
from service.kernel.roles import Role


async def coordinators_of(db: AsyncSession, organisation_id: UUID) -> list[User]:
    """The organisation's active coordinators: they hear about alerts and late follow-ups."""
    rows = await db.scalars(
        select(User).where(
            User.organisation_id == organisation_id,
            User.role == Role.COORDINATOR.value,
            User.is_active.is_(True),
        )
    )
    return list(rows)


async def partner_users(db: AsyncSession, partner_id: UUID) -> list[User]:
    rows = await db.scalars(
        select(User).where(
            User.organisation_id == partner_id, User.role == Role.PARTNER.value, User.is_active.is_(True)
        )
    )
    return list(rows)
