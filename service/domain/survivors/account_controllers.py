"""JSON API: her own account, opened by invitation with her consent (account_invitations.py)."""

from __future__ import annotations

from uuid import UUID

from litestar import Controller, post
from litestar.di import NamedDependency
from litestar.params import FromPath, RequestBody
from sqlalchemy.ext.asyncio import AsyncSession

from service.domain.accounts import services
from service.domain.accounts.schemas import SurvivorInvitation, UserRead
from service.domain.survivors import account_invitations
from service.kernel.deps import ActorDep, AlchemyDep, SettingsDep
from service.kernel.roles import STAFF


class SurvivorInvitationController(Controller):
    path = "/api"
    tags = ["survivors"]

    @post(
        "/survivors/{survivor_id:uuid}/invitation",
        operation_id="InviteSurvivor",
        opt=STAFF,
    )
    async def invite_survivor(
        self,
        db_session: NamedDependency[AsyncSession],
        actor: ActorDep,
        alchemy: AlchemyDep,
        settings: SettingsDep,
        survivor_id: FromPath[UUID],
        data: RequestBody[SurvivorInvitation],
    ) -> UserRead:
        """Her own account, once she has agreed (recorded as a consent), by one-time link."""
        user = await account_invitations.invite_survivor(db_session, actor, survivor_id, data, settings, alchemy)
        return services.user_read(user)


ROUTE_HANDLERS = (SurvivorInvitationController,)
