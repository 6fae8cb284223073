"""Her own account: how a new survivor account finds the record it belongs to."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from service.domain.survivors.models import Survivor
from service.domain.survivors.services import visible_to
from service.kernel.actor import Actor


class SurvivorAccountLinks:
    """The `service.domain.accounts.services.SurvivorLinks` of this service."""

    async def find(
        self, db: AsyncSession, actor: Actor | None, survivor_id: UUID, organisation_id: UUID | None
    ) -> Survivor | None:
        scope = visible_to(actor) if actor is not None else Survivor.organisation_id == organisation_id
        return await db.scalar(select(Survivor).where(Survivor.id == survivor_id, scope))
