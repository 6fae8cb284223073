"""JSON API: second-factor reset, role change and organisation (de)activation."""

from __future__ import annotations

from uuid import UUID

from litestar import Controller, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, RequestBody
from sqlalchemy.ext.asyncio import AsyncSession

from service.domain.accounts import lifecycle, services
from service.domain.accounts.schemas import OrganisationActive, OrganisationRead, RoleChange, UserRead
from service.kernel.deps import ActorDep, AlchemyDep
from service.kernel.roles import Role, roles

MANAGERS = roles(Role.ADMIN, Role.COORDINATOR)


class AccountLifecycleController(Controller):
    path = "/api"
    tags = ["users"]

    @post("/users/{user_id:uuid}/mfa/reset", operation_id="ResetSecondFactor", opt=MANAGERS, status_code=200)
    async def reset_second_factor(
        self, db_session: NamedDependency[AsyncSession], actor: ActorDep, alchemy: AlchemyDep, user_id: FromPath[UUID]
    ) -> UserRead:
        """Forget her authenticator app; she sets up a new one at her next sign-in (sessions end)."""
        return services.user_read(await lifecycle.reset_second_factor(db_session, actor, user_id, alchemy))

    @put("/users/{user_id:uuid}/role", operation_id="ChangeRole", opt=MANAGERS)
    async def change_role(
        self,
        db_session: NamedDependency[AsyncSession],
        actor: ActorDep,
        alchemy: AlchemyDep,
        user_id: FromPath[UUID],
        data: RequestBody[RoleChange],
    ) -> UserRead:
        """Another role within the rules (same kind of organisation); her sessions end."""
        user = await lifecycle.change_role(db_session, actor, user_id, Role(data.role), alchemy)
        return services.user_read(user)

    @put("/organisations/{org_id:uuid}/active", operation_id="SetOrganisationActive", opt=roles(Role.ADMIN))
    async def set_organisation_active(
        self,
        db_session: NamedDependency[AsyncSession],
        actor: ActorDep,
        alchemy: AlchemyDep,
        org_id: FromPath[UUID],
        data: RequestBody[OrganisationActive],
    ) -> OrganisationRead:
        """Deactivate (its people cannot sign in, sessions end at once) or reactivate."""
        org = await lifecycle.set_organisation_active(db_session, actor, org_id, data.active, alchemy)
        return services.organisation_read(org)


ROUTE_HANDLERS = (AccountLifecycleController,)
