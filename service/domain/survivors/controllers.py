"""JSON API for survivor profiles and consents."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import Controller, get, patch, post, put
from litestar.di import NamedDependency, Provide
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, QueryParameter, RequestBody
from sqlalchemy.ext.asyncio import AsyncSession

from service.domain.survivors import consents
from service.domain.survivors.models import Survivor
from service.domain.survivors.own_view import OwnProfile, to_own_profile
from service.domain.survivors.schemas import (
    ConsentCreate,
    ConsentRead,
    CounsellorAssignment,
    PreferencesUpdate,
    SurvivorCreate,
    SurvivorDetail,
    SurvivorPage,
    SurvivorUpdate,
)
from service.domain.survivors.services import (
    SurvivorService,
    provide_survivor_service,
    to_detail,
    to_summary,
    visible_to,
)
from service.kernel.actor import Actor, now_utc
from service.kernel.deps import ActorDep, AlchemyDep
from service.kernel.roles import CASE_ROLES, STAFF, Role, roles

Limit = Annotated[int, QueryParameter(ge=1, le=200, description="page size")]
Offset = Annotated[int, QueryParameter(ge=0, le=1_000_000)]


class SurvivorController(Controller):
    path = "/api/survivors"
    tags = ["survivors"]
    dependencies = {"survivors": Provide(provide_survivor_service)}

    @get("/", operation_id="ListSurvivors", opt=CASE_ROLES)
    async def list_survivors(
        self, survivors: NamedDependency[SurvivorService], actor: ActorDep, limit: Limit = 50, offset: Offset = 0
    ) -> SurvivorPage:
        """The survivors in the caller's scope (her caseload, her organisation, or herself)."""
        rows, total = await survivors.page(actor, limit, offset)
        return SurvivorPage(items=[to_summary(row) for row in rows], total=total, limit=limit, offset=offset)

    @get("/count", operation_id="CountSurvivors", opt=CASE_ROLES)
    async def count_survivors(self, survivors: NamedDependency[SurvivorService], actor: ActorDep) -> dict[str, int]:
        """How many survivors the caller may see: always equal to the list's total."""
        return {"total": await survivors.count_visible(actor)}

    @post("/", operation_id="CreateSurvivor", opt=STAFF)
    async def create_survivor(
        self, survivors: NamedDependency[SurvivorService], actor: ActorDep, data: RequestBody[SurvivorCreate]
    ) -> SurvivorDetail:
        """Register a survivor in the caller's organisation (a counsellor's own caseload)."""
        return to_detail(await survivors.create_for(actor, data))

    @get("/{survivor_id:uuid}", operation_id="GetSurvivor", opt=CASE_ROLES)
    async def get_survivor(
        self,
        survivors: NamedDependency[SurvivorService],
        actor: ActorDep,
        alchemy: AlchemyDep,
        survivor_id: FromPath[UUID],
    ) -> SurvivorDetail:
        """One profile, if it is in the caller's scope; otherwise not found."""
        return to_detail(await survivors.read(actor, survivor_id, alchemy))

    @patch("/{survivor_id:uuid}", operation_id="UpdateSurvivor", opt=STAFF)
    async def update_survivor(
        self,
        survivors: NamedDependency[SurvivorService],
        actor: ActorDep,
        alchemy: AlchemyDep,
        survivor_id: FromPath[UUID],
        data: RequestBody[SurvivorUpdate],
    ) -> SurvivorDetail:
        """Change the fields sent; unknown fields (owner, organisation, …) are refused."""
        return to_detail(await survivors.update_for(actor, survivor_id, data, alchemy))

    @put("/{survivor_id:uuid}/counsellor", operation_id="AssignCounsellor", opt=roles(Role.COORDINATOR))
    async def assign_counsellor(
        self,
        survivors: NamedDependency[SurvivorService],
        actor: ActorDep,
        alchemy: AlchemyDep,
        survivor_id: FromPath[UUID],
        data: RequestBody[CounsellorAssignment],
    ) -> SurvivorDetail:
        """Move a survivor to a counsellor's caseload (coordinators, within their organisation)."""
        return to_detail(await survivors.assign_counsellor(actor, survivor_id, data.counsellor_id, alchemy))

    @get("/{survivor_id:uuid}/consents", operation_id="ListConsents", opt=CASE_ROLES)
    async def list_consents(
        self,
        survivors: NamedDependency[SurvivorService],
        actor: ActorDep,
        alchemy: AlchemyDep,
        db_session: NamedDependency[AsyncSession],
        survivor_id: FromPath[UUID],
    ) -> list[ConsentRead]:
        """Every consent she gave, active or not."""
        survivor = await survivors.get_visible(actor, survivor_id, alchemy)
        now = now_utc()
        return [consents.to_read(row, now) for row in await consents.list_consents(db_session, actor, survivor)]

    @post("/{survivor_id:uuid}/consents", operation_id="GrantConsent", opt=CASE_ROLES)
    async def grant_consent(
        self,
        survivors: NamedDependency[SurvivorService],
        actor: ActorDep,
        alchemy: AlchemyDep,
        db_session: NamedDependency[AsyncSession],
        survivor_id: FromPath[UUID],
        data: RequestBody[ConsentCreate],
    ) -> ConsentRead:
        """Record her consent: sharing names one vetted partner, the fields and an end date."""
        survivor = await survivors.get_visible(actor, survivor_id, alchemy)
        return consents.to_read(await consents.grant(db_session, actor, survivor, data), now_utc())


class ConsentController(Controller):
    path = "/api/consents"
    tags = ["survivors"]

    @post("/{consent_id:uuid}/withdraw", operation_id="WithdrawConsent", opt=CASE_ROLES, status_code=200)
    async def withdraw_consent(
        self,
        actor: ActorDep,
        alchemy: AlchemyDep,
        db_session: NamedDependency[AsyncSession],
        consent_id: FromPath[UUID],
    ) -> ConsentRead:
        """Withdraw a consent at once; the partner's next request finds nothing."""
        return consents.to_read(await consents.withdraw(db_session, actor, consent_id, alchemy), now_utc())


class MyProfileController(Controller):
    """What a survivor does for herself, without knowing her record's id."""

    path = "/api/me/profile"
    tags = ["me"]
    dependencies = {"survivors": Provide(provide_survivor_service)}

    async def _own_id(self, survivors: SurvivorService, actor: Actor) -> UUID:
        row = await survivors.get_one_or_none(visible_to(actor))
        if row is None:
            raise NotFoundException(detail="survivor: not found")
        return row.id

    @get("/", operation_id="GetMyProfile", opt=roles(Role.SURVIVOR))
    async def get_my_profile(
        self,
        survivors: NamedDependency[SurvivorService],
        actor: ActorDep,
        alchemy: AlchemyDep,
    ) -> OwnProfile:
        """What she entered and what can be shared; notes, shelter and places only in her export."""
        return to_own_profile(await survivors.read(actor, await self._own_id(survivors, actor), alchemy))

    @patch("/", operation_id="UpdateMyPreferences", opt=roles(Role.SURVIVOR))
    async def update_my_preferences(
        self,
        survivors: NamedDependency[SurvivorService],
        actor: ActorDep,
        alchemy: AlchemyDep,
        data: RequestBody[PreferencesUpdate],
    ) -> OwnProfile:
        """She sets her pace ("not now"), her week and her goals."""
        own = await self._own_id(survivors, actor)
        return to_own_profile(await survivors.update_for(actor, own, data, alchemy))


__all__ = ["ConsentController", "MyProfileController", "Survivor", "SurvivorController"]
