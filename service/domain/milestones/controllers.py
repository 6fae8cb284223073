"""JSON API for milestones: the catalogue and achievements (her timeline: referrals/controllers.py)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, RequestBody
from sqlalchemy.ext.asyncio import AsyncSession

from service.domain.milestones.kinds import CATALOGUE
from service.domain.milestones.schemas import AchievementCreate, AchievementRead, CatalogueEntry
from service.domain.milestones.services import achieve, achievement_read
from service.domain.survivors.services import visible_survivor
from service.kernel.deps import ActorDep, AlchemyDep
from service.kernel.roles import CASE_ROLES, STAFF


class MilestoneController(Controller):
    path = "/api"
    tags = ["milestones"]

    @get("/milestones/catalogue", operation_id="MilestoneCatalogue", opt=CASE_ROLES)
    async def catalogue(self) -> list[CatalogueEntry]:
        """Every milestone we track."""
        return [CatalogueEntry(code=m.code, label=m.label, repeatable=m.repeatable) for m in CATALOGUE]

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
        survivor = await visible_survivor(db_session, actor, survivor_id, alchemy, "milestone.read")
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


ROUTE_HANDLERS: list[Any] = [MilestoneController]
