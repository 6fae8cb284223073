"""JSON API: a survivor's matches, and coordinators' allocation rounds. Thin: the services decide."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, get, post
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.params import FromPath, QueryParameter, RequestBody
from sqlalchemy.ext.asyncio import AsyncSession

from service.domain.matches import rounds
from service.domain.matches.published_index import published_index_of
from service.domain.matches.schemas import Kind, MatchList, RoundCreate, RoundRead, RoundSummary
from service.domain.matches.services import read_matches
from service.domain.survivors.services import visible_survivor
from service.kernel.deps import ActorDep, AlchemyDep
from service.kernel.roles import CASE_ROLES, Role, roles

KindQuery = Annotated[Kind | None, QueryParameter(description="job, course, language_class or childcare")]
MatchLimit = Annotated[int, QueryParameter(ge=1, le=100, description="how many suggestions")]
RoundLimit = Annotated[int, QueryParameter(ge=1, le=200, description="how many rounds")]


class MatchController(Controller):
    path = "/api/survivors"
    tags = ["matches"]

    @get(
        "/{survivor_id:uuid}/matches",
        operation_id="ListMatches",
        opt=CASE_ROLES,
    )
    async def list_matches(
        self,
        actor: ActorDep,
        alchemy: AlchemyDep,
        db_session: NamedDependency[AsyncSession],
        state: State,
        survivor_id: FromPath[UUID],
        kind: KindQuery = None,
        limit: MatchLimit = 20,
    ) -> MatchList:
        """Her ranked suggestions with explanations and bundles; `kind=childcare` keeps those that
        come with a childcare place. An impossible profile answers 200 with an empty list and reasons."""
        survivor = await visible_survivor(db_session, actor, survivor_id, alchemy, "matches.read")
        return await read_matches(
            db_session, actor, alchemy, published_index_of(state), survivor, kind=kind, limit=limit
        )


class AllocationRoundController(Controller):
    path = "/api/allocation-rounds"
    tags = ["allocation"]
    opt = roles(Role.COORDINATOR)

    @post("/", operation_id="CreateAllocationRound", status_code=201)
    async def create_round(
        self,
        actor: ActorDep,
        alchemy: AlchemyDep,
        db_session: NamedDependency[AsyncSession],
        state: State,
        data: RequestBody[RoundCreate],
    ) -> RoundRead:
        """Compute a round (optimal, with the greedy baseline's figures) and store it as `proposed`."""
        return await rounds.create_round(db_session, actor, data, alchemy, published_index_of(state))

    @get("/", operation_id="ListAllocationRounds")
    async def list_rounds(
        self, actor: ActorDep, db_session: NamedDependency[AsyncSession], limit: RoundLimit = 50
    ) -> list[RoundSummary]:
        """The organisation's rounds, newest first."""
        return [
            RoundSummary(
                id=row.id,
                status=row.status,
                as_of=row.as_of,
                survivor_count=row.survivor_count,
                placed=row.placed,
                objective=row.objective,
                greedy_objective=row.greedy_objective,
                created_at=row.created_at,
            )
            for row in await rounds.list_rounds(db_session, actor, limit)
        ]

    @get("/{round_id:uuid}", operation_id="GetAllocationRound")
    async def get_round(
        self, actor: ActorDep, alchemy: AlchemyDep, db_session: NamedDependency[AsyncSession], round_id: FromPath[UUID]
    ) -> RoundRead:
        """One round of the caller's organisation, with its assignments and who got nothing and why."""
        return await rounds.read_round(db_session, actor, round_id, alchemy)

    @post("/{round_id:uuid}/accept", operation_id="AcceptAllocationRound", status_code=200)
    async def accept_round(
        self, actor: ActorDep, alchemy: AlchemyDep, db_session: NamedDependency[AsyncSession], round_id: FromPath[UUID]
    ) -> RoundRead:
        """Accept a proposed round: a `suggested` referral for every part of every assignment."""
        return await rounds.accept_round(db_session, actor, round_id, alchemy)


ROUTE_HANDLERS: list[Any] = [MatchController, AllocationRoundController]
