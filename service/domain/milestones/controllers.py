"""JSON API for milestones: the catalogue, achievements and her timeline."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, RequestBody
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from service.domain.milestones.catalogue import CATALOGUE
from service.domain.milestones.schemas import AchievementCreate, AchievementRead, CatalogueEntry, Timeline
from service.domain.milestones.services import achieve, achievement_read, timeline
from service.domain.referrals.services import visible_survivor
from service.domain.survivors.models import Survivor
from service.domain.survivors.services import visible_to
from service.kernel.deps import ActorDep, AlchemyDep
from service.kernel.roles import CASE_ROLES, STAFF, Role, roles


class MilestoneController(Controller):
    path = "/api"
    tags = ["milestones"]

    @get("/milestones/catalogue", operation_id="MilestoneCatalogue", opt=CASE_ROLES)
    async def catalogue(self) -> list[CatalogueEntry]:
        """Every milestone we track."""
        return [CatalogueEntry(code=m.code, label=m.label, repeatable=m.repeatable) for m in CATALOGUE]

    @get("/survivors/{survivor_id:uuid}/milestones", operation_id="GetTimeline", opt=CASE_ROLES)
    async def get_timeline(
        self,
        actor: ActorDep,
        alchemy: AlchemyDep,
        db_session: NamedDependency[AsyncSession],
        survivor_id: FromPath[UUID],
    ) -> Timeline:
        """Her achievements and timeline (milestones, referral steps, answered check-ins)."""
        survivor = await visible_survivor(db_session, actor, survivor_id, alchemy)
        return await timeline(db_session, actor, survivor.id)

    @post("/survivors/{survivor_id:uuid}/milestones", operation_id="RecordMilestone", opt=STAFF)
    async def record_milestone(
        self,
        actor: ActorDep,
        alchemy: AlchemyDep,
        db_session: NamedDependency[AsyncSession],
        survivor_id: FromPath[UUID],
        data: RequestBody[AchievementCreate],
    ) -> AchievementRead:
        """Record a milestone with its date and evidence (recording it again keeps the first)."""
        survivor = await visible_survivor(db_session, actor, survivor_id, alchemy)
        row, _ = await achieve(
            db_session,
            actor,
            survivor.id,
            data.milestone,
            achieved_on=data.achieved_on,
            evidence=data.evidence,
            qualifier=data.qualifier,
        )
        return achievement_read(row)

    @get("/me/milestones", operation_id="GetMyTimeline", opt=roles(Role.SURVIVOR))
    async def get_my_timeline(self, actor: ActorDep, db_session: NamedDependency[AsyncSession]) -> Timeline:
        """Her own timeline."""
        survivor_id = await db_session.scalar(select(Survivor.id).where(visible_to(actor)))
        if survivor_id is None:
            raise NotFoundException(detail="survivor: not found")
        return await timeline(db_session, actor, survivor_id)


ROUTE_HANDLERS: list[Any] = [MilestoneController]
